import { describe, expect, it } from "vitest";
import { jsonTextCache } from "../../src/core/serialize.js";

describe("jsonTextCache", () => {
  it("serializes a row once while it is read, and keeps at most two generations of rows", () => {
    let calls = 0;
    const text = jsonTextCache((row: { id: number }) => (calls++, { id: row.id }), 4);
    const hot = { id: 0 };
    const rows = Array.from({ length: 20 }, (_, i) => ({ id: i + 1 }));
    expect(text(hot)).toBe('{"id":0}');
    for (const row of rows) {
      expect(text(row)).toBe(JSON.stringify({ id: row.id }));
      expect(text(hot)).toBe('{"id":0}'); // read between every other row: never serialized again
    }
    expect(calls).toBe(21);
    // rows[0] was last read 19 rows ago, two generations of 4 back: gone, serialized again
    expect(text(rows[0]!)).toBe('{"id":1}');
    expect(calls).toBe(22);
    // the last rows are still held
    expect(text(rows[19]!)).toBe('{"id":20}');
    expect(calls).toBe(22);
  });
});
