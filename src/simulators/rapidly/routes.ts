// Rapidly's customer routes, relative to the mount (/rapidly). Each handler follows the order
// of spec: rapidly.md#patch-rules — body JSON → auth → schema (path + body together, as
// FastAPI does) → lookup → rules → write → commit → respond. Failures are thrown as
// DomainErrors and rendered by errors.ts.
import { createHash } from "node:crypto";
import { Hono, type Context } from "hono";
import { exceedsDepth, rawBody } from "../../core/body.js";
import { isoFromMicros } from "../../core/clock.js";
import { DomainError, type InputIssue } from "../../core/domain-errors.js";
import { respond, respondEmpty, respondJsonText } from "../../core/respond.js";
import type { SimulatorContext } from "../../core/simulator.js";
import { authorize } from "./auth.js";
import { CACHE_CONTROL } from "./errors.js";
import {
  emailKey,
  membersOf,
  putMember,
  type CustomerRow,
  type MemberRow,
  type RapidlyModel,
} from "./model.js";
import { MAX_JSON_DEPTH, pythonJsonError } from "./pyjson.js";
import { planCreate, planDelete, planUpdate, type CustomerLookup, type CustomerWrite, type NewIds } from "./rules.js";
import {
  customerCreateSchema,
  customerUpdateExternalSchema,
  customerUpdateSchema,
  listQuerySchema,
  validate,
  type CustomerCreateInput,
  type CustomerUpdateExternalInput,
  type CustomerUpdateInput,
  type SortField,
} from "./schemas.js";
import { canonicalUuid, uuid4Issue } from "./uuid.js";

type Ctx = SimulatorContext<RapidlyModel>;

// spec: rapidly.md#auth — every response carries Cache-Control: private, no-store (errors.ts
// adds it to the error responses).
const NO_STORE = { "Cache-Control": CACHE_CONTROL };

// HEAD is routed as GET by Hono.
const ALL_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT"];

// ---------------------------------------------------------------------------------------------
// Serialization

const avatarCache = new Map<string, string>();

/** Gravatar URL of the lower-cased email, computed locally (never fetched). */
export function avatarUrl(email: string | null): string | null {
  if (!email) return null;
  const key = email.toLowerCase();
  let url = avatarCache.get(key);
  if (url === undefined) {
    url = `https://www.gravatar.com/avatar/${createHash("sha256").update(key).digest("hex")}?d=404`;
    if (avatarCache.size > 10_000) avatarCache.clear();
    avatarCache.set(key, url);
  }
  return url;
}

export function serializeMember(m: MemberRow) {
  return {
    id: m.id,
    created_at: m.created_at,
    modified_at: m.modified_at,
    customer_id: m.customer_id,
    email: m.email,
    name: m.name,
    external_id: m.external_id,
    role: m.role,
  };
}

export function serializeCustomer(c: CustomerRow, members: readonly MemberRow[]) {
  return {
    id: c.id,
    created_at: c.created_at,
    modified_at: c.modified_at,
    metadata: c.metadata,
    external_id: c.external_id,
    email: c.email,
    email_verified: c.email_verified,
    name: c.name,
    billing_address: c.billing_address,
    workspace_id: c.workspace_id,
    deleted_at: c.deleted_at,
    avatar_url: avatarUrl(c.email),
    type: c.type,
    members: members.filter((m) => m.deleted_at === null || c.deleted_at !== null).map(serializeMember),
  };
}

function customerBody(model: RapidlyModel, c: CustomerRow) {
  return serializeCustomer(c, membersOf(model, c.id));
}

// The JSON of a customer as served, by row object. Rows are replaced, never mutated, and every
// write that touches a customer's members puts a new customer row too (rules.ts), so an entry
// cannot go stale; a reset builds new rows. Reads of one customer skip serialization.
const customerJson = new WeakMap<CustomerRow, string>();

function customerJsonText(model: RapidlyModel, c: CustomerRow): string {
  let text = customerJson.get(c);
  if (text === undefined) {
    text = JSON.stringify(customerBody(model, c));
    customerJson.set(c, text);
  }
  return text;
}

// ---------------------------------------------------------------------------------------------
// Request body, as FastAPI reads it

export type Body = { present: false } | { present: true; value: unknown };

