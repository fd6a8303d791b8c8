// spec: flextell.md#auth-and-tenants — tokens of users, tenants picked by X-Tenant.
import { describe, expect, it } from "vitest";
import { BASE, FORBIDDEN, getCustomer, notFound, start, UNAUTHENTICATED } from "./_helpers.js";

describe("flextell auth", () => {
  it("401 Unauthenticated. without a token, with an unknown one, or another scheme", async () => {
    const ctx = await start();
    for (const headers of [{}, { Authorization: "Bearer nope" }, { Authorization: `Basic ${ctx.full.Authorization!.slice(7)}` }, { Authorization: "Bearer " }]) {
      const res = await ctx.getJson(BASE, headers as Record<string, string>);
      expect(res.status).toBe(401);
      expect(res.body).toEqual(UNAUTHENTICATED);
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      expect(res.headers.get("cache-control")).toBe("no-cache, private");
    }
  });

  it("401 for every route, before the id or the body is looked at", async () => {
    const ctx = await start();
    expect((await ctx.req(`${BASE}/1`)).status).toBe(401);
    expect((await ctx.send("PUT", `${BASE}/999`, "{bad", {})).status).toBe(401);
    expect((await ctx.send("POST", BASE, { first_name: "A" }, {})).status).toBe(401);
    expect((await ctx.req(`${BASE}/1`, { method: "DELETE" })).status).toBe(401);
  });

  it("an expired token is 401 (the clock passes its exp)", async () => {
    const ctx = await start();
    const token = ctx.full.Authorization!.slice(7);
    const exp = JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()).exp as number;
    expect((await ctx.getJson(BASE)).status).toBe(200);
    ctx.clock.set(exp * 1000 + 1000);
    expect((await ctx.getJson(BASE)).body).toEqual(UNAUTHENTICATED);
  });

  it("fixture tokens are Passport JWTs whose sub is the user", async () => {
    const ctx = await start();
    const [header, claims, signature] = ctx.full.Authorization!.slice(7).split(".");
    expect(JSON.parse(Buffer.from(header!, "base64url").toString())).toEqual({ typ: "JWT", alg: "RS256" });
    expect(JSON.parse(Buffer.from(claims!, "base64url").toString()).sub).toBe(String(ctx.tenants[0]!.refs.userIds![0]));
    expect(signature).toMatch(/^[A-Za-z0-9_-]{342}$/);
  });

  it("X-Tenant that is not a number → 403", async () => {
    const ctx = await start();
    for (const tenant of ["abc", "1a", "-1", "1.0", "0x1"]) {
      const res = await ctx.getJson(BASE, { ...ctx.full, "X-Tenant": tenant });
      expect(res.status, tenant).toBe(403);
      expect(res.body).toEqual(FORBIDDEN);
    }
  });

  it("X-Tenant of a tenant the user does not belong to (or that does not exist) → 403, on every route", async () => {
    const ctx = await start();
    const foreign = { ...ctx.full, "X-Tenant": ctx.tenants[1]!.id };
    expect((await ctx.getJson(BASE, foreign)).body).toEqual(FORBIDDEN);
    expect((await ctx.getJson(`${BASE}/1`, foreign)).status).toBe(403);
    expect((await ctx.send("POST", BASE, { first_name: "X" }, foreign)).status).toBe(403);
    expect((await ctx.getJson(BASE, { ...ctx.full, "X-Tenant": "999" })).status).toBe(403);
  });

  it("tenant isolation both ways: another tenant's customer is 404 with the model message, and lists hold only the tenant's", async () => {
    const ctx = await start();
    const mine = ctx.tenants[0]!.customerIds[0]!;
    const theirs = ctx.tenants[1]!.customerIds[0]!;
    expect(await ctx.getJson(`${BASE}/${theirs}`)).toMatchObject({ status: 404, body: notFound(theirs) });
    expect(await ctx.getJson(`${BASE}/${mine}`, ctx.other)).toMatchObject({ status: 404, body: notFound(mine) });
    expect((await ctx.send("PUT", `${BASE}/${theirs}`, { first_name: "Hijack" })).status).toBe(404);
    expect((await ctx.req(`${BASE}/${theirs}`, { method: "DELETE", headers: ctx.full })).status).toBe(404);
    const listed = (await ctx.getJson(`${BASE}?per_page=100`)).body.data.map((c: any) => String(c.id));
    expect(listed.sort()).toEqual([...ctx.tenants[0]!.customerIds].sort());
    const otherListed = (await ctx.getJson(`${BASE}?per_page=100`, ctx.other)).body.data.map((c: any) => String(c.id));
    expect(otherListed.sort()).toEqual([...ctx.tenants[1]!.customerIds].sort());
    // nothing of tenant 1 changed
    expect((await getCustomer(ctx, theirs, ctx.other)).first_name).not.toBe("Hijack");
  });

  it("the two-tenant token: without X-Tenant its lowest tenant, with X-Tenant either of them", async () => {
    const ctx = await start();
    const ids = async (headers: Record<string, string>) => (await ctx.getJson(`${BASE}?per_page=100`, headers)).body.data.map((c: any) => String(c.id)).sort();
    expect(await ids(ctx.multi)).toEqual([...ctx.tenants[0]!.customerIds].sort());
    expect(await ids({ ...ctx.multi, "X-Tenant": ctx.tenants[0]!.id })).toEqual([...ctx.tenants[0]!.customerIds].sort());
    expect(await ids({ ...ctx.multi, "X-Tenant": ctx.tenants[1]!.id })).toEqual([...ctx.tenants[1]!.customerIds].sort());
    // a create lands in the tenant X-Tenant picks
    const res = await ctx.send("POST", BASE, { first_name: "Both" }, { ...ctx.multi, "X-Tenant": ctx.tenants[1]!.id });
    const id = (await res.json() as any).data.id;
    expect((await ctx.getJson(`${BASE}/${id}`, ctx.other)).status).toBe(200);
    expect((await ctx.getJson(`${BASE}/${id}`, ctx.full)).status).toBe(404);
    expect((await ctx.getJson(`${BASE}/${id}`, ctx.multi)).status).toBe(404);
    expect((await ctx.getJson(BASE, { ...ctx.multi, "X-Tenant": "3" })).status).toBe(403);
  });

  it("the two-tenant user can be assigned in both tenants (related_user)", async () => {
    const ctx = await start();
    const multiUser = ctx.tenants[0]!.refs.userIds!.find((u) => ctx.tenants[1]!.refs.userIds!.includes(u));
    expect(multiUser).toBeDefined();
    for (const headers of [ctx.full, ctx.other]) {
      const res = await ctx.send("POST", BASE, { first_name: "Assigned", user_id: multiUser }, headers);
      expect(res.status).toBe(201);
      expect(((await res.json()) as any).data.related_user.id).toBe(multiUser);
    }
  });

  it("tenantOf: the journal records the tenant the token and X-Tenant select, null when unknown", async () => {
    const ctx = await start();
    await ctx.getJson(BASE, ctx.other);
    await ctx.getJson(BASE, ctx.multi);
    await ctx.getJson(BASE, { ...ctx.multi, "X-Tenant": ctx.tenants[1]!.id });
    await ctx.getJson(BASE, { ...ctx.multi, "X-Tenant": "abc" });
    await ctx.getJson(BASE, { Authorization: "Bearer nope" });
    const entries = (await (await ctx.req("/__admin/requests?provider=flextell")).json() as any).requests;
    expect(entries.map((e: any) => e.tenant)).toEqual([ctx.tenants[1]!.id, ctx.tenants[0]!.id, ctx.tenants[1]!.id, null, null]);
    expect(JSON.stringify(entries)).not.toContain(ctx.full.Authorization!.slice(7, 60));
    expect(entries[0].headers.authorization).toBe("[redacted]");
  });
});
