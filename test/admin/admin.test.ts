import { afterEach, describe, expect, it } from "vitest";
import { providerNames } from "../../src/app.js";
import type { Simulator } from "../../src/index.js";
import { credential, fixtures, json, newSim } from "../helpers.js";

let sim: Simulator;
afterEach(async () => sim?.close());

describe("control plane", () => {
  it("reports health and the providers it serves", async () => {
    sim = await newSim();
    const res = await sim.app.request("/__admin/health");
    expect(res.status).toBe(200);
    // Every provider listed in src/app.ts, in that order (they land one by one).
    expect(await res.json()).toEqual({ status: "ok", providers: providerNames() });
    expect(providerNames()).toContain("rapidly");
  });

  it("lists seed, tenants and credentials in the documented shape", async () => {
    sim = await newSim({ seed: 7 });
    const f = await fixtures(sim);
    expect(f.seed).toBe(7);
    const rapidly = f.providers.rapidly!;
    expect(rapidly.basePath).toBe("/rapidly");
    expect(rapidly.tenants.length).toBeGreaterThanOrEqual(2);
    for (const t of rapidly.tenants) {
      expect(t.customerIds).toHaveLength(25);
      const full = t.credentials.find((c) => c.kind === "full")!;
      expect(full.headers.Authorization).toMatch(/^Bearer rapidly_oat_[0-9A-Za-z]{43}$/);
    }
    const readOnly = rapidly.tenants.flatMap((t) => t.credentials).find((c) => c.kind === "read-only");
    expect(readOnly?.scopes).toEqual(["customers:read"]);
  });

  it("answers a path under no provider with a 404 naming where the providers and the control plane are", async () => {
    sim = await newSim();
    const res = await sim.app.request("/nosuch/api/customers/");
    expect(res.status).toBe(404);
    const body = await res.json() as { error: string; message: string };
    expect(body.error).toBe("not_found");
    expect(body.message).toContain("/rapidly");
    expect(body.message).toContain("/__admin");
  });

  it("customerIds follow deletes, and raw customers keep the deleted ones", async () => {
    sim = await newSim();
    const headers = await credential(sim, "rapidly");
    const before = await fixtures(sim);
    const id = before.providers.rapidly!.tenants[0]!.customerIds[0]!;
    expect((await sim.app.request(`/rapidly/api/customers/${id}`, { method: "DELETE", headers })).status).toBe(204);
    const after = await fixtures(sim);
    expect(after.providers.rapidly!.tenants[0]!.customerIds).not.toContain(id);
    const raw = (await (await sim.app.request("/__admin/rapidly/customers")).json()) as { customers: { id: string; deleted_at: string | null }[] };
    const stored = raw.customers.find((c) => c.id === id);
    expect(stored?.deleted_at).not.toBeNull();
    expect(raw.customers.length).toBe(50);
  });

  it("reset brings back the seeded state, and a given seed becomes the current one", async () => {
    sim = await newSim();
    const headers = await credential(sim, "rapidly");
    const created = await sim.app.request("/rapidly/api/customers/", json({ email: "new.one@example.com" }, headers));
    expect(created.status).toBe(201);
    const seeded = await fixtures(sim);
    expect(seeded.providers.rapidly!.tenants[0]!.customerIds).toHaveLength(26);

    let res = await sim.app.request("/__admin/reset", { method: "POST" });
    expect(res.status).toBe(200);
    expect((await fixtures(sim)).providers.rapidly!.tenants[0]!.customerIds).toHaveLength(25);

    res = await sim.app.request("/__admin/reset", json({ seed: 42 }));
    expect(res.status).toBe(200);
    const f42 = await fixtures(sim);
    expect(f42.seed).toBe(42);
    await sim.app.request("/__admin/reset", json({ provider: "rapidly" }));
    expect(await fixtures(sim)).toEqual(f42);
  });

  it("reset refuses an unknown provider or a bad body without changing anything", async () => {
    sim = await newSim();
    const before = await fixtures(sim);
    expect((await sim.app.request("/__admin/reset", json({ provider: "nope" }))).status).toBe(404);
    expect((await sim.app.request("/__admin/reset", json({ seed: "x" }))).status).toBe(400);
    const res = await sim.app.request("/__admin/reset", { method: "POST", body: "{oops", headers: { "Content-Type": "application/json" } });
    expect(res.status).toBe(400);
    expect(await fixtures(sim)).toEqual(before);
  });

  it("creates an isolated tenant whose credential works and sees only its own customers", async () => {
    sim = await newSim();
    const res = await sim.app.request("/__admin/rapidly/tenants", { method: "POST" });
    expect(res.status).toBe(201);
    const tenant = (await res.json()) as { id: string; credentials: { kind: string; headers: Record<string, string> }[]; customerIds: string[] };
    const headers = tenant.credentials.find((c) => c.kind === "full")!.headers;
    const list = (await (await sim.app.request("/rapidly/api/customers/", { headers })).json()) as { items: { id: string }[] };
    const others = (await fixtures(sim)).providers.rapidly!.tenants.filter((t) => t.id !== tenant.id).flatMap((t) => t.customerIds);
    for (const item of list.items) expect(others).not.toContain(item.id);
    expect(list.items.map((i) => i.id).sort()).toEqual([...tenant.customerIds].sort());
    // the same address can exist once per tenant
    const first = await credential(sim, "rapidly");
    expect((await sim.app.request("/rapidly/api/customers/", json({ email: "same@example.com" }, first))).status).toBe(201);
    expect((await sim.app.request("/rapidly/api/customers/", json({ email: "same@example.com" }, headers))).status).toBe(201);
    expect((await fixtures(sim)).providers.rapidly!.tenants.some((t) => t.id === tenant.id)).toBe(true);
  });

  it("refuses a control-plane body over 1 MB with 413, changing nothing", async () => {
    sim = await newSim();
    const before = await fixtures(sim);
    const res = await sim.app.request("/__admin/faults", json({ status: 500, body: "x".repeat(1_100_000) }));
    expect(res.status).toBe(413);
    expect(await (await sim.app.request("/__admin/faults")).json()).toEqual({ faults: [] });
    expect(await fixtures(sim)).toEqual(before);
  });

  it("answers 404 for an unknown provider on provider routes", async () => {
    sim = await newSim();
    expect((await sim.app.request("/__admin/nope/customers")).status).toBe(404);
    expect((await sim.app.request("/__admin/nope/tenants", { method: "POST" })).status).toBe(404);
    expect((await sim.app.request("/__admin/nothing-here")).status).toBe(404);
  });
});

describe("admin token", () => {
  it("guards every control-plane route when set, and leaves provider routes alone", async () => {
    sim = await newSim({ adminToken: "s3cret" });
    for (const [method, path] of [["GET", "/__admin/health"], ["GET", "/__admin/fixtures"], ["POST", "/__admin/reset"], ["GET", "/__admin/requests"], ["POST", "/__admin/rapidly/tenants"], ["GET", "/__admin/rapidly/customers"], ["GET", "/__admin/faults"]] as const) {
      const res = await sim.app.request(path, { method });
      expect(res.status, `${method} ${path}`).toBe(401);
      const wrong = await sim.app.request(path, { method, headers: { Authorization: "Bearer nope" } });
      expect(wrong.status, `${method} ${path} with a wrong token`).toBe(401);
    }
    const ok = await sim.app.request("/__admin/fixtures", { headers: { Authorization: "Bearer s3cret" } });
    expect(ok.status).toBe(200);
    const f = (await ok.json()) as { providers: { rapidly: { tenants: { credentials: { headers: Record<string, string> }[] }[] } } };
    const headers = f.providers.rapidly.tenants[0]!.credentials[0]!.headers;
    expect((await sim.app.request("/rapidly/api/customers/", { headers })).status).toBe(200);
  });
});
