import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createSimulator } from "../../src/index.js";
import { BASE, start } from "./_helpers.js";

async function bodies(seed: number): Promise<string[]> {
  const ctx = await start({ seed });
  const out: string[] = [];
  for (const t of ctx.tenants) {
    const headers = t.credentials.find((c) => c.kind === "full")!.headers;
    for (const id of t.customerIds) out.push(await (await ctx.req(`${BASE}/${id}`, { headers })).text());
  }
  return out;
}

describe("rapidly fixtures", () => {
  it("two workspaces with 25 customers each, full and read-only tokens, refs {}", async () => {
    const ctx = await start();
    expect(ctx.tenants).toHaveLength(2);
    for (const t of ctx.tenants) {
      expect(t.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(t.slug).toMatch(/^[a-z0-9-]+$/);
      expect(t.name.length).toBeGreaterThan(0);
      expect(t.customerIds).toHaveLength(25);
      expect(t.refs).toEqual({});
      expect(t.credentials.map((c) => [c.kind, c.scopes])).toEqual([
        ["full", ["customers:read", "customers:write", "webhooks:read", "webhooks:write"]],
        ["read-only", ["customers:read"]],
      ]);
    }
  });

  it("has teams with members of every role, external ids, addresses, metadata, legacy null types", async () => {
    const ctx = await start();
    const items = (await ctx.getJson(`${BASE}/?limit=100`)).body.items as any[];
    const teams = items.filter((c) => c.type === "team");
    expect(teams.length).toBeGreaterThanOrEqual(3);
    for (const team of teams) {
      const roles = team.members.map((m: any) => m.role);
      expect(roles.filter((r: string) => r === "owner")).toHaveLength(1);
      expect(roles.filter((r: string) => r === "billing_manager").length).toBeGreaterThanOrEqual(2);
      expect(roles.filter((r: string) => r === "member").length).toBeGreaterThanOrEqual(2);
      expect(team.members[0].role).toBe("owner");
      expect(team.members[0].email).toBe(team.email);
    }
    expect(items.filter((c) => c.type === null)).toHaveLength(2);
    expect(items.some((c) => c.external_id !== null)).toBe(true);
    expect(items.some((c) => c.billing_address?.country === "US" && /^US-[A-Z]{2}$/.test(c.billing_address.state))).toBe(true);
    expect(items.some((c) => Object.keys(c.metadata).length > 0)).toBe(true);
    expect(new Set(items.map((c) => c.email.toLowerCase())).size).toBe(25);
    for (const c of items) expect(c.avatar_url).toMatch(/^https:\/\/www\.gravatar\.com\/avatar\/[0-9a-f]{64}\?d=404$/);
  });

  it("the same seed gives byte-identical customer bodies; another seed differs", async () => {
    const a = await bodies(7);
    const b = await bodies(7);
    expect(a).toEqual(b);
    const c = await bodies(8);
    expect(c).not.toEqual(a);
  });

  it("fixture timestamps do not depend on the current time", async () => {
    const a = await start({ seed: 3 });
    const { fixedClock } = await import("../../src/core/clock.js");
    const b = await start({ seed: 3, clock: fixedClock("2031-01-01T00:00:00Z") });
    const id = a.tenants[0]!.customerIds[0]!;
    expect((await a.getJson(`${BASE}/${id}`)).body).toEqual((await b.getJson(`${BASE}/${id}`, b.full)).body);
  });

  it("customerIds lists the live customers at the time of the call", async () => {
    const ctx = await start();
    const created = await (await ctx.send("POST", `${BASE}/`, { email: "listed@example.com" })).json() as any;
    const gone = ctx.tenants[0]!.customerIds[0]!;
    await ctx.req(`${BASE}/${gone}`, { method: "DELETE", headers: ctx.full });
    const f = await (await ctx.req("/__admin/fixtures")).json() as any;
    const ids = f.providers.rapidly.tenants[0].customerIds as string[];
    expect(ids).toContain(created.id);
    expect(ids).not.toContain(gone);
    expect(ids).toHaveLength(25);
  });

  it("POST /__admin/rapidly/tenants makes an isolated, empty workspace with working tokens", async () => {
    const ctx = await start();
    const res = await ctx.req("/__admin/rapidly/tenants", { method: "POST" });
    expect(res.status).toBe(201);
    const tenant = await res.json() as any;
    expect(tenant.customerIds).toEqual([]);
    const full = tenant.credentials.find((c: any) => c.kind === "full");
    expect(full.scopes).toEqual(["customers:read", "customers:write", "webhooks:read", "webhooks:write"]);
    expect(full.headers.Authorization).toMatch(/^Bearer rapidly_oat_[0-9A-Za-z]{43}$/);
    expect((await ctx.getJson(`${BASE}/`, full.headers)).body).toEqual({ items: [], pagination: { total_count: 0, max_page: 0 } });
    const someone = (await ctx.getJson(`${BASE}/?limit=1`)).body.items[0];
    const created = await ctx.send("POST", `${BASE}/`, { email: someone.email }, full.headers);
    expect(created.status).toBe(201);
    expect((await ctx.getJson(`${BASE}/${someone.id}`, full.headers)).status).toBe(404);
    const f = await (await ctx.req("/__admin/fixtures")).json() as any;
    expect(f.providers.rapidly.tenants).toHaveLength(3);
  });

  it("raw customers include deleted ones with their members", async () => {
    const ctx = await start();
    const id = ctx.tenants[0]!.customerIds[0]!;
    await ctx.req(`${BASE}/${id}`, { method: "DELETE", headers: ctx.full });
    const raw = (await (await ctx.req("/__admin/rapidly/customers")).json() as any).customers as any[];
    expect(raw).toHaveLength(50);
    const deleted = raw.find((c) => c.id === id);
    expect(deleted.deleted_at).not.toBeNull();
    expect(deleted.members.length).toBeGreaterThan(0);
  });

  it("state survives a restart with --data, odd metadata keys included", async () => {
    const dir = await mkdtemp(join(tmpdir(), "rapidly-"));
    try {
      const file = join(dir, "state.json");
      const sim1 = await createSimulator({ data: file, seed: 5 });
      const f = await (await sim1.app.request("/__admin/fixtures")).json() as any;
      const headers = { ...f.providers.rapidly.tenants[0].credentials[0].headers, "Content-Type": "application/json" };
      const created = await (await sim1.app.request(`${BASE}/`, { method: "POST", headers, body: '{"email": "persist@example.com", "metadata": {"__proto__": "kept", "n": 1}}' })).json() as any;
      await sim1.close();
      expect(JSON.parse(await readFile(file, "utf8")).providers.rapidly.customers[created.id].email).toBe("persist@example.com");
      const sim2 = await createSimulator({ data: file });
      const again = await (await sim2.app.request(`${BASE}/${created.id}`, { headers })).text();
      expect(again).toContain('"metadata":{"__proto__":"kept","n":1}');
      // the email is still taken after the reload (indexes rebuilt)
      const dup = await sim2.app.request(`${BASE}/`, { method: "POST", headers, body: '{"email": "PERSIST@example.com"}' });
      expect(dup.status).toBe(422);
      await sim2.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("rapidly openapi", () => {
  it("GET /rapidly/openapi.json is an OpenAPI 3.1 document from the zod schemas", async () => {
    const ctx = await start();
    const res = await ctx.req("/rapidly/openapi.json");
    expect(res.status).toBe(200);
    const doc = await res.json() as any;
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual([
      "/api/customers/", "/api/customers/{id}", "/api/customers/external/{external_id}",
      "/api/webhooks/endpoints", "/api/webhooks/endpoints/{id}", "/api/webhooks/endpoints/{id}/secret",
      "/api/webhooks/deliveries", "/api/webhooks/events/{id}/redeliver",
    ]);
    const update = doc.components.schemas.CustomerUpdate;
    expect(Object.keys(update.properties)).toEqual(["metadata", "email", "name", "billing_address", "external_id", "type"]);
    expect(Object.keys(doc.components.schemas.CustomerUpdateExternalID.properties)).toEqual(["metadata", "email", "name", "billing_address"]);
    expect(doc.components.schemas.CustomerCreate.required).toEqual(["email"]);
    expect(doc.components.schemas.Customer.properties.type).toEqual({ anyOf: [{ type: "string", enum: ["individual", "team"] }, { type: "null" }] });
  });
});
