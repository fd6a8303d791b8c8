// The drift guard's machinery (test/contracts/drift.test.ts uses it for every provider):
//   - `checkDocument`: the OpenAPI document against the OpenAPI 3.1 schema (a real validator);
//   - `responseChecker`: a live answer (method, path, status, body) against the document — the
//     path and method must be an operation of it, the status one of its responses, and the body
//     must validate (ajv, JSON Schema 2020-12, formats on) against that response's schema;
//   - `replay`: a shipped Pact interaction sent to the simulator after its provider states are
//     set up, with the ProviderState generators' values filled in, as the Pact verifier does;
//   - `probes`: the error cases every route has, derived from the document and the fixtures.
import { Validator } from "@seriousme/openapi-schema-validator";
import * as Ajv2020Module from "ajv/dist/2020.js";
import * as addFormatsModule from "ajv-formats";
import type { Options, ValidateFunction } from "ajv";
import type { Ajv } from "ajv";
import type { V4Interaction } from "../../src/contracts/types.js";
import type { FixtureTenant } from "../../src/core/simulator.js";
import type { Simulator } from "../../src/index.js";

type Json = Record<string, unknown>;
// CommonJS modules seen from ESM: the class / function is the default export's default.
type AjvClass = new (opts: Options) => Ajv;
const unwrap = (m: unknown): unknown => (typeof m === "function" ? m : unwrap((m as { default: unknown }).default));
const Ajv2020 = unwrap(Ajv2020Module) as AjvClass;
const addFormats = unwrap(addFormatsModule) as (ajv: Ajv) => Ajv;

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

