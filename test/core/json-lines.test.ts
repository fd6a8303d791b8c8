// A state file is read a line at a time where the snapshot writer laid it out so (each entry of
// a table on its own line) and whole otherwise. Whatever the text, what is read is what
// JSON.parse of the whole file gives — a file written by hand, by an older version, or damaged
// is never read differently, only more slowly.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { JsonLines, readJsonFile } from "../../src/core/json-lines.js";
import { jsonPieces } from "../../src/core/text-file.js";

const dir = mkdtempSync(join(tmpdir(), "customer-sim-json-lines-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function byLines(text: string): unknown {
  const lines = new JsonLines();
  for (const line of text.split("\n")) lines.line(line);
  return lines.finish();
}

function parsed(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** Every object's own keys (an own "__proto__" included) and prototype, as a comparable text. */
function shape(v: unknown): string {
  return JSON.stringify(v, function (this: unknown, _k, x) {
    if (typeof x === "object" && x !== null && !Array.isArray(x)) return { proto: Object.getPrototypeOf(x) === Object.prototype, own: Object.entries(x) };
    return x;
  });
}

let n = 0;
function file(text: string): string {
  const f = join(dir, `doc${n++}.json`);
  writeFileSync(f, text);
  return f;
}

const document = fc.dictionary(
  fc.oneof(fc.string(), fc.constantFrom("__proto__", "1", "0", "\u0000rows")),
  fc.dictionary(fc.oneof(fc.string(), fc.constantFrom("__proto__", "1", "\u0000rows")), fc.dictionary(fc.oneof(fc.string({ unit: "binary" }), fc.constantFrom("__proto__", "10", "\u0000rows")), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 6 }), { maxKeys: 4 }),
  { maxKeys: 4 },
);

describe("JsonLines (a snapshot read a line at a time)", () => {
  it("reads the writer's text, at any split depth, as JSON.parse does", () => {
    fc.assert(
      fc.property(document, fc.integer({ min: 0, max: 4 }), (doc, depth) => {
        const text = jsonPieces(doc, 64, depth).join("");
        const read = byLines(text);
        // (only a document with a NUL in its skeleton, which no id or name has, is left to JSON.parse)
        if (read === undefined) expect(text).toContain("\\u0000");
        else expect(shape(read)).toBe(shape(JSON.parse(text)));
      }),
      { numRuns: 300 },
    );
  });

  it("never reads any other text differently from JSON.parse: it reads the same or leaves it to JSON.parse", () => {
    // The writer's text damaged: characters that shape JSON (line breaks, quotes, braces,
    // commas, the mark a table's place holds) put in, taken out or swapped anywhere.
    const piece = fc.constantFrom("\n", '"', "{", "}", ",", ":", "\\", "[", "]", " ", '"\\u0000rows":0', '{"\\u0000rows":0}', '{"\\u0000rows":1}', "\r");
    const edit = fc.tuple(fc.nat(), fc.nat({ max: 3 }), fc.oneof(piece, fc.constant("")));
    fc.assert(
      fc.property(document, fc.integer({ min: 0, max: 4 }), fc.array(edit, { minLength: 1, maxLength: 3 }), (doc, depth, edits) => {
        let text = jsonPieces(doc, 64, depth).join("");
        for (const [at, cut, put] of edits) {
          const i = at % (text.length + 1);
          text = text.slice(0, i) + put + text.slice(i + cut);
        }
        const read = byLines(text);
        const whole = parsed(text);
        if (read !== undefined) {
          expect(whole.ok).toBe(true);
          expect(shape(read)).toBe(shape((whole as { value: unknown }).value));
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("leaves a text holding a table's mark of its own to JSON.parse", () => {
    const text = '{"a":{\n"x":1\n},"b":{"\\u0000rows":0}}';
    expect(byLines(text)).toBe(undefined);
    const lone = '{"a":{"\\u0000rows":0}}';
    expect(byLines(lone)).toBe(undefined);
  });

  it("leaves to JSON.parse a text whose repeated key would put a mark of its own in a block's place", () => {
    // (JSON.parse keeps the last "a": the text's own object, not the block)
    const text = '{"a":{\n"k":1\n},"a":{"\\u0000rows":0}}';
    expect(byLines(text)).toBe(undefined);
    expect(JSON.parse(text)).toEqual({ a: { "\u0000rows": 0 } });
  });

  it("reads a skeleton nested as deep as JSON.parse reads it", () => {
    // (followed by hand: JSON.stringify and toEqual recurse, and would overflow first)
    const depth = (v: unknown, step: (x: any) => unknown): [number, unknown] => {
      let n = 0;
      for (let x: any = v; ; n++) {
        const next = step(x);
        if (next === undefined) return [n, x];
        x = next;
      }
    };
    const deep = `\n${"[".repeat(20_000)}${"]".repeat(20_000)}`;
    expect(depth(byLines(deep), (x) => x[0])).toEqual(depth(JSON.parse(deep), (x) => x[0]));
    const deepBlock = `${'{"a":'.repeat(20_000)}{\n"k":1\n}${"}".repeat(20_000)}`;
    const [n, inner] = depth(byLines(deepBlock), (x) => x.a);
    expect(n).toBe(20_000);
    expect(inner).toEqual({ k: 1 });
  });

  it("reads pretty-printed and single-line JSON as JSON.parse does, or leaves it to it", () => {
    const doc = { format: 1, providers: { p: { customers: { a: { id: "a" } } } }, counters: {} };
    for (const text of [JSON.stringify(doc), JSON.stringify(doc, null, 2), JSON.stringify(doc, null, "")]) {
      const read = byLines(text);
      if (read !== undefined) expect(read).toEqual(doc);
    }
  });
});

describe("readJsonFile", () => {
  it("reads a large snapshot across its 64 KiB reads: non-ASCII rows split between reads, a line longer than a read", async () => {
    const rows: Record<string, unknown> = {};
    for (let i = 0; i < 3000; i++) rows[`cus_${i}`] = { id: `cus_${i}`, name: i % 7 === 0 ? `Zoë Ünal ${i} 😀` : `Plain ${i}`, tags: [] };
    const doc = { format: 1, providers: { p: { customers: rows, journal: Array.from({ length: 20_000 }, (_, i) => i) }, q: { customers: {} } }, counters: { n: 1 } };
    const text = jsonPieces(doc).join("");
    expect(text.split("\n").some((l) => l.length > 64 * 1024)).toBe(true);
    expect(await readJsonFile(file(text))).toEqual(doc);
  });

  it("reads a large pretty-printed file (jq's layout) whole, as JSON.parse does", async () => {
    const rows: Record<string, unknown> = {};
    for (let i = 0; i < 2000; i++) rows[`cus_${i}`] = { id: `cus_${i}`, tags: ["a"] };
    const doc = { format: 1, providers: { p: { customers: rows } }, counters: {} };
    expect(await readJsonFile(file(JSON.stringify(doc, null, 2)))).toEqual(doc);
  });

  it("reads a compact file (as versions before the line layout wrote) whole", async () => {
    const doc = { format: 1, providers: { p: { customers: { "1": { id: 1, name: "Zoë" } } } }, counters: {} };
    expect(await readJsonFile(file(JSON.stringify(doc)))).toEqual(doc);
  });

  it("gives JSON.parse's own error for a damaged file, laid out in lines or not", async () => {
    const text = jsonPieces({ format: 1, providers: { p: { customers: { a: { id: "a" }, b: { id: "b" } } } } }).join("");
    const damaged = text.replace('"b":{"id":"b"}', '"b":{"id":"b"');
    await expect(readJsonFile(file(damaged))).rejects.toThrow(SyntaxError);
    await expect(readJsonFile(file("{not json"))).rejects.toThrow(SyntaxError);
    await expect(readJsonFile(file(""))).rejects.toThrow(SyntaxError);
  });

  it("reads a byte-order mark or a line break at the end as JSON.parse of the decoded file does", async () => {
    const text = jsonPieces({ p: { q: { t: { a: 1 } } } }).join("");
    expect(await readJsonFile(file(`${text}\n`))).toEqual({ p: { q: { t: { a: 1 } } } });
    await expect(readJsonFile(file(`\uFEFF${text}`))).rejects.toThrow(SyntaxError);
  });
});
