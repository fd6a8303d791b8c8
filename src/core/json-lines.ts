// Reading a state file a line at a time. The snapshot writer (text-file.ts) puts each entry of
// a table on a line of its own:
//   {"format":1,...,"customers":{
//   "cus_1":{...},
//   "cus_2":{...}
//   },"keys":{
//   ...
// which is still one JSON document. Parsing it whole needs the file as one buffer and one
// string besides the rows (twice its size, all fresh memory); a line at a time, each row is
// parsed from a small string that dies young. At 100,000 customers of 850 bytes (85 MB): 1.75 s and
// 354 MB RSS whole, 1.1 s and 185 MB by lines (#13; page faults cost ~3.4 ms a MB here).
import { isAscii } from "node:buffer";
import { closeSync, openSync, readSync } from "node:fs";
import { readFile } from "node:fs/promises";

/** What a table's place holds in the skeleton until its rows are put back (a NUL: no id has one). */
const MARK = "\u0000rows";
/** Bytes read at a time: the decoded text stays below V8's large-object size (128 KiB). */
const CHUNK = 64 * 1024;

/**
 * Lines of a JSON text, put back together: row lines (`"key":value`, each parsed on its own) in
 * blocks, the rest (the skeleton) parsed once with a mark where each block was. `finish` gives
 * exactly what JSON.parse of the whole text gives, or `undefined` when the text is not laid out
 * this way (any JSON text, even invalid, is then left to JSON.parse whole).
 */
export class JsonLines {
  readonly #skeleton: string[] = [];
  readonly #blocks: Record<string, unknown>[] = [];
  #block: Record<string, unknown> | undefined;
  /** what the block may go on with: a row (just opened), a row only (a comma), its end only (no comma) */
  #next: "row or end" | "row" | "end" = "row or end";
  #bad = false;

  /** Whether the text is already known not to be laid out in blocks of row lines. */
  get failed(): boolean {
    return this.#bad;
  }

