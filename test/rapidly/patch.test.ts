import { describe, expect, it } from "vitest";
import { BASE, NOT_FOUND, T0_ISO, findCustomer, start, type Ctx } from "./_helpers.js";

const RVE = "RequestValidationError";
const RULES = "RapidlyRequestValidationError";

async function individual(ctx: Ctx) {
  return findCustomer(ctx, (c) => c.type === "individual" && c.external_id === null && c.billing_address === null);
}

/** PATCH and expect it rejected with `status`; then the customer must be unchanged. */
async function rejected(ctx: Ctx, id: string, body: unknown, status: number, headers?: Record<string, string>) {
  const before = await ctx.getJson(`${BASE}/${id}`);
  const res = await ctx.send("PATCH", `${BASE}/${id}`, body, headers);
  expect(res.status).toBe(status);
  const json = await res.json() as any;
  expect(await ctx.getJson(`${BASE}/${id}`)).toEqual(before);
  return json;
}

describe("PATCH: order of checks", () => {
  it("malformed JSON → 422 json_invalid before auth (FastAPI's shape)", async () => {
    const ctx = await start();
    const res = await ctx.req(`${BASE}/not-even-a-uuid`, { method: "PATCH", body: '{"name": }', headers: { "Content-Type": "application/json" } });
    expect(res.status).toBe(422);
    expect(await res.json() as any).toEqual({
      error: RVE,
      detail: [{ type: "json_invalid", loc: ["body", 9], msg: "JSON decode error", input: {}, ctx: { error: "Expecting value" } }],
    });
    expect(res.headers.get("cache-control")).toBe("private, no-store");
  });

  it("Python's json error messages and positions", async () => {
    const ctx = await start();
    const cases: [string, string, number][] = [
      ["{", "Expecting property name enclosed in double quotes", 1],
      ["{'a': 1}", "Expecting property name enclosed in double quotes", 1],
      ['{"a" 1}', "Expecting ':' delimiter", 5],
      ['{"a": 1 "b": 2}', "Expecting ',' delimiter", 8],
      // Python 3.13+ (Polar runs 3.14): trailing commas are reported at the comma
      ['{"a": 1,}', "Illegal trailing comma before end of object", 7],
      ['{"a": [1, 2 , ]}', "Illegal trailing comma before end of array", 12],
      ['{"a": 1,,}', "Expecting property name enclosed in double quotes", 8],
      ['{"a": 1} x', "Extra data", 9],
      ['{"a": "x', "Unterminated string starting at", 6],
      ['{"a": "\\x"}', "Invalid \\escape", 7],
      ['{"a": "\\u12"}', "Invalid \\uXXXX escape", 8],
      ['{"a": "\n"}', "Invalid control character at", 7],
      ['[1, 2', "Expecting ',' delimiter", 5],
      ['{"é": "ü", "b": }', "Expecting value", 16],
      ["   ", "Expecting value", 3],
      ["NaN", "Expecting value", 0],
      ['{"a": Infinity}', "Expecting value", 6],
    ];
    for (const [body, error, pos] of cases) {
      const res = await ctx.req(`${BASE}/x`, { method: "PATCH", body, headers: { "Content-Type": "application/json" } });
      expect(res.status, body).toBe(422);
      expect((await res.json() as any).detail, body).toEqual([{ type: "json_invalid", loc: ["body", pos], msg: "JSON decode error", input: {}, ctx: { error } }]);
    }
  });

  it("well-formed JSON without a token → 401", async () => {
    const ctx = await start();
    const res = await ctx.req(`${BASE}/x`, { method: "PATCH", body: '{"email": 1}', headers: { "Content-Type": "application/json" } });
    expect(res.status).toBe(401);
  });

  it("path and body problems come together in one 422, path first", async () => {
    const ctx = await start();
    const res = await ctx.send("PATCH", `${BASE}/abc`, { type: "x" });
    expect(res.status).toBe(422);
    const body = await res.json() as any;
    expect(body.error).toBe(RVE);
    expect(body.detail.map((d: any) => d.loc)).toEqual([["path", "id"], ["body", "type"]]);
  });

  it("schema validation comes before the lookup: unknown id + bad body → 422", async () => {
    const ctx = await start();
    const unknown = "0b6f1f5e-2b8c-4d6e-9a51-3c1d2e4f5a6b";
    expect((await ctx.send("PATCH", `${BASE}/${unknown}`, { email: "bad" })).status).toBe(422);
    const res = await ctx.send("PATCH", `${BASE}/${unknown}`, { name: "ok" });
    expect(res.status).toBe(404);
    expect(await res.json() as any).toEqual(NOT_FOUND);
  });

  it("the lookup comes before business rules: unknown id + null billing_address → 404", async () => {
    const ctx = await start();
    const res = await ctx.send("PATCH", `${BASE}/0b6f1f5e-2b8c-4d6e-9a51-3c1d2e4f5a6b`, { billing_address: null });
    expect(res.status).toBe(404);
  });
});

