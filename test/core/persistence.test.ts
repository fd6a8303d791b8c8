import { mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createSimulator, type Simulator } from "../../src/index.js";
import { credential, fixtures, json } from "../helpers.js";

const open: Simulator[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});
async function start(data: string, seed?: number): Promise<Simulator> {
  const sim = await createSimulator({ data, ...(seed === undefined ? {} : { seed }) });
  open.push(sim);
  return sim;
}
const tempFile = () => join(mkdtempSync(join(tmpdir(), "customer-sim-")), "state.json");
/** The snapshot and the change log next to it (store.ts): together, what is on disk. */
const onDisk = (file: string) => readFileSync(file, "utf8") + (existsSync(`${file}.log`) ? readFileSync(`${file}.log`, "utf8") : "");
const stored = (file: string) => JSON.parse(readFileSync(file, "utf8")) as { seed: number; providers: { rapidly: unknown } };

describe("--data persistence", () => {
  it("writes the seeded state at start, then keeps every change across a restart", async () => {
    const file = tempFile();
    const first = await start(file, 5);
    expect(existsSync(file)).toBe(true);
    expect(stored(file).seed).toBe(5);
    const headers = await credential(first, "rapidly");
    const res = await first.app.request("/rapidly/api/customers/", json({ email: "kept@example.com", name: "Kept" }, headers));
    expect(res.status).toBe(201);
    const created = (await res.json()) as { id: string };
    const patched = await first.app.request(`/rapidly/api/customers/${created.id}`, json({ name: "Kept Again" }, headers, "PATCH"));
    expect(patched.status).toBe(200);
    await first.close();
    open.splice(0);

    // A different --seed does not overwrite an existing file: the file wins.
    const second = await start(file, 9);
    expect((await fixtures(second)).seed).toBe(5);
    const read = await second.app.request(`/rapidly/api/customers/${created.id}`, { headers });
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ email: "kept@example.com", name: "Kept Again" });
  });

  it("has every acknowledged write in a valid JSON file before the response", async () => {
    const file = tempFile();
    const sim = await start(file);
    const headers = await credential(sim, "rapidly");
    const writes = Array.from({ length: 30 }, (_, i) =>
      Promise.resolve(sim.app.request("/rapidly/api/customers/", json({ email: `burst${i}@example.com` }, headers))).then(async (res) => {
        expect(res.status).toBe(201);
        const { id } = (await res.json()) as { id: string };
        // The file is whole JSON at this moment and already holds this customer.
        expect(onDisk(file)).toContain(id);
        expect(() => JSON.parse(readFileSync(file, "utf8"))).not.toThrow();
        return id;
      }),
    );
    const ids = await Promise.all(writes);
    expect(new Set(ids).size).toBe(30);
  });

  it("ids made after a restart continue the sequence instead of repeating", async () => {
    const file = tempFile();
    const a = await start(file);
    const headers = await credential(a, "rapidly");
    const one = (await (await a.app.request("/rapidly/api/customers/", json({ email: "one@example.com" }, headers))).json()) as { id: string };
    await a.close();
    open.splice(0);
    const b = await start(file);
    const two = await b.app.request("/rapidly/api/customers/", json({ email: "two@example.com" }, headers));
    expect(two.status).toBe(201);
    expect(((await two.json()) as { id: string }).id).not.toBe(one.id);
  });

  it("reset is persisted too", async () => {
    const file = tempFile();
    const sim = await start(file);
    const headers = await credential(sim, "rapidly");
    await sim.app.request("/rapidly/api/customers/", json({ email: "gone@example.com" }, headers));
    expect(onDisk(file)).toContain("gone@example.com");
    await sim.app.request("/__admin/reset", json({ seed: 3 }));
    await sim.close();
    open.splice(0);
    // Folded into the snapshot at shutdown.
    expect(onDisk(file)).not.toContain("gone@example.com");
    expect(stored(file).seed).toBe(3);
  });

  it("refuses to start on a file that is not simulator state, leaving it untouched", async () => {
    const file = tempFile();
    writeFileSync(file, '{"hello":"world"}');
    await expect(createSimulator({ data: file })).rejects.toThrow(/not a customer-sim state file/);
    expect(readFileSync(file, "utf8")).toBe('{"hello":"world"}');
    writeFileSync(file, "{half a file");
    await expect(createSimulator({ data: file })).rejects.toThrow(/not a customer-sim state file \(not JSON/);
    expect(readFileSync(file, "utf8")).toBe("{half a file");
  });
});

describe("a data file edited by hand", () => {
  /** A seeded state file of every provider, with one customer row of `provider` changed by `edit`. */
  async function fileWith(provider: string, edit: (row: Record<string, unknown>) => unknown): Promise<{ file: string; text: string; id: string }> {
    const file = tempFile();
    await (await createSimulator({ data: file })).close();
    const doc = JSON.parse(readFileSync(file, "utf8")) as { providers: Record<string, { customers: Record<string, Record<string, unknown>> }> };
    const rows = doc.providers[provider]!.customers;
    const id = Object.keys(rows)[3]!;
    rows[id] = edit({ ...rows[id]! }) as Record<string, unknown>;
    const text = JSON.stringify(doc);
    writeFileSync(file, text);
    return { file, text, id };
  }
  const createdAt: Record<string, string> = { rapidly: "created_at", flextell: "created_at", quentli: "createdAt", plane: "created_at" };

  // Such a row once failed every later write to its tenant with a 500 (the keyed indexes are
  // built on first use); the start-up refuses it instead, naming it, and leaves the file as it was.
  for (const provider of ["rapidly", "flextell", "quentli", "plane"]) {
    it(`${provider}: a start-up refuses a customer row that is not one, naming it`, async () => {
      const cases: [(row: Record<string, unknown>) => unknown, RegExp][] = [
        [(row) => ({ ...row, [createdAt[provider]!]: { at: "noon" } }), new RegExp(`its ${createdAt[provider]} is neither`)],
        [(row) => ({ ...row, id: `${String(row.id)}0` }), /its id is/],
        // (a number among strings is neither less nor greater than them: the order would not hold)
        [(row) => ({ ...row, [createdAt[provider]!]: 5 }), new RegExp(`its ${createdAt[provider]} is a number where other rows have a string`)],
        [() => ["not", "a", "row"], /it is not an object/],
      ];
      for (const [edit, why] of cases) {
        const { file, text, id } = await fileWith(provider, edit);
        const refused = createSimulator({ data: file });
        await expect(refused).rejects.toThrow(`providers.${provider}.customers[${JSON.stringify(id)}] cannot be used`);
        await expect(refused).rejects.toThrow(why);
        expect(readFileSync(file, "utf8")).toBe(text);
      }
    });
  }

  it("a key field missing or of another type is named", async () => {
    const noEmail = await fileWith("rapidly", ({ email: _, ...row }) => row);
    await expect(createSimulator({ data: noEmail.file })).rejects.toThrow(/customers\[".*"\] cannot be used: its email key cannot be read/);
    const numberEmail = await fileWith("quentli", (row) => ({ ...row, email: 42 }));
    await expect(createSimulator({ data: numberEmail.file })).rejects.toThrow(/its email key cannot be read/);
    const noTenant = await fileWith("plane", ({ workspace_id: _, ...row }) => row);
    await expect(createSimulator({ data: noTenant.file })).rejects.toThrow(/its tenant|it has no tenant/);
  });
});
