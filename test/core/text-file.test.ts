// The snapshot is made as pieces of JSON and written a slice at a time (core/text-file.ts):
// the pieces are JSON.stringify's text exactly but for the line breaks that put each entry of
// a table on a line of its own (read back a line at a time: json-lines.ts), and whatever the
// slice size the file holds that text's exact UTF-8 — no surrogate pair split into two U+FFFD,
// nothing lost when the file system takes part of a write.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { open } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { JsonLines } from "../../src/core/json-lines.js";
import { finishPieces, jsonPieces, snapshotParts, writeText } from "../../src/core/text-file.js";

const dir = mkdtempSync(join(tmpdir(), "customer-sim-text-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function written(text: string | string[], slice: number, shortWrites = false): Promise<Buffer> {
  const file = join(dir, `t${Math.random().toString(36).slice(2)}`);
  const h = await open(file, "w");
  if (shortWrites) {
    // A file system that takes at most 5 bytes per write call.
    const real = h.write.bind(h) as (b: Buffer, o: number, l: number, p: number) => Promise<{ bytesWritten: number }>;
    (h as unknown as { write: typeof real }).write = (b, o, l, p) => real(b, o, Math.min(l, 5), p);
  }
  let bytes: number;
  try {
    bytes = await writeText(h, text, slice);
  } finally {
    await h.close();
  }
  const out = readFileSync(file);
  expect(bytes).toBe(out.length);
  return out;
}

/**
 * `text` is a snapshot of `doc`: JSON.stringify's text once its line breaks are taken out (no
 * JSON text holds one inside a value), and read back a line at a time as JSON.parse reads it.
 */
function expectSnapshotOf(text: string, doc: unknown): void {
  const expected = JSON.stringify(doc);
  expect(text.replaceAll("\n", "")).toBe(expected);
  const lines = new JsonLines();
  for (const line of text.split("\n")) lines.line(line);
  const read = lines.finish();
  expect(read).not.toBe(undefined);
  expect(JSON.stringify(read)).toBe(expected);
}

describe("writeText (snapshots in slices)", () => {
  it("writes any text's exact UTF-8 at any slice size (as Buffer.from encodes it), astral characters and lone surrogates across slice boundaries included", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ unit: "grapheme", maxLength: 60 }), fc.string({ unit: "binary", maxLength: 60 })), fc.integer({ min: 1, max: 9 }), async (text, slice) => {
        expect((await written(text, slice)).equals(Buffer.from(text, "utf8"))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it("continues a write the file system took only part of", async () => {
    const text = `{"name":"Zoë Ünal 😀","blob":"${"x".repeat(40)}"}`;
    expect((await written(text, 7, true)).toString("utf8")).toBe(text);
  });

  it("writes an empty text as an empty file", async () => {
    expect((await written("", 4)).length).toBe(0);
  });
});

describe("jsonPieces (a snapshot's JSON, in pieces)", () => {
  // What a state document may hold: JSON values, plus what JSON.stringify skips or turns into
  // null (undefined, functions) and what it asks for (toJSON: Dates, an object's or a
  // function's own, one that returns an object with a toJSON of its own, which must not be
  // called), at every depth.
  const fnWithToJSON = () => Object.assign(() => 1, { toJSON: (key: string) => `fn ${key}` });
  const { value: anyValue } = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      fc.jsonValue({ maxDepth: 1 }),
      fc.constant(undefined),
      fc.constant(() => 1),
      fc.date({ noInvalidDate: true }),
      fc.constant({ toJSON: (key: string) => `custom ${key}` }),
      fc.constant(null).map(fnWithToJSON),
      tie("value").map((inner) => ({ toJSON: (key: string) => ({ key, inner, toJSON: () => "second call" }) })),
      fc.array(tie("value"), { maxLength: 6 }),
      fc.dictionary(fc.oneof(fc.string(), fc.constantFrom("__proto__", "1", "0", "-1", "constructor", "toJSON")), tie("value"), { maxKeys: 6 }),
    ),
  }));

  it("concatenates to JSON.stringify's text (an object at the split depth an entry a line), for any document, piece size and depth split", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), anyValue, { maxKeys: 8 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 5 }), (doc, piece, depth) => {
        const pieces = jsonPieces(doc, piece, depth);
        expectSnapshotOf(pieces.join(""), doc);
        for (const p of pieces.slice(0, -1)) expect(p.length).toBeGreaterThanOrEqual(piece);
      }),
      { numRuns: 500 },
    );
  });

  it("calls each toJSON once, with its key, as JSON.stringify does", () => {
    const calls: string[] = [];
    const counted = () => ({ toJSON: (key: string) => (calls.push(key), { key }) });
    const doc = { a: counted(), deep: { b: { c: { d: { e: counted() } } } }, list: [counted()] };
    const expected = JSON.stringify(doc);
    const seen = calls.splice(0);
    expect(jsonPieces(doc, 8).join("").replaceAll("\n", "")).toBe(expected);
    expect(calls).toEqual(seen);
  });

  it("gives nothing where JSON.stringify gives undefined", () => {
    expect(jsonPieces(undefined)).toEqual([]);
    expect(jsonPieces({ toJSON: () => undefined })).toEqual([]);
  });

  it("keeps an own __proto__ key and sparse arrays as JSON.stringify writes them", () => {
    const doc: Record<string, unknown> = { rows: {} };
    Object.defineProperty(doc.rows, "__proto__", { value: { id: "x" }, enumerable: true, writable: true, configurable: true });
    (doc.rows as Record<string, unknown>).list = [1, , 3]; // eslint-disable-line no-sparse-arrays
    expectSnapshotOf(jsonPieces(doc, 4).join(""), doc);
    expect(jsonPieces(doc, 4).join("")).toContain('"__proto__":{"id":"x"}');
  });

  it("a large table is cut into pieces of about the piece size, each row whole", async () => {
    const rows: Record<string, unknown> = {};
    for (let i = 0; i < 2000; i++) rows[`id-${i}`] = { id: `id-${i}`, name: `Zoë ${i} 😀`, tags: ["a", "b"] };
    const doc = { format: 1, providers: { rapidly: { customers: rows } } };
    const pieces = jsonPieces(doc, 4096);
    expect(pieces.length).toBeGreaterThan(10);
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(4096 + 200);
    const text = (await written(pieces, 1000)).toString("utf8");
    expectSnapshotOf(text, doc);
    // the table an entry a line, the rest as JSON.stringify writes it
    expect(text.split("\n")).toHaveLength(2000 + 2);
    expect(text.split("\n")[1]).toBe('"id-0":{"id":"id-0","name":"Zoë 0 😀","tags":["a","b"]},');
  });
});

