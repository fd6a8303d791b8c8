// An ordered multiset of rows by (value, id): a list of small sorted blocks, so an insert or a
// removal costs O(log n + block) and the row at a position O(n / block) — a list page never
// sorts the whole tenant.
import type { SortValue } from "./list.js";

const BLOCK = 512;

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
  load(rows: T[]): void {
    const v = this.valueOf;
    const keyed = rows.map((r) => ({ r, k: v(r) }));
    keyed.sort((a, b) => compareEntries(a.k, a.r.id, b.k, b.r.id));
    this.#blocks = [];
    this.#derived = new WeakMap();
    for (let i = 0; i < keyed.length; i += BLOCK) this.#blocks.push(keyed.slice(i, i + BLOCK).map((e) => e.r));
    this.#size = keyed.length;
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