/** `type/subtype` of a Content-Type, as email.message parses it (text/plain when malformed). */
function mediaType(header: string | undefined): string | null {
  if (header === undefined) return null;
  const type = header.split(";")[0]!.trim().toLowerCase();
  return /^[^/\s]+\/[^/\s]+$/.test(type) ? type : "text/plain";
}

/**
 * FastAPI: an empty body is no body; JSON is decoded when there is no Content-Type or it is
 * application/json or application/*+json; any other type leaves the raw text as the value
 * (which then fails model validation). A JSONDecodeError is a 422 json_invalid; nesting past
 * CPython's recursion limit is the 400 FastAPI gives for other parse failures.
 */
function readBody(c: Context): Body {
  const text = rawBody(c);
  if (text === "") return { present: false };
  const type = mediaType(c.req.header("content-type"));
  const isJson = type === null || type === "application/json" || (type.startsWith("application/") && type.endsWith("+json"));
  if (!isJson) return { present: true, value: text };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    const failure = pythonJsonError(text) ?? { msg: "Expecting value", pos: 0 };
    if ("recursion" in failure) throw new DomainError("malformed_body");
    throw new DomainError("malformed_body", { position: failure.pos, error: failure.msg });
  }
  if (exceedsDepth(value, MAX_JSON_DEPTH)) throw new DomainError("malformed_body");
  return { present: true, value };
}

/** Validates a body against a schema; no body (or JSON null) is FastAPI's `missing`. */
function bodyIssues<T>(
  body: Body,
  schema: Parameters<typeof validate>[0],
): { data: T | undefined; raw: Record<string, unknown>; issues: InputIssue[] } {
  if (!body.present || body.value === null) {
    return { data: undefined, raw: {}, issues: [{ type: "missing", loc: ["body"], message: "Field required", input: null }] };
  }
  const result = validate(schema, body.value, ["body"]);
  if (!result.ok) return { data: undefined, raw: {}, issues: result.issues };
  return { data: result.data as T, raw: body.value as Record<string, unknown>, issues: [] };
}

