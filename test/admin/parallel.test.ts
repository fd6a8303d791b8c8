// spec: simulator.md#parallel-suites — the control plane follows the tenant: journal entries,
// fault rules and tenant clean-up, through the HTTP app.
import { afterEach, describe, expect, it } from "vitest";
import type { Simulator } from "../../src/index.js";
import { credential, fixtures, json, newSim } from "../helpers.js";

let sim: Simulator;
afterEach(async () => sim?.close());

interface Tenant { id: string; slug?: string; credentials: { kind: string; headers: Record<string, string> }[] }
interface Entry { id: number; provider: string | null; tenant: string | null; path: string; status: number }

const admin = async (path: string, init?: RequestInit) => sim.app.request(`/__admin${path}`, init);
const requests = async (query = ""): Promise<Entry[]> => ((await (await admin(`/requests${query}`)).json()) as { requests: Entry[] }).requests;
const count = async (query = ""): Promise<number> => ((await (await admin(`/requests/count${query}`)).json()) as { count: number }).count;
const newTenant = async (provider = "rapidly"): Promise<Tenant> => {
  const res = await admin(`/${provider}/tenants`, { method: "POST" });
  expect(res.status).toBe(201);
  return (await res.json()) as Tenant;
};
const full = (t: Tenant) => t.credentials.find((c) => c.kind === "full")!.headers;
const addFault = async (rule: Record<string, unknown>): Promise<{ id: string }> => {
  const res = await admin("/faults", json(rule));
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string };
};
const list = async (t: Tenant, provider = "rapidly"): Promise<Response> =>
  sim.app.request(`/${provider}${sim.runtime.simulator(provider)!.listPath(t as never)}`, { headers: full(t) });

