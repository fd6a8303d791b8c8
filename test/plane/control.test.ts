// The control plane over Plane: fixtures, tenants, tenantOf, provider states, rate limits, persistence.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createSimulator } from "../../src/index.js";
import { fixtures } from "../helpers.js";
import { start } from "./_helpers.js";

const post = (body: unknown) => ({ method: "POST", body: JSON.stringify(body), headers: { "Content-Type": "application/json" } });

describe("plane control plane", () => {
  it("fixtures: two workspaces of 25 customers, slug, full/read-only/member credentials, user ids; same seed, same bytes", async () => {
    const ctx = await start();
    expect(ctx.tenants).toHaveLength(2);
    for (const t of ctx.tenants) {
      expect(t.slug).toMatch(/^[a-z0-9-]+$/);
      expect(t.customerIds).toHaveLength(25);
      expect(t.credentials.map((c) => c.kind)).toEqual(["full", "read-only", "member"]);
      expect(t.credentials[1]).toMatchObject({ scopes: ["customers:read"], headers: { Authorization: expect.stringMatching(/^Bearer /) } });
      expect(t.refs.userIds).toHaveLength(2);
    }
    const again = await start();
    expect(JSON.stringify(again.tenants)).toBe(JSON.stringify(ctx.tenants));
    expect(await (await again.req("/__admin/plane/customers")).text()).toBe(await (await ctx.req("/__admin/plane/customers")).text());
    const other = await start({ seed: 2 });
    expect(other.tenants[0]!.credentials[0]).not.toEqual(ctx.tenants[0]!.credentials[0]);
  });

  it("the default seed gives the credentials docs/providers/plane.md and the README list", async () => {
    const ctx = await start();
    const doc = await readFile("docs/providers/plane.md", "utf8");
    const readme = await readFile("README.md", "utf8");
    for (const t of ctx.tenants) {
      expect(doc).toContain(`\`${t.slug}\``);
      for (const c of t.credentials) {
        const [name, value] = Object.entries(c.headers)[0]!;
        expect(doc).toContain(`${name}: ${value}`);
        expect(readme).toContain(`${name}: ${value}`);
      }
    }
  });

  it("a made tenant is empty and isolated; deleting it forgets its key; fixture tenants are kept", async () => {
    const ctx = await start();
    const res = await ctx.req("/__admin/plane/tenants", { method: "POST" });
    expect(res.status).toBe(201);
    const t = (await res.json()) as any;
    const headers = t.credentials[0].headers;
    const base = `/plane/api/v1/workspaces/${t.slug}/customers`;
    expect((await ctx.getJson(`${base}/`, headers)).body.total_count).toBe(0);
    expect((await ctx.send("POST", `${base}/`, { name: "Mine" }, headers)).status).toBe(201);
    expect((await ctx.getJson(`${ctx.base}/?query=Mine`)).body.total_count).toBe(0);
    expect((await ctx.getJson(`${ctx.base}/`, headers)).status).toBe(403);
    await ctx.req(`${base}/`, { headers });
    const journal = (await (await ctx.req(`/__admin/requests?tenant=${t.id}`)).json()) as any;
    expect(journal.requests.length).toBeGreaterThan(0);
    expect(journal.requests.at(-1).headers["x-api-key"]).not.toBe(headers["X-API-Key"]);
    expect((await ctx.req(`/__admin/plane/tenants/${t.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await ctx.getJson(`${base}/`, headers)).status).toBe(403);
    expect((await ctx.req(`/__admin/plane/tenants/${ctx.tenants[0]!.id}`, { method: "DELETE" })).status).toBe(409);
  });

  it("provider states: a customer exists (with the slug and keys), no customer exists, two customers exist", async () => {
    const ctx = await start();
    const one = (await (await ctx.req("/__admin/provider-states?provider=plane", post({ state: "a customer exists", params: { name: "Acme", email: "a@acme.io" } }))).json()) as any;
    expect(one).toMatchObject({ name: "Acme", email: "a@acme.io", slug: ctx.tenants[0]!.slug, tenant: ctx.tenants[0]!.id, token: ctx.full["X-API-Key"] });
    const got = await ctx.getJson(`/plane/api/v1/workspaces/${one.slug}/customers/${one.id}/`, { "X-API-Key": one.token });
    expect(got.body.name).toBe("Acme");
    const none = (await (await ctx.req("/__admin/provider-states?provider=plane", post({ state: "no customer exists" }))).json()) as any;
    expect((await ctx.getJson(`${ctx.base}/${none.id}/`)).status).toBe(404);
    const two = (await (await ctx.req("/__admin/provider-states?provider=plane", post({ state: "two customers exist", params: { first: { name: "A" }, second: { name: "B" } } }))).json()) as any;
    expect(two).toMatchObject({ name: "A", otherName: "B" });
    expect(two.id).not.toBe(two.otherId);
    const bad = await ctx.req("/__admin/provider-states?provider=plane", post({ state: "a customer exists", params: { email: "nope" } }));
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("params.email: Enter a valid email address.");
  });

  it("--rate-limits real: 60/min per key, X-RateLimit-* on every response, then 429 in Plane's shape", async () => {
    const ctx = await start({ rateLimits: "real" });
    const first = await ctx.req(`${ctx.base}/`, { headers: ctx.full });
    expect(first.headers.get("x-ratelimit-remaining")).toBe("59");
    expect(Number(first.headers.get("x-ratelimit-reset"))).toBeGreaterThan(Date.parse("2025-06-01T12:00:00Z") / 1000);
    const notFound = await ctx.req(`${ctx.base}/00000000-0000-4000-8000-000000000000/`, { headers: ctx.full });
    expect(notFound.status).toBe(404);
    expect(notFound.headers.get("x-ratelimit-remaining")).toBe("58");
    for (let i = 0; i < 58; i++) await ctx.req(`${ctx.base}/`, { headers: ctx.full });
    const blocked = await ctx.req(`${ctx.base}/`, { headers: ctx.full });
    expect(blocked.status).toBe(429);
    expect(await blocked.json()).toEqual({ error_code: 5900, error_message: "RATE_LIMIT_EXCEEDED" });
    expect(blocked.headers.get("retry-after")).toBe("60");
    expect(blocked.headers.get("x-ratelimit-remaining")).toBe("0");
    // another key has its own budget
    expect((await ctx.req(`${ctx.otherBase}/`, { headers: ctx.other })).status).toBe(200);
    ctx.clock.advance(60_001);
    expect((await ctx.req(`${ctx.base}/`, { headers: ctx.full })).status).toBe(200);
  });

  it("--data: writes survive a restart", async () => {
    const dir = await mkdtemp(join(tmpdir(), "plane-data-"));
    const data = join(dir, "state.json");
    try {
      const sim = await createSimulator({ data });
      const t = (await fixtures(sim)).providers.plane!.tenants[0]!;
      const base = `/plane/api/v1/workspaces/${t.slug}/customers/`;
      const res = await sim.app.request(base, { method: "POST", body: JSON.stringify({ name: "Durable" }), headers: { ...t.credentials[0]!.headers, "Content-Type": "application/json" } });
      const created = (await res.json()) as any;
      await sim.close();
      const again = await createSimulator({ data });
      const got = await again.app.request(`${base}${created.id}/`, { headers: t.credentials[0]!.headers });
      expect(await got.json()).toEqual(created);
      await again.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
