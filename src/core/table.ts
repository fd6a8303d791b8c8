// Rows of one kind, kept in the persisted state document and indexed in memory.
// Every read goes through a tenant scope: isolation is the table's property, not something
// each route has to remember. Every put/remove is reported to the store that holds the rows
// (watchRows), so a durable store writes only what changed.
import { comparator, type SortKey, type SortValue } from "./list.js";
import { SortedRows } from "./sorted.js";

export interface TableSpec<T> {
  tenantOf(row: T): string;
  /** Unique keys within a tenant, already normalised; null/undefined = not indexed (e.g. deleted). */
  unique?: Record<string, (row: T) => string | null | undefined>;
  /**
   * Ordered indexes per tenant, by field name: `scope.page([{ field, desc }], ...)` then reads
   * a page without sorting the tenant. Nulls sort as in Postgres (last ascending, first
   * descending), ties by id ascending.
   */
  sorted?: Record<string, (row: T) => SortValue>;
  /** Which rows `page` lists (e.g. not soft-deleted); default every row. */
  listed?: (row: T) => boolean;
}

/** How a table tells the store holding its rows what changed (before the change is made). */
export interface RowChangeSink {
  changed(table: Table<any>, id: string, previous: unknown): void;
}

const sinks = new WeakMap<object, RowChangeSink>();
const tableRows = new WeakSet<object>();

/** The store side: reports changes of the table(s) over `rows` to `sink` (null stops). */
export function watchRows(rows: object, sink: RowChangeSink | null): void {
  if (sink) sinks.set(rows, sink);
  else sinks.delete(rows);
}

/** Whether a Table was opened over this object (its changes are reported, row by row). */
export function isTableRows(rows: unknown): boolean {
  return typeof rows === "object" && rows !== null && tableRows.has(rows);
}

/** A page request: a sorted field of the table, and which way. */
export interface PageKey {
  field: string;
  desc?: boolean;
}

export class UniqueViolation extends Error {
  constructor(readonly index: string, readonly key: string) {
    super(`unique index ${index} already holds ${key}`);
  }
}

export class Table<T extends { id: string | number }> {
  readonly #rows: Record<string, T>;
  readonly #spec: TableSpec<T>;
  readonly #byTenant = new Map<string, Map<string, T>>();
  readonly #indexes = new Map<string, Map<string, T>>();
  readonly #uniqueKeys: [string, (row: T) => string | null | undefined][];
  readonly #sortedKeys: [string, (row: T) => SortValue][];
  /** tenant → field → ordered listed rows */
  readonly #sorted = new Map<string, Map<string, SortedRows<T>>>();