describe("PATCH: body shape (FastAPI)", () => {
  it("no body → missing at [body]", async () => {
    const ctx = await start();
    const c = await individual(ctx);
    for (const init of [{ body: undefined }, { body: "" }]) {
      const res = await ctx.req(`${BASE}/${c.id}`, { method: "PATCH", headers: { ...ctx.full, "Content-Type": "application/json" }, ...init });
      expect(res.status).toBe(422);
      expect(await res.json() as any).toEqual({ error: RVE, detail: [{ type: "missing", loc: ["body"], msg: "Field required", input: null }] });
    }
  });

  it("JSON null → missing; an array, string or number → model_attributes_type", async () => {
    const ctx = await start();
    const c = await individual(ctx);
    expect((await rejected(ctx, c.id, "null", 422)).detail).toEqual([{ type: "missing", loc: ["body"], msg: "Field required", input: null }]);
    for (const [text, input] of [["[]", []], ['"s"', "s"], ["42", 42], ["true", true]] as const) {
      const body = await rejected(ctx, c.id, text, 422);
      expect(body.detail).toEqual([{ type: "model_attributes_type", loc: ["body"], msg: "Input should be a valid dictionary or object to extract fields from", input }]);
    }
  });

  it("a non-JSON content type is not decoded: the raw text fails model validation", async () => {
    const ctx = await start();
    const c = await individual(ctx);
    const text = '{"name": "x"}';
    const res = await ctx.req(`${BASE}/${c.id}`, { method: "PATCH", body: text, headers: { ...ctx.full, "Content-Type": "text/plain" } });
    expect(res.status).toBe(422);
    expect((await res.json() as any).detail).toEqual([{ type: "model_attributes_type", loc: ["body"], msg: "Input should be a valid dictionary or object to extract fields from", input: text }]);
    // and malformed text under a non-JSON type reaches auth first (not decoded at all)
    expect((await ctx.req(`${BASE}/${c.id}`, { method: "PATCH", body: "{bad", headers: { "Content-Type": "text/plain" } })).status).toBe(401);
  });

  it("application/*+json and a missing content type are decoded as JSON", async () => {
    const ctx = await start();
    const c = await individual(ctx);
    const a = await ctx.req(`${BASE}/${c.id}`, { method: "PATCH", body: '{"name": "Plus Json"}', headers: { ...ctx.full, "Content-Type": "application/merge-patch+json; charset=utf-8" } });
    expect(a.status).toBe(200);
    expect((await a.json() as any).name).toBe("Plus Json");
    const b = await ctx.req(`${BASE}/${c.id}`, { method: "PATCH", body: new TextEncoder().encode('{"name": "No Type"}'), headers: { ...ctx.full } });
    expect(b.status).toBe(200);
    expect((await b.json() as any).name).toBe("No Type");
  });

  it("unknown fields are ignored, at the top level and in billing_address", async () => {
    const ctx = await start();
    const c = await individual(ctx);
    const res = await ctx.send("PATCH", `${BASE}/${c.id}`, { foo: 1, id: "x", workspace_id: "y", billing_address: { country: "DE", extra: true } });
    expect(res.status).toBe(200);
    const body = await res.json() as any;
    expect(body.id).toBe(c.id);
    expect(body.billing_address).toEqual({ line1: null, line2: null, postal_code: null, city: null, state: null, country: "DE" });
  });

  it("nesting deeper than CPython's recursion limit → 400 (FastAPI's body parse failure)", async () => {
    const ctx = await start();
    const c = await individual(ctx);
    const deep = `{"metadata": ${"[".repeat(5000)}${"]".repeat(5000)}}`;
    const body = await rejected(ctx, c.id, deep, 400);
    expect(body).toEqual({ detail: "There was an error parsing the body" });
    const deepBroken = `{"metadata": ${"[".repeat(5000)}`;
    expect(await rejected(ctx, c.id, deepBroken, 400)).toEqual({ detail: "There was an error parsing the body" });
  });

  it("moderate nesting in an unknown field is fine; in a known field it is a type error", async () => {
    const ctx = await start();
    const c = await individual(ctx);
    const nested = JSON.parse(`${"[".repeat(50)}${"]".repeat(50)}`);
    expect((await ctx.send("PATCH", `${BASE}/${c.id}`, { junk: nested })).status).toBe(200);
    const body = await rejected(ctx, c.id, { name: nested }, 422);
    expect(body.detail).toEqual([{ type: "string_type", loc: ["body", "name"], msg: "Input should be a valid string", input: nested }]);
  });
});

