// Case-insensitive substring search over a tenant's rows without lower-casing each row per
// request. An ordered index keeps, per block of rows, one text of the block's searched fields
// (lower-cased once, rebuilt only after a write to that block: O(change)) and the set of its
// trigrams (a bit set); a search skips the blocks lacking one of the needle's trigrams and
// runs a native indexOf over the others' texts, block by block, in the index's order.
// Exact: a row matches iff one of its `contains` fields, lower-cased, includes the lower-cased
// needle, or one of its `prefix` fields starts with it — the same answer as testing each row
// (`matches`). One TextSearch per list (a module constant): indexes keep block texts per TextSearch.

/** Separates the fields in a block's text; a needle holding it is tested row by row instead. */
const SEP = "\u0000";
/** A block's trigram set has 2^GRAM_LOG bits (8 KB for a block of 512 rows). */
const GRAM_LOG = 16;

/** Which fields of a row a needle is looked for in (null: the row has none). */
export interface TextSearchSpec<T> {
  /** fields the needle may occur anywhere in */
  contains: ((row: T) => string | null | undefined)[];
  /** fields the needle must start */
  prefix?: ((row: T) => string | null | undefined)[];
}

/** The searched fields of one block of rows: `text` = SEP field SEP field ... per row, lower-cased. */
export interface BlockText {
  text: string;
  /** starts[row * fields + field]: where that field's text begins in `text` */
  starts: Int32Array;
  /** the trigrams of `text`, hashed: bit gram(a, b, c) is set for each three consecutive code units */
  grams: Int32Array;
}

/** A needle ready to scan blocks with (`prepare`). */
export interface Needle {
  /** lower-cased */
  folded: string;
  /** the bits of its trigrams (none when shorter than 3) */
  grams: Int32Array;
}

function gram(a: number, b: number, c: number): number {
  return (Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca77) ^ Math.imul(c, 0xc2b2ae3d)) >>> (32 - GRAM_LOG);
}

export class TextSearch<T> {
  readonly #fields: ((row: T) => string | null | undefined)[];
  /** fields before this index are `contains` fields, the rest `prefix` fields */
  readonly #contains: number;

  constructor(spec: TextSearchSpec<T>) {
    this.#fields = [...spec.contains, ...(spec.prefix ?? [])];
    this.#contains = spec.contains.length;
  }

  /** The needle as it is matched (lower-cased, as the rows' fields are). */
  fold(needle: string): string {
    return needle.toLowerCase();
  }

  /** A folded needle for `scan`, or null when block texts cannot answer for it (empty, or it holds SEP). */
  prepare(folded: string): Needle | null {
    if (folded.length === 0 || folded.includes(SEP)) return null;
    const grams = new Int32Array(Math.max(folded.length - 2, 0));
    for (let i = 0; i + 2 < folded.length; i++) grams[i] = gram(folded.charCodeAt(i), folded.charCodeAt(i + 1), folded.charCodeAt(i + 2));
    return { folded, grams };
  }

  /** One row tested on its own: the reference the block scan agrees with. */
  matches(row: T, folded: string): boolean {
    for (let f = 0; f < this.#fields.length; f++) {
      const value = this.#fields[f]!(row);
      if (value === null || value === undefined) continue;
      const text = value.toLowerCase();
      if (f < this.#contains ? text.includes(folded) : text.startsWith(folded)) return true;
    }
    return false;
  }

  /** The block's text, lower-cased as one string (one pass, not one copy per field), and its trigrams. */
  build(block: readonly T[]): BlockText {
    const fields = this.#fields;
    const parts: string[] = new Array(block.length * fields.length);
    let k = 0;
    for (const row of block) for (const field of fields) parts[k++] = field(row) ?? "";
    // Lower-casing the joined text equals lower-casing each field: the only context-dependent
    // mapping (final sigma) stops at SEP, which is neither cased nor case-ignorable.
    let text = (SEP + parts.join(SEP)).toLowerCase();
    let starts = new Int32Array(parts.length);
    let at = 0;
    for (let i = 0; i < starts.length; i++) {
      at = text.indexOf(SEP, at) + 1;
      starts[i] = at;
    }
    if (text.indexOf(SEP, at) !== -1) {
      // A field holding SEP itself shifts every start after it: lower-case field by field.
      text = "";
      starts = new Int32Array(parts.length);
      for (let i = 0; i < parts.length; i++) {
        text += SEP;
        starts[i] = text.length;
        text += parts[i]!.toLowerCase();
      }
    }
    const grams = new Int32Array((1 << GRAM_LOG) / 32);
    let a = text.charCodeAt(0);
    let b = text.charCodeAt(1);
    for (let i = 2; i < text.length; i++) {
      const c = text.charCodeAt(i);
      const h = gram(a, b, c);
      grams[h >>> 5]! |= 1 << (h & 31);
      a = b;
      b = c;
    }
    return { text, starts, grams };
  }

  /**
   * Positions (within the block, ascending) of the rows whose fields match the needle, written
   * to `out`; returns how many. A block lacking one of the needle's trigrams is not read.
   */
  scan(block: BlockText, needle: Needle, out: number[]): number {
    const { text, starts, grams } = block;
    const g = needle.grams;
    for (let i = 0; i < g.length; i++) if ((grams[g[i]! >>> 5]! & (1 << (g[i]! & 31))) === 0) return 0;
    const folded = needle.folded;
    const width = this.#fields.length;
    const rows = starts.length / width;
    let n = 0;
    let row = 0;
    let from = 0;
    while (row < rows) {
      const hit = text.indexOf(folded, from);
      if (hit === -1) break;
      // The row the hit is in: the last whose first field starts at or before it.
      let lo = row;
      let hi = rows - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (starts[mid * width]! - 1 <= hit) lo = mid;
        else hi = mid - 1;
      }
      row = lo;
      const base = row * width;
      // The field it is in. A hit in a `contains` field is a match; in a `prefix` field it is
      // the row's first occurrence, so only that field's or a later prefix field's start can match.
      let f = width - 1;
      while (f > 0 && starts[base + f]! > hit) f--;
      let match = f < this.#contains;
      for (let h = f; !match && h < width; h++) match = text.startsWith(folded, starts[base + h]!);
      if (match) out[n++] = row;
      row++;
      if (row < rows) from = starts[row * width]! - 1;
    }
    return n;
  }
}
