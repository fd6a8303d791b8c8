// GET /api/customers/ (spec: rapidly.md#list): filters, sorting, FastAPI's items/pagination.
// A page is read from the customers table's ordered indexes (O(page)); filters scan the
// workspace's live customers once, in order, sorting nothing; `email` is one index lookup.
import { JsonTextParts } from "../../core/serialize.js";
import type { PageKey } from "../../core/table.js";
import type { SimContext } from "../../core/simulator.js";
import { emailKey, type CustomerRow, type RapidlyModel } from "./model.js";
import { invalid } from "./request.js";
import { listQuerySchema, validate, type SortField } from "./schemas.js";
import { customerJsonText } from "./serialize.js";

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

/** Case-insensitive substring test without lower-casing `text` when it has no capitals. */
function includesFolded(text: string, needle: string): boolean {
  if (text.includes(needle)) return true;
  return /[A-Z\u0080-\uffff]/.test(text) && text.toLowerCase().includes(needle);
}

/**
 * `text.toLowerCase().includes(needle)` (`start`: startsWith) for a lower-cased `needle`, without
 * a lower-cased copy of each row's text. An ASCII needle is a case-insensitive regex: it folds
 * ASCII as toLowerCase does and folds nothing else into ASCII, but for the two characters whose
 * lower case holds ASCII: K (Kelvin) → "k", and İ → "i" + U+0307 (so only as the needle's last).
 */
function folded(needle: string, start: boolean): (text: string) => boolean {
  if (!/^[\x00-\x7f]*$/.test(needle)) {
    return start ? (text) => text.toLowerCase().startsWith(needle) : (text) => includesFolded(text, needle);
  }
  let source = start ? "^" : "";
  for (let i = 0; i < needle.length; i++) {
    const ch = needle[i]!;
    source += ch === "k" ? "[k\\u212a]" : ch === "i" && i === needle.length - 1 ? "[i\\u0130]" : ch.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }
  const re = new RegExp(source, "i");
  return (text) => re.test(text);
}

/** The page as JSON text: the rows' cached texts (never re-serialized) in the envelope. */
export function listCustomers(c: SimContext, model: RapidlyModel, workspaceId: string): JsonTextParts {
  const parsed = validate(listQuerySchema, rawQuery(c), ["query"]);
  if (!parsed.ok) throw invalid(parsed.issues);
  const q = parsed.data;
  const page = q.page ?? 1;
  // spec: rapidly.md#list — limit capped at 100
  const limit = Math.min(q.limit ?? 10, 100);
  const sorting: { field: SortField; desc: boolean }[] = q.sorting?.length ? q.sorting : [{ field: "created_at", desc: true }];
  const needle = q.query?.toLowerCase();
  const meta = metadataFilters(c);
  const scope = model.customers.scope(workspaceId);

  const contains = needle !== undefined ? folded(needle, false) : undefined;
  const startsWith = needle !== undefined ? folded(needle, true) : undefined;
  const matches = (row: CustomerRow): boolean => {
    if (contains && startsWith) {
      const hit = contains(row.email)
        || (row.name !== null && contains(row.name))
        || (row.external_id !== null && startsWith(row.external_id));
      if (!hit) return false;
    }
    for (const [key, values] of meta) {
      const v = Object.hasOwn(row.metadata, key) ? metadataText(row.metadata[key]) : null;
      if (v === null || !values.includes(v)) return false;
    }
    return true;
  };
  const filtered = needle !== undefined || meta.size > 0;
  const offset = (page - 1) * limit;

  let items: CustomerRow[];
  let total: number;
  if (q.email !== undefined) {
    // The email index holds exactly the live customers, case-folded: at most one matches.
    const one = scope.findBy("email", emailKey(q.email));
    const hits = one && one.deleted_at === null && matches(one) ? [one] : [];
    total = hits.length;
    items = offset < total ? hits : [];
  } else {
    // Postgres: NULLs sort last ascending, first descending; the id breaks ties.
    const keys: PageKey[] = sorting.map((s) => ({ field: s.field, desc: s.desc }));
    ({ items, total } = scope.page(keys, offset, limit, filtered ? matches : undefined));
  }
  const texts = items.map((row) => customerJsonText(model, row));
  return new JsonTextParts(`{"items":[`, texts, `],"pagination":{"total_count":${total},"max_page":${Math.ceil(total / limit)}}}`);
}
