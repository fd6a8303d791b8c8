// spec: simulator.md — fixtures, tenants, provider states, rate limits, shared error shapes.
import { describe, expect, it } from "vitest";
import { seedFlextell } from "../../src/fixtures/flextell.js";
import { json } from "../helpers.js";
import { BASE, start } from "./_helpers.js";

describe("flextell fixtures", () => {
  it("two tenants of 25 customers; full credentials carry X-Tenant; the multi-tenant token is on the first; refs are integers", async () => {
    const ctx = await start();
    expect(ctx.tenants).toHaveLength(2);
    for (const [i, t] of ctx.tenants.entries()) {
      expect(t.customerIds).toHaveLength(25);
      const full = t.credentials.find((c) => c.kind === "full")!;
      expect(full.headers["X-Tenant"]).toBe(t.id);
      expect(full.headers.Authorization).toMatch(/^Bearer eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9\./);
      expect(t.credentials.some((c) => c.kind === "multi-tenant")).toBe(i === 0);
      for (const key of ["userIds", "channelIds"]) {
        expect((t.refs[key] as unknown[]).length).toBeGreaterThan(0);
        expect((t.refs[key] as unknown[]).every((v) => Number.isInteger(v))).toBe(true);
      }
    }
    expect(ctx.multi["X-Tenant"]).toBeUndefined();
  });

  it("same seed → same document byte for byte; another seed → other tokens", () => {
    expect(JSON.stringify(seedFlextell(1))).toBe(JSON.stringify(seedFlextell(1)));
    expect(JSON.stringify(seedFlextell(2))).not.toBe(JSON.stringify(seedFlextell(1)));
  });

  it("every fixture customer is valid under the API's own rules (phone ≤ 20, known countries, own channels and users)", async () => {
    const ctx = await start();
    for (const [t, headers] of [[0, ctx.full], [1, ctx.other]] as const) {
      for (const id of ctx.tenants[t]!.customerIds.slice(0, 25)) {
        const raw = (await ctx.raw()).find((c: any) => String(c.id) === id);
        const body = Object.fromEntries(["first_name", "last_name", "phone_number", "email", "gender", "country_id", "job", "address", "default_channel_id", "user_id", "identity_number"].map((k) => [k, raw[k]]));
        const res = await ctx.send("PATCH", `${BASE}/${id}`, body, headers);
        expect(res.status, `${id}: ${await res.clone().text()}`).toBe(200);
      }
    }
  });
});

