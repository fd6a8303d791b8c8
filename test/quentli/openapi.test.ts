// The OpenAPI document's list parameters, serialized the way Swagger UI's "try it" and generated
// clients serialize them (OpenAPI 3.1 parameter styles), must be requests the simulator accepts.
import { describe, expect, it } from "vitest";
import { allCustomers, BASE, start } from "./_helpers.js";

type Schema = { type?: string; enum?: string[]; default?: number; minimum?: number; properties?: Record<string, Schema> };
type Param = { name: string; in: string; style?: string; explode?: boolean; schema: Schema };

/** A value of the schema: the first enum value, an integer's default, a string, an object of those. */
function sample(schema: Schema, text: string): unknown {
  if (schema.enum) return schema.enum[0];
  if (schema.type === "integer") return schema.default ?? schema.minimum ?? 1;
  if (schema.type === "object") return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([k, s]) => [k, sample(s, text)]));
  return text;
}

/**
 * `name=value` pairs as Swagger UI sends them: form style (the default) for primitives,
 * deepObject one level deep (a nested object's value is sent as JSON, as Swagger UI does).
 */
function serialize(p: Param, value: unknown): string {
  const enc = encodeURIComponent;
  if (value !== null && typeof value === "object") {
    if (p.style === "deepObject") {
      return Object.entries(value).map(([k, v]) => `${enc(`${p.name}[${k}]`)}=${enc(typeof v === "object" ? JSON.stringify(v) : String(v))}`).join("&");
    }
    return Object.entries(value).map(([k, v]) => `${enc(k)}=${enc(String(v))}`).join("&");
  }
  return `${enc(p.name)}=${enc(String(value))}`;
}

describe("OpenAPI list parameters (what a client generated from /quentli/openapi.json sends)", () => {
  it("every documented query parameter, serialized by its style with a value of its schema, is accepted", async () => {
    const ctx = await start();
    const doc = (await ctx.getJson("/quentli/openapi.json")).body;
    const params = doc.paths["/v1/customers"].get.parameters as Param[];
    expect(params.every((p) => p.in === "query")).toBe(true);
    for (const p of params) {
      const query = serialize(p, sample(p.schema, "a"));
      const res = await ctx.getJson(`${BASE}?${query}`);
      expect(res.status, `${p.name}: ?${query} → ${JSON.stringify(res.body).slice(0, 200)}`).toBe(200);
    }
    // the qs filters and orders of quentli.md#list are all there
    const names = params.map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(["skip", "take", "filter[name][contains]", "filter[email][equals]", "filter[username][equals]", "orderBy[createdAt]"]));
  });

  it("the documented filter and order parameters act: filter[email][equals] finds one, orderBy[createdAt]=asc the oldest first", async () => {
    const ctx = await start();
    const doc = (await ctx.getJson("/quentli/openapi.json")).body;
    const params = doc.paths["/v1/customers"].get.parameters as Param[];
    const byName = (name: string) => params.find((p) => p.name === name)!;
    const all = await allCustomers(ctx);
    const someone = all.find((c) => c.username !== null)!;
    for (const [name, value] of [["filter[email][equals]", someone.email.toUpperCase()], ["filter[username][equals]", someone.username], ["filter[name][contains]", someone.name]]) {
      const res = await ctx.getJson(`${BASE}?${serialize(byName(name), value)}`);
      expect(res.status, name).toBe(200);
      expect(res.body.map((c: any) => c.id), name).toContain(someone.id);
      expect(res.body.length, name).toBeLessThan(all.length);
    }
    const asc = await ctx.getJson(`${BASE}?${serialize(byName("orderBy[createdAt]"), "asc")}&take=1`);
    expect(asc.body[0].id).toBe(all[all.length - 1].id);
  });
});