  /** `rows` is the state document's object: the table writes through to it. */
  constructor(rows: Record<string, T>, spec: TableSpec<T>) {
    this.#rows = rows;
    this.#spec = spec;
    tableRows.add(rows);
    this.#uniqueKeys = Object.entries(spec.unique ?? {});
    this.#sortedKeys = Object.entries(spec.sorted ?? {});
    for (const [name] of this.#uniqueKeys) this.#indexes.set(name, new Map());
    const sortedLoad = this.#sortedKeys.length > 0;
    this.#loading = sortedLoad;
    for (const id in rows) if (Object.hasOwn(rows, id)) this.#index(rows[id]!);
    this.#loading = false;
    // Ordered indexes are built with one sort per tenant and field, not row by row.
    if (sortedLoad) {
      for (const [tenant, bucket] of this.#byTenant) {
        const listed = this.#spec.listed ? [...bucket.values()].filter(this.#spec.listed) : [...bucket.values()];
        for (const idx of this.#sortedOf(tenant).values()) idx.load(listed);
      }
    }
  }

  #loading = false;

  #sortedOf(tenant: string): Map<string, SortedRows<T>> {
    let m = this.#sorted.get(tenant);
    if (!m) {
      m = new Map(this.#sortedKeys.map(([field, valueOf]) => [field, new SortedRows<T>(valueOf)]));
      this.#sorted.set(tenant, m);
    }
    return m;
  }

  /** Whether `field` has an ordered index (spec.sorted). */
  hasSorted(field: string): boolean {
    return this.#sortedKeys.some(([f]) => f === field);
  }

  scope(tenant: string): TenantScope<T> {
    return new TenantScope(this, tenant);
  }

  /** Every row of every tenant, for the control plane only. */
  all(): T[] {
    return Object.values(this.#rows);
  }

  /** @internal */ bucket(tenant: string): Map<string, T> | undefined {
    return this.#byTenant.get(tenant);
  }

  /** @internal */ lookup(index: string, tenant: string, key: string): T | undefined {
    const idx = this.#indexes.get(index);
    if (!idx) throw new Error(`no unique index ${index}`);
    return idx.get(`${tenant}\u0000${key}`);
  }

  /** Inserts or replaces a row; refuses (changing nothing) when a unique key is taken. */
  put(row: T, expectedTenant?: string): void {
    const id = String(row.id);
    const previous = Object.hasOwn(this.#rows, id) ? this.#rows[id] : undefined;
    const tenant = this.#spec.tenantOf(row);
    if (expectedTenant !== undefined && tenant !== expectedTenant) throw new Error("row belongs to another tenant");
    if (previous && this.#spec.tenantOf(previous) !== tenant) throw new Error("row id belongs to another tenant");
    for (const [name, keyOf] of this.#uniqueKeys) {
      const key = keyOf(row);
      if (key == null) continue;
      const holder = this.#indexes.get(name)!.get(`${tenant}\u0000${key}`);
      if (holder && String(holder.id) !== id) throw new UniqueViolation(name, key);
    }
    sinks.get(this.#rows)?.changed(this, id, previous);
    if (previous) this.#unindex(previous);
    this.#rows[id] = row;
    this.#index(row);
  }

  /** Removes every row of a tenant, indexes included; returns how many. */
  removeTenant(tenant: string): number {
    const bucket = this.#byTenant.get(tenant);
    if (!bucket) return 0;
    const rows = [...bucket.values()];
    const sink = sinks.get(this.#rows);
    for (const row of rows) {
      sink?.changed(this, String(row.id), row);
      this.#unindex(row);
      delete this.#rows[String(row.id)];
    }
    this.#byTenant.delete(tenant);
    this.#sorted.delete(tenant);
    return rows.length;
  }

  /**
   * @internal The store's rollback: puts `row` back under `id` (or removes the row when
   * undefined), indexes included, without checks and without reporting the change.
   */
  restore(id: string, row: T | undefined): void {
    const current = Object.hasOwn(this.#rows, id) ? this.#rows[id] : undefined;
    if (current) this.#unindex(current);
    if (row === undefined) delete this.#rows[id];
    else {
      this.#rows[id] = row;
      this.#index(row);
    }
  }

  /**
   * @internal One page of a tenant's listed rows in the order of `keys` (the first must be a
   * sorted field), with the number of listed rows passing `filter`. Without a filter it reads
   * O(offset / block + page); a filter scans the tenant's index once, sorting nothing.
   */
  page(tenant: string, keys: PageKey[], offset: number, limit: number, filter?: (row: T) => boolean): { items: T[]; total: number } {
    const first = keys[0];
    const index = first ? this.#sorted.get(tenant)?.get(first.field) : undefined;
    if (first && !this.hasSorted(first.field)) throw new Error(`no sorted index ${first.field}`);
    if (!first || !index) {
      // An empty tenant, or no keys (then the first sorted field, ascending).
      const any = this.#sorted.get(tenant)?.values().next().value as SortedRows<T> | undefined;
      if (!first && any) return this.page(tenant, [{ field: this.#sortedKeys[0]![0] }], offset, limit, filter);
      return { items: [], total: 0 };
    }
    const desc = Boolean(first.desc);
    const fns = new Map(this.#sortedKeys);
    const rest: SortKey<T>[] = keys.slice(1).map((k) => {
      const value = fns.get(k.field);
      if (!value) throw new Error(`no sorted index ${k.field}`);
      return { value, desc: k.desc };
    });
    const within = comparator(rest);
    const valueOf = index.valueOf;
    const items: T[] = [];
    const end = offset + limit;
    let position = 0;
    let group: T[] = [];
    let groupValue: SortValue = undefined;
    const flush = (): boolean => {
      if (group.length > 1) group.sort(within);
      for (const row of group) {
        if (position >= offset && position < end) items.push(row);
        position++;
      }
      group = [];
      return !filter && position >= end;
    };
    let start = 0;
    if (!filter && offset > 0) {
      // Jump to the page, backing up to the start of the run of equal values it lands in.
      if (offset >= index.size) return { items, total: index.size };
      const at = index.from(offset, desc).next().value as T;
      const v = valueOf(at);
      let back = 0;
      for (const row of index.from(index.size - offset, !desc)) {
        if (!sameValue(valueOf(row), v)) break;
        back++;
      }
      start = offset - back;
      position = start;
    }
    for (const row of index.from(start, desc)) {
      const v = valueOf(row);
      if (group.length > 0 && !sameValue(v, groupValue)) {
        if (flush()) break;
      }
      if (filter && !filter(row)) continue;
      if (group.length === 0) groupValue = v;
      group.push(row);
    }
    if (group.length > 0) flush();
    return { items, total: filter ? position : index.size };
  }

  #index(row: T): void {
    const tenant = this.#spec.tenantOf(row);
    let bucket = this.#byTenant.get(tenant);
    if (!bucket) this.#byTenant.set(tenant, (bucket = new Map()));
    bucket.set(String(row.id), row);
    for (const [name, keyOf] of this.#uniqueKeys) {
      const key = keyOf(row);
      if (key != null) this.#indexes.get(name)!.set(`${tenant}\u0000${key}`, row);
    }
    if (this.#sortedKeys.length && !this.#loading && (!this.#spec.listed || this.#spec.listed(row))) {
      for (const idx of this.#sortedOf(tenant).values()) idx.insert(row);
    } else if (this.#loading) this.#sortedOf(tenant);
  }

  #unindex(row: T): void {
    const tenant = this.#spec.tenantOf(row);
    this.#byTenant.get(tenant)?.delete(String(row.id));
    for (const [name, keyOf] of this.#uniqueKeys) {
      const key = keyOf(row);
      const idx = this.#indexes.get(name)!;
      if (key != null && idx.get(`${tenant}\u0000${key}`) === row) idx.delete(`${tenant}\u0000${key}`);
    }
    const sorted = this.#sortedKeys.length ? this.#sorted.get(tenant) : undefined;
    if (sorted) for (const idx of sorted.values()) idx.remove(row);
  }
}

function sameValue(a: SortValue, b: SortValue): boolean {
  return a === b || ((a === null || a === undefined) && (b === null || b === undefined));
}

export class TenantScope<T extends { id: string | number }> {
  constructor(readonly table: Table<T>, readonly tenant: string) {}

  get(id: string | number): T | undefined {
    return this.table.bucket(this.tenant)?.get(String(id));
  }

  list(): T[] {
    const bucket = this.table.bucket(this.tenant);
    return bucket ? [...bucket.values()] : [];
  }

  findBy(index: string, key: string): T | undefined {
    return this.table.lookup(index, this.tenant, key);
  }

  put(row: T): void {
    this.table.put(row, this.tenant);
  }

  /**
   * One page of this tenant's listed rows (spec.listed) ordered by `keys` — sorted fields of
   * the table, nulls as in Postgres, ties by id ascending — and how many listed rows pass
   * `filter` (all when absent). O(page) without a filter; one scan of the tenant with one.
   */
  page(keys: PageKey[], offset: number, limit: number, filter?: (row: T) => boolean): { items: T[]; total: number } {
    return this.table.page(this.tenant, keys, offset, limit, filter);
  }
}