  /** Feeds the next line (without its "\n"). */
  line(s: string): void {
    if (this.#bad) return;
    if (this.#block && s.charCodeAt(0) === 34 /* " */) {
      if (this.#next === "end") this.#bad = true;
      else this.#row(s);
      return;
    }
    if (this.#block) {
      // a block ends at a line that closes its object, after a row without a comma
      if (this.#next === "row" || s.charCodeAt(0) !== 125 /* } */) {
        this.#bad = true;
        return;
      }
      this.#skeleton.push(`"\\u0000rows":${this.#blocks.length - 1}`);
      this.#block = undefined;
    }
    // The skeleton's own text holds no NUL (JSON writes it \u0000 only): each mark in it is
    // then one of ours, which no repeated key can stand in for.
    if (s.includes("\\u0000")) {
      this.#bad = true;
      return;
    }
    this.#skeleton.push(s);
    if (s.charCodeAt(s.length - 1) === 123 /* { */) {
      this.#next = "row or end";
      this.#block = {};
      this.#blocks.push(this.#block);
    }
  }

  #row(s: string): void {
    // the key: a JSON string, read as it is unless it holds an escape or a control character
    let end = 1;
    let plain = true;
    for (; end < s.length; end++) {
      const c = s.charCodeAt(end);
      if (c === 34) break;
      if (c === 92 /* \ */) {
        plain = false;
        end++;
      } else if (c < 32) plain = false;
    }
    if (end >= s.length || s.charCodeAt(end + 1) !== 58 /* : */) {
      this.#bad = true;
      return;
    }
    const comma = s.charCodeAt(s.length - 1) === 44; /* , */
    try {
      const key = plain ? s.slice(1, end) : (JSON.parse(s.slice(0, end + 1)) as string);
      const value: unknown = JSON.parse(comma ? s.slice(end + 2, -1) : s.slice(end + 2));
      const block = this.#block!;
      // (JSON.parse makes "__proto__" an own key; an assignment would set the prototype)
      if (key === "__proto__") Object.defineProperty(block, key, { value, writable: true, enumerable: true, configurable: true });
      else block[key] = value;
    } catch {
      this.#bad = true;
    }
    this.#next = comma ? "row" : "end";
  }

  /** The document, or undefined: not laid out in blocks of row lines (or not JSON at all). */
  finish(): unknown {
    if (this.#bad || this.#block) return undefined;
    let doc: unknown;
    try {
      // (joined by its line breaks: one inside a string is JSON.parse's error here too)
      doc = JSON.parse(this.#skeleton.join("\n"));
    } catch {
      return undefined;
    }
    const placed = new Array<boolean>(this.#blocks.length).fill(false);
    let count = 0;
    // Each block's mark is `{"\u0000rows":k}` in the skeleton: exactly one per block, or the
    // text itself held such an object and the whole is left to JSON.parse.
    const blockOf = (v: unknown): Record<string, unknown> | undefined | null => {
      if (typeof v !== "object" || v === null || Array.isArray(v) || !Object.hasOwn(v, MARK)) return undefined;
      const k = (v as Record<string, unknown>)[MARK];
      if (typeof k !== "number") return undefined;
      if (Object.keys(v).length !== 1 || !Number.isInteger(k) || k < 0 || k >= placed.length || placed[k]) return null;
      placed[k] = true;
      count++;
      return this.#blocks[k]!;
    };
    const root = blockOf(doc);
    if (root === null) return undefined;
    if (root) return count === this.#blocks.length ? root : undefined;
    // (a stack, not recursion: JSON.parse reads any depth, and so must this)
    const stack: object[] = typeof doc === "object" && doc !== null ? [doc] : [];
    while (stack.length) {
      const holder = stack.pop() as Record<string, unknown>;
      for (const key of Object.keys(holder)) {
        const v = holder[key];
        if (typeof v !== "object" || v === null) continue;
        const block = blockOf(v);
        if (block === null) return undefined;
        if (block) Object.defineProperty(holder, key, { value: block, writable: true, enumerable: true, configurable: true });
        else stack.push(v);
      }
    }
    return count === this.#blocks.length ? doc : undefined;
  }
}

/** A JSON file's value: read a line at a time (JsonLines) where it is laid out so, else whole. */
export async function readJsonFile(file: string): Promise<unknown> {
  const lines = readLines(file);
  if (lines) {
    const doc = lines.finish();
    if (doc !== undefined) return doc;
  }
  return JSON.parse(await readFile(file, "utf8"));
}

/**
 * The file's lines fed to a JsonLines, or undefined when its first 64 KiB hold no line break
 * or a line shows it is not laid out so.
 */
function readLines(file: string): JsonLines | undefined {
  const fd = openSync(file, "r");
  try {
    const lines = new JsonLines();
    let buf = Buffer.allocUnsafe(CHUNK);
    let carry = 0;
    let first = true;
    for (;;) {
      const got = readSync(fd, buf, carry, buf.length - carry, null);
      const end = carry + got;
      if (got === 0) {
        if (end > 0) lines.line(decode(buf, end));
        return lines;
      }
      const last = buf.lastIndexOf(10, end - 1);
      if (last === -1) {
        if (first) return undefined; // one long line: a compact JSON file, parsed whole
        // a line longer than the buffer (a long array in the skeleton): a larger buffer
        const wider = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(wider, 0, 0, end);
        buf = wider;
        carry = end;
        continue;
      }
      first = false;
      // (a chunk cut at a line break never splits a UTF-8 sequence: "\n" is never inside one)
      const text = decode(buf, last);
      for (let i = 0; ; ) {
        const j = text.indexOf("\n", i);
        if (j === -1) {
          lines.line(text.slice(i));
          break;
        }
        lines.line(text.slice(i, j));
        i = j + 1;
      }
      if (lines.failed) return undefined; // (e.g. pretty-printed: no need to read on)
      buf.copy(buf, 0, last + 1, end);
      carry = end - last - 1;
    }
  } finally {
    closeSync(fd);
  }
}

/** The first `end` bytes as text: ASCII as one-byte text, directly (most of a state file). */
function decode(buf: Buffer, end: number): string {
  return buf.toString(isAscii(buf.subarray(0, end)) ? "latin1" : "utf8", 0, end);
}
