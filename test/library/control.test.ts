// The control plane without HTTP (spec: simulator.md#starting-it): the same operations as
// /__admin, typed, from createSimulator().
import { afterEach, describe, expect, it } from "vitest";
import { ControlPlaneError, createSimulator, type FaultRule, type FixtureTenant, type Simulator } from "../../src/index.js";

let sim: Simulator;
afterEach(async () => sim?.close());

const full = (t: FixtureTenant) => t.credentials.find((c) => c.kind === "full")!.headers;
const list = (t: FixtureTenant) => sim.app.request("/rapidly/api/customers/", { headers: full(t) });

describe("library control plane", () => {
  it("fixtures() is what GET /__admin/fixtures answers", async () => {
    sim = await createSimulator({ seed: 9 });
    const http = await (await sim.app.request("/__admin/fixtures")).json();
    expect(sim.fixtures()).toEqual(http);
    expect(sim.fixtures().seed).toBe(9);
  });

  it("fixtures({ customerIds: false }): every provider's tenants and credentials as always, without the customer ids (the start banner's cheap form)", async () => {
    sim = await createSimulator({ seed: 9 });
    const whole = sim.fixtures();
    const light = sim.fixtures({ customerIds: false });
    expect(Object.keys(light.providers)).toEqual(Object.keys(whole.providers));
    expect(Object.keys(whole.providers)).toHaveLength(4);
    for (const [name, p] of Object.entries(whole.providers)) {
      expect(p.tenants.some((t) => t.customerIds.length > 0), name).toBe(true);
      expect(light.providers[name]).toEqual({ ...p, tenants: p.tenants.map((t) => ({ ...t, customerIds: [] })) });
    }
  });

  it("createTenant / deleteTenant: a made tenant works, is deleted with its data; fixture and unknown tenants are told apart", async () => {
    sim = await createSimulator();
    const t = await sim.createTenant("rapidly");
    expect(t.credentials.map((c) => c.kind)).toContain("full");
    expect((await list(t)).status).toBe(200);
    const created = await sim.app.request("/rapidly/api/customers/", {
      method: "POST",
      headers: { ...full(t), "Content-Type": "application/json" },
      body: JSON.stringify({ email: "lib@example.com", name: "Lib" }),
    });
    expect(created.status).toBe(201);
    expect(sim.fixtures().providers.rapidly!.tenants.find((x) => x.id === t.id)!.customerIds).toHaveLength(1);

    expect(await sim.deleteTenant("rapidly", t.id)).toBe("deleted");
    const refused = await list(t);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual({ error: "invalid_token", error_description: expect.any(String) });
    expect(sim.fixtures().providers.rapidly!.tenants.some((x) => x.id === t.id)).toBe(false);
    expect(await sim.deleteTenant("rapidly", t.id)).toBe("unknown");
    const fixture = sim.fixtures().providers.rapidly!.tenants[0]!;
    expect(await sim.deleteTenant("rapidly", fixture.id)).toBe("fixture");
    expect((await list(fixture)).status).toBe(200);
    await expect(sim.createTenant("nope")).rejects.toMatchObject({ name: "ControlPlaneError", status: 404 });
    await expect(sim.deleteTenant("nope", "x")).rejects.toBeInstanceOf(ControlPlaneError);
  });

  it("requests(filter) and requestCount(filter) read the journal, tenant included", async () => {
    sim = await createSimulator();
    const a = await sim.createTenant("rapidly");
    const b = await sim.createTenant("rapidly");
    await list(a);
    await list(b);
    await list(b);
    await sim.app.request("/rapidly/api/customers/");
    expect(sim.requests().map((e) => e.tenant)).toEqual([a.id, b.id, b.id, null]);
    expect(sim.requests({ tenant: b.id }).every((e) => e.tenant === b.id && e.status === 200)).toBe(true);
    expect(sim.requestCount({ tenant: b.id })).toBe(2);
    expect(sim.requestCount({ tenant: a.id, method: "post" })).toBe(0);
    expect(sim.requestCount({ provider: "rapidly", status: 401 })).toBe(1);
    expect(sim.requestCount({ path: "/rapidly/**" })).toBe(4);
    expect(() => sim.requests({ status: 1000 })).toThrow(ControlPlaneError);
    expect(() => sim.requests({ tenant: "" })).toThrow(/tenant/);
    sim.clearRequests();
    expect(sim.requestCount()).toBe(0);
  });

  it("faults.add / list / remove / clear, tenant-scoped, the same store as /__admin/faults", async () => {
    sim = await createSimulator();
    const a = await sim.createTenant("rapidly");
    const b = await sim.createTenant("rapidly");
    const rule: FaultRule = { provider: "rapidly", tenant: a.id, method: "get", status: 503, times: 2 };
    const added = sim.faults.add(rule);
    expect(added).toMatchObject({ id: expect.any(String), method: "GET", tenant: a.id, hits: 0 });
    expect(((await (await sim.app.request("/__admin/faults")).json()) as { faults: unknown[] }).faults).toEqual(sim.faults.list());

    const concurrent = await Promise.all([list(a), list(b), list(a), list(b), list(a)]);
    expect(concurrent.map((r) => r.status)).toEqual([503, 200, 503, 200, 200]);
    // The rule expired after its two times: removing it again is a no-op, not an error.
    expect(sim.faults.list()).toEqual([]);
    expect(sim.faults.remove(added.id)).toBe(false);

    const one = sim.faults.add({ tenant: b.id, status: 500 });
    sim.faults.add({ tenant: b.id, delayMs: 1 });
    expect(sim.faults.list()).toHaveLength(2);
    expect(sim.faults.remove(one.id)).toBe(true);
    expect(sim.faults.list()).toHaveLength(1);
    sim.faults.clear();
    expect(sim.faults.list()).toEqual([]);

    expect(() => sim.faults.add({ probability: 2 })).toThrow(/probability/);
    expect(() => sim.faults.add({ provider: "nope", status: 500 })).toThrow(/Unknown provider "nope"/);
    expect(() => sim.faults.add({ tenantId: "x" } as unknown as FaultRule)).toThrow(ControlPlaneError);
    try {
      sim.faults.add({ status: 99 });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ControlPlaneError);
      expect((err as ControlPlaneError).status).toBe(400);
    }
  });

  it("a seeded probability fires on the same requests of its matching sequence, rule after rule", async () => {
    sim = await createSimulator({ seed: 42 });
    const t = await sim.createTenant("rapidly");
    const run = async () => {
      const { id } = sim.faults.add({ tenant: t.id, status: 500, probability: 0.3 });
      let out = "";
      for (let i = 0; i < 40; i++) out += (await list(t)).status === 500 ? "x" : ".";
      sim.faults.remove(id);
      return out;
    };
    const first = await run();
    expect(await run()).toBe(first);
    expect(first).toMatch(/x/);
    expect(first).toMatch(/\./);

    // A fresh simulator with the same seed, the same tenant id, the same rule: the same pattern.
    const again = await createSimulator({ seed: 42 });
    try {
      const t2 = await again.createTenant("rapidly");
      expect(t2.id).toBe(t.id);
      again.faults.add({ tenant: t2.id, status: 500, probability: 0.3 });
      let out = "";
      for (let i = 0; i < 40; i++) out += (await again.app.request("/rapidly/api/customers/", { headers: full(t2) })).status === 500 ? "x" : ".";
      expect(out).toBe(first);
    } finally {
      await again.close();
    }
  });

  it("createSimulator({ faults }) starts with rules in force, and refuses a bad one", async () => {
    sim = await createSimulator({ faults: [{ provider: "rapidly", path: "/rapidly/api/customers/", status: 418 }] });
    expect(sim.faults.list()).toMatchObject([{ status: 418 }]);
    const fixture = sim.fixtures().providers.rapidly!.tenants[0]!;
    expect((await list(fixture)).status).toBe(418);
    await expect(createSimulator({ faults: [{ status: 500 }, { delayMs: -1 }] })).rejects.toThrow(/rule 1: .*delayMs/);
  });

  it("journalSize bounds what requests() returns", async () => {
    sim = await createSimulator({ journalSize: 3 });
    const fixture = sim.fixtures().providers.rapidly!.tenants[0]!;
    for (let i = 0; i < 7; i++) await list(fixture);
    expect(sim.requests().map((e) => e.id)).toEqual([5, 6, 7]);
    expect(sim.requestCount({ tenant: fixture.id })).toBe(3);
    for (const journalSize of [-1, 1.5, 1_000_001, Number.NaN]) {
      await expect(createSimulator({ journalSize })).rejects.toThrow(/journalSize must be an integer from 0 to 1000000/);
    }
  });
});
