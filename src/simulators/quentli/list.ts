// GET /v1/customers (spec: quentli.md#list): `skip`/`take`, qs-encoded `filter` and `orderBy`,
// answered as a bare JSON array.
import { TextSearch } from "../../core/search.js";
import { JsonTextParts } from "../../core/serialize.js";
import type { SimContext } from "../../core/simulator.js";
import { caseKey, type CustomerRow, type QuentliModel } from "./model.js";
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

type CustomerFilter = { name?: StringFilter; email?: StringFilter; username?: StringFilter; phoneNumber?: StringFilter };

/** Whether a row passes every condition of `f`. */
function matchesFilter(row: CustomerRow, f: CustomerFilter): boolean {
  return matches(row.name, f.name) && matches(row.email, f.email) && matches(row.username, f.username) && matches(row.phoneNumber, f.phoneNumber);
}

const nameSearch = new TextSearch<CustomerRow>({ contains: [(row) => row.name] });

/** The unique index and key an `equals` filter names (email and username case-insensitively, as the indexes keep them). */
function uniqueEquals(filter: CustomerFilter): [string, string] | undefined {
  if (filter.email?.equals !== undefined) return ["email", caseKey(filter.email.equals)];
  if (filter.username?.equals !== undefined) return ["username", caseKey(filter.username.equals)];
  // (a phone number has no case: the index holds it as it is, and matches() compares it lower-cased)
  if (filter.phoneNumber?.equals !== undefined && filter.phoneNumber.equals === caseKey(filter.phoneNumber.equals)) return ["phoneNumber", filter.phoneNumber.equals];
  return undefined;
}

/** The page as JSON text: the rows' cached texts in a bare array. */
export function listCustomers(c: SimContext, model: QuentliModel, organizationId: string): JsonTextParts {
  const parsed = validate(listQuerySchema(), parsedQuery(c));
  // spec: quentli.md#list — "Bad values → 400 as above": the validation body, its message included
  if (!parsed.ok) throw invalid(parsed.issues);
  const { skip = 0, take = 20, filter = {}, orderBy } = parsed.data;

  const scope = model.customers.scope(organizationId);
  // An `equals` on a unique field names one customer at most: read it from the unique index
  // (the same case-insensitive key), not by testing every row of the organization.
  const unique = uniqueEquals(filter);
  if (unique) {
    const row = scope.findBy(unique[0], unique[1]);
    const items = row && matchesFilter(row, filter) ? [row].slice(skip, skip + take) : [];
    return new JsonTextParts("[", items.map(customerJsonText), "]");
  }
  const order = orderBy && Object.keys(orderBy).length ? (Object.entries(orderBy) as [OrderField, "asc" | "desc"][]) : [["createdAt", "desc"] as const];
  // `filter[name][contains]` reads the index's lower-cased block texts (core/search.ts): the
  // same rows as testing each one (matches), without lower-casing every name per request.
  const contains = filter.name?.contains;
  const search = contains !== undefined ? { by: nameSearch, needle: contains } : undefined;
  const rest: CustomerFilter = contains !== undefined ? { ...filter, name: filter.name?.equals !== undefined ? { equals: filter.name.equals } : undefined } : filter;
  const restFilters = Object.values(rest).some((f) => f !== undefined);
  // the table's ordered indexes: nulls as in Postgres, ties by id
  const keys = order.map(([field, dir]) => ({ field, desc: dir === "desc" }));
  const { items } = scope.page(keys, skip, take, restFilters ? (row) => matchesFilter(row, rest) : undefined, search);
  // the rows' cached texts as they are: the journal keeps a pointer per row, not a copy of the page
  return new JsonTextParts("[", items.map(customerJsonText), "]");
}
