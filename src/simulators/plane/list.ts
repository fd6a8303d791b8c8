// GET customers/ (spec: plane.md#pagination): `?query=` on the name, newest first, and
// Plane's cursor paginator (utils/paginator.py) with its envelope.
import { DomainError } from "../../core/domain-errors.js";
import { ordered } from "../../core/list.js";
import type { SimContext } from "../../core/simulator.js";
import type { PlaneModel } from "./model.js";
import { serializeCustomer } from "./serialize.js";

const DEFAULT_PER_PAGE = 100;
const MAX_PER_PAGE = 1000;

const badRequest = (detail: string) => new DomainError("invalid", { detail });

/** Python's int() of a query string: optional sign, digits, surrounding spaces, `_` between digits. */
function pyInt(text: string): number | null {
  const m = /^\s*([+-]?\d+(?:_\d+)*)\s*$/.exec(text);
  return m ? Number(m[1]!.replace(/_/g, "")) : null;
}

interface Cursor {
  value: number;
  offset: number;
  isPrev: boolean;
}

/** Cursor.from_string: `<value>:<offset>:<is_prev>`, each an int. */
function parseCursor(text: string): Cursor | null {
  const parts = text.split(":");
  if (parts.length !== 3) return null;
  const [value, offset, isPrev] = parts.map(pyInt);
  if (value === null || offset === null || isPrev === null) return null;
  return { value: value!, offset: offset!, isPrev: isPrev !== 0 };
}

export function listCustomers(c: SimContext, model: PlaneModel, workspaceId: string) {
  const perPageText = c.req.query("per_page");
  let perPage = DEFAULT_PER_PAGE;
  if (perPageText !== undefined) {
    const n = pyInt(perPageText);
    // decision: per_page < 1 is refused too (Plane would divide by zero)
    if (n === null || n < 1) throw badRequest("Invalid per_page parameter.");
    if (n > MAX_PER_PAGE) throw badRequest(`Invalid per_page value. Cannot exceed ${MAX_PER_PAGE}.`);
    perPage = n;
  }
  const cursor = parseCursor(c.req.query("cursor") ?? `${perPage}:0:0`);
  if (!cursor) throw badRequest("Invalid cursor parameter.");

  const needle = c.req.query("query");
  const lower = needle ? needle.toLowerCase() : null;
  const rows = model.customers
    .scope(workspaceId)
    .list()
    .filter((row) => row.deleted_at === null && (lower === null || row.name.toLowerCase().includes(lower)));
  const sorted = ordered(rows, [{ value: (row) => row.created_at, desc: true }]);

  // OffsetPaginator.get_result
  const limit = perPage;
  const page = cursor.offset;
  const offset = cursor.offset * cursor.value;
  if (offset < 0) throw badRequest("Error in parsing");
  const stop = offset + (cursor.value || limit) + 1;
  let slice = sorted.slice(offset, stop);
  if (cursor.value !== limit) slice = slice.slice(-(limit + 1));
  const total = sorted.length;
  const results = slice.slice(0, limit).map(serializeCustomer);
  return {
    grouped_by: null,
    sub_grouped_by: null,
    total_count: total,
    next_cursor: `${limit}:${page + 1}:0`,
    prev_cursor: `${limit}:${page - 1}:1`,
    next_page_results: slice.length > limit,
    prev_page_results: page > 0,
    count: results.length,
    total_pages: Math.ceil(total / limit),
    total_results: total,
    extra_stats: null,
    results,
  };
}