describe("PATCH: schema validation", () => {
  it("email: value_error with python-email-validator's reason", async () => {
    const ctx = await start();
    const c = await individual(ctx);
    const cases: [string, string][] = [
      ["nope", "An email address must have an @-sign."],
      ["a@b", "The part after the @-sign is not valid. It should have a period."],
      ["@example.com", "There must be something before the @-sign."],
      ["a@", "There must be something after the @-sign."],
      ["a b@example.com", "The email address contains invalid characters before the @-sign: SPACE."],
      [".a@example.com", "An email address cannot start with a period."],
      ["a.@example.com", "An email address cannot have a period immediately before the @-sign."],
      ["a..b@example.com", "An email address cannot have two periods in a row."],
      ["a@-example.com", "An email address cannot have a hyphen immediately after the @-sign."],
      ["a@example.com.", "An email address cannot end with a period."],
      ["a@exa_mple.com", "The part after the @-sign contains invalid characters: '_'."],
      ["a@example.test", "The part after the @-sign is a special-use or reserved name that cannot be used with email."],
      [`${"a".repeat(65)}@example.com`, "The email address is too long before the @-sign (1 character too many)."],
    ];
    for (const [email, reason] of cases) {
      const body = await rejected(ctx, c.id, { email }, 422);
      expect(body, email).toEqual({
        error: RVE,
        detail: [{ type: "value_error", loc: ["body", "email"], msg: `value is not a valid email address: ${reason}`, input: email, ctx: { reason } }],
      });
    }
  });

  it("email of the wrong type → string_type", async () => {
    const ctx = await start();
    const c = await individual(ctx);
    const body = await rejected(ctx, c.id, { email: 5 }, 422);
    expect(body.detail).toEqual([{ type: "string_type", loc: ["body", "email"], msg: "Input should be a valid string", input: 5 }]);
  });

  it("name over 256 characters → string_too_long", async () => {
    const ctx = await start();
    const c = await individual(ctx);
    const name = "n".repeat(257);
    const body = await rejected(ctx, c.id, { name }, 422);
    expect(body.detail).toEqual([{ type: "string_too_long", loc: ["body", "name"], msg: "String should have at most 256 characters", input: name, ctx: { max_length: 256 } }]);
    expect((await ctx.send("PATCH", `${BASE}/${c.id}`, { name: "n".repeat(256) })).status).toBe(200);
  });

  it("metadata: more than 50 items → too_long", async () => {
    const ctx = await start();
    const c = await individual(ctx);
    const metadata = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i]));
    const body = await rejected(ctx, c.id, { metadata }, 422);
    expect(body.detail).toEqual([{
      type: "too_long", loc: ["body", "metadata"], msg: "Dictionary should have at most 50 items after validation, not 51",
      input: metadata, ctx: { field_type: "Dictionary", max_length: 50, actual_length: 51 },
    }]);
    const fifty = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, i]));
    expect((await ctx.send("PATCH", `${BASE}/${c.id}`, { metadata: fifty })).status).toBe(200);
  });

  it("metadata keys: 1 to 40 characters, errors at [key]", async () => {
    const ctx = await start();
    const c = await individual(ctx);
    const long = "k".repeat(41);
    const body = await rejected(ctx, c.id, { metadata: { [long]: "v", "": "w" } }, 422);
    expect(body.detail).toEqual([
      { type: "string_too_long", loc: ["body", "metadata", long, "[key]"], msg: "String should have at most 40 characters", input: long, ctx: { max_length: 40 } },
      { type: "string_too_short", loc: ["body", "metadata", "", "[key]"], msg: "String should have at least 1 character", input: "", ctx: { min_length: 1 } },
    ]);
  });

  it("metadata values: str(1..500) | int | float | bool, one item per union member", async () => {
    const ctx = await start();
    const c = await individual(ctx);
    const body = await rejected(ctx, c.id, { metadata: { a: null } }, 422);
    expect(body.detail).toEqual([
      { type: "string_type", loc: ["body", "metadata", "a", "constrained-str"], msg: "Input should be a valid string", input: null },
      { type: "int_type", loc: ["body", "metadata", "a", "int"], msg: "Input should be a valid integer", input: null },
      { type: "float_type", loc: ["body", "metadata", "a", "float"], msg: "Input should be a valid number", input: null },
      { type: "bool_type", loc: ["body", "metadata", "a", "bool"], msg: "Input should be a valid boolean", input: null },
    ]);
    const long = "v".repeat(501);
    const tooLong = await rejected(ctx, c.id, { metadata: { a: long } }, 422);
    expect(tooLong.detail[0]).toEqual({ type: "string_too_long", loc: ["body", "metadata", "a", "constrained-str"], msg: "String should have at most 500 characters", input: long, ctx: { max_length: 500 } });
    expect(tooLong.detail.map((d: any) => d.type)).toEqual(["string_too_long", "int_parsing", "float_parsing", "bool_parsing"]);
    const empty = await rejected(ctx, c.id, { metadata: { a: "" } }, 422);
    expect(empty.detail[0]).toEqual({ type: "string_too_short", loc: ["body", "metadata", "a", "constrained-str"], msg: "String should have at least 1 character", input: "", ctx: { min_length: 1 } });
    for (const v of [[1], { x: 1 }]) expect((await rejected(ctx, c.id, { metadata: { a: v } }, 422)).detail).toHaveLength(4);
    const ok = await ctx.send("PATCH", `${BASE}/${c.id}`, { metadata: { s: "v".repeat(500), i: 3, f: 1.5, b: false, big: 12345678901234567890 } });
    expect(ok.status).toBe(200);
    expect((await ok.json() as any).metadata).toEqual({ s: "v".repeat(500), i: 3, f: 1.5, b: false, big: 12345678901234567890 });
  });

  it("metadata: null → dict_type; a list → dict_type; Infinity from a huge literal → finite_number", async () => {
    const ctx = await start();
    const c = await individual(ctx);
    expect((await rejected(ctx, c.id, { metadata: null }, 422)).detail).toEqual([{ type: "dict_type", loc: ["body", "metadata"], msg: "Input should be a valid dictionary", input: null }]);
    expect((await rejected(ctx, c.id, { metadata: ["a"] }, 422)).detail).toEqual([{ type: "dict_type", loc: ["body", "metadata"], msg: "Input should be a valid dictionary", input: ["a"] }]);
    const huge = await rejected(ctx, c.id, '{"metadata": {"n": 1e400}}', 422);
    expect(huge.detail.map((d: any) => [d.type, d.loc[3]])).toEqual([["string_type", "constrained-str"], ["finite_number", "int"], ["finite_number", "float"], ["bool_type", "bool"]]);
  });

  it("metadata keys __proto__ and constructor are ordinary keys (no prototype pollution)", async () => {
    const ctx = await start();
    const c = await individual(ctx);
    const res = await ctx.send("PATCH", `${BASE}/${c.id}`, '{"metadata": {"__proto__": "p", "constructor": "c", "toString": 1}}');
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('"metadata":{"__proto__":"p","constructor":"c","toString":1}');
    const again = await (await ctx.req(`${BASE}/${c.id}`, { headers: ctx.full })).text();
    expect(again).toContain('"metadata":{"__proto__":"p","constructor":"c","toString":1}');
    // stored as an own key, not swallowed as a prototype assignment
    const raw = await (await ctx.req("/__admin/rapidly/customers")).json() as { customers: any[] };
    expect(Object.keys(raw.customers.find((x) => x.id === c.id).metadata)).toEqual(["__proto__", "constructor", "toString"]);
    // a __proto__ object value is a type error, not a prototype
    const bad = await rejected(ctx, c.id, '{"metadata": {"__proto__": {"polluted": true}}}', 422);
    expect(bad.detail[0].loc).toEqual(["body", "metadata", "__proto__", "constrained-str"]);
    expect(({} as any).polluted).toBeUndefined();
    // top-level __proto__ is just an unknown field
    expect((await ctx.send("PATCH", `${BASE}/${c.id}`, '{"__proto__": {"name": "evil"}, "name": "fine"}')).status).toBe(200);
    expect(({} as any).name).toBeUndefined();
  });

  it("billing_address: country required, upper-cased, ISO alpha-2 minus sanctioned ones", async () => {
    const ctx = await start();
    const c = await individual(ctx);
    const missing = await rejected(ctx, c.id, { billing_address: { line1: "1 Main St" } }, 422);
    expect(missing.detail).toEqual([{ type: "missing", loc: ["body", "billing_address", "country"], msg: "Field required", input: { line1: "1 Main St" } }]);
    for (const country of ["RU", "cu", "IR", "KP", "SY", "XX", "USA"]) {
      const body = await rejected(ctx, c.id, { billing_address: { country } }, 422);
      const item = body.detail[0];
      expect(item.type, country).toBe("enum");
      expect(item.loc).toEqual(["body", "billing_address", "country"]);
      expect(item.input).toBe(country.toUpperCase());
      expect(item.msg).toMatch(/^Input should be 'AD', 'AE', .* 'ZM' or 'ZW'$/);
      expect(item.msg).not.toContain("'RU'");
      expect(item.ctx.expected).toBe(item.msg.slice("Input should be ".length));
    }
    const ok = await ctx.send("PATCH", `${BASE}/${c.id}`, { billing_address: { country: "fr", city: "Paris", state: "Île-de-France", line2: "" } });
    expect(ok.status).toBe(200);
    expect((await ok.json() as any).billing_address).toEqual({ line1: null, line2: null, postal_code: null, city: "Paris", state: "Île-de-France", country: "FR" });
  });

  it("billing_address: US/CA states get their prefix and must exist", async () => {
    const ctx = await start();
    const c = await individual(ctx);
    const us = await ctx.send("PATCH", `${BASE}/${c.id}`, { billing_address: { country: "us", state: "CA" } });
    expect((await us.json() as any).billing_address.state).toBe("US-CA");
    const dc = await ctx.send("PATCH", `${BASE}/${c.id}`, { billing_address: { country: "US", state: "US-DC" } });
    expect((await dc.json() as any).billing_address.state).toBe("US-DC");
    const ca = await ctx.send("PATCH", `${BASE}/${c.id}`, { billing_address: { country: "CA", state: "QC" } });
    expect((await ca.json() as any).billing_address.state).toBe("CA-QC");
    const badUs = await rejected(ctx, c.id, { billing_address: { country: "US", state: "ZZ" } }, 422);
    expect(badUs.detail).toEqual([{ type: "value_error", loc: ["body", "billing_address"], msg: "Value error, Invalid US state", input: { country: "US", state: "ZZ" }, ctx: { error: {} } }]);
    const badCa = await rejected(ctx, c.id, { billing_address: { country: "CA", state: "CA-ZZ" } }, 422);
    expect(badCa.detail).toEqual([{ type: "value_error", loc: ["body", "billing_address"], msg: "Value error, Invalid CA subdivision", input: { country: "CA", state: "CA-ZZ" }, ctx: { error: {} } }]);
    const blank = await ctx.send("PATCH", `${BASE}/${c.id}`, { billing_address: { country: "US", state: "", line1: " " } });
    expect((await blank.json() as any).billing_address).toEqual({ line1: null, line2: null, postal_code: null, city: null, state: null, country: "US" });
  });

  it("billing_address of the wrong type → model_attributes_type; its fields → string_type", async () => {
    const ctx = await start();
    const c = await individual(ctx);
    expect((await rejected(ctx, c.id, { billing_address: "Paris" }, 422)).detail).toEqual([
      { type: "model_attributes_type", loc: ["body", "billing_address"], msg: "Input should be a valid dictionary or object to extract fields from", input: "Paris" },
    ]);
    expect((await rejected(ctx, c.id, { billing_address: { country: "FR", city: 7 } }, 422)).detail).toEqual([
      { type: "string_type", loc: ["body", "billing_address", "city"], msg: "Input should be a valid string", input: 7 },
    ]);
  });

  it("type: enum", async () => {
    const ctx = await start();
    const c = await individual(ctx);
    expect((await rejected(ctx, c.id, { type: "company" }, 422)).detail).toEqual([
      { type: "enum", loc: ["body", "type"], msg: "Input should be 'individual' or 'team'", input: "company", ctx: { expected: "'individual' or 'team'" } },
    ]);
  });

  it("wrong JSON types in any field", async () => {
    const ctx = await start();
    const c = await individual(ctx);
    const body = await rejected(ctx, c.id, { metadata: "x", email: [], name: 1, billing_address: 3, external_id: {}, type: 1 }, 422);
    expect(body.detail.map((d: any) => [d.loc.join("."), d.type])).toEqual([
      ["body.metadata", "dict_type"],
      ["body.email", "string_type"],
      ["body.name", "string_type"],
      ["body.billing_address", "model_attributes_type"],
      ["body.external_id", "string_type"],
      ["body.type", "enum"],
    ]);
  });
});

