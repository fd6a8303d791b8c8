// Zod → JSON Schema for OpenAPI 3.1 components (loaded with a provider's openapi.ts only).
import * as z from "zod";

type Json = Record<string, unknown>;

/**
 * A zod schema as a JSON Schema for `components.schemas`. Recursive schemas (e.g. `z.json()`)
 * come out of zod with local `$defs` whose `#/$defs/...` refs would not resolve once the schema
 * sits inside a document: those definitions move into `components` (named `<prefix><name>`)
 * and the refs are rewritten to point there.
 */
export function componentSchema(schema: z.ZodType, io: "input" | "output", components?: Record<string, unknown>, prefix = "Def"): Json {
  const json = z.toJSONSchema(schema, { io, target: "draft-2020-12", unrepresentable: "any" }) as Json;
  delete json.$schema;
  const defs = json.$defs as Record<string, unknown> | undefined;
  if (!defs) return json;
  if (!components) throw new Error("a recursive schema needs the components object to hold its definitions");
  delete json.$defs;
  const names = new Map<string, string>();
  for (const name of Object.keys(defs)) {
    let target = `${prefix}${name.replace(/[^A-Za-z0-9._-]/g, "")}`;
    for (let n = 2; Object.hasOwn(components, target) && !names.has(name); n++) target = `${prefix}${name.replace(/[^A-Za-z0-9._-]/g, "")}${n}`;
    names.set(name, target);
  }
  const rewrite = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(rewrite);
    if (!value || typeof value !== "object") return value;
    const out: Json = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === "$ref" && typeof v === "string" && v.startsWith("#/$defs/")) out[k] = `#/components/schemas/${names.get(v.slice(8)) ?? v.slice(8)}`;
      else out[k] = rewrite(v);
    }
    return out;
  };
  for (const [name, def] of Object.entries(defs)) components[names.get(name)!] = rewrite(def);
  return rewrite(json) as Json;
}

/** `{ $ref }` to a schema of the document's components. */
export const componentRef = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** A JSON media type object whose schema is a component. */
export const jsonContent = (name: string) => ({ "application/json": { schema: componentRef(name) } });
