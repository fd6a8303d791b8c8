// GET /api/customers/ (spec: rapidly.md#list): filters, sorting, FastAPI's items/pagination.
// A page is read from the customers table's ordered indexes (O(page)); filters scan the
// workspace's live customers once, in order, sorting nothing (`query`: native scans of the
// index's per-block search texts); `email` is one index lookup.
import { TextSearch } from "../../core/search.js";
import { JsonTextParts } from "../../core/serialize.js";
import type { PageKey } from "../../core/table.js";
import type { SimContext } from "../../core/simulator.js";
import { emailKey, type CustomerRow, type RapidlyModel } from "./model.js";
import { invalid } from "./request.js";
import { listQuerySchema, validate, type SortField } from "./schemas.js";
import { customerJsonText } from "./serialize.js";

function metadataFilters(queries: Record<string, string[]>): Map<string, string[]> {
  const filters = new Map<string, string[]>();
  for (const [name, values] of Object.entries(queries)) {
    const m = /^metadata\[(.+)\]$/.exec(name);
    if (m) filters.set(m[1]!, values);
  }
  return filters;
}

function metadataText(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  return typeof v === "string" ? v : String(v);
}

/** The query as the schema sees it: the last value of each scalar, every `sorting`. */
function rawQuery(queries: Record<string, string[]>): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const name of ["page", "limit", "email", "query"]) {
    const values = queries[name];
    if (values) raw[name] = values[values.length - 1];
  }
  if (queries.sorting) raw.sorting = queries.sorting;
  return raw;
}

// spec: rapidly.md#list — `query`: email or name contains, or external_id starts with;
// case-insensitive (lower-cased as Python's str.lower / JS toLowerCase). The customers'
// ordered indexes keep these fields lower-cased per block of rows: a search never lower-cases
// a row per request.
const customerSearch = new TextSearch<CustomerRow>({ contains: [(c) => c.email, (c) => c.name], prefix: [(c) => c.external_id] });

/** The page as JSON text: the rows' cached texts (never re-serialized) in the envelope. */
export function listCustomers(c: SimContext, model: RapidlyModel, workspaceId: string): JsonTextParts {
  const queries = c.req.queries();
  const parsed = validate(listQuerySchema(), rawQuery(queries), ["query"]);
  if (!parsed.ok) throw invalid(parsed.issues);
  const q = parsed.data;
  const page = q.page ?? 1;
  // spec: rapidly.md#list — limit capped at 100
  const limit = Math.min(q.limit ?? 10, 100);
  const sorting: { field: SortField; desc: boolean }[] = q.sorting?.length ? q.sorting : [{ field: "created_at", desc: true }];
  const meta = metadataFilters(queries);
  const scope = model.customers.scope(workspaceId);

  const search = q.query !== undefined ? { by: customerSearch, needle: q.query } : undefined;
  const metadataMatches = (row: CustomerRow): boolean => {
    for (const [key, values] of meta) {
      const v = Object.hasOwn(row.metadata, key) ? metadataText(row.metadata[key]) : null;
      if (v === null || !values.includes(v)) return false;
    }
    return true;
  };
  const filter = meta.size > 0 ? metadataMatches : undefined;
  const offset = (page - 1) * limit;

  let items: CustomerRow[];
  let total: number;
  if (q.email !== undefined) {
    // The email index holds exactly the live customers, case-folded: at most one matches.
    const one = scope.findBy("email", emailKey(q.email));
    const found = one && one.deleted_at === null && (!filter || filter(one))
      && (!search || customerSearch.matches(one, customerSearch.fold(search.needle)));
    const hits = found ? [one] : [];
    total = hits.length;
    items = offset < total ? hits : [];
  } else {
    // Postgres: NULLs sort last ascending, first descending; the id breaks ties.
    const keys: PageKey[] = sorting.map((s) => ({ field: s.field, desc: s.desc }));
    ({ items, total } = scope.page(keys, offset, limit, filter, search));
  }
  const texts = items.map((row) => customerJsonText(model, row));
  return new JsonTextParts(`{"items":[`, texts, `],"pagination":{"total_count":${total},"max_page":${Math.ceil(total / limit)}}}`);
}
