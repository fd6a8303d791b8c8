// GET /api/customers/ (spec: rapidly.md#list): filters, sorting, FastAPI's items/pagination.
import { ordered, pageOf, type SortKey } from "../../core/list.js";
import type { SimContext } from "../../core/simulator.js";
import { emailKey, type CustomerRow, type RapidlyModel } from "./model.js";
import { invalid } from "./request.js";
import { listQuerySchema, validate, type SortField } from "./schemas.js";
import { customerBody } from "./serialize.js";

function metadataFilters(c: SimContext): Map<string, string[]> {
  const filters = new Map<string, string[]>();
  for (const [name, values] of Object.entries(c.req.queries())) {
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
function rawQuery(c: SimContext): Record<string, unknown> {
  const queries = c.req.queries();
  const raw: Record<string, unknown> = {};
  for (const name of ["page", "limit", "email", "query"]) {
    const values = queries[name];
    if (values) raw[name] = values[values.length - 1];
  }
  if (queries.sorting) raw.sorting = queries.sorting;
  return raw;
}

export function listCustomers(c: SimContext, model: RapidlyModel, workspaceId: string) {
  const parsed = validate(listQuerySchema, rawQuery(c), ["query"]);
  if (!parsed.ok) throw invalid(parsed.issues);
  const q = parsed.data;
  const page = q.page ?? 1;
  // spec: rapidly.md#list — limit capped at 100
  const limit = Math.min(q.limit ?? 10, 100);
  const sorting = q.sorting?.length ? q.sorting : [{ field: "created_at" as SortField, desc: true }];
  const email = q.email !== undefined ? emailKey(q.email) : undefined;
  const needle = q.query?.toLowerCase();
  const meta = metadataFilters(c);

  const rows = model.customers.scope(workspaceId).list().filter((row) => {
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
  // Postgres: NULLs sort last ascending, first descending; the id breaks ties.
  const keys: SortKey<CustomerRow>[] = sorting.map((s) => ({ value: (row) => row[s.field], desc: s.desc }));
  const { items, total } = pageOf(ordered(rows, keys), (page - 1) * limit, limit);
  return { items: items.map((row) => customerBody(model, row)), pagination: { total_count: total, max_page: Math.ceil(total / limit) } };
}
