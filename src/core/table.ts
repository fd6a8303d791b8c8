// Rows of one kind, kept in the persisted state document and indexed in memory.
// Every read goes through a tenant scope: isolation is the table's property, not something
// each route has to remember. Every put/remove is reported to the store that holds the rows
// (watchRows), so a durable store writes only what changed.
import { comparator, type SortKey, type SortValue } from "./list.js";
import type { Needle, TextSearch } from "./search.js";
import { SortedRows } from "./sorted.js";

export interface TableSpec<T> {
  tenantOf(row: T): string;
  /** Unique keys within a tenant, already normalised; null/undefined = not indexed (e.g. deleted). */
  unique?: Record<string, (row: T) => string | null | undefined>;
  /** Keys several rows of a tenant may share (`scope.findAll`); null/undefined = not indexed. */
  grouped?: Record<string, (row: T) => string | null | undefined>;
  /**
   * Ordered indexes per tenant, by field name: `scope.page([{ field, desc }], ...)` then reads
   * a page without sorting the tenant. Nulls sort as in Postgres (last ascending, first
   * descending), ties by id ascending.
   */
  sorted?: Record<string, (row: T) => SortValue>;
  /** Which rows `page` lists (e.g. not soft-deleted); default every row. */
  listed?: (row: T) => boolean;
  /**
   * Ties of a one-key page follow the sort's direction (id descending on a descending page)
   * instead of id ascending: the index is then read as it is, never re-sorting a run of
   * equal values (e.g. one status among 100,000 rows). Default false.
   */
  tiesFollowOrder?: boolean;
}

/** How a table tells the store holding its rows what changed (before the change is made). */
export interface RowChangeSink {
  changed(table: Table<any>, id: string, previous: unknown): void;
}

/**
 * A row is replaced when it changes, never changed in place: a failed write puts the previous
 * row back, and a compaction writes out rows it held while requests go on (store.ts). The test
 * suite freezes every row (vitest.config.ts), so a change in place anywhere fails loudly there.
 */
const FREEZE_ROWS = process.env.CUSTOMER_SIM_FREEZE_ROWS === "1";

const sinks = new WeakMap<object, RowChangeSink>();
const tables = new WeakMap<object, Table<any>>();

/** The store side: reports changes of the table(s) over `rows` to `sink` (null stops). */
export function watchRows(rows: object, sink: RowChangeSink | null): void {
  if (sink) sinks.set(rows, sink);
  else sinks.delete(rows);
}

/** Whether a Table was opened over this object (its changes are reported, row by row). */
export function isTableRows(rows: unknown): boolean {
  return typeof rows === "object" && rows !== null && tables.has(rows);
}

/** The Table last opened over this object of the document, if any. */
export function tableOver(rows: unknown): Table<any> | undefined {
  return typeof rows === "object" && rows !== null ? tables.get(rows) : undefined;
}

/** A page's search: rows whose `by` fields match `needle` (case-insensitively, see TextSearch). */
export interface PageSearch<T> {
  by: TextSearch<T>;
  needle: string;
}

/** A page request: a sorted field of the table, and which way. */
export interface PageKey {
  field: string;
  desc?: boolean;
}

/** A row of the document a table cannot hold (a data file edited by hand): its rows object and id. */
export class MalformedRow extends Error {
  constructor(readonly rows: object, readonly id: string, readonly why: string) {
    super(`row ${JSON.stringify(id)}: ${why}`);
  }
}

/** warmUp yields after every WARM_STEP rows, by default */
const WARM_STEP = 1024;

export class UniqueViolation extends Error {
  constructor(readonly index: string, readonly key: string) {
    super(`unique index ${index} already holds ${key}`);
  }
}