describe("PATCH: business rules", () => {
  it("email taken by another live customer (case-insensitive) → RapidlyRequestValidationError", async () => {
    const ctx = await start();
    const [a, b] = (await ctx.getJson(`${BASE}/?limit=2`)).body.items;
    const input = b.email.toUpperCase().replace(/@.*/, "") + "@" + b.email.split("@")[1].toUpperCase();
    const body = await rejected(ctx, a.id, { email: input }, 422);
    const [local, domain] = input.split("@") as [string, string];
    const normalised = `${local}@${domain.toLowerCase()}`;
    expect(body).toEqual({
      error: RULES,
      detail: [{ type: "value_error", loc: ["body", "email"], msg: "A customer with this email address already exists.", input: normalised }],
    });
  });

  it("billing_address: null is refused, whatever the current value", async () => {
    const ctx = await start();
    const none = await individual(ctx);
    const withAddress = await findCustomer(ctx, (c) => c.billing_address !== null);
    for (const c of [none, withAddress]) {
      const body = await rejected(ctx, c.id, { billing_address: null }, 422);
      expect(body).toEqual({
        error: RULES,
        detail: [{ type: "value_error", loc: ["body", "billing_address"], msg: "Customer billing address cannot be reset to null once set.", input: null }],
      });
    }
  });

  it("external_id cannot change once set (null and empty string included)", async () => {
    const ctx = await start();
    const c = await findCustomer(ctx, (x) => x.external_id !== null);
    for (const external_id of ["other", null, ""]) {
      const body = await rejected(ctx, c.id, { external_id }, 422);
      expect(body).toEqual({
        error: RULES,
        detail: [{ type: "value_error", loc: ["body", "external_id"], msg: "Customer external ID cannot be updated.", input: external_id }],
      });
    }
    // resending the same value is a no-op
    const same = await ctx.send("PATCH", `${BASE}/${c.id}`, { external_id: c.external_id });
    expect(same.status).toBe(200);
    expect((await same.json() as any).external_id).toBe(c.external_id);
  });

  it("external_id can be set once when null, unless another customer has it", async () => {
    const ctx = await start();
    const holder = await findCustomer(ctx, (x) => x.external_id !== null);
    const c = await individual(ctx);
    const taken = await rejected(ctx, c.id, { external_id: holder.external_id }, 422);
    expect(taken.detail).toEqual([{ type: "value_error", loc: ["body", "external_id"], msg: "A customer with this external ID already exists.", input: holder.external_id }]);
    const set = await ctx.send("PATCH", `${BASE}/${c.id}`, { external_id: "ext-new-1" });
    expect((await set.json() as any).external_id).toBe("ext-new-1");
    expect((await ctx.getJson(`${BASE}/external/ext-new-1`)).body.id).toBe(c.id);
    // null → null is a no-op for a customer without one
    const other = await individual(ctx);
    expect((await ctx.send("PATCH", `${BASE}/${other.id}`, { external_id: null })).status).toBe(200);
  });

  it("type cannot be downgraded from team (null included); individual and legacy null → team is fine", async () => {
    const ctx = await start();
    const team = await findCustomer(ctx, (x) => x.type === "team");
    for (const type of ["individual", null]) {
      const body = await rejected(ctx, team.id, { type }, 422);
      expect(body).toEqual({
        error: RULES,
        detail: [{ type: "value_error", loc: ["body", "type"], msg: "Customer type cannot be downgraded from 'team' to 'individual'.", input: type }],
      });
    }
    expect((await ctx.send("PATCH", `${BASE}/${team.id}`, { type: "team" })).status).toBe(200);
    const legacy = await findCustomer(ctx, (x) => x.type === null);
    const up = await ctx.send("PATCH", `${BASE}/${legacy.id}`, { type: "team" });
    expect((await up.json() as any).type).toBe("team");
    const ind = await individual(ctx);
    expect((await (await ctx.send("PATCH", `${BASE}/${ind.id}`, { type: "team" })).json() as any).type).toBe("team");
    // legacy null type counts as individual: individual → individual is fine
    const legacy2 = (await ctx.getJson(`${BASE}/?limit=100`)).body.items.find((x: any) => x.type === null && x.id !== legacy.id);
    expect((await ctx.send("PATCH", `${BASE}/${legacy2.id}`, { type: "individual" })).status).toBe(200);
  });

  it("every violation is collected into one 422 and nothing is written", async () => {
    const ctx = await start();
    const team = await findCustomer(ctx, (x) => x.type === "team" && x.external_id !== null);
    const other = (await ctx.getJson(`${BASE}/?limit=100`)).body.items.find((x: any) => x.id !== team.id);
    const body = await rejected(ctx, team.id, { email: other.email, billing_address: null, external_id: "changed", type: "individual", name: "Should Not Stick", metadata: { x: 1 } }, 422);
    expect(body.error).toBe(RULES);
    expect(body.detail.map((d: any) => d.msg)).toEqual([
      "A customer with this email address already exists.",
      "Customer billing address cannot be reset to null once set.",
      "Customer external ID cannot be updated.",
      "Customer type cannot be downgraded from 'team' to 'individual'.",
    ]);
  });
});

