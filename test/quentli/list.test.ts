import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { customerListSchema } from "../../src/simulators/quentli/schemas.js";
import { allCustomers, BASE, start } from "./_helpers.js";

describe("GET /v1/customers (quentli.md#list)", () => {
  it("a bare JSON array, 20 by default, newest first", async () => {
    const ctx = await start();
    const res = await ctx.getJson(BASE);
    expect(res.status).toBe(200);
    expect(Array.isArray(res.body)).toBe(true);
    expect(customerListSchema().safeParse(res.body).success).toBe(true);
    expect(res.body).toHaveLength(20);
    const created = res.body.map((c: any) => c.createdAt);
    expect(created).toEqual([...created].sort().reverse());
    // the trailing slash reaches the same route
    expect((await ctx.getJson(`${BASE}/`)).body).toEqual(res.body);
  });

  it("skip and take page through every customer once", async () => {
    const ctx = await start();
    const all = (await ctx.getJson(`${BASE}?take=100`)).body;
    expect(all).toHaveLength(25);
    const pages = [];
    for (let skip = 0; skip < 30; skip += 7) pages.push(...(await ctx.getJson(`${BASE}?skip=${skip}&take=7`)).body);
    expect(pages).toEqual(all);
    expect((await ctx.getJson(`${BASE}?skip=25`)).body).toEqual([]);
  });

  it("bad skip/take → 400 VALIDATION_ERROR at their paths", async () => {
    const ctx = await start();
    const cases: [string, (string | number)[]][] = [["take=0", ["take"]], ["take=101", ["take"]], ["take=abc", ["take"]], ["skip=-1", ["skip"]], ["skip=1.5", ["skip"]], ["take=5&take=6", ["take"]]];
    for (const [query, path] of cases) {
      const res = await ctx.getJson(`${BASE}?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error).toEqual({ code: "VALIDATION_ERROR", message: "Invalid request body", issues: [{ path, message: expect.any(String) }] });
    }
    const both = await ctx.getJson(`${BASE}?take=0&skip=x`);
    expect(both.body.error.issues.map((i: any) => i.path)).toEqual([["skip"], ["take"]]);
  });

  it("skip/take are decimal digits only: -0, +5, 1e3, 0x10, 1.5, empty, take[]=5, repeated → 400 with the parameter's path", async () => {
    const ctx = await start();
    for (const query of ["skip=-0", "take=%2B5", "take=1e3", "take=1e1", "take=0x10", "take=1.5", "take=", "skip=", "take[]=5", "skip[a]=1", "take=5&take=5", "take=%205"]) {
      const res = await ctx.getJson(`${BASE}?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error.code, query).toBe("VALIDATION_ERROR");
      expect(res.body.error.issues.map((i: any) => i.path), query).toEqual([[query.startsWith("skip") ? "skip" : "take"]]);
    }
    expect((await ctx.getJson(`${BASE}?skip=-1`)).body.error.issues).toEqual([{ path: ["skip"], message: "Number must be greater than or equal to 0" }]);
    expect((await ctx.getJson(`${BASE}?take=0x10`)).body.error.issues).toEqual([{ path: ["take"], message: "Expected a non-negative integer, received '0x10'" }]);
    expect((await ctx.getJson(`${BASE}?take=5&take=6`)).body.error.issues).toEqual([{ path: ["take"], message: "Expected a non-negative integer, received array" }]);
    // leading zeros are still decimal
    expect((await ctx.getJson(`${BASE}?take=007`)).body).toHaveLength(7);
  });

  it("odd qs shapes → 400 at their paths, never a 5xx: nested operators, repeated directions, JSON-in-brackets", async () => {
    const ctx = await start();
    const cases: [string, (string | number)[], string][] = [
      ["filter[name][contains][x]=1", ["filter", "name", "contains"], "Expected string, received object"],
      ["filter[name]=%7B%22contains%22%3A%22a%22%7D", ["filter", "name"], "Expected object, received string"],
      ["orderBy[createdAt]=desc&orderBy[createdAt]=asc", ["orderBy", "createdAt"], "Expected 'asc' | 'desc', received array"],
      ["filter[email][equals]=a&filter[email][equals]=b", ["filter", "email", "equals"], "Expected string, received array"],
    ];
    for (const [query, path, message] of cases) {
      const res = await ctx.getJson(`${BASE}?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error.issues, query).toEqual([{ path, message }]);
    }
    // a NUL or an invalid percent-escape in a filter value is just a value nobody has
    for (const query of ["filter[name][contains]=%00", "filter[name][contains]=%FF", `filter[name][contains]=${"a".repeat(5000)}`]) {
      const res = await ctx.getJson(`${BASE}?${query}`);
      expect(res.status, query).toBe(200);
      expect(res.body, query).toEqual([]);
    }
  });

  it("filter[name][contains] (case-insensitive), filter[email][equals], filter[username][equals], qs-encoded", async () => {
    const ctx = await start();
    const all = await allCustomers(ctx);
    const someone = all.find((c) => c.username !== null);
    const part = someone.name.split(" ")[1].slice(0, 3).toUpperCase();
    const byName = (await ctx.getJson(`${BASE}?take=100&filter[name][contains]=${encodeURIComponent(part)}`)).body;
    expect(byName.length).toBeGreaterThan(0);
    expect(byName).toEqual(all.filter((c) => c.name.toLowerCase().includes(part.toLowerCase())));
    // percent-encoded brackets, as HTTP clients send them
    const byEmail = (await ctx.getJson(`${BASE}?filter%5Bemail%5D%5Bequals%5D=${encodeURIComponent(someone.email.toUpperCase())}`)).body;
    expect(byEmail).toEqual([someone]);
    const byUsername = (await ctx.getJson(`${BASE}?filter[username][equals]=${someone.username}`)).body;
    expect(byUsername).toEqual([someone]);
    expect((await ctx.getJson(`${BASE}?filter[email][equals]=nobody@example.com`)).body).toEqual([]);
  });

  it("any mix of filters, orderBy, skip and take gives the rows testing each customer would (the name search blocks, the unique indexes for equals)", { timeout: 60_000 }, async () => {
    const ctx = await start();
    // besides the fixtures: names whose case folds change their length or are not ASCII, and missing fields
    const odd = [
      { name: "İstanbul Straße", email: "istanbul@example.com", username: "İSTANBUL" },
      { name: "ÉCOLE ÉTÉ", phoneNumber: "+525512345678" },
      { name: "Σίσυφος ΣΣ", username: "sisyphos" },
      { name: "ǅemal ﬀ Kelvin K", email: "DZEMAL@Example.COM" },
      { name: "Zoë  (two spaces)" },
    ];
    for (const input of odd) expect((await ctx.send("POST", BASE, { input })).status).toBe(201);
    const fields = ["createdAt", "updatedAt", "name", "email", "username"] as const;
    const lists = new Map<string, any[]>();
    for (const f of fields) for (const dir of ["asc", "desc"]) lists.set(`${f} ${dir}`, (await ctx.getJson(`${BASE}?take=100&orderBy[${f}]=${dir}`)).body);
    const all = lists.get("createdAt desc")!;
    expect(all.length).toBe(25 + odd.length);
    type Key = "name" | "email" | "username" | "phoneNumber";
    const keys: Key[] = ["name", "email", "username", "phoneNumber"];
    const recase = (v: string, upper: boolean[]) => [...v].map((ch, i) => (upper[i % upper.length] ? ch.toUpperCase() : ch.toLowerCase())).join("");
    // 1–3 conditions on one customer's fields (its value or a part of it, recased), or a value nobody has
    const condition = fc.record({ key: fc.constantFrom(...keys), op: fc.constantFrom("equals", "contains"), a: fc.nat(), b: fc.nat(), upper: fc.array(fc.boolean(), { minLength: 1, maxLength: 4 }), other: fc.oneof({ arbitrary: fc.constant(null), weight: 4 }, { arbitrary: fc.string({ unit: fc.constantFrom("a", "e", "x", "1", "@", ".", " ", "É", "ß", "İ"), maxLength: 4 }), weight: 1 }) });
    const filters = fc.tuple(fc.nat({ max: all.length - 1 }), fc.array(condition, { minLength: 1, maxLength: 3 })).map(([who, conds]) => {
      const filter: Partial<Record<Key, { equals?: string; contains?: string }>> = {};
      for (const { key, op, a, b, upper, other } of conds) {
        const own: string | null = all[who][key];
        let value = other ?? own ?? "";
        if (other === null && own !== null && op === "contains") {
          const from = a % (own.length + 1);
          value = own.slice(from, from + (b % (own.length - from + 1)));
        }
        (filter[key] ??= {})[op as "equals" | "contains"] = recase(value, upper);
      }
      return filter;
    });
    const lower = (v: string) => v.toLowerCase();
    const matches = (value: string | null, f?: { equals?: string; contains?: string }) =>
      !f || f.equals === undefined && f.contains === undefined ? true
        : value !== null && (f.equals === undefined || lower(value) === lower(f.equals)) && (f.contains === undefined || lower(value).includes(lower(f.contains)));
    let found = 0;
    await fc.assert(
      fc.asyncProperty(filters, fc.constantFrom(...lists.keys()), fc.oneof({ arbitrary: fc.constant(0), weight: 3 }, { arbitrary: fc.nat({ max: 3 }), weight: 1 }), fc.integer({ min: 1, max: 100 }), async (filter, order, skip, take) => {
        const query = [`skip=${skip}`, `take=${take}`, `orderBy[${order.split(" ")[0]}]=${order.split(" ")[1]}`];
        for (const [field, ops] of Object.entries(filter)) for (const [op, v] of Object.entries(ops ?? {})) query.push(`filter[${field}][${op}]=${encodeURIComponent(v as string)}`);
        const res = await ctx.getJson(`${BASE}?${query.join("&")}`);
        expect(res.status).toBe(200);
        const expected = lists.get(order)!.filter((c) => keys.every((k) => matches(c[k], filter[k]))).slice(skip, skip + take);
        expect(res.body).toEqual(expected);
        if (expected.length > 0) found++;
      }),
      { numRuns: 400 },
    );
    // the generated filters find customers often enough to test the paths that return rows
    expect(found).toBeGreaterThan(100);
  });

  it("orderBy[field]=asc|desc; default createdAt desc", async () => {
    const ctx = await start();
    const asc = (await ctx.getJson(`${BASE}?take=100&orderBy[createdAt]=asc`)).body;
    const desc = (await ctx.getJson(`${BASE}?take=100`)).body;
    expect(asc).toEqual([...desc].reverse());
    const byName = (await ctx.getJson(`${BASE}?take=100&orderBy[name]=asc`)).body.map((c: any) => c.name);
    expect(byName).toEqual([...byName].sort((a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)));
  });

  it("orderBy a nullable field: nulls last ascending, first descending (Postgres); several keys in order", async () => {
    const ctx = await start();
    const asc = (await ctx.getJson(`${BASE}?take=100&orderBy[username]=asc`)).body.map((c: any) => c.username);
    const nulls = asc.filter((u: string | null) => u === null).length;
    expect(nulls).toBeGreaterThan(0);
    expect(asc.slice(asc.length - nulls).every((u: string | null) => u === null)).toBe(true);
    const named = asc.slice(0, asc.length - nulls);
    expect(named).toEqual([...named].sort());
    const desc = (await ctx.getJson(`${BASE}?take=100&orderBy[username]=desc`)).body.map((c: any) => c.username);
    expect(desc.slice(0, nulls).every((u: string | null) => u === null)).toBe(true);
    // a page of a sorted list is that slice of the whole list
    const whole = (await ctx.getJson(`${BASE}?take=100&orderBy[username]=desc&orderBy[createdAt]=asc`)).body;
    expect((await ctx.getJson(`${BASE}?skip=3&take=5&orderBy[username]=desc&orderBy[createdAt]=asc`)).body).toEqual(whole.slice(3, 8));
    const nullGroup = whole.slice(0, nulls).map((c: any) => c.createdAt);
    expect(nullGroup).toEqual([...nullGroup].sort());
  });

  it("unknown filter fields or operators, bad directions → 400 listing them", async () => {
    const ctx = await start();
    const res = await ctx.getJson(`${BASE}?filter[age][gt]=3&filter[name][startsWith]=a&orderBy[createdAt]=up&orderBy[password]=asc`);
    expect(res.status).toBe(400);
    expect(res.body.error.issues.map((i: any) => i.path)).toEqual([["filter", "name"], ["filter"], ["orderBy", "createdAt"], ["orderBy"]]);
    const notObject = await ctx.getJson(`${BASE}?filter=name`);
    expect(notObject.body.error.issues).toEqual([{ path: ["filter"], message: "Expected object, received string" }]);
  });

  it("a new customer shows first; the list reflects updates", async () => {
    const ctx = await start();
    ctx.clock.advance(1000);
    const created = ((await (await ctx.send("POST", BASE, { input: { name: "Newest" } })).json()) as any).customer;
    expect((await ctx.getJson(`${BASE}?take=1`)).body).toEqual([created]);
    await ctx.send("PATCH", `${BASE}/${created.id}`, { input: { data: { name: "Renamed" } } });
    expect((await ctx.getJson(`${BASE}?take=1`)).body[0].name).toBe("Renamed");
  });
});
