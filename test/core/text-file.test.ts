// The snapshot is written a slice at a time (core/text-file.ts): whatever the slice size, the
// file holds the text's exact UTF-8 — no surrogate pair split into two U+FFFD, nothing lost
// when the file system takes part of a write.
import { mkdtempSync, readFileSync } from "node:fs";
import { open } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { writeText } from "../../src/core/text-file.js";

const dir = mkdtempSync(join(tmpdir(), "customer-sim-text-"));

async function written(text: string, slice: number, shortWrites = false): Promise<Buffer> {
  const file = join(dir, `t${Math.random().toString(36).slice(2)}`);
  const h = await open(file, "w");
  if (shortWrites) {
    // A file system that takes at most 5 bytes per write call.
    const real = h.write.bind(h) as (b: Buffer, o: number, l: number, p: number) => Promise<{ bytesWritten: number }>;
    (h as unknown as { write: typeof real }).write = (b, o, l, p) => real(b, o, Math.min(l, 5), p);
  }
  try {
    await writeText(h, text, slice);
  } finally {
    await h.close();
  }
  return readFileSync(file);
}

describe("writeText (snapshots in slices)", () => {
  it("writes any text's exact UTF-8 at any slice size, astral characters across slice boundaries included", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: "grapheme", maxLength: 60 }), fc.integer({ min: 1, max: 9 }), async (text, slice) => {
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