export class Table<T extends { id: string | number }> {
  readonly #rows: Record<string, T>;
  readonly #spec: TableSpec<T>;
  /** tenant → its rows (a row by id is read from the rows themselves) */
  readonly #byTenant = new Map<string, Set<T>>();
  /**
   * tenant → its keyed indexes: a key → row map per unique index, a key → rows map per grouped
   * one (#keyFns' order; no per-row `tenant + key` strings). Each is built from the tenant's
   * rows the first time a put needs it (the row has that key) or a lookup reads it, then kept
   * by every put and removal: opening a table builds none (#13: 100,000 rows, three unique
   * keys each, cost 0.4–0.8 s of a start-up; a tenant never written to never needs them).
   */
  readonly #keyed = new Map<string, (Map<string, T | Set<T>> | undefined)[]>();
  readonly #uniqueKeys: [string, (row: T) => string | null | undefined][];
  /** the unique then the grouped indexes' key functions; `grouped` from this position on */
  readonly #keyFns: ((row: T) => string | null | undefined)[];
  readonly #keyNames: string[];
  readonly #firstGrouped: number;
  readonly #sortedKeys: [string, (row: T) => SortValue][];
  /**
   * tenant → field → ordered listed rows. Built on the first page a tenant lists by that field
   * (one sort), then kept up to date by every put and removal: opening a table sorts nothing.
   */
  readonly #sorted = new Map<string, Map<string, SortedRows<T>>>();
  /** per sorted field: the type of its values (a row of another type is refused at open) */
  readonly #sortTypes: (string | undefined)[] = [];
  /** the tenant warmUp is building an index of, and whether a row of it changed meanwhile */
  #warming: { tenant: string; changed: boolean } | null = null;

  /** `rows` is the state document's object: the table writes through to it. */
  constructor(rows: Record<string, T>, spec: TableSpec<T>) {
    this.#rows = rows;
    this.#spec = spec;
    tables.set(rows, this);
    this.#uniqueKeys = Object.entries(spec.unique ?? {});
    const grouped = Object.entries(spec.grouped ?? {});
    this.#firstGrouped = this.#uniqueKeys.length;
    this.#keyFns = [...this.#uniqueKeys, ...grouped].map(([, f]) => f);
    this.#keyNames = [...this.#uniqueKeys, ...grouped].map(([name]) => name);
    this.#sortedKeys = Object.entries(spec.sorted ?? {});
    this.#indexAll();
    if (FREEZE_ROWS) for (const id of Object.keys(rows)) deepFreeze(rows[id]);
  }

