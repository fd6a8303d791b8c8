// GET /api/v1/customers (spec: flextell.md#list): validated query, search and gender filters,
// sorting, and Laravel's paginator with URLs absolute to the request's host.
import { DomainError, type InputIssue } from "../../core/domain-errors.js";
import { TextSearch } from "../../core/search.js";
import { JsonTextParts } from "../../core/serialize.js";
import type { SimContext } from "../../core/simulator.js";
import type { PageKey } from "../../core/table.js";
import type { CustomerRow, FlextellModel } from "./model.js";
import { paginator } from "./paginator.js";
import { cleanInput, phpInput } from "./request.js";
import { LIST_QUERY_FIELDS, listQueryFields, type SORT_FIELDS } from "./schemas.js";
import { customerJsonText } from "./serialize.js";

interface ListQuery {
  search: string | null;
  per_page: number | null;
  page: number | null;
  sort_by: (typeof SORT_FIELDS)[number] | null;
  sort_order: "asc" | "desc" | null;
  gender: string | null;
}

/** The query string as PHP reads it (last value wins, `name[]` is an array), cleaned as input. */
function queryPairs(c: SimContext): [string, string][] {
  const raw = c.req.url;
  const q = raw.indexOf("?");
  return q === -1 ? [] : [...new URLSearchParams(raw.slice(q + 1))];
}

function parseQuery(pairs: [string, string][]): { query: ListQuery; issues: InputIssue[] } {
  const clean = phpInput(pairs);
  const issues: InputIssue[] = [];
  const query: Record<string, unknown> = {};
  for (const field of LIST_QUERY_FIELDS) {
    const value = Object.hasOwn(clean, field) ? clean[field] : null;
    const parsed = listQueryFields()[field].safeParse(value);
    if (parsed.success) query[field] = parsed.data;
    else issues.push({ loc: ["query", field], type: "laravel", message: parsed.error.issues[0]!.message, input: value });
  }
  return { query: query as unknown as ListQuery, issues };
}

// decision: LIKE %search% on first name, last name, email and phone (case-insensitive); the
// ordered index keeps these lower-cased per block of rows (no per-row copy, no per-request fold).
const customerSearch = new TextSearch<CustomerRow>({ contains: [(r) => r.first_name, (r) => r.last_name, (r) => r.email, (r) => r.phone_number] });

/** The paginated list as JSON text (the customers' texts are cached per row). */
export function listCustomers(c: SimContext, model: FlextellModel, tenantId: number): JsonTextParts {
  const pairs = queryPairs(c);
  const { query, issues } = parseQuery(pairs);
  if (issues.length) throw new DomainError("invalid", { issues });
  const perPage = query.per_page ?? 15;
  const page = query.page ?? 1;
  const gender = query.gender;
  const search = query.search != null ? { by: customerSearch, needle: query.search } : undefined;
  const genderMatches = (row: CustomerRow): boolean => row.gender === gender;
  // decision: default order created_at desc; text case-insensitively, NULLs first ascending
  // (MySQL); id breaks ties in the same direction (model.ts). The table's ordered index lists only live customers: a page
  // without a filter reads O(page); a filter scans the tenant once, sorting nothing.
  const keys: PageKey[] = [{ field: query.sort_by ?? "created_at", desc: (query.sort_order ?? "desc") === "desc" }];
  const { items, total } = model.customers.scope(String(tenantId)).page(keys, (page - 1) * perPage, perPage, gender !== null ? genderMatches : undefined, search);

  const url = new URL(c.req.url);
  const path = `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, "")}`;
  // withQueryString(): the cleaned query, empty values dropped (http_build_query skips nulls)
  const kept = new Map<string, string>();
  for (const [k, v] of pairs) {
    const value = cleanInput(v);
    if (value === null) kept.delete(k);
    else kept.set(k, value as string);
  }
  const json = paginator({ path, query: [...kept], page, perPage, total, count: items.length });
  // the rows' cached texts as they are: the journal keeps a pointer per row, not a copy of the page
  return new JsonTextParts(`{"data":[`, items.map((row) => customerJsonText(model, row)), `],"links":${JSON.stringify(json.links)},"meta":${JSON.stringify(json.meta)}}`);
}
