// An ordered multiset of rows by (value, id): a list of small sorted blocks, so an insert or a
// removal costs O(log n + block) and the row at a position O(n / block) — a list page never
// sorts the whole tenant.
import type { SortValue } from "./list.js";

const BLOCK = 512;
/** rows sorted in one go before the merges (loadSteps) */
const RUN = 4096;
/** loadSteps yields after every STEP rows read or merged, by default */
const STEP = 2048;

interface Keyed<T> {
  r: T;
  k: SortValue;
}
const compareKeyed = <T extends { id: string | number }>(a: Keyed<T>, b: Keyed<T>): number => compareEntries(a.k, a.r.id, b.k, b.r.id);

/** Ascending by value (null/undefined last), then by id ascending. */
export function compareEntries(av: SortValue, aid: string | number, bv: SortValue, bid: string | number): number {
  if (av !== bv) {
    const an = av === null || av === undefined;
    const bn = bv === null || bv === undefined;
    if (an !== bn) return an ? 1 : -1;
    if (!an) return av! < bv! ? -1 : av! > bv! ? 1 : 0;
  }
  return aid < bid ? -1 : aid > bid ? 1 : 0;
}

export class SortedRows<T extends { id: string | number }> {
  #blocks: T[][] = [];
  #size = 0;
  /** per block: data derived from its rows (e.g. a search text) by kind, dropped when the block changes */
  #derived = new WeakMap<readonly T[], Map<object, unknown>>();
  constructor(readonly valueOf: (row: T) => SortValue) {}

  get size(): number {
    return this.#size;
  }

  /** Replaces the content with `rows` (any order): one sort, for opening a table. */
  load(rows: readonly T[]): void {
    for (const _ of this.loadSteps(rows, Infinity));
  }

  /**
   * `load` a step at a time: sorted runs of RUN rows, then merged pairwise, yielding every few
   * thousand rows — so a large tenant's index can be built between requests (Table.warmUp)
   * without holding the event loop for the whole sort. Nothing changes until the last step.
   */
  *loadSteps(rows: readonly T[], rowsPerStep = STEP): Generator<void, void, void> {
    const v = this.valueOf;
    const n = rows.length;
    let a: Keyed<T>[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const r = rows[i]!;
      a[i] = { r, k: v(r) };
      if ((i + 1) % rowsPerStep === 0) yield;
    }
    for (let lo = 0; lo < n; lo += RUN) {
      const run = a.slice(lo, lo + RUN).sort(compareKeyed);
      for (let i = 0; i < run.length; i++) a[lo + i] = run[i]!;
      if (lo + RUN < n) yield;
    }
    let b: Keyed<T>[] = new Array(n);
    let merged = 0;
    for (let width = RUN; width < n; width *= 2) {
      for (let lo = 0; lo < n; lo += 2 * width) {
        const mid = Math.min(lo + width, n);
        const hi = Math.min(lo + 2 * width, n);
        let i = lo;
        let j = mid;
        let o = lo;
        while (i < mid && j < hi) {
          // (the left run's row on a tie: rows are distinct by id, so there is none)
          b[o++] = compareKeyed(a[j]!, a[i]!) < 0 ? a[j++]! : a[i++]!;
          if (++merged % rowsPerStep === 0) yield;
        }
        while (i < mid) b[o++] = a[i++]!;
        while (j < hi) b[o++] = a[j++]!;
      }
      [a, b] = [b, a];
    }
    const blocks: T[][] = [];
    for (let i = 0, since = 0; i < n; i += BLOCK) {
      blocks.push(a.slice(i, i + BLOCK).map((e) => e.r));
      if ((since += BLOCK) >= rowsPerStep && i + BLOCK < n) {
        since = 0;
        yield;
      }
    }
    this.#blocks = blocks;
    this.#derived = new WeakMap();
    this.#size = n;
  }

  #cmp(row: T, value: SortValue, id: string | number): number {
    return compareEntries(this.valueOf(row), row.id, value, id);
  }

  /** Index of the first block whose last entry is >= (value, id). */
  #blockFor(value: SortValue, id: string | number): number {
    let lo = 0;
    let hi = this.#blocks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const b = this.#blocks[mid]!;
      if (this.#cmp(b[b.length - 1]!, value, id) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  #within(block: T[], value: SortValue, id: string | number): number {
    let lo = 0;
    let hi = block.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.#cmp(block[mid]!, value, id) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  insert(row: T): void {
    if (this.#blocks.length === 0) {
      this.#blocks.push([row]);
      this.#size = 1;
      return;
    }
    const value = this.valueOf(row);
    const bi = this.#blockFor(value, row.id);
    const block = this.#blocks[bi]!;
    this.#derived.delete(block);
    block.splice(this.#within(block, value, row.id), 0, row);
    this.#size++;
    if (block.length > 2 * BLOCK) this.#blocks.splice(bi, 1, block.slice(0, BLOCK), block.slice(BLOCK));
  }

  /** Removes this row object (found by its own value and id); false when absent. */
  remove(row: T): boolean {
    if (this.#blocks.length === 0) return false;
    const value = this.valueOf(row);
    const bi = this.#blockFor(value, row.id);
    const block = this.#blocks[bi]!;
    const i = this.#within(block, value, row.id);
    if (block[i] !== row) return false;
    this.#derived.delete(block);
    block.splice(i, 1);
    this.#size--;
    if (block.length === 0) this.#blocks.splice(bi, 1);
    return true;
  }

  /** The blocks of rows, ascending; valid until the next insert or removal. */
  blocks(): readonly (readonly T[])[] {
    return this.#blocks;
  }

  /**
   * `kind.build(block)`, kept for as long as the block is unchanged (an insert or a removal in
   * it drops it): e.g. the block's search text, so a write costs one block's rebuild, later.
   */
  derived<D>(block: readonly T[], kind: { build(block: readonly T[]): D }): D {
    let byKind = this.#derived.get(block);
    if (!byKind) this.#derived.set(block, (byKind = new Map()));
    let value = byKind.get(kind) as D | undefined;
    if (value === undefined) {
      value = kind.build(block);
      byKind.set(kind, value);
    }
    return value;
  }

  /** Rows from ascending position `from` on (or, `desc`, from the end backwards). */
  *from(position: number, desc = false): Generator<T> {
    if (position >= this.#size) return;
    let skip = position;
    if (!desc) {
      for (let b = 0; b < this.#blocks.length; b++) {
        const block = this.#blocks[b]!;
        if (skip >= block.length) {
          skip -= block.length;
          continue;
        }
        for (let i = skip; i < block.length; i++) yield block[i]!;
        skip = 0;
      }
    } else {
      for (let b = this.#blocks.length - 1; b >= 0; b--) {
        const block = this.#blocks[b]!;
        if (skip >= block.length) {
          skip -= block.length;
          continue;
        }
        for (let i = block.length - 1 - skip; i >= 0; i--) yield block[i]!;
        skip = 0;
      }
    }
  }
}
