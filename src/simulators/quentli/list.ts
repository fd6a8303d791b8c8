// GET /v1/customers (spec: quentli.md#list): `skip`/`take`, qs-encoded `filter` and `orderBy`,
// answered as a bare JSON array.
import { JsonTextParts } from "../../core/serialize.js";
import type { SimContext } from "../../core/simulator.js";
import type { CustomerRow, QuentliModel } from "./model.js";
import { invalid } from "./request.js";
import { listQuerySchema, validate, type OrderField } from "./schemas.js";
import { customerJsonText } from "./serialize.js";

// qs (and the packages it needs) is loaded by the first list request, not at start-up.
let qs: typeof import("qs") | undefined;

/** A promise while qs is not loaded yet (a list must wait for it), else undefined. */
export function queryParserLoading(): Promise<void> | undefined {
  if (qs) return undefined;
  return import("qs").then((m) => {
    qs = m.default;
  });
}

/** The raw query string parsed as Quentli's Node server does: qs, its defaults. */
function parsedQuery(c: SimContext): unknown {
  const url = c.req.url;
  const at = url.indexOf("?");
  return at === -1 ? {} : qs!.parse(url.slice(at + 1));
}

type StringFilter = { equals?: string; contains?: string };

/** decision: string filters compare case-insensitively (Prisma's `mode: "insensitive"`). */
function matches(value: string | null, filter: StringFilter | undefined): boolean {
  if (!filter) return true;
  if (value === null) return filter.equals === undefined && filter.contains === undefined;
  const v = value.toLowerCase();
  if (filter.equals !== undefined && v !== filter.equals.toLowerCase()) return false;
  if (filter.contains !== undefined && !v.includes(filter.contains.toLowerCase())) return false;
  return true;
}

/** The page as JSON text: the rows' cached texts in a bare array. */
export function listCustomers(c: SimContext, model: QuentliModel, organizationId: string): JsonTextParts {
  const parsed = validate(listQuerySchema(), parsedQuery(c));
  // spec: quentli.md#list — "Bad values → 400 as above": the validation body, its message included
  if (!parsed.ok) throw invalid(parsed.issues);
  const { skip = 0, take = 20, filter = {}, orderBy } = parsed.data;

  const filters = Object.values(filter).some((f) => f !== undefined);
  const matchesAll = (row: CustomerRow) =>
    matches(row.name, filter.name)
    && matches(row.email, filter.email)
    && matches(row.username, filter.username)
    && matches(row.phoneNumber, filter.phoneNumber);
  const order = orderBy && Object.keys(orderBy).length ? (Object.entries(orderBy) as [OrderField, "asc" | "desc"][]) : [["createdAt", "desc"] as const];
  // the table's ordered indexes: nulls as in Postgres, ties by id
  const { items } = model.customers.scope(organizationId).page(order.map(([field, dir]) => ({ field, desc: dir === "desc" })), skip, take, filters ? matchesAll : undefined);
  // the rows' cached texts as they are: the journal keeps a pointer per row, not a copy of the page
  return new JsonTextParts("[", items.map(customerJsonText), "]");
}
