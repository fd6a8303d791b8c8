// GET customers/ (spec: plane.md#pagination): `?query=` on the name, newest first, and
// Plane's cursor paginator (utils/paginator.py) with its envelope. A page is read from the
// table's ordered index on created_at (O(page) without `?query=`; one scan of the workspace
// with it), and written from the rows' cached JSON texts.
import { DomainError } from "../../core/domain-errors.js";
import { TextSearch } from "../../core/search.js";
import { JsonTextParts } from "../../core/serialize.js";
import type { SimContext } from "../../core/simulator.js";
import type { CustomerRow, PlaneModel } from "./model.js";
import { customerJsonText } from "./serialize.js";

const DEFAULT_PER_PAGE = 100;
const MAX_PER_PAGE = 1000;

const badRequest = (detail: string) => new DomainError("invalid", { detail });

/**
 * Python's int() of a query string: optional sign, digits, surrounding spaces, `_` between
 * digits. A BigInt, so that a huge page number is printed back as Python prints it.
 */
function pyInt(text: string): bigint | null {
  const m = /^\s*([+-]?)(\d+(?:_\d+)*)\s*$/.exec(text);
  if (!m) return null;
  const n = BigInt(m[2]!.replace(/_/g, ""));
  return m[1] === "-" ? -n : n;
}

/** Django's QueryDict.get: the last value of a repeated parameter. */
function lastQuery(c: SimContext, name: string): string | undefined {
  const values = c.req.queries(name);
  return values && values.length > 0 ? values[values.length - 1] : undefined;
}

interface Cursor {
  /** the page size the cursor was made for */
  value: bigint;
  /** the page number (from 0) */
  offset: bigint;
  isPrev: boolean;
}

/** Cursor.from_string: `<value>:<offset>:<is_prev>`, each an int. */
function parseCursor(text: string): Cursor | null {
  const parts = text.split(":");
  if (parts.length !== 3) return null;
  const [value, offset, isPrev] = parts.map(pyInt);
  if (value == null || offset == null || isPrev == null) return null;
  return { value, offset, isPrev: isPrev !== 0n };
}

// `?query=`: the name contains it, case-insensitively (lower-cased once per block of rows by
// the ordered index, never per row and request).
const nameSearch = new TextSearch<CustomerRow>({ contains: [(row) => row.name] });

/** The rows `[start, stop)` of the workspace's listed customers, newest first, and how many match. */
function window(model: PlaneModel, workspaceId: string, start: bigint, stop: bigint, query: string | null): { rows: CustomerRow[]; total: number } {
  const scope = model.customers.scope(workspaceId);
  const search = query === null ? undefined : { by: nameSearch, needle: query };
  // beyond any workspace's size: nothing to read, only the count
  const cap = BigInt(Number.MAX_SAFE_INTEGER);
  const from = start > cap ? cap : start;
  const limit = stop - from <= 0n ? 0 : Number(stop - from > cap ? cap : stop - from);
  const { items, total } = scope.page([{ field: "created_at", desc: true }], Number(from), limit, undefined, search);
  return { rows: items, total };
}

/** The page as JSON text, keys in Plane's order. */
export function listCustomers(c: SimContext, model: PlaneModel, workspaceId: string): JsonTextParts {
  const perPageText = lastQuery(c, "per_page");
  let perPage = BigInt(DEFAULT_PER_PAGE);
  if (perPageText !== undefined) {
    const n = pyInt(perPageText);
    // decision: per_page < 1 is refused too (Plane would divide by zero)
    if (n === null || n < 1n) throw badRequest("Invalid per_page parameter.");
    if (n > BigInt(MAX_PER_PAGE)) throw badRequest(`Invalid per_page value. Cannot exceed ${MAX_PER_PAGE}.`);
    perPage = n;
  }
  const cursor = parseCursor(lastQuery(c, "cursor") ?? `${perPage}:0:0`);
  if (!cursor) throw badRequest("Invalid cursor parameter.");
  const text = lastQuery(c, "query");
  const query = text ? text : null;

  // OffsetPaginator.get_result
  const limit = perPage;
  const page = cursor.offset;
  const offset = cursor.offset * cursor.value;
  if (offset < 0n) throw badRequest("Error in parsing");
  const stop = offset + (cursor.value || limit) + 1n;
  // a cursor made for another page size keeps the last limit + 1 rows of its slice
  let start = offset;
  if (cursor.value !== limit && stop - (limit + 1n) > start) start = stop - (limit + 1n);
  const { rows, total } = window(model, workspaceId, start, stop, query);
  const results = rows.slice(0, Number(limit));
  const perPageN = Number(limit);
  // the rows' cached texts as they are: the journal keeps a pointer per row, not a copy of the page
  return new JsonTextParts(
    `{"grouped_by":null,"sub_grouped_by":null,"total_count":${total},` +
      `"next_cursor":"${limit}:${page + 1n}:0","prev_cursor":"${limit}:${page - 1n}:1",` +
      `"next_page_results":${rows.length > perPageN},"prev_page_results":${page > 0n},` +
      `"count":${results.length},"total_pages":${Math.ceil(total / perPageN)},"total_results":${total},"extra_stats":null,` +
      `"results":[`,
    results.map(customerJsonText),
    "]}",
  );
}