describe("journal per tenant", () => {
  it("gives every entry the tenant of its credential (null without a known one) and filters by ?tenant=", async () => {
    sim = await newSim();
    const f = await fixtures(sim);
    const first = f.providers.rapidly!.tenants[0]!;
    const second = f.providers.rapidly!.tenants[1]!;
    await sim.app.request("/rapidly/api/customers/", { headers: await credential(sim, "rapidly", "full", 0) });
    await sim.app.request("/rapidly/api/customers/", { headers: await credential(sim, "rapidly", "read-only", 1) });
    await sim.app.request("/rapidly/api/customers/", { headers: { Authorization: "Bearer rapidly_oat_not_a_token" } });
    await sim.app.request("/rapidly/api/customers/");
    await sim.app.request("/nowhere");

    const all = await requests();
    expect(all.map((e) => [e.tenant, e.status])).toEqual([[first.id, 200], [second.id, 200], [null, 401], [null, 401], [null, 404]]);
    expect((await requests(`?tenant=${first.id}`)).map((e) => e.id)).toEqual([all[0]!.id]);
    expect(await count(`?tenant=${second.id}`)).toBe(1);
    expect(await count(`?tenant=${second.id}&status=401`)).toBe(0);
    expect(await count("?tenant=no-such-tenant")).toBe(0);
  });

  it("keeps what an entry says after its tenant is deleted and after a reset", async () => {
    sim = await newSim();
    const t = await newTenant();
    expect((await list(t)).status).toBe(200);
    expect((await admin(`/rapidly/tenants/${t.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await list(t)).status).toBe(401);
    await admin("/reset", json({}));
    const entries = await requests();
    expect(entries.map((e) => [e.tenant, e.status])).toEqual([[t.id, 200], [null, 401]]);
    expect(await count(`?tenant=${t.id}`)).toBe(1);
  });

  it("knows the tenant when one provider is served at the root (--provider)", async () => {
    sim = await newSim({ provider: "rapidly" });
    const t = await newTenant();
    await sim.app.request("/api/customers/", { headers: full(t) });
    await addFault({ tenant: t.id, status: 503, times: 1 });
    expect((await sim.app.request("/api/customers/", { headers: full(t) })).status).toBe(503);
    expect((await sim.app.request("/api/customers/", { headers: await credential(sim, "rapidly") })).status).toBe(200);
    const entries = await requests(`?tenant=${t.id}`);
    expect(entries.map((e) => [e.provider, e.path, e.status])).toEqual([["rapidly", "/api/customers/", 200], ["rapidly", "/api/customers/", 503]]);
  });

  it("refuses unknown or malformed filters with a 400 naming the filters", async () => {
    sim = await newSim();
    for (const q of ["?tenantt=x", "?tenant=", "?status=abc"]) {
      for (const path of ["/requests", "/requests/count"]) {
        const res = await admin(`${path}${q}`);
        expect(res.status, `${path}${q}`).toBe(400);
        const body = (await res.json()) as { error: string; message: string };
        expect(body.error).toBe("bad_request");
        expect(body.message).toContain("tenant");
      }
    }
  });
});

describe("fault rules per tenant", () => {
  it("refuses a rule for a tenant that does not exist (it would never fire), of the rule's provider or of any", async () => {
    sim = await newSim();
    const t = await newTenant("flextell");
    const refused = async (rule: Record<string, unknown>, message: RegExp) => {
      const res = await admin("/faults", json(rule));
      expect(res.status).toBe(400);
      expect(JSON.stringify(await res.json())).toMatch(message);
    };
    await refused({ tenant: "no-such-tenant", status: 503 }, /Unknown tenant \\"no-such-tenant\\"/);
    // another provider's tenant, and the tenant's id written otherwise than the fixtures write it
    await refused({ provider: "rapidly", tenant: t.id, status: 503 }, /Unknown tenant .* of rapidly/);
    await refused({ provider: "flextell", tenant: `0${t.id}`, status: 503 }, /Unknown tenant/);
    expect(((await (await admin("/faults")).json()) as { faults: unknown[] }).faults).toEqual([]);
    await addFault({ provider: "flextell", tenant: t.id, status: 503 });
    await addFault({ tenant: t.id, status: 503 });
    // a deleted tenant's rules go with it, and new ones are refused
    expect((await admin(`/flextell/tenants/${t.id}`, { method: "DELETE" })).status).toBe(204);
    expect(((await (await admin("/faults")).json()) as { faults: unknown[] }).faults).toEqual([]);
    await refused({ tenant: t.id, status: 503 }, /Unknown tenant/);
  });

  it("fire only for that tenant's requests, with two tenants hammered concurrently", async () => {
    sim = await newSim();
    const a = await newTenant();
    const b = await newTenant();
    const c = await newTenant();
    await addFault({ tenant: a.id, status: 503 });
    await addFault({ tenant: b.id, path: "/rapidly/api/customers/", status: 429, headers: { "Retry-After": "7" } });

    const rounds = 40;
    const calls: Promise<[string, number, string, string | null]>[] = [];
    for (let i = 0; i < rounds; i++) {
      for (const [name, t] of [["a", a], ["b", b], ["c", c]] as const) {
        calls.push(list(t).then(async (r) => [name, r.status, await r.text(), r.headers.get("retry-after")]));
      }
    }
    const results = await Promise.all(calls);
    const by = (name: string) => results.filter((r) => r[0] === name);
    // a: Rapidly's own 503 body; b: Rapidly's own (empty) 429 with the rule's Retry-After; c: untouched.
    expect(new Set(by("a").map((r) => `${r[1]} ${r[2]}`))).toEqual(new Set([`503 ${JSON.stringify({ error: "ServiceUnavailable", detail: "Service Unavailable" })}`]));
    expect(new Set(by("b").map((r) => `${r[1]} ${r[2]} ${r[3]}`))).toEqual(new Set(["429  7"]));
    expect(new Set(by("c").map((r) => r[1]))).toEqual(new Set([200]));
    expect(by("c").every((r) => (JSON.parse(r[2]) as { items: unknown[] }).items.length === 0)).toBe(true);
    // The journal agrees, tenant by tenant.
    expect(await count(`?tenant=${a.id}&status=503`)).toBe(rounds);
    expect(await count(`?tenant=${b.id}&status=429`)).toBe(rounds);
    expect(await count(`?tenant=${c.id}&status=200`)).toBe(rounds);
    expect(await count(`?tenant=${c.id}`)).toBe(rounds);
    const rules = ((await (await admin("/faults")).json()) as { faults: { tenant: string; hits: number }[] }).faults;
    expect(rules.map((r) => [r.tenant, r.hits])).toEqual([[a.id, rounds], [b.id, rounds]]);
  });

  it("a status-only tenant fault answers with the provider's own body; requests without a credential are not that tenant's", async () => {
    sim = await newSim();
    const t = await newTenant();
    await addFault({ tenant: t.id, status: 404, times: 5 });
    const hit = await list(t);
    expect(hit.status).toBe(404);
    expect(await hit.json()).toEqual({ error: "ResourceNotFound", detail: "Not found" });
    const anonymous = await sim.app.request("/rapidly/api/customers/");
    expect(anonymous.status).toBe(401);
    const fixture = await sim.app.request("/rapidly/api/customers/", { headers: await credential(sim, "rapidly") });
    expect(fixture.status).toBe(200);
  });
});

describe("seeded fault probability", () => {
  const pattern = async (rule: Record<string, unknown>, t: Tenant, other: Tenant, n: number, noise: boolean): Promise<string> => {
    const { id } = await addFault(rule);
    let out = "";
    for (let i = 0; i < n; i++) {
      // Requests the rule does not match (another tenant) do not move its draws.
      if (noise && i % 3 === 0) expect((await list(other)).status).toBe(200);
      out += (await list(t)).status === 503 ? "x" : ".";
    }
    expect((await admin(`/faults/${id}`, { method: "DELETE" })).status).toBe(204);
    return out;
  };

  it("fires on the same requests of its matching sequence when the same rule is added again under the same seed", async () => {
    sim = await newSim({ seed: 5 });
    const t = await newTenant();
    const other = await newTenant();
    const rule = { tenant: t.id, method: "get", path: "/rapidly/**", status: 503, probability: 0.5 };
    const first = await pattern(rule, t, other, 48, false);
    const again = await pattern({ ...rule, method: "GET" }, t, other, 48, true);
    expect(again).toBe(first);
    // It is a real draw: some fire, some do not.
    expect(first).toContain("x");
    expect(first).toContain(".");
    // Another rule (different fields) or another seed draws differently.
    const otherRule = await pattern({ ...rule, probability: 0.51 }, t, other, 48, false);
    expect(otherRule).not.toBe(first);
    await admin("/reset", json({ seed: 6 }));
    const t6 = await newTenant();
    const other6 = await newTenant();
    const reseeded = await pattern({ ...rule, tenant: t6.id }, t6, other6, 48, false);
    await admin("/reset", json({ seed: 5 }));
    const t5 = await newTenant();
    const other5 = await newTenant();
    // After a reset to seed 5 the made tenants get the same ids again: the same rule, the same pattern.
    expect(t5.id).toBe(t.id);
    expect(await pattern({ ...rule, tenant: t5.id }, t5, other5, 48, false)).toBe(first);
    expect(reseeded).not.toBe(first);
  });
});

describe("tenant clean-up", () => {
  it("DELETE removes a made tenant, its credentials, its data and its fault rules (204)", async () => {
    sim = await newSim();
    const t = await newTenant();
    const keep = await newTenant();
    const created = await sim.app.request("/rapidly/api/customers/", json({ email: "gone@example.com", name: "Gone" }, full(t)));
    expect(created.status).toBe(201);
    const { id: customerId } = (await created.json()) as { id: string };
    await addFault({ tenant: t.id, method: "DELETE", status: 500 });
    const kept = await addFault({ tenant: keep.id, method: "DELETE", status: 500 });

    const res = await admin(`/rapidly/tenants/${t.id}`, { method: "DELETE" });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe("");

    // The credential is now unknown to the provider: its own 401, as for a token never issued.
    const refused = await list(t);
    const never = await sim.app.request("/rapidly/api/customers/", { headers: { Authorization: `${full(t).Authorization!.slice(0, -4)}zzzz` } });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual(await never.json());
    expect(refused.headers.get("www-authenticate")).toBe(never.headers.get("www-authenticate"));
    // Its data is gone; the other tenant's fault rule stays.
    const raw = ((await (await admin("/rapidly/customers")).json()) as { customers: { id: string }[] }).customers;
    expect(raw.some((c) => c.id === customerId)).toBe(false);
    const f = await fixtures(sim);
    expect(f.providers.rapidly!.tenants.some((x) => x.id === t.id)).toBe(false);
    expect(f.providers.rapidly!.tenants.some((x) => x.id === keep.id)).toBe(true);
    const rules = ((await (await admin("/faults")).json()) as { faults: { id: string }[] }).faults;
    expect(rules.map((r) => r.id)).toEqual([kept.id]);
    // A second delete finds nothing.
    const again = await admin(`/rapidly/tenants/${t.id}`, { method: "DELETE" });
    expect(again.status).toBe(404);
  });

  it("refuses a fixture tenant (409) and answers 404 for an unknown tenant or provider, in the admin plane's error shape", async () => {
    sim = await newSim();
    const fixture = (await fixtures(sim)).providers.rapidly!.tenants[0]!;
    const conflict = await admin(`/rapidly/tenants/${fixture.id}`, { method: "DELETE" });
    expect(conflict.status).toBe(409);
    const body = (await conflict.json()) as { error: string; message: string };
    expect(body.error).toBe("conflict");
    expect(body.message).toContain(fixture.id);
    expect((await sim.app.request("/rapidly/api/customers/", { headers: await credential(sim, "rapidly") })).status).toBe(200);

    const unknown = await admin("/rapidly/tenants/00000000-0000-4000-8000-000000000000", { method: "DELETE" });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: string }).error).toBe("not_found");
    const noProvider = await admin("/nope/tenants/x", { method: "DELETE" });
    expect(noProvider.status).toBe(404);
    expect(((await noProvider.json()) as { message: string }).message).toContain("nope");
  });

  it("needs the admin token when one is set", async () => {
    sim = await newSim({ adminToken: "s3cret" });
    const auth = { Authorization: "Bearer s3cret" };
    const t = (await (await admin("/rapidly/tenants", { method: "POST", headers: auth })).json()) as Tenant;
    expect((await admin(`/rapidly/tenants/${t.id}`, { method: "DELETE" })).status).toBe(401);
    expect((await admin(`/rapidly/tenants/${t.id}`, { method: "DELETE", headers: auth })).status).toBe(204);
  });
});

describe("journal size", () => {
  it("keeps the last N requests, numbered on", async () => {
    sim = await newSim({ journalSize: 5 });
    const headers = await credential(sim, "rapidly");
    for (let i = 0; i < 12; i++) await sim.app.request(`/rapidly/api/customers/?page=${i + 1}`, { headers });
    const kept = await requests();
    expect(kept.map((e) => e.id)).toEqual([8, 9, 10, 11, 12]);
    expect(await count()).toBe(5);
    expect(sim.requests().map((e) => e.id)).toEqual([8, 9, 10, 11, 12]);
  });

  it("0 keeps none", async () => {
    sim = await newSim({ journalSize: 0 });
    await sim.app.request("/rapidly/api/customers/", { headers: await credential(sim, "rapidly") });
    expect(await requests()).toEqual([]);
    expect(await count()).toBe(0);
  });
});
