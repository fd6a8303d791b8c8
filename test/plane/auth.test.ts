import { describe, expect, it } from "vitest";
import { PAGE_NOT_FOUND, RESOURCE_MISSING, start } from "./_helpers.js";

describe("plane auth (spec: plane.md#auth)", () => {
  it("no key → 401 Authentication credentials were not provided.", async () => {
    const ctx = await start();
    const res = await ctx.req(`${ctx.base}/`);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ detail: "Authentication credentials were not provided." });
  });

  it("an unknown key → 403 Given API token is not valid; the header name is case-insensitive", async () => {
    const ctx = await start();
    const res = await ctx.req(`${ctx.base}/`, { headers: { "x-api-key": "plane_api_" + "f".repeat(32) } });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ detail: "Given API token is not valid" });
    const ok = await ctx.req(`${ctx.base}/`, { headers: { "x-api-key": ctx.full["X-API-Key"]! } });
    expect(ok.status).toBe(200);
  });

  it("keys look like plane_api_ + 32 lowercase hex", async () => {
    const ctx = await start();
    for (const t of ctx.tenants) {
      for (const c of t.credentials) if (c.headers["X-API-Key"]) expect(c.headers["X-API-Key"]).toMatch(/^plane_api_[0-9a-f]{32}$/);
    }
  });

  it("a slug that does not exist → 404 The requested resource does not exist.", async () => {
    const ctx = await start();
    const res = await ctx.req("/plane/api/v1/workspaces/no-such-workspace/customers/", { headers: ctx.full });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual(RESOURCE_MISSING);
  });

  it("a workspace the user does not belong to → 403 with the action's verb", async () => {
    const ctx = await start();
    const id = ctx.tenants[1]!.customerIds[0]!;
    const cases: [string, Promise<Response>][] = [
      ["view", ctx.req(`${ctx.otherBase}/`, { headers: ctx.full })],
      ["create", ctx.send("POST", `${ctx.otherBase}/`, { name: "X" })],
      ["edit", ctx.send("PATCH", `${ctx.otherBase}/${id}/`, { name: "X" })],
      ["delete", ctx.req(`${ctx.otherBase}/${id}/`, { method: "DELETE", headers: ctx.full })],
    ];
    for (const [verb, pending] of cases) {
      const res = await pending;
      expect(res.status, verb).toBe(403);
      expect(await res.json()).toEqual({ detail: `You don't have permission to ${verb} this customer` });
    }
    expect((await ctx.getJson(`${ctx.otherBase}/${id}/`, ctx.other)).status).toBe(200);
  });

  it("a member-role key may not view, create, edit or delete customers; nothing changes", async () => {
    const ctx = await start();
    const id = ctx.tenants[0]!.customerIds[0]!;
    const before = await ctx.getJson(`${ctx.base}/${id}/`);
    const cases: [string, Promise<Response>][] = [
      ["view", ctx.req(`${ctx.base}/${id}/`, { headers: ctx.member })],
      ["create", ctx.send("POST", `${ctx.base}/`, { name: "Member made" }, ctx.member)],
      ["edit", ctx.send("PATCH", `${ctx.base}/${id}/`, { name: "Member edit" }, ctx.member)],
      ["delete", ctx.req(`${ctx.base}/${id}/`, { method: "DELETE", headers: ctx.member })],
      ["delete", ctx.req(`${ctx.base}/?external_source=a&external_id=b`, { method: "DELETE", headers: ctx.member })],
    ];
    for (const [verb, pending] of cases) {
      const res = await pending;
      expect(res.status, verb).toBe(403);
      expect(await res.json()).toEqual({ detail: `You don't have permission to ${verb} this customer` });
    }
    expect(await ctx.getJson(`${ctx.base}/${id}/`)).toEqual(before);
    expect((await ctx.getJson(`${ctx.base}/`)).body.total_count).toBe(25);
  });

  it("an OAuth token with customers:read may read but not write: 403 You do not have permission", async () => {
    const ctx = await start();
    expect(ctx.readOnly.Authorization).toMatch(/^Bearer /);
    const id = ctx.tenants[0]!.customerIds[0]!;
    expect((await ctx.req(`${ctx.base}/`, { headers: ctx.readOnly })).status).toBe(200);
    expect((await ctx.req(`${ctx.base}/${id}/`, { headers: ctx.readOnly })).status).toBe(200);
    for (const res of await Promise.all([
      ctx.send("POST", `${ctx.base}/`, { name: "X" }, ctx.readOnly),
      ctx.send("PATCH", `${ctx.base}/${id}/`, { name: "X" }, ctx.readOnly),
      ctx.req(`${ctx.base}/${id}/`, { method: "DELETE", headers: ctx.readOnly }),
    ])) {
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({ detail: "You do not have permission to perform this action." });
    }
    // its workspace only
    const other = await ctx.req(`${ctx.otherBase}/`, { headers: ctx.readOnly });
    expect(other.status).toBe(403);
    expect(await other.json()).toEqual({ detail: "You don't have permission to view this customer" });
  });

  it("an unknown bearer token is no credential: 401", async () => {
    const ctx = await start();
    const res = await ctx.req(`${ctx.base}/`, { headers: { Authorization: "Bearer nope" } });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ detail: "Authentication credentials were not provided." });
  });

  it("auth comes before the body: a malformed body from an unknown key is a 403", async () => {
    const ctx = await start();
    const res = await ctx.send("POST", `${ctx.base}/`, "{nope", { "X-API-Key": "plane_api_" + "1".repeat(32) });
    expect(res.status).toBe(403);
  });

  it("a pk that is not a UUID is Django's 404, even before auth", async () => {
    const ctx = await start();
    for (const headers of [ctx.full, {}]) {
      const res = await ctx.req(`${ctx.base}/not-a-uuid/`, { headers });
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual(PAGE_NOT_FOUND);
    }
    const upper = await ctx.req(`${ctx.base}/${ctx.tenants[0]!.customerIds[0]!.toUpperCase()}/`, { headers: ctx.full });
    expect(upper.status).toBe(404);
  });
});
