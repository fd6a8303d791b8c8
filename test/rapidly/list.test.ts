import { describe, expect, it } from "vitest";
import { BASE, start } from "./_helpers.js";

const ids = (items: any[]) => items.map((c) => c.id);

describe("GET /api/customers/ (list)", () => {
  it("defaults: page 1, limit 10, -created_at; pagination totals", async () => {
    const ctx = await start();
    const { status, body } = await ctx.getJson(`${BASE}/`);
    expect(status).toBe(200);
    expect(body.items).toHaveLength(10);
    expect(body.pagination).toEqual({ total_count: 25, max_page: 3 });
    const created = body.items.map((c: any) => c.created_at);
    expect(created).toEqual([...created].sort().reverse());
    expect(Object.keys(body)).toEqual(["items", "pagination"]);
  });

  it("pages through every customer exactly once", async () => {
    const ctx = await start();
    const seen: string[] = [];
    for (let page = 1; page <= 4; page++) {
      const { body } = await ctx.getJson(`${BASE}/?page=${page}&limit=7`);
      expect(body.pagination).toEqual({ total_count: 25, max_page: 4 });
      seen.push(...ids(body.items));
    }
    expect(new Set(seen).size).toBe(25);
    expect((await ctx.getJson(`${BASE}/?page=5&limit=7`)).body.items).toEqual([]);
  });

  it("limit is capped at 100", async () => {
    const ctx = await start();
    for (let i = 0; i < 90; i++) await ctx.send("POST", `${BASE}/`, { email: `bulk${i}@example.com` });
    const { body } = await ctx.getJson(`${BASE}/?limit=500`);
    expect(body.items).toHaveLength(100);
    expect(body.pagination).toEqual({ total_count: 115, max_page: 2 });
  });

  it("sorting: created_at, email, name with optional '-', repeatable", async () => {
    const ctx = await start();
    const asc = (await ctx.getJson(`${BASE}/?limit=100&sorting=created_at`)).body.items;
    expect(asc.map((c: any) => c.created_at)).toEqual(asc.map((c: any) => c.created_at).sort());
    const email = (await ctx.getJson(`${BASE}/?limit=100&sorting=email`)).body.items.map((c: any) => c.email);
    expect(email).toEqual([...email].sort());
    const emailDesc = (await ctx.getJson(`${BASE}/?limit=100&sorting=-email`)).body.items.map((c: any) => c.email);
    expect(emailDesc).toEqual([...email].reverse());
    const byName = (await ctx.getJson(`${BASE}/?limit=100&sorting=name`)).body.items.map((c: any) => c.name);
    const named = byName.filter((n: string | null) => n !== null);
    expect(named).toEqual([...named].sort());
    expect(byName[byName.length - 1]).toBeNull(); // NULLs last ascending (Postgres)
    // two keys: by name, then newest first
    await ctx.send("POST", `${BASE}/`, { email: "dup1@example.com", name: "Same" });
    ctx.clock.advance(1000);
    await ctx.send("POST", `${BASE}/`, { email: "dup2@example.com", name: "Same" });
    const multi = (await ctx.getJson(`${BASE}/?limit=100&sorting=name&sorting=-created_at`)).body.items.filter((c: any) => c.name === "Same");
    expect(multi.map((c: any) => c.email)).toEqual(["dup2@example.com", "dup1@example.com"]);
  });

  it("email: exact, case-insensitive", async () => {
    const ctx = await start();
    const target = (await ctx.getJson(`${BASE}/?limit=1`)).body.items[0];
    const { body } = await ctx.getJson(`${BASE}/?email=${encodeURIComponent(target.email.toUpperCase())}`);
    expect(ids(body.items)).toEqual([target.id]);
    const partial = target.email.slice(0, 4);
    expect((await ctx.getJson(`${BASE}/?email=${encodeURIComponent(partial)}`)).body.items).toEqual([]);
  });

  it("query: email or name contains, external_id starts with; case-insensitive", async () => {
    const ctx = await start();
    await ctx.send("POST", `${BASE}/`, { email: "zebra.quux@example.com", name: "Unrelated" });
    await ctx.send("POST", `${BASE}/`, { email: "other@example.com", name: "Mr QUUXley" });
    await ctx.send("POST", `${BASE}/`, { email: "third@example.com", external_id: "quux-42" });
    await ctx.send("POST", `${BASE}/`, { email: "fourth@example.com", external_id: "not-quux" });
    const { body } = await ctx.getJson(`${BASE}/?query=QuUx&limit=100&sorting=email`);
    expect(body.items.map((c: any) => c.email)).toEqual(["other@example.com", "third@example.com", "zebra.quux@example.com"]);
  });

  it("metadata[key]=value: same key repeated = OR, different keys = AND; values compared as text", async () => {
    const ctx = await start();
    await ctx.send("POST", `${BASE}/`, { email: "m1@example.com", metadata: { tier: "gold", region: "eu", n: 5, flag: true } });
    await ctx.send("POST", `${BASE}/`, { email: "m2@example.com", metadata: { tier: "silver", region: "eu" } });
    await ctx.send("POST", `${BASE}/`, { email: "m3@example.com", metadata: { tier: "gold", region: "us" } });
    const q = async (qs: string) => (await ctx.getJson(`${BASE}/?limit=100&sorting=email&${qs}`)).body.items.map((c: any) => c.email);
    expect(await q("metadata[tier]=gold")).toEqual(["m1@example.com", "m3@example.com"]);
    expect(await q("metadata[tier]=gold&metadata[tier]=silver")).toEqual(["m1@example.com", "m2@example.com", "m3@example.com"]);
    expect(await q("metadata[tier]=gold&metadata[region]=eu")).toEqual(["m1@example.com"]);
    expect(await q("metadata[n]=5&metadata[flag]=true")).toEqual(["m1@example.com"]);
    expect(await q("metadata[tier]=bronze")).toEqual([]);
  });

  it("soft-deleted customers are excluded", async () => {
    const ctx = await start();
    const first = (await ctx.getJson(`${BASE}/?limit=1`)).body.items[0];
    await ctx.req(`${BASE}/${first.id}`, { method: "DELETE", headers: ctx.full });
    const { body } = await ctx.getJson(`${BASE}/?limit=100`);
    expect(body.pagination.total_count).toBe(24);
    expect(ids(body.items)).not.toContain(first.id);
    expect((await ctx.getJson(`${BASE}/?email=${encodeURIComponent(first.email)}`)).body.items).toEqual([]);
  });

  it("invalid page, limit and sorting → 422 at loc [query, ...]", async () => {
    const ctx = await start();
    const bad = async (qs: string) => {
      const res = await ctx.req(`${BASE}/?${qs}`, { headers: ctx.full });
      expect(res.status, qs).toBe(422);
      const body = await res.json() as any;
      expect(body.error).toBe("RequestValidationError");
      return body.detail;
    };
    expect(await bad("page=0")).toEqual([{ type: "greater_than", loc: ["query", "page"], msg: "Input should be greater than 0", input: "0", ctx: { gt: 0 } }]);
    expect(await bad("limit=-5")).toEqual([{ type: "greater_than", loc: ["query", "limit"], msg: "Input should be greater than 0", input: "-5", ctx: { gt: 0 } }]);
    // Pydantic 2.13 lax int parsing: "2." is refused, "2.00" and " 3 " are accepted
    expect(await bad("page=2.")).toEqual([{ type: "int_parsing", loc: ["query", "page"], msg: "Input should be a valid integer, unable to parse string as an integer", input: "2." }]);
    expect((await ctx.getJson(`${BASE}/?page=2.00&limit=%203%20`)).body.items).toHaveLength(3);
    expect(await bad("page=abc")).toEqual([{ type: "int_parsing", loc: ["query", "page"], msg: "Input should be a valid integer, unable to parse string as an integer", input: "abc" }]);
    expect(await bad("limit=1.5")).toEqual([{ type: "int_parsing", loc: ["query", "limit"], msg: "Input should be a valid integer, unable to parse string as an integer", input: "1.5" }]);
    const expected = "'created_at', '-created_at', 'email', '-email', 'name' or '-name'";
    expect(await bad("sorting=email&sorting=age")).toEqual([{ type: "enum", loc: ["query", "sorting", 1], msg: `Input should be ${expected}`, input: "age", ctx: { expected } }]);
    expect((await bad("page=0&limit=x")).map((d: any) => d.loc)).toEqual([["query", "page"], ["query", "limit"]]);
  });

  it("list needs auth and works with a read-only token", async () => {
    const ctx = await start();
    expect((await ctx.req(`${BASE}/`)).status).toBe(401);
    expect((await ctx.req(`${BASE}/?page=0`)).status).toBe(401);
    expect((await ctx.req(`${BASE}/`, { headers: ctx.readOnly })).status).toBe(200);
  });
});
