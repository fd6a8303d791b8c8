import type { FileHandle } from "node:fs/promises";
import { performance } from "node:perf_hooks";

/** UTF-16 units per slice: up to 3 MiB of UTF-8. */
const SLICE = 1024 * 1024;

/**
 * Writes `text` (or each of `texts`, in order) as UTF-8 from the start of `h`, a slice at a
 * time through one reused buffer; resolves with the bytes written. node turns a string given to
 * write/writeFile into a Buffer of its own first: for a 50 MB snapshot that fresh 50 MB
 * allocation (page faults, a copy) cost 0.3–0.6 s of CPU here, and the slices ~20 ms (#13,
 * measured on the 100,000-customer state). Slices never split a surrogate pair (a lone half
 * would be written as U+FFFD); each of `texts` is encoded on its own, so none may end in half
 * of a pair (jsonPieces' never do: JSON text escapes lone surrogates). Short writes are
 * continued.
 */
export async function writeText(h: FileHandle, text: string | readonly string[], slice = SLICE): Promise<number> {
  slice = Number.isFinite(slice) ? Math.max(2, Math.floor(slice)) : SLICE;
  const texts = typeof text === "string" ? [text] : text;
  let longest = 1;
  for (const t of texts) longest = Math.max(longest, Math.min(slice, t.length));
  const buf = Buffer.allocUnsafe(3 * longest + 3);
  let position = 0;
  for (const t of texts) {
    for (let i = 0; i < t.length; ) {
      let end = Math.min(t.length, i + slice);
      if (end < t.length && isHighSurrogate(t.charCodeAt(end - 1))) end--;
      const bytes = buf.write(t.slice(i, end), 0, "utf8");
      for (let done = 0; done < bytes; ) {
        const { bytesWritten } = await h.write(buf, done, bytes - done, position);
        if (bytesWritten <= 0) throw new Error("write made no progress");
        done += bytesWritten;
        position += bytesWritten;
      }
      i = end;
    }
  }
  return position;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** Objects and arrays this deep (the document 0, a provider 2, a table 3) are written entry by entry. */
const SPLIT_DEPTH = 3;
/** A piece is cut once it holds this many UTF-16 units. */
const PIECE = 256 * 1024;

/** Pieces of ~`piece` UTF-16 units, made of the strings emitted in order. */
class Pieces {
  readonly out: SnapshotParts = [];
  #parts: string[] = [];
  #length = 0;
  constructor(readonly piece: number) {}
  emit(s: string): void {
    this.#parts.push(s);
    this.#length += s.length;
    if (this.#length >= this.piece) this.cut();
  }
  cut(): void {
    if (this.#parts.length) this.out.push(this.#parts.join(""));
    this.#parts = [];
    this.#length = 0;
  }
  hold(rows: HeldRows): void {
    this.cut();
    this.out.push(rows);
  }
}

/**
 * An object's own keys and values as they were when a snapshot was asked for, written out
 * later (finishPieces). A table's rows are replaced when they change, never changed in place
 * (table.ts), so holding them keeps each row as it was.
 */
export interface HeldRows {
  keys: string[];
  rows: unknown[];
}

/** A snapshot's JSON text: pieces, and tables held to be written out entry by entry later. */
export type SnapshotParts = (string | HeldRows)[];

/**
 * `JSON.stringify(value)`, as pieces whose concatenation is that text ([] where it gives
 * undefined) except for line breaks: the top levels of a state document (down to its tables)
 * entry by entry, each row whole, and each object at the split depth (a table) an entry a line,
 * so that json-lines.ts can read the rows back one by one. V8 builds one large JSON text as a tree of parts, which the write must first copy into
 * one flat string (50 MB at 100,000 customers, in fresh memory); pieces of ~256 K each need no
 * such copy. Every toJSON is called once, with its key, as JSON.stringify calls it.
 */
export function jsonPieces(value: unknown, piece = PIECE, splitDepth = SPLIT_DEPTH): string[] {
  return snapshotParts(value, () => false, piece, splitDepth) as string[];
}

/**
 * jsonPieces, except that the objects `hold` picks (a document's tables) are only held, their
 * keys and values listed: O(rows) pointer copies, where writing them out costs a JSON.stringify
 * of every row. finishPieces writes them out later, a slice of time per turn of the event loop.
 */
export function snapshotParts(value: unknown, hold: (v: object) => boolean, piece = PIECE, splitDepth = SPLIT_DEPTH): SnapshotParts {
  const pieces = new Pieces(piece);
  const emit = (s: string) => pieces.emit(s);
  // v: a value already through its toJSON; JSON.stringify(v) is used only where it would not
  // call a toJSON of v's again (each row of a table, past the split depth, is one call)
  const walk = (v: unknown, depth: number): void => {
    if (typeof v === "bigint") throw new TypeError("Do not know how to serialize a BigInt");
    const walkable = typeof v === "object" && v !== null && !isBoxed(v);
    if (!walkable || (depth > splitDepth && typeof (v as { toJSON?: unknown }).toJSON !== "function")) {
      // (undefined, a function or a symbol only reach here inside an array: JSON.stringify's null)
      emit(JSON.stringify(v) ?? "null");
      return;
    }
    if (Array.isArray(v)) {
      emit("[");
      for (let i = 0; i < v.length; i++) {
        if (i > 0) emit(",");
        walk(toJSON(v[i], String(i)), depth + 1);
      }
      emit("]");
      return;
    }
    if (hold(v)) {
      // (a lookup per key: Object.values of a large dictionary-mode object is ~3× slower,
      // 90 ms against 35 ms at 100,000 rows here)
      const keys = Object.keys(v);
      const rows = new Array<unknown>(keys.length);
      for (let i = 0; i < keys.length; i++) rows[i] = (v as Record<string, unknown>)[keys[i]!];
      pieces.hold({ keys, rows });
      return;
    }
    // a table (the split depth) an entry a line, as json-lines.ts reads it back
    const lines = depth === splitDepth;
    emit("{");
    let first = true;
    for (const key of Object.keys(v)) {
      const x = toJSON((v as Record<string, unknown>)[key], key);
      if (x === undefined || typeof x === "function" || typeof x === "symbol") continue;
      emit(`${entrySeparator(first, lines)}${JSON.stringify(key)}:`);
      first = false;
      walk(x, depth + 1);
    }
    emit(lines && !first ? "\n}" : "}");
  };
  const top = toJSON(value, "");
  if (top === undefined || typeof top === "function" || typeof top === "symbol") return [];
  walk(top, 0);
  pieces.cut();
  return pieces.out;
}

/**
 * The pieces of snapshotParts' text, its held tables written out row by row; `pause` is
 * awaited whenever `sliceMs` of work have gone by since the last one (e.g. the end of the
 * event loop's turn: requests are served between slices instead of waiting for a whole
 * snapshot, 0.5 s at 100,000 customers).
 */
export async function finishPieces(parts: SnapshotParts, pause: () => Promise<void>, sliceMs = Infinity, piece = PIECE): Promise<string[]> {
  const pieces = new Pieces(piece);
  let sliceStart = performance.now();
  for (const part of parts) {
    if (typeof part === "string") {
      pieces.emit(part);
      continue;
    }
    const { keys, rows } = part;
    pieces.emit("{");
    let first = true;
    for (let i = 0; i < keys.length; i++) {
      if ((i & 63) === 63 && performance.now() - sliceStart >= sliceMs) {
        await pause();
        sliceStart = performance.now();
      }
      const x = toJSON(rows[i], keys[i]!);
      if (x === undefined || typeof x === "function" || typeof x === "symbol") continue;
      pieces.emit(`${entrySeparator(first, true)}${JSON.stringify(keys[i])}:`);
      first = false;
      pieces.emit(JSON.stringify(x));
    }
    pieces.emit(first ? "}" : "\n}");
  }
  pieces.cut();
  return pieces.out as string[];
}

/**
 * What goes before an object's entry: a comma after the first, and a line break where the
 * object is written an entry a line (JSON.stringify never writes a line break inside a value or
 * a key, so each entry is one line).
 */
function entrySeparator(first: boolean, lines: boolean): string {
  if (!lines) return first ? "" : ",";
  return first ? "\n" : ",\n";
}

/** `v.toJSON(key)` where JSON.stringify would call it (objects, functions, BigInts), else `v`. */
function toJSON(v: unknown, key: string): unknown {
  const holder = (typeof v === "object" && v !== null) || typeof v === "function" || typeof v === "bigint";
  const f = holder ? (v as { toJSON?: unknown }).toJSON : undefined;
  return typeof f === "function" ? (f as (key: string) => unknown).call(v, key) : v;
}

/** Number, String, Boolean, BigInt and Symbol objects: JSON.stringify writes their primitive value. */
function isBoxed(v: object): boolean {
  return v instanceof Number || v instanceof String || v instanceof Boolean || v instanceof BigInt || v instanceof Symbol;
}
