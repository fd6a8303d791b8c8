import { describe, expect, it } from "vitest";
import { BASE, T0_ISO, findCustomer, start } from "./_helpers.js";

describe("POST /api/customers/", () => {
  it("creates a customer (201) with an owner member; both slash forms work", async () => {
    const ctx = await start();
    const res = await ctx.send("POST", `${BASE}/`, { email: "Jane.Doe@Example.com", name: " Jane Doe ", external_id: "usr_1337", metadata: { plan: "pro", seats: 3 } });
    expect(res.status).toBe(201);
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    const c = await res.json() as any;
    expect(c).toMatchObject({
      created_at: T0_ISO,
      modified_at: null,
      metadata: { plan: "pro", seats: 3 },
      external_id: "usr_1337",
      email: "Jane.Doe@example.com",
      email_verified: false,
      name: "Jane Doe",
      billing_address: null,
      workspace_id: ctx.tenants[0]!.id,
      deleted_at: null,
      type: "individual",
    });
    expect(c.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(c.members).toEqual([{
      id: expect.any(String), created_at: T0_ISO, modified_at: null, customer_id: c.id,
      email: "Jane.Doe@example.com", name: "Jane Doe", external_id: "usr_1337", role: "owner",
    }]);
    expect((await ctx.getJson(`${BASE}/${c.id}`)).body).toEqual(c);
    const noSlash = await ctx.send("POST", BASE, { email: "no.slash@example.com" });
    expect(noSlash.status).toBe(201);
    expect((await ctx.getJson(`${BASE}?email=no.slash@example.com`)).body.items).toHaveLength(1);
  });

  it("the owner member can come from `owner`; type and billing address are kept", async () => {
    const ctx = await start();
    const res = await ctx.send("POST", `${BASE}/`, {
      email: "acme@example.com", name: "Acme", type: "team",
      billing_address: { country: "us", state: "NY", city: "New York" },
      owner: { email: "boss@example.com", name: "The Boss", external_id: "boss-1" },
    });
    expect(res.status).toBe(201);
    const c = await res.json() as any;
    expect(c.type).toBe("team");
    expect(c.billing_address).toEqual({ line1: null, line2: null, postal_code: null, city: "New York", state: "US-NY", country: "US" });
    expect(c.members).toHaveLength(1);
    expect(c.members[0]).toMatchObject({ email: "boss@example.com", name: "The Boss", external_id: "boss-1", role: "owner" });
  });

  it("email is required: missing → Field required with the body as input", async () => {
    const ctx = await start();
    const res = await ctx.send("POST", `${BASE}/`, { name: "No Email" });
    expect(res.status).toBe(422);
    expect(await res.json() as any).toEqual({
      error: "RequestValidationError",
      detail: [{ type: "missing", loc: ["body", "email"], msg: "Field required", input: { name: "No Email" } }],
    });
    const nul = await ctx.send("POST", `${BASE}/`, { email: null });
    expect((await nul.json() as any).detail).toEqual([{ type: "string_type", loc: ["body", "email"], msg: "Input should be a valid string", input: null }]);
  });

  it("same schema validation as PATCH", async () => {
    const ctx = await start();
    const res = await ctx.send("POST", `${BASE}/`, { email: "x@y", type: "org", metadata: null, name: "n".repeat(300), billing_address: { country: "RU" } });
    expect(res.status).toBe(422);
    expect((await res.json() as any).detail.map((d: any) => d.type)).toEqual(["dict_type", "value_error", "string_too_long", "enum", "enum"]);
  });

  it("duplicate email (case-insensitive) or external_id → one RapidlyRequestValidationError; nothing stored", async () => {
    const ctx = await start();
    const c = await findCustomer(ctx, (x) => x.external_id !== null);
    const res = await ctx.send("POST", `${BASE}/`, { email: c.email.toUpperCase(), external_id: c.external_id });
    expect(res.status).toBe(422);
    const local = c.email.toUpperCase().split("@")[0];
    expect(await res.json() as any).toEqual({
      error: "RapidlyRequestValidationError",
      detail: [
        { type: "value_error", loc: ["body", "email"], msg: "A customer with this email address already exists.", input: `${local}@${c.email.split("@")[1]}` },
        { type: "value_error", loc: ["body", "external_id"], msg: "A customer with this external ID already exists.", input: c.external_id },
      ],
    });
    expect((await ctx.getJson(`${BASE}/`)).body.pagination.total_count).toBe(25);
  });

  it("malformed JSON before auth; auth before validation", async () => {
    const ctx = await start();
    const bad = await ctx.req(`${BASE}/`, { method: "POST", body: "{", headers: { "Content-Type": "application/json" } });
    expect(bad.status).toBe(422);
    expect((await bad.json() as any).detail[0].type).toBe("json_invalid");
    const noAuth = await ctx.req(`${BASE}/`, { method: "POST", body: "{}", headers: { "Content-Type": "application/json" } });
    expect(noAuth.status).toBe(401);
  });

  it("new ids differ for every created customer", async () => {
    const ctx = await start();
    const ids = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const c = await (await ctx.send("POST", `${BASE}/`, { email: `n${i}@example.com` })).json() as any;
      ids.add(c.id);
      ids.add(c.members[0].id);
    }
    expect(ids.size).toBe(10);
  });

  it("a refused create leaves the state untouched, the seeded id sequence included", async () => {
    const taken = (await findCustomer(await start(), () => true)).email as string;
    const refusedFirst = await start();
    const refused = await refusedFirst.send("POST", `${BASE}/`, { email: taken });
    expect(refused.status).toBe(422);
    const a = await (await refusedFirst.send("POST", `${BASE}/`, { email: "fresh@example.com" })).json() as any;
    const direct = await start();
    const b = await (await direct.send("POST", `${BASE}/`, { email: "fresh@example.com" })).json() as any;
    expect(a.id).toBe(b.id);
    expect(a.members[0].id).toBe(b.members[0].id);
  });
});
