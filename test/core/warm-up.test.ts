// After a start-up from --data, a large tenant's indexes are built between requests, a slice at
// a time (Table.warmUp, runtime.ts), so that neither its first write nor its first list pays
// for them (#13). Requests made while that runs, and after, must answer exactly as they would
// without it: here Quentli, a tenant of 3,000 customers read from the file.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Table } from "../../src/core/table.js";
import { allCustomers, BASE, start, type Ctx } from "../quentli/_helpers.js";

const dirs: string[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

const turn = () => new Promise((resolve) => setTimeout(resolve, 0));
const N = 3000;

/** A --data file whose organization 0 has N more customers (distinct emails, usernames, phones). */
async function largeFile(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "warm-up-"));
  dirs.push(dir);
  const data = join(dir, "state.json");
  const first = await start({ data });
  const org = first.tenants[0]!.id;
  await first.sim.close();
  const doc = JSON.parse(await readFile(data, "utf8"));
  const rows = doc.providers.quentli.customers as Record<string, Record<string, unknown>>;
  const template = Object.values(rows).find((r) => r.organizationId === org)!;
  for (let i = 0; i < N; i++) {
    const id = `cus_warm${String(i).padStart(12, "0")}`;
    rows[id] = { ...template, id, name: `Warm ${i}`, email: `warm${i}@example.com`, username: `warm_${i}`, phoneNumber: `+5255${String(10_000_000 + i)}`, createdAt: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString() };
  }
  await writeFile(data, JSON.stringify(doc));
  return data;
}

describe("indexes built between requests after a start-up", () => {
  it("a start-up refused for a broken row leaves no warm-up of the providers opened before it", async () => {
    const dir = await mkdtemp(join(tmpdir(), "warm-up-"));
    dirs.push(dir);
    const data = join(dir, "state.json");
    await (await start({ data })).sim.close();
    const doc = JSON.parse(await readFile(data, "utf8"));
    // Rapidly (opened first) has a tenant large enough to warm up; a Quentli row is broken.
    const rows = doc.providers.rapidly.customers as Record<string, Record<string, unknown>>;
    const template = Object.values(rows)[0]!;
    for (let i = 0; i < N; i++) {
      const id = `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
      rows[id] = { ...template, id, email: `warm${i}@example.com` };
    }
    const quentli = doc.providers.quentli.customers as Record<string, Record<string, unknown>>;
    const broken = Object.keys(quentli)[0]!;
    quentli[broken] = { ...quentli[broken], id: "cus_other" };
    await writeFile(data, JSON.stringify(doc));
    const warmUps = vi.spyOn(Table.prototype, "warmUp");
    await expect(start({ data })).rejects.toThrow(`providers.quentli.customers[${JSON.stringify(broken)}] cannot be used`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(warmUps).not.toHaveBeenCalled();
  });

  it("a tenant of 3,000 customers from --data answers the same during its warm-up and after", { timeout: 60_000 }, async () => {
    const data = await largeFile();
    const warmUps = vi.spyOn(Table.prototype, "warmUp");
    const ctx: Ctx = await start({ data });
    try {
      // While it runs (timers turn between requests): a clash on each unique key, a create, a list.
      const conflict = async (input: Record<string, unknown>) => {
        await turn();
        const res = await ctx.send("POST", BASE, { input: { name: "Clash", ...input } });
        expect(res.status, await res.clone().text()).toBe(409);
      };
      await conflict({ email: "WARM2999@example.com" });
      expect(warmUps).toHaveBeenCalled();
      await conflict({ username: "warm_17" });
      await conflict({ phoneNumber: "+525510001234" });
      await turn();
      const made = await ctx.send("POST", BASE, { input: { name: "Made During", email: "during@example.com" } });
      expect(made.status).toBe(201);
      await turn();
      const newest = (await ctx.getJson(`${BASE}?take=3`)).body.map((c: any) => c.email);
      expect(newest[0]).toBe("during@example.com");

      await ctx.sim.runtime.warmed();
      await conflict({ email: "during@EXAMPLE.com" });
      await conflict({ email: "warm0@example.com" });
      await conflict({ username: "WARM_2500" });
      const after = await ctx.send("POST", BASE, { input: { name: "Made After", email: "after@example.com", username: "warm_3000" } });
      expect(after.status).toBe(201);
      // every customer, in order (createdAt desc, the default), each once
      const all = await allCustomers(ctx);
      expect(ctx.tenants[0]!.customerIds.length).toBeGreaterThan(N);
      expect(all.length).toBe(ctx.tenants[0]!.customerIds.length + 2);
      expect(new Set(all.map((c) => c.id)).size).toBe(all.length);
      const times = all.map((c) => c.createdAt);
      expect([...times].sort().reverse()).toEqual(times);
      expect(all.slice(0, 2).map((c) => c.email)).toEqual(["after@example.com", "during@example.com"]);
      expect((await ctx.getJson(`${BASE}?filter[email][equals]=warm1234@example.com`)).body.map((c: any) => c.username)).toEqual(["warm_1234"]);
    } finally {
      await ctx.sim.close();
    }
  });
});