/** Problems the OpenAPI 3.1 schema finds in a document ([] = valid). */
export async function checkDocument(doc: Json): Promise<string[]> {
  const result = await new Validator().validate(structuredClone(doc));
  if (result.valid) return [];
  const errors = result.errors;
  if (typeof errors === "string") return [errors];
  return (errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? ""} ${e.params ? JSON.stringify(e.params) : ""}`.trim());
}

/** A live answer, as the guard sees it. */
export interface Observed {
  method: string;
  /** Below the provider's mount, without the query: `/api/customers/123`. */
  path: string;
  status: number;
  contentType: string | null;
  /** The raw body text ("" when empty). */
  text: string;
}

interface Operation {
  template: string;
  regex: RegExp;
  params: number;
  methods: Record<string, Json>;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, "~0").replace(/\//g, "~1")).join("/");

/**
 * A checker of live answers against `doc`: returns the problems of one answer ([] = it is
 * what the document says). Schemas are compiled once each, through `$ref`s into the document,
 * so `#/components/...` references resolve as in any OpenAPI tool.
 */
export function responseChecker(doc: Json): (o: Observed) => string[] {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  const base = "https://customer-sim.invalid/openapi.json";
  ajv.addSchema(doc as object, base);
  const compiled = new Map<string, ValidateFunction>();
  const validatorAt = (ptr: string): ValidateFunction => {
    const known = compiled.get(ptr);
    if (known) return known;
    const fn = ajv.compile({ $ref: `${base}#/${ptr}` });
    compiled.set(ptr, fn);
    return fn;
  };

  const operations: Operation[] = Object.entries((doc.paths ?? {}) as Record<string, Json>).map(([template, item]) => {
    const methods: Record<string, Json> = {};
    for (const m of METHODS) if (item[m]) methods[m] = item[m] as Json;
    const source = template.split(/(\{[^}]+\})/).map((part) => (part.startsWith("{") ? "([^/]+)" : escape(part))).join("");
    return { template, regex: new RegExp(`^${source}$`), params: (template.match(/\{/g) ?? []).length, methods };
  });
  // A literal segment wins over a template one (as routers match: /external/{id} before /{id}).
  operations.sort((a, b) => a.params - b.params);

  return (o) => {
    const where = `${o.method} ${o.path} → ${o.status}`;
    const candidates = operations.filter((op) => op.regex.test(o.path));
    if (candidates.length === 0) return [`${where}: no path of the document matches ${o.path}`];
    const op = candidates.find((c) => c.methods[o.method.toLowerCase()]);
    if (!op) {
      // A method the path does not have: the 405 every path gets (OpenAPI has no place to
      // describe it; the path's documented methods are what its Allow header lists).
      if (o.status === 405) return [];
      return [`${where}: ${candidates[0]!.template} has no ${o.method} operation in the document`];
    }
    const operation = op.methods[o.method.toLowerCase()]!;
    const responses = (operation.responses ?? {}) as Record<string, Json>;
    const key = [String(o.status), `${String(o.status)[0]}XX`, "default"].find((k) => responses[k]);
    if (!key) return [`${where}: status ${o.status} is not documented for ${o.method} ${op.template} (documented: ${Object.keys(responses).join(", ")})`];
    let response = responses[key]!;
    let responsePtr = pointer("paths", op.template, o.method.toLowerCase(), "responses", key);
    if (typeof response.$ref === "string") {
      // a response component: follow it (local references only)
      const ref = response.$ref.replace(/^#\//, "");
      response = ref.split("/").reduce<Json>((node, part) => (node[part.replace(/~1/g, "/").replace(/~0/g, "~")] ?? {}) as Json, doc);
      responsePtr = ref;
    }
    const content = response.content as Record<string, Json> | undefined;
    const hasBody = o.text.length > 0;
    if (!content || Object.keys(content).length === 0) {
      return hasBody ? [`${where}: the document declares no body for ${key}, the simulator sent ${o.contentType ?? "no content type"}: ${o.text.slice(0, 200)}`] : [];
    }
    if (!hasBody) return [`${where}: the document declares a ${Object.keys(content).join("/")} body for ${key}, the simulator sent none`];
    const type = (o.contentType ?? "").split(";")[0]!.trim().toLowerCase();
    const mediaKey = Object.keys(content).find((k) => k.toLowerCase() === type) ?? Object.keys(content).find((k) => mediaMatches(k, type));
    if (!mediaKey) return [`${where}: content type ${type || "(none)"} is not one the document declares for ${key} (${Object.keys(content).join(", ")})`];
    if (!content[mediaKey]!.schema) return [];
    if (!/json/.test(mediaKey)) return [];
    let body: unknown;
    try {
      body = JSON.parse(o.text);
    } catch {
      return [`${where}: declared ${mediaKey}, but the body is not JSON: ${o.text.slice(0, 200)}`];
    }
    const validate = validatorAt(`${responsePtr}/content/${pointer(mediaKey)}/schema`);
    if (validate(body)) return [];
    return (validate.errors ?? []).map((e) => `${where}: body${e.instancePath} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ""} — body: ${o.text.slice(0, 300)}`);
  };
}

function mediaMatches(range: string, type: string): boolean {
  const [r, s] = range.toLowerCase().split("/");
  const [t, u] = type.split("/");
  return (r === "*" || r === t) && (s === "*" || s === u);
}

/** What a simulator answered, read once. */
export async function observe(method: string, path: string, res: Response): Promise<Observed> {
  return { method, path, status: res.status, contentType: res.headers.get("content-type"), text: await res.text() };
}

// ---- Pact replay ----------------------------------------------------------------------------

/** `${name}` expressions filled from a provider state's values. */
function fill(expression: string, values: Record<string, unknown>): string {
  return expression.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
    if (!(name in values)) throw new Error(`generator expression ${expression}: the provider state gave no "${name}" (gave: ${Object.keys(values).join(", ")})`);
    return String(values[name]);
  });
}

/** `$.a.b[0]['c d'][*]` → steps ("*" = every element). */
function jsonPathSteps(path: string): (string | number)[] {
  const steps: (string | number)[] = [];
  const re = /\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\[\*\]|\['((?:[^'\\]|\\.)*)'\]/g;
  let m: RegExpExecArray | null;
  let at = 1;
  if (!path.startsWith("$")) throw new Error(`not a JSON path: ${path}`);
  while ((m = re.exec(path))) {
    if (m.index !== at) throw new Error(`unsupported JSON path: ${path}`);
    at = re.lastIndex;
    if (m[1] !== undefined) steps.push(m[1]);
    else if (m[2] !== undefined) steps.push(Number(m[2]));
    else if (m[3] !== undefined) steps.push(m[3].replace(/\\(.)/g, "$1"));
    else steps.push("*");
  }
  if (at !== path.length) throw new Error(`unsupported JSON path: ${path}`);
  return steps;
}

function setAt(root: unknown, steps: (string | number)[], make: () => unknown): unknown {
  if (steps.length === 0) return make();
  const [step, ...rest] = steps;
  if (step === "*") {
    if (Array.isArray(root)) return root.map((el) => setAt(el, rest, make));
    return root;
  }
  if (root === null || typeof root !== "object") return root;
  const copy = (Array.isArray(root) ? [...root] : { ...(root as Json) }) as Record<string | number, unknown>;
  copy[step!] = setAt(copy[step!], rest, make);
  return copy;
}

