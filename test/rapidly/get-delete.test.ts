import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { BASE, NOT_FOUND, T0_ISO, findCustomer, start } from "./_helpers.js";

const ISO_MICROS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

describe("GET /api/customers/{id}", () => {
  it("returns the customer object with every field, members included", async () => {
    const ctx = await start();
    const id = ctx.tenants[0]!.customerIds[0]!;
    const res = await ctx.req(`${BASE}/${id}`, { headers: ctx.full });
    expect(res.status).toBe(200);
    const c = await res.json() as any;
    expect(Object.keys(c)).toEqual([
      "id", "created_at", "modified_at", "metadata", "external_id", "email", "email_verified", "name",
      "billing_address", "workspace_id", "deleted_at", "avatar_url", "type", "members",
    ]);
    expect(c.id).toBe(id);
    expect(c.workspace_id).toBe(ctx.tenants[0]!.id);
    expect(c.created_at).toMatch(ISO_MICROS);
    expect(c.deleted_at).toBeNull();
    expect(c.members.length).toBeGreaterThanOrEqual(1);
    expect(Object.keys(c.members[0])).toEqual(["id", "created_at", "modified_at", "customer_id", "email", "name", "external_id", "role"]);
    expect(c.members[0].role).toBe("owner");
    expect(c.members[0].customer_id).toBe(id);
  });

  it("avatar_url is the gravatar of the sha256 of the lower-cased email", async () => {
    const ctx = await start();
    const created = await ctx.send("POST", `${BASE}/`, { email: "Mixed.Case@Example.COM" });
    const body = await created.json() as any;
    expect(body.email).toBe("Mixed.Case@example.com");
    const hash = createHash("sha256").update("mixed.case@example.com").digest("hex");
    expect(body.avatar_url).toBe(`https://www.gravatar.com/avatar/${hash}?d=404`);
  });

  it("fixtures have ISO timestamps with microseconds and modified_at null until updated", async () => {
    const ctx = await start();
    const list = (await ctx.getJson(`${BASE}/?limit=100`)).body.items;
    for (const c of list) {
      expect(c.created_at).toMatch(ISO_MICROS);
      if (c.modified_at !== null) expect(c.modified_at).toMatch(ISO_MICROS);
    }
    expect(list.some((c: any) => c.modified_at === null)).toBe(true);
  });

  it("an unknown but valid uuid4 → 404 ResourceNotFound", async () => {
    const ctx = await start();
    const res = await ctx.req(`${BASE}/0b6f1f5e-2b8c-4d6e-9a51-3c1d2e4f5a6b`, { headers: ctx.full });
    expect(res.status).toBe(404);
    expect(await res.json() as any).toEqual(NOT_FOUND);
  });

  it("not a UUID → 422 uuid_parsing with the uuid crate's reason", async () => {
    const ctx = await start();
    const res = await ctx.req(`${BASE}/xyz`, { headers: ctx.full });
    expect(res.status).toBe(422);
    // pydantic-core 2.46 (Pydantic 2.13, which Polar pins): the short form of the crate's message
    const reason = "invalid character: found `x` at 1";
    expect(await res.json() as any).toEqual({
      error: "RequestValidationError",
      detail: [{ type: "uuid_parsing", loc: ["path", "id"], msg: `Input should be a valid UUID, ${reason}`, input: "xyz", ctx: { error: reason } }],
    });
  });

  it("uuid_parsing reasons for lengths and groups", async () => {
    const ctx = await start();
    const cases: [string, string][] = [
      ["abc", "invalid length: expected length 32 for simple format, found 3"],
      ["0b6f1f5e-2b8c-4d6e-9a51", "invalid group count: expected 5, found 4"],
      ["0b6f1f5e2-b8c-4d6e-9a51-3c1d2e4f5a6b", "invalid group length in group 0: expected 8, found 9"],
      ["0b6f1f5e-2b8c-4d6e-9a51-3c1d2e4f5a6bb", "invalid group length in group 4: expected 12, found 13"],
      ["0b6f1f5e-2b8c-4d6e-9a51-3c1d2e4f5a6g", "invalid character: found `g` at 36"],
      // as Pydantic 2.13 reports them (checked against it): braced/URN inputs of exactly the
      // wrapped length count from the inner UUID; the last group counts the whole input
      ["{ b6f1f5e-2b8c-4d6e-9a51-3c1d2e4f5a6b}", "invalid character: found ` ` at 1"],
      ["{xyz}", "invalid character: found `x` at 2"],
      ["urn:uuid:0b6f1f5e-2b8c-4d6e-9a51-3c1d2e4f5a6g", "invalid character: found `g` at 36"],
      ["urn:uuid:xy", "invalid character: found `x` at 10"],
      ["{0b6f1f5e-2b8c-4d6e-9a51-3c1d2e4f5a6}", "invalid group length in group 4: expected 12, found 13"],
    ];
    for (const [input, reason] of cases) {
      const { status, body } = await ctx.getJson(`${BASE}/${input}`);
      expect(status).toBe(422);
      expect(body.detail[0].msg, input).toBe(`Input should be a valid UUID, ${reason}`);
    }
  });

  it("a version-4 nibble with a non-RFC 4122 variant → 422 uuid_version (as Pydantic)", async () => {
    const ctx = await start();
    for (const id of ["0b6f1f5e-2b8c-4d6e-0a51-3c1d2e4f5a6b", "0b6f1f5e-2b8c-4d6e-ca51-3c1d2e4f5a6b"]) {
      const { status, body } = await ctx.getJson(`${BASE}/${id}`);
      expect(status, id).toBe(422);
      expect(body.detail, id).toEqual([{ type: "uuid_version", loc: ["path", "id"], msg: "UUID version 4 expected", input: id, ctx: { expected_version: 4 } }]);
    }
  });

  it("a UUID of another version → 422 uuid_version", async () => {
    const ctx = await start();
    const v1 = "c232ab00-9414-11ec-b3c8-9f6bdeced846";
    const res = await ctx.req(`${BASE}/${v1}`, { headers: ctx.full });
    expect(res.status).toBe(422);
    expect(await res.json() as any).toEqual({
      error: "RequestValidationError",
      detail: [{ type: "uuid_version", loc: ["path", "id"], msg: "UUID version 4 expected", input: v1, ctx: { expected_version: 4 } }],
    });
  });

  it("accepts the UUID in upper case and without hyphens (as Pydantic does)", async () => {
    const ctx = await start();
    const id = ctx.tenants[0]!.customerIds[0]!;
    expect((await ctx.getJson(`${BASE}/${id.toUpperCase()}`)).body.id).toBe(id);
    expect((await ctx.getJson(`${BASE}/${id.replace(/-/g, "")}`)).body.id).toBe(id);
  });
});

