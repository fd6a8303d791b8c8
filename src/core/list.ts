// Ordering and page slicing over a tenant's rows. The envelopes (a Laravel paginator, DRF
// cursors, bare arrays, FastAPI's items/pagination) stay with each provider.

export type SortValue = string | number | boolean | null | undefined;

/** One sort key: how to read it from a row, which way, and where nulls go. */
export interface SortKey<Row> {
  value(row: Row): SortValue;
  desc?: boolean;
  /**
   * Where null/undefined values sort. Default "postgres": last ascending, first descending
   * (Postgres' default; MySQL puts them first ascending — "first-asc").
   */
  nulls?: "postgres" | "first-asc" | "first" | "last";
}

function nullsFirst(key: SortKey<unknown>): boolean {
  switch (key.nulls ?? "postgres") {
    case "postgres": return Boolean(key.desc);
    case "first-asc": return !key.desc;
    case "first": return true;
    case "last": return false;
  }
}

/** A comparator over several keys, with the row id as the last tie-break (ascending). */
export function comparator<Row extends { id: string | number }>(keys: SortKey<Row>[]): (a: Row, b: Row) => number {
  const plans = keys.map((k) => ({ value: k.value, sign: k.desc ? -1 : 1, nullFirst: nullsFirst(k as SortKey<unknown>) }));
  return (a, b) => {
    for (const { value, sign, nullFirst } of plans) {
      const x = value(a);
      const y = value(b);
      if (x === y) continue;
      const xNull = x === null || x === undefined;
      const yNull = y === null || y === undefined;
      if (xNull && yNull) continue;
      if (xNull) return nullFirst ? -1 : 1;
      if (yNull) return nullFirst ? 1 : -1;
      return (x! < y! ? -1 : 1) * sign;
    }
    return compareIds(a.id, b.id);
  };
}

export function compareIds(a: string | number, b: string | number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Oldest first, then by id: the order of fixtures listings and raw dumps. */
export function byCreatedThenId<Row extends { id: string | number; created_at: string }>(a: Row, b: Row): number {
  if (a.created_at !== b.created_at) return a.created_at < b.created_at ? -1 : 1;
  return compareIds(a.id, b.id);
}

/** The rows in order. Sorts a copy; `rows` is left as it was. */
export function ordered<Row extends { id: string | number }>(rows: readonly Row[], keys: SortKey<Row>[]): Row[] {
  return [...rows].sort(comparator(keys));
}

/** One page: `offset` rows skipped, at most `limit` taken, and the total before slicing. */
export function pageOf<Row>(rows: readonly Row[], offset: number, limit: number): { items: Row[]; total: number } {
  const total = rows.length;
  return { items: offset < total ? rows.slice(offset, offset + limit) : [], total };
}