export interface Replayed {
  observed: Observed;
  expectedStatus: number;
}

/**
 * One interaction as the Pact verifier runs it: its provider states set up through the
 * runtime (the same handlers as POST /__admin/provider-states), ProviderState generators
 * filled from their values, then the request sent to the provider's mount.
 */
export async function replay(sim: Simulator, provider: string, i: V4Interaction): Promise<Replayed> {
  const values: Record<string, unknown> = {};
  if (!i.providerStates?.length) await sim.reset({ provider });
  for (const s of i.providerStates ?? []) Object.assign(values, await sim.runtime.applyState(provider, s.name, s.params ?? {}));
  const req = i.request;
  const gen = req.generators ?? {};
  const path = gen.path ? fill(gen.path.expression, values) : req.path;
  const query = new URLSearchParams();
  for (const [name, list] of Object.entries(req.query ?? {})) {
    const g = gen.query?.[name];
    for (const v of list) query.append(name, g ? fill(g.expression, values) : v);
  }
  const headers: Record<string, string> = {};
  for (const [name, list] of Object.entries(req.headers ?? {})) {
    const g = gen.header?.[name];
    headers[name] = g ? fill(g.expression, values) : list.join(", ");
  }
  let body: unknown = req.body?.content;
  for (const [jsonPath, g] of Object.entries(gen.body ?? {})) body = setAt(body, jsonPathSteps(jsonPath), () => fill(g.expression, values));
  const url = `/${provider}${path}${query.size ? `?${query}` : ""}`;
  const res = await sim.app.request(url, {
    method: req.method,
    headers,
    ...(req.body ? { body: typeof body === "string" ? body : JSON.stringify(body) } : {}),
  });
  return { observed: await observe(req.method, path, res), expectedStatus: i.response.status };
}

// ---- probes of every route ------------------------------------------------------------------

export interface Probe {
  name: string;
  method: string;
  path: string;
  query?: string;
  headers: Record<string, string>;
  body?: string;
  /** What kind of answer the probe is after (checked loosely: a class of statuses). */
  expect: "2xx" | "4xx" | "any";
}

/** A path template's parameters filled: from the tenant's list path where they overlap, else `id`. */
export function fillTemplate(template: string, listPath: string, id: string): string {
  const segments = template.split("/");
  const listSegments = listPath.split("/");
  return segments
    .map((seg, i) => {
      const m = /^\{([^}]+)\}$/.exec(seg);
      if (!m) return seg;
      // a parameter the list path also has at this position (a workspace slug, an account id)
      const prefixMatches = segments.slice(0, i).every((s, j) => /^\{/.test(s) || s === listSegments[j]);
      if (prefixMatches && listSegments[i] !== undefined && listSegments[i] !== "" && i < listSegments.length - 1) return listSegments[i]!;
      return encodeURIComponent(id);
    })
    .join("/");
}

/**
 * Probes derived from the document and the first fixture tenant, for every operation: with
 * the tenant's full credential on a fixture customer (success), without a credential, with a
 * credential the provider never issued, on an id that exists nowhere, and — for operations
 * with a body — an empty object, a JSON array, malformed JSON and a body over the size limit.
 */