describe("PATCH: writes", () => {
  it("applies only the fields present; modified_at = now (microseconds)", async () => {
    const ctx = await start();
    const c = await findCustomer(ctx, (x) => x.billing_address !== null && Object.keys(x.metadata).length > 0);
    const res = await ctx.send("PATCH", `${BASE}/${c.id}`, { name: "  New Name  " });
    expect(res.status).toBe(200);
    const body = await res.json() as any;
    expect(body).toEqual({ ...c, name: "New Name", modified_at: T0_ISO });
    expect(await ctx.getJson(`${BASE}/${c.id}`)).toEqual({ status: 200, body });
  });

  it("metadata replaces the whole map", async () => {
    const ctx = await start();
    const c = await findCustomer(ctx, (x) => Object.keys(x.metadata).length > 1);
    const body = await (await ctx.send("PATCH", `${BASE}/${c.id}`, { metadata: { only: "this" } })).json() as any;
    expect(body.metadata).toEqual({ only: "this" });
    expect((await (await ctx.send("PATCH", `${BASE}/${c.id}`, { metadata: {} })).json() as any).metadata).toEqual({});
  });

  it('name "" or null clears it', async () => {
    const ctx = await start();
    const c = await findCustomer(ctx, (x) => x.name !== null);
    expect((await (await ctx.send("PATCH", `${BASE}/${c.id}`, { name: "   " })).json() as any).name).toBeNull();
    await ctx.send("PATCH", `${BASE}/${c.id}`, { name: "Back" });
    expect((await (await ctx.send("PATCH", `${BASE}/${c.id}`, { name: null })).json() as any).name).toBeNull();
  });

  it("an email change lower-cases the domain, un-verifies, and updates an individual's owner member", async () => {
    const ctx = await start();
    const c = await findCustomer(ctx, (x) => x.type === "individual" && x.email_verified === true);
    ctx.clock.advance(5);
    const body = await (await ctx.send("PATCH", `${BASE}/${c.id}`, { email: "New.Person@EXAMPLE.org" })).json() as any;
    expect(body.email).toBe("New.Person@example.org");
    expect(body.email_verified).toBe(false);
    expect(body.modified_at).toBe("2025-06-01T12:00:00.005000Z");
    const owner = body.members.find((m: any) => m.role === "owner");
    expect(owner.email).toBe("New.Person@example.org");
    expect(owner.modified_at).toBe("2025-06-01T12:00:00.005000Z");
    // the old email is free, the new one taken
    expect((await ctx.send("POST", `${BASE}/`, { email: c.email })).status).toBe(201);
    expect((await ctx.send("POST", `${BASE}/`, { email: "new.person@example.org" })).status).toBe(422);
  });

  it("a team's email change does not touch its owner member", async () => {
    const ctx = await start();
    const team = await findCustomer(ctx, (x) => x.type === "team");
    const body = await (await ctx.send("PATCH", `${BASE}/${team.id}`, { email: "billing@team.example.com" })).json() as any;
    expect(body.email).toBe("billing@team.example.com");
    expect(body.members).toEqual(team.members);
  });

  it("a change of case alone changes nothing; email null is ignored", async () => {
    const ctx = await start();
    const c = await findCustomer(ctx, (x) => x.email_verified === true);
    const upper = (await (await ctx.send("PATCH", `${BASE}/${c.id}`, { email: c.email.toUpperCase() })).json() as any);
    expect(upper.email).toBe(c.email);
    expect(upper.email_verified).toBe(true);
    const nul = await (await ctx.send("PATCH", `${BASE}/${c.id}`, { email: null })).json() as any;
    expect(nul.email).toBe(c.email);
    expect(nul.email_verified).toBe(true);
  });

  it("by external id: external_id and type in the body are ignored", async () => {
    const ctx = await start();
    const team = await findCustomer(ctx, (x) => x.type === "team" && x.external_id !== null);
    const path = `${BASE}/external/${encodeURIComponent(team.external_id)}`;
    const res = await ctx.send("PATCH", path, { external_id: "changed", type: "individual", name: "Via External" });
    expect(res.status).toBe(200);
    const body = await res.json() as any;
    expect(body.external_id).toBe(team.external_id);
    expect(body.type).toBe("team");
    expect(body.name).toBe("Via External");
  });

  it("by external id: same validation, rules and errors", async () => {
    const ctx = await start();
    const c = await findCustomer(ctx, (x) => x.external_id !== null);
    const path = `${BASE}/external/${encodeURIComponent(c.external_id)}`;
    expect((await (await ctx.send("PATCH", path, { email: "bad" })).json() as any).error).toBe(RVE);
    const rule = await ctx.send("PATCH", path, { billing_address: null });
    expect(rule.status).toBe(422);
    expect((await rule.json() as any).error).toBe(RULES);
    expect((await ctx.send("PATCH", `${BASE}/external/unknown-ext`, { name: "x" })).status).toBe(404);
    expect((await ctx.req(path, { method: "PATCH", body: "{", headers: { "Content-Type": "application/json" } })).status).toBe(422);
  });
});