// A compaction holds the tables (their keys and rows) at once and writes them out later, a slice
// of time per turn, while requests keep replacing, adding and removing rows.
describe("snapshotParts + finishPieces (a snapshot written out over several turns)", () => {
  const isTable = (tables: Set<object>) => (v: object) => tables.has(v);

  it("concatenates to JSON.stringify's text (tables an entry a line) of the document as it was when held, for any document and any slices", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.string(), fc.dictionary(fc.oneof(fc.string(), fc.constantFrom("__proto__", "1", "0")), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 200 }), { maxKeys: 4 }),
        fc.integer({ min: 1, max: 64 }),
        fc.boolean(),
        // (tables of up to 200 rows: a slice of 0 ms pauses every 64 rows)
        async (tables, piece, slice) => {
          const doc = { format: 1, providers: { p: { ...tables, plain: { n: 1 } } } };
          const held = new Set<object>(Object.values(tables));
          const expected = structuredClone(doc);
          const parts = snapshotParts(doc, isTable(held), piece);
          const text = (await finishPieces(parts, () => new Promise((r) => setImmediate(r)), slice ? 0 : Infinity, piece)).join("");
          expectSnapshotOf(text, expected);
        },
      ),
      { numRuns: 100 },
    );
  });

  it("a held table's later changes (rows replaced, added, removed) and a changed plain value are not in it", async () => {
    const rows: Record<string, { id: string; n: number }> = {};
    for (let i = 0; i < 1000; i++) rows[`r${i}`] = { id: `r${i}`, n: i };
    const doc = { format: 1, providers: { p: { rows, counters: { next: 1000 } } } };
    const expected = structuredClone(doc);
    const parts = snapshotParts(doc, (v) => v === rows);
    let pauses = 0;
    // Between slices the document changes as requests change it: rows are replaced (never changed in place).
    const text = await finishPieces(parts, async () => {
      pauses++;
      rows[`r${pauses}`] = { id: `r${pauses}`, n: -1 };
      delete rows[`r${999 - pauses}`];
      rows[`new${pauses}`] = { id: `new${pauses}`, n: 0 };
      doc.providers.p.counters.next++;
    }, 0);
    expect(pauses).toBeGreaterThan(5);
    expectSnapshotOf(text.join(""), expected);
    expect(JSON.stringify(doc)).not.toBe(JSON.stringify(expected));
  });

  it("pauses only once a slice's time is spent (none for a small table or an endless slice)", async () => {
    const rows: Record<string, unknown> = {};
    for (let i = 0; i < 500; i++) rows[`r${i}`] = { i };
    let pauses = 0;
    const pause = async () => void pauses++;
    await finishPieces(snapshotParts({ rows }, (v) => v === rows), pause, Infinity);
    expect(pauses).toBe(0);
    await finishPieces(snapshotParts({ rows }, (v) => v === rows), pause, 0);
    expect(pauses).toBe(Math.floor(500 / 64));
  });
});