/** Only the keys sent in the body (zod leaves absent optional keys out of its output). */
function present<T extends object>(data: T, raw: Record<string, unknown>): Partial<T> {
  const out: Partial<T> = {};
  for (const key of Object.keys(data) as (keyof T)[]) {
    if (Object.hasOwn(raw, key)) out[key] = data[key];
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Helpers

function nowIso(ctx: Ctx): string {
  return isoFromMicros(ctx.clock.nowMicros(), 6);
}

function lookupIn(model: RapidlyModel, workspaceId: string): CustomerLookup {
  const scope = model.customers.scope(workspaceId);
  return {
    byEmail: (key) => scope.findBy("email", key),
    byExternalId: (id) => scope.findBy("external_id", id),
  };
}

/** The live customer `id` of the workspace, or 404. */
function liveById(model: RapidlyModel, workspaceId: string, id: string): CustomerRow {
  const customer = model.customers.scope(workspaceId).get(canonicalUuid(id));
  if (!customer || customer.deleted_at !== null) throw new DomainError("not_found");
  return customer;
}

function liveByExternalId(model: RapidlyModel, workspaceId: string, externalId: string): CustomerRow {
  const customer = model.customers.scope(workspaceId).findBy("external_id", externalId);
  if (!customer || customer.deleted_at !== null) throw new DomainError("not_found");
  return customer;
}

/** Puts a plan's rows; the caller commits. */
export function putWrite(model: RapidlyModel, plan: CustomerWrite): void {
  model.customers.put(plan.customer, plan.customer.workspace_id);
  for (const m of plan.members) putMember(model, m);
}

async function write(ctx: Ctx, model: RapidlyModel, plan: CustomerWrite): Promise<void> {
  putWrite(model, plan);
  await ctx.commit();
}

/**
 * POST /api/customers/ after auth: the create schema, then the business rules → the rows to
 * write. Throws the route's DomainErrors ("invalid", "rule_violation"); writes nothing, and
 * draws ids only for a create that will be written. Also used by the Pact provider states.
 */
export function planCustomerCreate(model: RapidlyModel, workspaceId: string, body: Body, ids: () => NewIds, now: string): CustomerWrite {
  const { data, raw, issues } = bodyIssues<CustomerCreateInput>(body, customerCreateSchema);
  if (issues.length || !data) throw invalid(issues);
  const input = { ...present(data, raw), email: data.email };
  return planCreate(workspaceId, input, lookupIn(model, workspaceId), ids, now);
}

function pathIdIssue(c: Context): InputIssue | null {
  return uuid4Issue(c.req.param("id") ?? "", ["path", "id"]);
}

function invalid(issues: InputIssue[]): DomainError {
  return new DomainError("invalid", { issues });
}

// ---------------------------------------------------------------------------------------------
// List

function compareBy(field: SortField, desc: boolean) {
  return (a: CustomerRow, b: CustomerRow): number => {
    const x = a[field];
    const y = b[field];
    if (x === y) return 0;
    // Postgres: NULLs sort last ascending, first descending
    if (x === null) return desc ? -1 : 1;
    if (y === null) return desc ? 1 : -1;
    const r = x < y ? -1 : 1;
    return desc ? -r : r;
  };
}

function metadataFilters(c: Context): Map<string, string[]> {
  const filters = new Map<string, string[]>();
  const all = c.req.queries();
  for (const [name, values] of Object.entries(all)) {
    const m = /^metadata\[(.+)\]$/.exec(name);
    if (m) filters.set(m[1]!, values);
  }
  return filters;
}

function metadataText(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  return typeof v === "string" ? v : String(v);
}

function listCustomers(ctx: Ctx) {
  return (c: Context) => {
    const model = ctx.model();
    const token = authorize(c, ctx, model, "read");
    const queries = c.req.queries();
    const last = (name: string) => {
      const values = queries[name];
      return values ? values[values.length - 1] : undefined;
    };
    const raw: Record<string, unknown> = {};
    for (const name of ["page", "limit", "email", "query"]) {
      const v = last(name);
      if (v !== undefined) raw[name] = v;
    }
    if (queries.sorting) raw.sorting = queries.sorting;
    const parsed = validate(listQuerySchema, raw, ["query"]);
    if (!parsed.ok) throw invalid(parsed.issues);
    const q = parsed.data;
    const page = q.page ?? 1;
    // spec: rapidly.md#list — limit capped at 100
    const limit = Math.min(q.limit ?? 10, 100);
    const sorting = q.sorting?.length ? q.sorting : [{ field: "created_at" as SortField, desc: true }];
    const email = q.email !== undefined ? emailKey(q.email) : undefined;
    const needle = q.query?.toLowerCase();
    const meta = metadataFilters(c);

    const rows = model.customers.scope(token.workspace_id).list().filter((row) => {
      if (row.deleted_at !== null) return false;
      if (email !== undefined && emailKey(row.email) !== email) return false;
      if (needle !== undefined) {
        const hit = row.email.toLowerCase().includes(needle)
          || (row.name !== null && row.name.toLowerCase().includes(needle))
          || (row.external_id !== null && row.external_id.toLowerCase().startsWith(needle));
        if (!hit) return false;
      }
      for (const [key, values] of meta) {
        const v = Object.hasOwn(row.metadata, key) ? metadataText(row.metadata[key]) : null;
        if (v === null || !values.includes(v)) return false;
      }
      return true;
    });
    const comparators = sorting.map((s) => compareBy(s.field, s.desc));
    rows.sort((a, b) => {
      for (const cmp of comparators) {
        const r = cmp(a, b);
        if (r !== 0) return r;
      }
      return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
    });
    const total = rows.length;
    const start = (page - 1) * limit;
    const items = start < total ? rows.slice(start, start + limit).map((row) => customerBody(model, row)) : [];
    return respond(c, 200, { items, pagination: { total_count: total, max_page: Math.ceil(total / limit) } }, NO_STORE);
  };
}

// ---------------------------------------------------------------------------------------------
// Router

export function rapidlyRoutes(ctx: Ctx): Hono {
  const app = new Hono();


  // Loaded on first use: JSON Schema generation is not worth its import time at start-up.
  app.get("/openapi.json", async (c) => respond(c, 200, (await import("./openapi.js")).openApiDocument(), NO_STORE));

  const list = listCustomers(ctx);
  app.get("/api/customers/", list);
  app.get("/api/customers", list);

  const create = async (c: Context) => {
    const body = readBody(c);
    const model = ctx.model();
    const token = authorize(c, ctx, model, "write");
    const ids = () => {
      const random = ctx.random();
      return { customerId: random.uuid4(), ownerId: random.uuid4() };
    };
    const plan = planCustomerCreate(model, token.workspace_id, body, ids, nowIso(ctx));
    await write(ctx, model, plan);
    return respond(c, 201, customerBody(model, plan.customer), NO_STORE);
  };
  app.post("/api/customers/", create);
  app.post("/api/customers", create);

  // --- by external id (declared first: more specific than /api/customers/:id)
  app.get("/api/customers/external/:external_id", (c) => {
    const model = ctx.model();
    const token = authorize(c, ctx, model, "read");
    const customer = liveByExternalId(model, token.workspace_id, c.req.param("external_id"));
    return respondJsonText(c, 200, customerJsonText(model, customer), NO_STORE);
  });

  app.patch("/api/customers/external/:external_id", async (c) => {
    const body = readBody(c);
    const model = ctx.model();
    const token = authorize(c, ctx, model, "write");
    const { data, raw, issues } = bodyIssues<CustomerUpdateExternalInput>(body, customerUpdateExternalSchema);
    if (issues.length || !data) throw invalid(issues);
    const current = liveByExternalId(model, token.workspace_id, c.req.param("external_id"));
    const plan = planUpdate(current, membersOf(model, current.id), present(data, raw), lookupIn(model, token.workspace_id), nowIso(ctx));
    await write(ctx, model, plan);
    return respond(c, 200, customerBody(model, plan.customer), NO_STORE);
  });

  app.delete("/api/customers/external/:external_id", async (c) => {
    const model = ctx.model();
    const token = authorize(c, ctx, model, "write");
    const current = liveByExternalId(model, token.workspace_id, c.req.param("external_id"));
    await write(ctx, model, planDelete(current, membersOf(model, current.id), nowIso(ctx)));
    return respondEmpty(c, 204, NO_STORE);
  });

  // --- by id
  app.get("/api/customers/:id", (c) => {
    const model = ctx.model();
    const token = authorize(c, ctx, model, "read");
    const issue = pathIdIssue(c);
    if (issue) throw invalid([issue]);
    const customer = liveById(model, token.workspace_id, c.req.param("id"));
    return respondJsonText(c, 200, customerJsonText(model, customer), NO_STORE);
  });

  app.patch("/api/customers/:id", async (c) => {
    const body = readBody(c);
    const model = ctx.model();
    const token = authorize(c, ctx, model, "write");
    const issues: InputIssue[] = [];
    const idIssue = pathIdIssue(c);
    if (idIssue) issues.push(idIssue);
    const parsed = bodyIssues<CustomerUpdateInput>(body, customerUpdateSchema);
    issues.push(...parsed.issues);
    if (issues.length || !parsed.data) throw invalid(issues);
    const current = liveById(model, token.workspace_id, c.req.param("id"));
    const plan = planUpdate(current, membersOf(model, current.id), present(parsed.data, parsed.raw), lookupIn(model, token.workspace_id), nowIso(ctx));
    await write(ctx, model, plan);
    return respond(c, 200, customerBody(model, plan.customer), NO_STORE);
  });

  app.delete("/api/customers/:id", async (c) => {
    const model = ctx.model();
    const token = authorize(c, ctx, model, "write");
    const issue = pathIdIssue(c);
    if (issue) throw invalid([issue]);
    const current = liveById(model, token.workspace_id, c.req.param("id"));
    await write(ctx, model, planDelete(current, membersOf(model, current.id), nowIso(ctx)));
    return respondEmpty(c, 204, NO_STORE);
  });

  // Starlette answers a known path with an unknown method with 405 and Allow.
  const methodNotAllowed = (allow: string) => (c: Context) =>
    respond(c, 405, { detail: "Method Not Allowed" }, { Allow: allow, "Cache-Control": CACHE_CONTROL });
  // Registered for the other methods only, so a valid call matches one handler, not two.
  const otherMethods = (allow: string) => ALL_METHODS.filter((m) => !allow.split(", ").includes(m));
  for (const [path, allow] of [
    ["/api/customers/", "GET, POST"],
    ["/api/customers", "GET, POST"],
    ["/api/customers/external/:external_id", "GET, PATCH, DELETE"],
    ["/api/customers/:id", "GET, PATCH, DELETE"],
  ] as const) {
    app.on(otherMethods(allow), path, methodNotAllowed(allow));
  }

  return app;
}
