import { describe, expect, it } from "vitest";
import { allCustomers, BASE, start } from "./_helpers.js";

const UNAUTHORIZED = { error: { code: "UNAUTHORIZED", message: "Invalid or missing API key" } };

describe("auth (quentli.md#auth)", () => {
  it("no key, another scheme, an empty or unknown key → 401 in Quentli's shape, on every route", async () => {
    const ctx = await start();
    const id = ctx.tenants[0]!.customerIds[0]!;
    const headerSets: Record<string, string>[] = [
      {},
      { Authorization: "Basic c2tfYWJjOg==" },
      { Authorization: "Bearer " },
      { Authorization: "Bearer sk_not_a_real_key_000000000000000000000" },
      { Authorization: ctx.full.Authorization!.replace("Bearer sk_", "Bearer pk_") },
      { Authorization: ctx.full.Authorization!.slice(0, -1) },
    ];
    for (const headers of headerSets) {
      for (const [method, path, body] of [
        ["GET", BASE, undefined],
        ["POST", BASE, { input: { name: "X" } }],
        ["GET", `${BASE}/${id}`, undefined],
        ["PATCH", `${BASE}/${id}`, { input: { data: { name: "X" } } }],
      ] as const) {
        const res = await ctx.req(path, { method, headers: { ...headers, "Content-Type": "application/json" }, ...(body ? { body: JSON.stringify(body) } : {}) });
        expect(res.status, `${method} ${path} ${JSON.stringify(headers)}`).toBe(401);
        expect(await res.json()).toEqual(UNAUTHORIZED);
      }
    }
    // nothing was created or changed
    expect((await allCustomers(ctx)).length).toBe(25);
    expect((await ctx.getJson(`${BASE}/${id}`)).body.name).not.toBe("X");
  });

  it("the scheme is case-insensitive (`bearer sk_...`)", async () => {
    const ctx = await start();
    const res = await ctx.req(BASE, { headers: { Authorization: ctx.full.Authorization!.replace("Bearer", "bearer") } });
    expect(res.status).toBe(200);
  });

  it("organizations never see each other: list, get (null), update (404)", async () => {
    const ctx = await start();
    const mine = await allCustomers(ctx);
    const theirs = await allCustomers(ctx, ctx.other);
    expect(mine).toHaveLength(25);
    expect(theirs).toHaveLength(25);
    const org0 = ctx.tenants[0]!.id;
    const org1 = ctx.tenants[1]!.id;
    expect(mine.every((c) => c.organizationId === org0)).toBe(true);
    expect(theirs.every((c) => c.organizationId === org1)).toBe(true);

    const foreign = theirs[0];
    const get = await ctx.getJson(`${BASE}/${foreign.id}`);
    expect(get).toEqual({ status: 200, body: null });
    const patch = await ctx.send("PATCH", `${BASE}/${foreign.id}`, { input: { data: { name: "Hijacked" } } });
    expect(patch.status).toBe(404);
    expect(await patch.json()).toEqual({ error: { code: "NOT_FOUND", message: "Customer not found" } });
    expect((await ctx.getJson(`${BASE}/${foreign.id}`, ctx.other)).body).toEqual(foreign);
    // a list filter cannot reach across either
    const byEmail = await ctx.getJson(`${BASE}?filter[email][equals]=${encodeURIComponent(foreign.email)}`);
    expect(byEmail.body).toEqual([]);
  });

  it("uniqueness is per organization: another organization's email, phone and username are free", async () => {
    const ctx = await start();
    const foreign = (await allCustomers(ctx, ctx.other)).find((c) => c.username !== null);
    const res = await ctx.send("POST", BASE, { input: { name: "Twin", email: foreign.email, phoneNumber: foreign.phoneNumber, username: foreign.username } });
    expect(res.status).toBe(201);
    const body = (await res.json()) as any;
    expect(body.customer.organizationId).toBe(ctx.tenants[0]!.id);
    expect(body.customer.email).toBe(foreign.email);
  });

  it("a fresh tenant (POST /__admin/quentli/tenants) is empty, isolated, and its users are its own", async () => {
    const ctx = await start();
    const made = await ctx.req("/__admin/quentli/tenants", { method: "POST" });
    expect(made.status).toBe(201);
    const tenant = (await made.json()) as any;
    expect(tenant.id).toMatch(/^org_[a-z0-9]{20}$/);
    expect(tenant.customerIds).toEqual([]);
    expect(tenant.credentials).toEqual([{ kind: "full", headers: { Authorization: expect.stringMatching(/^Bearer sk_[A-Za-z0-9]{40}$/) } }]);
    expect(tenant.refs.userIds).toHaveLength(2);
    const headers = tenant.credentials[0].headers;
    expect((await ctx.getJson(BASE, headers)).body).toEqual([]);
    // a fixture organization's user is not an assignee here
    const other = await ctx.send("POST", BASE, { input: { name: "A", assigneeId: ctx.tenants[0]!.refs.userIds![0] } }, headers);
    expect(other.status).toBe(400);
    const own = await ctx.send("POST", BASE, { input: { name: "A", assigneeId: tenant.refs.userIds[0] } }, headers);
    expect(own.status).toBe(201);
    const id = ((await own.json()) as any).customer.id;
    expect((await ctx.getJson(`${BASE}/${id}`)).body).toBeNull();
    expect((await allCustomers(ctx)).length).toBe(25);
  });
});