  /**
   * Puts the rows read from the document in their tenants' buckets: one pass, a bucket looked
   * up once per run of rows of one tenant (#13: 100,000 rows at start-up). Each row's tenant,
   * keys and sort values are read once on the way (no index is built: #keyedMap): a row a
   * hand-edited data file broke fails the opening, named, instead of failing every later
   * write to its tenant with a 500.
   */
  #indexAll(): void {
    const rows = this.#rows;
    let lastTenant: string | undefined;
    let bucket: Set<T> | undefined;
    for (const id of Object.keys(rows)) {
      const row = rows[id]!;
      const tenant = this.#check(id, row);
      if (tenant !== lastTenant || bucket === undefined) {
        bucket = this.#byTenant.get(tenant);
        if (!bucket) this.#byTenant.set(tenant, (bucket = new Set()));
        lastTenant = tenant;
      }
      bucket.add(row);
    }
  }

  /** The row's tenant, once its id, tenant, keys and sort values are what the table needs. */
  #check(id: string, row: T): string {
    const fail = (why: string): never => {
      throw new MalformedRow(this.#rows, id, why);
    };
    if (typeof row !== "object" || row === null || Array.isArray(row)) fail("it is not an object");
    if (String(row.id) !== id) fail(`its id is ${JSON.stringify(row.id) ?? "missing"}`);
    let reading = "tenant";
    try {
      const tenant = this.#spec.tenantOf(row);
      if (typeof tenant !== "string") fail(tenant == null ? "it has no tenant" : "its tenant is not a string");
      for (let i = 0; i < this.#keyFns.length; i++) {
        reading = `${this.#keyNames[i]} key`;
        const key = this.#keyFns[i]!(row);
        if (key != null && typeof key !== "string") fail(`its ${reading} is not a string`);
      }
      for (let i = 0; i < this.#sortedKeys.length; i++) {
        const [field, valueOf] = this.#sortedKeys[i]!;
        reading = field;
        const v = valueOf(row);
        if (v == null) continue;
        const type = typeof v;
        if (type !== "string" && type !== "number" && type !== "boolean") fail(`its ${field} is neither a string, a number, a boolean nor null`);
        // (values of two types are neither less nor greater than each other: the order of the
        // index would not hold, and a row could no longer be found in it to be removed)
        const seen = (this.#sortTypes[i] ??= type);
        if (type !== seen) fail(`its ${field} is a ${type} where other rows have a ${seen}`);
      }
      return tenant;
    } catch (err) {
      if (err instanceof MalformedRow) throw err;
      // (a key function read a field that is missing or of another type)
      return fail(`its ${reading} cannot be read (${(err as Error).message})`);
    }
  }

  /** The tenant's keyed index `i` (#keyFns' order), built from its rows when first asked for. */
  #keyedMap(tenant: string, i: number): Map<string, T | Set<T>> {
    const maps = this.#keyedMaps(tenant);
    let map = maps[i];
    if (!map) {
      // (kept only once whole: a key function that throws on a row leaves no half-built index)
      const built = new Map<string, T | Set<T>>();
      for (const row of this.#byTenant.get(tenant) ?? []) this.#addKey(built, i, row);
      maps[i] = map = built;
    }
    return map;
  }

  /** The tenant's keyed indexes, each undefined until built. */
  #keyedMaps(tenant: string): (Map<string, T | Set<T>> | undefined)[] {
    let maps = this.#keyed.get(tenant);
    if (!maps) this.#keyed.set(tenant, (maps = this.#keyFns.map(() => undefined)));
    return maps;
  }

  /** The tenant's ordered indexes by field (empty until a first page or warmUp builds one). */
  #sortedMaps(tenant: string): Map<string, SortedRows<T>> {
    let m = this.#sorted.get(tenant);
    if (!m) this.#sorted.set(tenant, (m = new Map()));
    return m;
  }

  #addKey(map: Map<string, T | Set<T>>, i: number, row: T): void {
    const key = this.#keyFns[i]!(row);
    if (key == null) return;
    if (i < this.#firstGrouped) map.set(key, row);
    else {
      const rows = map.get(key) as Set<T> | undefined;
      if (rows) rows.add(row);
      else map.set(key, new Set([row]));
    }
  }

  #removeKey(map: Map<string, T | Set<T>>, i: number, row: T): void {
    const key = this.#keyFns[i]!(row);
    if (key == null) return;
    const held = map.get(key);
    if (i < this.#firstGrouped) {
      if (held === row) map.delete(key);
    } else if (held) {
      (held as Set<T>).delete(row);
      if ((held as Set<T>).size === 0) map.delete(key);
    }
  }

  #keyIndex(name: string, unique: boolean): number {
    const i = this.#keyNames.indexOf(name);
    if (i === -1 || i < this.#firstGrouped !== unique) throw new Error(`no ${unique ? "unique" : "grouped"} index ${name}`);
    return i;
  }

  /** The tenant's ordered index of `field`, built (one sort of its listed rows) when first asked for. */
  #sortedIndex(tenant: string, field: string, valueOf: (row: T) => SortValue): SortedRows<T> {
    const m = this.#sortedMaps(tenant);
    let idx = m.get(field);
    if (!idx) {
      idx = new SortedRows<T>(valueOf);
      const listed = this.#spec.listed;
      const rows: T[] = [];
      for (const row of this.#byTenant.get(tenant)?.values() ?? []) if (!listed || listed(row)) rows.push(row);
      idx.load(rows);
      m.set(field, idx);
    }
    return idx;
  }

  /**
   * Builds, a step at a time, what a large tenant (`minRows` rows or more) would otherwise
   * build on its first write or list: every keyed index, and the ordered index of the first
   * sorted field (a list in the provider's default order reads it). The runtime runs it
   * between requests after a start-up (#13: at 100,000 customers the first create took
   * 0.2–0.3 s, the first list 0.1 s). A build whose tenant changes meanwhile is dropped: that
   * tenant's writes and lists build what they need, as they always did.
   */
  *warmUp(minRows: number, rowsPerStep = WARM_STEP): Generator<void, void, void> {
    try {
      tenants: for (const [tenant, bucket] of [...this.#byTenant]) {
        if (bucket.size < minRows) continue;
        // (a tenant whose rows change during its build is left to its requests; so is a tenant
        // removed, or removed and made again, since the list of tenants was taken)
        const state = (this.#warming = { tenant, changed: this.#byTenant.get(tenant) !== bucket });
        for (let i = 0; i < this.#keyFns.length; i++) {
          if (this.#keyed.get(tenant)?.[i]) continue;
          const built = new Map<string, T | Set<T>>();
          let n = 0;
          for (const row of bucket) {
            if (state.changed) continue tenants;
            this.#addKey(built, i, row);
            if (++n % rowsPerStep === 0) yield;
          }
          if (state.changed) continue tenants;
          this.#keyedMaps(tenant)[i] ??= built;
        }
        const first = this.#sortedKeys[0];
        if (!first || this.#sorted.get(tenant)?.has(first[0]) || state.changed) continue;
        const listed = this.#spec.listed;
        const rows: T[] = [];
        let n = 0;
        for (const row of bucket) {
          if (state.changed) continue tenants;
          if (!listed || listed(row)) rows.push(row);
          if (++n % rowsPerStep === 0) yield;
        }
        if (state.changed) continue;
        const index = new SortedRows<T>(first[1]);
        for (const _ of index.loadSteps(rows, rowsPerStep)) {
          yield;
          if (state.changed) continue tenants;
        }
        const sorted = this.#sortedMaps(tenant);
        if (!sorted.has(first[0])) sorted.set(first[0], index);
      }
    } finally {
      this.#warming = null;
    }
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

  /** @internal */ bucket(tenant: string): Set<T> | undefined {
    return this.#byTenant.get(tenant);
  }

  /** @internal The tenant's row with this id (read from the rows: no per-tenant id index). */
  get(tenant: string, id: string): T | undefined {
    const row = Object.hasOwn(this.#rows, id) ? this.#rows[id] : undefined;
    return row !== undefined && this.#spec.tenantOf(row) === tenant ? row : undefined;
  }

  /** @internal */ lookup(index: string, tenant: string, key: string): T | undefined {
    return this.#keyedMap(tenant, this.#keyIndex(index, true)).get(key) as T | undefined;
  }

  /** @internal The tenant's rows whose grouped key `index` is `key`, in no set order. */
  lookupAll(index: string, tenant: string, key: string): T[] {
    const rows = this.#keyedMap(tenant, this.#keyIndex(index, false)).get(key) as Set<T> | undefined;
    return rows ? [...rows] : [];
  }

  /** Inserts or replaces a row; refuses (changing nothing) when a unique key is taken. */
  put(row: T, expectedTenant?: string): void {
    const id = String(row.id);
    const previous = Object.hasOwn(this.#rows, id) ? this.#rows[id] : undefined;
    const tenant = this.#spec.tenantOf(row);
    if (expectedTenant !== undefined && tenant !== expectedTenant) throw new Error("row belongs to another tenant");
    if (previous && this.#spec.tenantOf(previous) !== tenant) throw new Error("row id belongs to another tenant");
    for (let i = 0; i < this.#uniqueKeys.length; i++) {
      const [name, keyOf] = this.#uniqueKeys[i]!;
      const key = keyOf(row);
      if (key == null) continue;
      const holder = this.#keyedMap(tenant, i).get(key) as T | undefined;
      if (holder && String(holder.id) !== id) throw new UniqueViolation(name, key);
    }
    sinks.get(this.#rows)?.changed(this, id, previous);
    if (previous) this.#unindex(previous);
    this.#rows[id] = row;
    if (FREEZE_ROWS) deepFreeze(row);
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
    this.#keyed.delete(tenant);
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
   * sorted field), with the number of listed rows passing `filter` and matching `search`.
   * Without either it reads O(offset / block + page); with one it scans the tenant's index
   * once, sorting nothing (a search: native scans of the index blocks' search texts).
   */
  page(tenant: string, keys: PageKey[], offset: number, limit: number, filter?: (row: T) => boolean, search?: PageSearch<T>): { items: T[]; total: number } {
    // No keys: the first sorted field, ascending.
    const first = keys[0] ?? (this.#sortedKeys[0] ? { field: this.#sortedKeys[0][0] } : undefined);
    if (!first) throw new Error("no sorted index");
    const entry = this.#sortedKeys.find(([f]) => f === first.field);
    if (!entry) throw new Error(`no sorted index ${first.field}`);
    if (!this.#byTenant.has(tenant)) return { items: [], total: 0 };
    const index = this.#sortedIndex(tenant, first.field, entry[1]);
    const desc = Boolean(first.desc);
    const inOrder = Boolean(this.#spec.tiesFollowOrder) && keys.length === 1;
    let within: ((a: T, b: T) => number) | undefined;
    if (!inOrder) {
      const fns = new Map(this.#sortedKeys);
      within = comparator(keys.slice(1).map((k): SortKey<T> => {
        const value = fns.get(k.field);
        if (!value) throw new Error(`no sorted index ${k.field}`);
        return { value, desc: k.desc };
      }));
    }
    if (search) {
      const by = search.by;
      const folded = by.fold(search.needle);
      const needle = by.prepare(folded);
      if (needle) return searchPage(index, by, needle, desc, within, offset, limit, filter);
      const rest = filter;
      filter = rest ? (row) => by.matches(row, folded) && rest(row) : (row) => by.matches(row, folded);
    }
    if (inOrder) return readInOrder(index, desc, offset, limit, filter);
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
    if (this.#warming?.tenant === tenant) this.#warming.changed = true;
    let bucket = this.#byTenant.get(tenant);
    if (!bucket) this.#byTenant.set(tenant, (bucket = new Set()));
    bucket.add(row);
    const maps = this.#keyed.get(tenant);
    if (maps) for (let i = 0; i < maps.length; i++) if (maps[i]) this.#addKey(maps[i]!, i, row);
    const sorted = this.#sortedKeys.length ? this.#sorted.get(tenant) : undefined;
    if (sorted && (!this.#spec.listed || this.#spec.listed(row))) for (const idx of sorted.values()) idx.insert(row);
  }

  #unindex(row: T): void {
    const tenant = this.#spec.tenantOf(row);
    if (this.#warming?.tenant === tenant) this.#warming.changed = true;
    this.#byTenant.get(tenant)?.delete(row);
    const maps = this.#keyed.get(tenant);
    if (maps) for (let i = 0; i < maps.length; i++) if (maps[i]) this.#removeKey(maps[i]!, i, row);
    const sorted = this.#sortedKeys.length ? this.#sorted.get(tenant) : undefined;
    if (sorted) for (const idx of sorted.values()) idx.remove(row);
  }
}

/** A page read straight off an index (ties in its own order): O(offset / block + page) unfiltered. */
function readInOrder<T extends { id: string | number }>(index: SortedRows<T>, desc: boolean, offset: number, limit: number, filter?: (row: T) => boolean): { items: T[]; total: number } {
  const items: T[] = [];
  if (!filter) {
    if (limit > 0) for (const row of index.from(offset, desc)) if (items.push(row) >= limit) break;
    return { items, total: index.size };
  }
  let total = 0;
  for (const row of index.from(0, desc)) {
    if (!filter(row)) continue;
    if (total >= offset && items.length < limit) items.push(row);
    total++;
  }
  return { items, total };
}

/**
 * A page of the rows matching a search needle, in the index's order: each block's search text
 * (kept per block by the index) scanned natively unless its trigrams rule the needle out, the
 * page collected as the matches come, the rest only counted.
 */
function searchPage<T extends { id: string | number }>(index: SortedRows<T>, search: TextSearch<T>, needle: Needle, desc: boolean,
  within: ((a: T, b: T) => number) | undefined, offset: number, limit: number, filter?: (row: T) => boolean): { items: T[]; total: number } {
  const page = new PageCollector<T>(index.valueOf, within, offset, offset + limit);
  const blocks = index.blocks();
  const hits: number[] = [];
  let open = true;
  let rest = 0;
  for (let k = 0; k < blocks.length; k++) {
    const block = blocks[desc ? blocks.length - 1 - k : k]!;
    const n = search.scan(index.derived(block, search), needle, hits);
    if (!open && !filter) {
      rest += n;
      continue;
    }
    for (let j = 0; j < n; j++) {
      const row = block[hits[desc ? n - 1 - j : j]!]!;
      if (filter && !filter(row)) continue;
      if (open && !page.add(row)) open = false;
      if (!open) rest++;
    }
  }
  return { items: page.items, total: page.finish() + rest };
}

/**
 * Collects positions [offset, end) of rows given in index order. With `within`, a run of equal
 * first-key values is sorted by it (the other keys, then id ascending) before it is placed;
 * without, rows are placed as they come.
 */
class PageCollector<T extends { id: string | number }> {
  readonly items: T[] = [];
  #position = 0;
  #group: T[] = [];
  #groupValue: SortValue = undefined;

  constructor(readonly valueOf: (row: T) => SortValue, readonly within: ((a: T, b: T) => number) | undefined,
    readonly offset: number, readonly end: number) {}

  /** Takes the next row; false (the row not taken) once every position of the page is placed. */
  add(row: T): boolean {
    if (!this.within) {
      if (this.#position >= this.end) return false;
      if (this.#position >= this.offset) this.items.push(row);
      this.#position++;
      return true;
    }
    const v = this.valueOf(row);
    if (this.#group.length > 0 && !sameValue(v, this.#groupValue)) {
      this.#flush();
      if (this.#position >= this.end) return false;
    }
    if (this.#group.length === 0) this.#groupValue = v;
    this.#group.push(row);
    return true;
  }

  /** Places what is left; returns how many rows were taken. */
  finish(): number {
    this.#flush();
    return this.#position;
  }

  #flush(): void {
    const group = this.#group;
    if (group.length > 1) group.sort(this.within);
    for (const row of group) {
      if (this.#position >= this.offset && this.#position < this.end) this.items.push(row);
      this.#position++;
    }
    group.length = 0;
  }
}

function sameValue(a: SortValue, b: SortValue): boolean {
  return a === b || ((a === null || a === undefined) && (b === null || b === undefined));
}

export class TenantScope<T extends { id: string | number }> {
  constructor(readonly table: Table<T>, readonly tenant: string) {}

  get(id: string | number): T | undefined {
    return this.table.get(this.tenant, String(id));
  }

  list(): T[] {
    const bucket = this.table.bucket(this.tenant);
    return bucket ? [...bucket.values()] : [];
  }

  findBy(index: string, key: string): T | undefined {
    return this.table.lookup(index, this.tenant, key);
  }

  /** This tenant's rows sharing `key` in a grouped index (spec.grouped), in no set order. */
  findAll(index: string, key: string): T[] {
    return this.table.lookupAll(index, this.tenant, key);
  }

  put(row: T): void {
    this.table.put(row, this.tenant);
  }

  /**
   * One page of this tenant's listed rows (spec.listed) ordered by `keys` — sorted fields of
   * the table, nulls as in Postgres, ties by id ascending — and how many listed rows pass
   * `filter` and match `search` (all when absent). O(page) without either; one scan of the
   * tenant with one (a search: native scans of per-block texts, kept as rows are put).
   */
  page(keys: PageKey[], offset: number, limit: number, filter?: (row: T) => boolean, search?: PageSearch<T>): { items: T[]; total: number } {
    return this.table.page(this.tenant, keys, offset, limit, filter, search);
  }
}

/** Freezes a value and everything in it (the test suite's check that rows are never changed in place). */
export function deepFreeze(value: unknown): void {
  if (typeof value !== "object" || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const v of Object.values(value)) deepFreeze(v);
}