export function probes(doc: Json, tenant: FixtureTenant, listPath: string): Probe[] {
  const full = tenant.credentials.find((c) => c.kind === "full")!.headers;
  const wrong = Object.fromEntries(Object.entries(full).map(([k, v]) => [k, v.replace(/[A-Za-z0-9]{6}$/, "zzzzzz").replace(/^(Bearer |Basic )?/, "$1x")]));
  const customerId = tenant.customerIds[0] ?? "00000000-0000-4000-8000-000000000000";
  const nowhere = "00000000-0000-4000-8000-000000000000";
  const out: Probe[] = [];
  for (const [template, item] of Object.entries((doc.paths ?? {}) as Record<string, Json>)) {
    for (const method of METHODS) {
      const op = item[method] as Json | undefined;
      if (!op) continue;
      const M = method.toUpperCase();
      const path = fillTemplate(template, listPath, customerId);
      const hasBody = Boolean(op.requestBody);
      const json: Record<string, string> = hasBody ? { "Content-Type": "application/json" } : {};
      const name = (what: string) => `${M} ${template}: ${what}`;
      // Success: reads only (writes are covered by the shipped interactions, which set state up).
      // (a path parameter other than the customer id, e.g. an external id, is not known here:
      // that probe may get the provider's 404, which the document must describe too)
      // (an id of another resource than the customers, e.g. a webhook endpoint's, is filled with a customer id: any answer)
      const otherResource = template.includes("{") && !path.startsWith(listPath.replace(/\/$/, ""));
      if (M === "GET") out.push({ name: name("full credential"), method: M, path, headers: { ...full }, expect: /\}.*\{|external/.test(template) || otherResource ? "any" : "2xx" });
      out.push({ name: name("no credential"), method: M, path, headers: { ...json }, body: hasBody ? "{}" : undefined, expect: "4xx" });
      out.push({ name: name("unknown credential"), method: M, path, headers: { ...wrong, ...json }, body: hasBody ? "{}" : undefined, expect: "4xx" });
      if (template.includes("{")) {
        // (a read of nothing may be a 200 where the provider says so, e.g. Quentli's `null`)
        const missing = M === "GET" ? "any" : "4xx";
        out.push({ name: name("an id that exists nowhere"), method: M, path: fillTemplate(template, listPath, nowhere), headers: { ...full, ...json }, body: hasBody ? "{}" : undefined, expect: missing });
        out.push({ name: name("an id that is not one"), method: M, path: fillTemplate(template, listPath, "not an id!"), headers: { ...full, ...json }, body: hasBody ? "{}" : undefined, expect: missing });
      }
      if (hasBody) {
        out.push({ name: name("a JSON array body"), method: M, path, headers: { ...full, ...json }, body: "[]", expect: "4xx" });
        out.push({ name: name("malformed JSON"), method: M, path, headers: { ...full, ...json }, body: '{"email": ', expect: "4xx" });
        out.push({ name: name("wrong field types"), method: M, path, headers: { ...full, ...json }, body: JSON.stringify({ email: 42, name: 42, metadata: "x", type: 7 }), expect: "4xx" });
        out.push({ name: name("no body at all"), method: M, path, headers: { ...full, ...json }, expect: "any" });
        out.push({ name: name("JSON nested deeper than parsers allow"), method: M, path, headers: { ...full, ...json }, body: `{"name": ${"[".repeat(3000)}${"]".repeat(3000)}}`, expect: "4xx" });
        out.push({ name: name("a text/plain body"), method: M, path, headers: { ...full, "Content-Type": "text/plain" }, body: "hello", expect: "4xx" });
        out.push({ name: name("a body over the size limit"), method: M, path, headers: { ...full, ...json }, body: JSON.stringify({ name: "x".repeat(2 * 1024 * 1024) }), expect: "4xx" });
      }
      if (M === "GET" && !template.includes("{")) {
        out.push({ name: name("a query parameter out of range"), method: M, path, query: "limit=-1&page=0&per_page=-1&offset=-1&sort=nope&sorting=nope", headers: { ...full }, expect: "any" });
      }
    }
  }
  return out;
}

export async function runProbe(sim: Simulator, provider: string, p: Probe): Promise<Observed> {
  const res = await sim.app.request(`/${provider}${p.path}${p.query ? `?${p.query}` : ""}`, { method: p.method, headers: p.headers, ...(p.body !== undefined ? { body: p.body } : {}) });
  return observe(p.method, p.path, res);
}

// ---- routes vs paths ------------------------------------------------------------------------

/**
 * Hono's `/api/customers/:id` (or `:id{[0-9a-f]{8}-...}`, a pattern with braces of its own) →
 * `/api/customers/{}`; OpenAPI's `{id}` → `{}`; no trailing slash.
 */
function routeShape(path: string): string {
  const segments = path.split("/").map((seg) => (seg.startsWith(":") || /^\{[^}]+\}$/.test(seg) ? "{}" : seg));
  return segments.join("/").replace(/\/$/, "");
}

/**
 * Operations the provider registers that the document lacks, and documented operations it does
 * not serve (`GET /api/customers/{}`). A trailing-slash alias counts as the same route.
 */
export function routeDrift(doc: Json, registered: { method: string; path: string }[]): { undocumented: string[]; unserved: string[] } {
  const documented = new Set<string>();
  for (const [path, item] of Object.entries((doc.paths ?? {}) as Record<string, Json>)) {
    for (const m of METHODS) if (item[m]) documented.add(`${m.toUpperCase()} ${routeShape(path)}`);
  }
  const served = new Set<string>();
  for (const r of registered) if (r.method !== "ALL") served.add(`${r.method} ${routeShape(r.path)}`);
  return {
    undocumented: [...served].filter((r) => !documented.has(r)).sort(),
    unserved: [...documented].filter((d) => !served.has(d)).sort(),
  };
}