describe("flextell tenants (control plane)", () => {
  it("a fresh tenant is isolated both ways, has a user, a channel and a token; deletable; fixture/unknown refused", async () => {
    const ctx = await start();
    const res = await ctx.req("/__admin/flextell/tenants", { method: "POST" });
    expect(res.status).toBe(201);
    const fresh = (await res.json()) as any;
    const headers = fresh.credentials.find((c: any) => c.kind === "full").headers;
    expect(headers["X-Tenant"]).toBe(fresh.id);
    expect(fresh.customerIds).toEqual([]);
    expect(fresh.refs.userIds).toHaveLength(1);
    expect(fresh.refs.channelIds).toHaveLength(1);
    expect((await ctx.getJson(BASE, headers)).body.meta.total).toBe(0);
    const created = (await (await ctx.send("POST", BASE, { first_name: "Fresh", default_channel_id: fresh.refs.channelIds[0], user_id: fresh.refs.userIds[0] }, headers)).json()) as any;
    expect(created.data.related_user.id).toBe(fresh.refs.userIds[0]);
    expect((await ctx.getJson(`${BASE}/${created.data.id}`, ctx.full)).status).toBe(404);
    expect((await ctx.getJson(`${BASE}/${ctx.tenants[0]!.customerIds[0]}`, headers)).status).toBe(404);
    expect((await ctx.getJson(BASE, { ...headers, "X-Tenant": ctx.tenants[0]!.id })).status).toBe(403);
    // another tenant's channel is not the fresh tenant's
    expect((await ctx.send("POST", BASE, { first_name: "X", default_channel_id: (ctx.tenants[0]!.refs.channelIds as number[])[0] }, headers)).status).toBe(422);

    expect((await ctx.req(`/__admin/flextell/tenants/${ctx.tenants[0]!.id}`, { method: "DELETE" })).status).toBe(409);
    expect((await ctx.req("/__admin/flextell/tenants/9999", { method: "DELETE" })).status).toBe(404);
    expect((await ctx.req(`/__admin/flextell/tenants/${fresh.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await ctx.getJson(BASE, headers)).status).toBe(401);
    expect((await ctx.raw()).some((c: any) => c.id === created.data.id)).toBe(false);
    // fixture tenants untouched
    expect((await ctx.getJson(BASE)).body.meta.total).toBe(25);
  });

  it("reset restores the seeded state", async () => {
    const ctx = await start();
    await ctx.send("POST", BASE, { first_name: "Temp" });
    await ctx.req("/__admin/reset", json({ provider: "flextell" }));
    expect((await ctx.getJson(BASE)).body.meta.total).toBe(25);
    const created = (await (await ctx.send("POST", BASE, { first_name: "Again" })).json()) as any;
    expect(created.data.id).toBe(51);
  });
});

describe("flextell provider states", () => {
  const state = (ctx: any, body: unknown) => ctx.req("/__admin/provider-states?provider=flextell", json(body));

  it("a customer exists / two customers exist / no customer exists", async () => {
    const ctx = await start();
    const one = (await (await state(ctx, { state: "a customer exists", params: { first_name: "Alice", email: "alice@example.com", date_of_birth: "1990-01-02" } })).json()) as any;
    expect(one).toMatchObject({ id: 51, first_name: "Alice", email: "alice@example.com", date_of_birth: "1990-01-02T00:00:00.000000Z", tenant: ctx.tenants[0]!.id });
    const got = await ctx.getJson(`${BASE}/${one.id}`, { Authorization: `Bearer ${one.token}`, "X-Tenant": one.tenant });
    expect(got.body.data.first_name).toBe("Alice");
    const two = (await (await state(ctx, { state: "two customers exist", params: { first: { first_name: "A", email: "a@example.com" }, second: { first_name: "B" } } })).json()) as any;
    expect([two.id, two.otherId]).toEqual([51, 52]);
    const none = (await (await state(ctx, { state: "no customer exists" })).json()) as any;
    expect((await ctx.getJson(`${BASE}/${none.id}`)).status).toBe(404);
    const bad = await state(ctx, { state: "a customer exists", params: { email: "nope" } });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("The email field must be a valid email address.");
  });
});

describe("flextell shared error shapes", () => {
  it("413, unknown route 404, 405 with Allow — in Laravel's JSON", async () => {
    const ctx = await start();
    const big = await ctx.send("POST", BASE, { first_name: "x".repeat(1_100_000) });
    expect(big.status).toBe(413);
    expect(await big.json()).toEqual({ message: "Request body too large." });
    const route = await ctx.req("/flextell/api/v1/nothing", { headers: ctx.full });
    expect(route.status).toBe(404);
    expect(await route.json()).toEqual({ message: "The route api/v1/nothing could not be found." });
    const m1 = await ctx.req(BASE, { method: "PUT", headers: ctx.full });
    expect(m1.status).toBe(405);
    expect(m1.headers.get("allow")).toBe("GET, HEAD, POST");
    expect(await m1.json()).toEqual({ message: "The PUT method is not supported for route api/v1/customers. Supported methods: GET, HEAD, POST." });
    const m2 = await ctx.req(`${BASE}/1`, { method: "POST", headers: ctx.full });
    expect(await m2.json()).toEqual({ message: "The POST method is not supported for route api/v1/customers/1. Supported methods: GET, HEAD, PUT, PATCH, DELETE." });
  });

  it("status-only fault bodies in Flextell's shape", async () => {
    const ctx = await start();
    const expected: Record<number, unknown> = {
      404: { message: "Not Found" },
      429: { message: "Too Many Attempts." },
      500: { message: "Server Error" },
      503: { message: "Service Unavailable" },
    };
    for (const [status, body] of Object.entries(expected)) {
      await ctx.req("/__admin/faults", { method: "DELETE" });
      await ctx.req("/__admin/faults", json({ provider: "flextell", status: Number(status) }));
      const res = await ctx.req(BASE, { headers: ctx.full });
      expect(res.status).toBe(Number(status));
      expect(await res.json()).toEqual(body);
      expect(res.headers.get("cache-control")).toBe("no-cache, private");
      if (status === "429") expect(res.headers.get("retry-after")).toBe("60");
    }
  });

  it("openapi.json (3.1, bearer) and the docs page are served", async () => {
    const ctx = await start();
    const doc = (await (await ctx.req("/flextell/openapi.json")).json()) as any;
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: "http", scheme: "bearer" });
    expect(Object.keys(doc.paths)).toEqual(["/api/v1/customers", "/api/v1/customers/{id}"]);
    const email = doc.components.schemas.CustomerUpdate.properties.email;
    expect(email.anyOf.find((s: any) => s.type === "string")).toMatchObject({ format: "email", maxLength: 255 });
    expect((await ctx.req("/flextell/docs")).status).toBe(200);
  });
});

describe("flextell rate limits (--rate-limits real)", () => {
  it("60/min per token: X-RateLimit-* on every response; 429 Too Many Attempts. with Retry-After and X-RateLimit-Reset", async () => {
    const ctx = await start({ rateLimits: "real" });
    const first = await ctx.req(BASE, { headers: ctx.full });
    expect(first.headers.get("x-ratelimit-limit")).toBe("60");
    expect(first.headers.get("x-ratelimit-remaining")).toBe("59");
    for (let i = 0; i < 58; i++) await ctx.req(`${BASE}/999999`, { headers: ctx.full });
    const last = await ctx.req(`${BASE}/999999`, { headers: ctx.full });
    expect(last.status).toBe(404);
    expect(last.headers.get("x-ratelimit-remaining")).toBe("0");
    const blocked = await ctx.req(BASE, { headers: ctx.full });
    expect(blocked.status).toBe(429);
    expect(await blocked.json()).toEqual({ message: "Too Many Attempts." });
    expect(blocked.headers.get("retry-after")).toBe("60");
    expect(Number(blocked.headers.get("x-ratelimit-reset"))).toBe(Date.parse("2025-06-01T12:01:00Z") / 1000);
    expect(blocked.headers.get("x-ratelimit-remaining")).toBe("0");
    // another token has its own budget
    expect((await ctx.req(BASE, { headers: ctx.other })).status).toBe(200);
    ctx.clock.advance(60_000);
    expect((await ctx.req(BASE, { headers: ctx.full })).status).toBe(200);
  });
});
