import { execFile } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { json } from "../helpers.js";
import { BASE, start, type Ctx } from "./_helpers.js";

async function setup(ctx: Ctx, state: string, params?: unknown): Promise<Response> {
  return ctx.req("/__admin/provider-states?provider=quentli-api", json({ state, params, action: "setup" }));
}

describe("Pact provider states (simulator.md#pact)", () => {
  it("'a customer exists' makes it in the first organization, through the create rules", async () => {
    const ctx = await start();
    const res = await setup(ctx, "a customer exists", { name: "Juan", email: "Juan@Example.com", username: "juan", metadata: [{ key: "k", value: "v" }], password: "pw" });
    expect(res.status).toBe(200);
    const v = (await res.json()) as any;
    expect(v).toEqual({
      id: expect.stringMatching(/^cus_[a-z0-9]{20}$/),
      name: "Juan",
      email: "Juan@Example.com",
      username: "juan",
      metadata: [{ key: "k", value: "v" }],
      password: "pw",
      token: ctx.full.Authorization!.slice(7),
      tenant: ctx.tenants[0]!.id,
    });
    const got = (await ctx.getJson(`${BASE}/${v.id}`, { Authorization: `Bearer ${v.token}` })).body;
    expect(got).toMatchObject({ id: v.id, name: "Juan", hasChangedPassword: true, meta: { k: "v" } });
    // the same state again (it resets first) gives the same id
    expect(((await (await setup(ctx, "a customer exists", { name: "Juan" })).json()) as any).id).toBe(v.id);
  });

  it("a missing name is generated; params the API refuses are a 400 with its messages; the state is left seeded", async () => {
    const ctx = await start();
    const v = (await (await setup(ctx, "a customer exists")).json()) as any;
    expect((await ctx.getJson(`${BASE}/${v.id}`)).body.name).toMatch(/^Customer [0-9a-f]{8}$/);
    const bad = await setup(ctx, "a customer exists", { email: "nope", phoneNumber: "1" });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).message).toContain("params.email: Invalid email");
    const unknown = await setup(ctx, "a customer exists", { nickname: "x" });
    expect(unknown.status).toBe(400);
    expect(((await ctx.getJson(`${BASE}?take=100`)).body as any[]).length).toBe(25);
  });

  it("'no customer exists' gives a well-formed id nobody has", async () => {
    const ctx = await start();
    const v = (await (await setup(ctx, "no customer exists")).json()) as any;
    expect(v.id).toMatch(/^cus_[a-z0-9]{20}$/);
    expect((await ctx.getJson(`${BASE}/${v.id}`)).body).toBeNull();
    expect((await ctx.send("PATCH", `${BASE}/${v.id}`, { input: { data: { name: "x" } } })).status).toBe(404);
  });

  it("'two customers exist' gives id and otherId; a clash between them is refused", async () => {
    const ctx = await start();
    const v = (await (await setup(ctx, "two customers exist", { first: { name: "A", email: "a@example.com" }, second: { name: "B", phoneNumber: "+525500000001" } })).json()) as any;
    expect(v).toMatchObject({ name: "A", email: "a@example.com", otherName: "B", otherPhoneNumber: "+525500000001" });
    const clash = await ctx.send("PATCH", `${BASE}/${v.otherId}`, { input: { data: { email: "A@example.com" } } });
    expect(clash.status).toBe(409);
    expect((((await clash.json()) as any).error.conflictingCustomer)).toEqual({ id: v.id, name: "A" });
    const refused = await setup(ctx, "two customers exist", { first: { name: "A", email: "same@example.com" }, second: { name: "B", email: "SAME@example.com" } });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as any).message).toBe("params.second.email: A customer with this email already exists.");
  });
});

describe("Quentli's pact verifies against the simulator", () => {
  it("contracts export → contracts verify passes (dist/cli.js, any seed)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "quentli-pact-"));
    const cli = (args: string[]) =>
      new Promise<{ code: number; out: string }>((resolve) => {
        execFile(process.execPath, ["dist/cli.js", ...args], { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
          resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, out: (stdout + stderr).replace(/\u001b\[[0-9;]*m/g, "") });
        });
      });
    try {
      const exported = await cli(["contracts", "export", "--out", dir, "--provider", "quentli"]);
      expect(exported.code, exported.out).toBe(0);
      expect(await readdir(dir)).toEqual(["customer-sim-consumer-quentli-api.json"]);
      const verified = await cli(["contracts", "verify", dir, "--seed", "7"]);
      expect(verified.code, verified.out).toBe(0);
      expect(verified.out).toContain("PASS quentli-api");
      expect(verified.out).not.toContain("FAILED");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
