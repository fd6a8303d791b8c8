import type { FileHandle } from "node:fs/promises";

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

/**
 * `JSON.stringify(value)`, as pieces whose concatenation is that text ([] where it gives
 * undefined): the top levels of a state document (down to its tables) entry by entry, each row
 * whole. V8 builds one large JSON text as a tree of parts, which the write must first copy into
 * one flat string (50 MB at 100,000 customers, in fresh memory); pieces of ~256 K each need no
 * such copy. Every toJSON is called once, with its key, as JSON.stringify calls it.
 */
export function jsonPieces(value: unknown, piece = PIECE, splitDepth = SPLIT_DEPTH): string[] {
  const out: string[] = [];
  let parts: string[] = [];
  let length = 0;
  const emit = (s: string) => {
    parts.push(s);
    length += s.length;
    if (length >= piece) {
      out.push(parts.join(""));
      parts = [];
      length = 0;
    }
  };
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
    emit("{");
    let first = true;
    for (const key of Object.keys(v)) {
      const x = toJSON((v as Record<string, unknown>)[key], key);
      if (x === undefined || typeof x === "function" || typeof x === "symbol") continue;
      emit(`${first ? "" : ","}${JSON.stringify(key)}:`);
      first = false;
      walk(x, depth + 1);
    }
    emit("}");
  };
  const top = toJSON(value, "");
  if (top === undefined || typeof top === "function" || typeof top === "symbol") return [];
  walk(top, 0);
  if (parts.length) out.push(parts.join(""));
  return out;
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