describe("GET /api/customers/external/{external_id}", () => {
  it("finds a live customer by external id", async () => {
    const ctx = await start();
    const c = await findCustomer(ctx, (x) => x.external_id !== null);
    const { status, body } = await ctx.getJson(`${BASE}/external/${encodeURIComponent(c.external_id)}`);
    expect(status).toBe(200);
    expect(body).toEqual(c);
  });

  it("unknown external id → 404; external ids are case-sensitive", async () => {
    const ctx = await start();
    const c = await findCustomer(ctx, (x) => x.external_id !== null && x.external_id !== x.external_id.toUpperCase());
    expect((await ctx.getJson(`${BASE}/external/nope`)).body).toEqual(NOT_FOUND);
    expect((await ctx.getJson(`${BASE}/external/${c.external_id.toUpperCase()}`)).status).toBe(404);
  });
});

describe("DELETE", () => {
  it("soft-deletes: 204 empty, then GET/PATCH/DELETE → 404 and the list excludes it", async () => {
    const ctx = await start();
    const id = ctx.tenants[0]!.customerIds[3]!;
    const res = await ctx.req(`${BASE}/${id}`, { method: "DELETE", headers: ctx.full });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe("");
    expect((await ctx.getJson(`${BASE}/${id}`)).body).toEqual(NOT_FOUND);
    expect((await ctx.send("PATCH", `${BASE}/${id}`, { name: "x" })).status).toBe(404);
    expect((await ctx.req(`${BASE}/${id}`, { method: "DELETE", headers: ctx.full })).status).toBe(404);
    const list = (await ctx.getJson(`${BASE}/?limit=100`)).body;
    expect(list.pagination.total_count).toBe(24);
    expect(list.items.some((c: any) => c.id === id)).toBe(false);
    const f = await (await ctx.req("/__admin/fixtures")).json() as any;
    expect(f.providers.rapidly.tenants[0].customerIds).not.toContain(id);
  });

  it("sets deleted_at, moves the external id to metadata.__external_id and deletes the members", async () => {
    const ctx = await start();
    const c = await findCustomer(ctx, (x) => x.external_id !== null && x.type === "team");
    expect((await ctx.req(`${BASE}/${c.id}`, { method: "DELETE", headers: ctx.full })).status).toBe(204);
    const raw = await (await ctx.req("/__admin/rapidly/customers")).json() as { customers: any[] };
    const stored = raw.customers.find((x: any) => x.id === c.id);
    expect(stored.deleted_at).toBe(T0_ISO);
    expect(stored.external_id).toBeNull();
    expect(stored.metadata.__external_id).toBe(c.external_id);
    expect(stored.email).toBe(c.email);
    expect(stored.members.length).toBe(c.members.length);
    for (const m of stored.members) expect(m.deleted_at).toBe(T0_ISO);
  });

  it("frees the email and the external id for reuse", async () => {
    const ctx = await start();
    const c = await findCustomer(ctx, (x) => x.external_id !== null);
    expect((await ctx.send("POST", `${BASE}/`, { email: c.email.toUpperCase(), external_id: c.external_id })).status).toBe(422);
    await ctx.req(`${BASE}/${c.id}`, { method: "DELETE", headers: ctx.full });
    expect((await ctx.getJson(`${BASE}/external/${encodeURIComponent(c.external_id)}`)).status).toBe(404);
    const res = await ctx.send("POST", `${BASE}/`, { email: c.email, external_id: c.external_id });
    expect(res.status).toBe(201);
    const fresh = await res.json() as any;
    expect(fresh.id).not.toBe(c.id);
    expect((await ctx.getJson(`${BASE}/external/${encodeURIComponent(c.external_id)}`)).body.id).toBe(fresh.id);
  });

  it("by external id", async () => {
    const ctx = await start();
    const c = await findCustomer(ctx, (x) => x.external_id !== null);
    const path = `${BASE}/external/${encodeURIComponent(c.external_id)}`;
    const res = await ctx.req(path, { method: "DELETE", headers: ctx.full });
    expect(res.status).toBe(204);
    expect((await ctx.req(path, { headers: ctx.full })).status).toBe(404);
    expect((await ctx.getJson(`${BASE}/${c.id}`)).status).toBe(404);
  });

  it("a bad id → 422 uuid_parsing, nothing deleted", async () => {
    const ctx = await start();
    const res = await ctx.req(`${BASE}/nope`, { method: "DELETE", headers: ctx.full });
    expect(res.status).toBe(422);
    expect((await res.json() as any).detail[0].type).toBe("uuid_parsing");
    expect((await ctx.getJson(`${BASE}/`)).body.pagination.total_count).toBe(25);
  });
});
