// SortedRows.load sorts in runs then merges them a step at a time (loadSteps), so a large
// tenant's ordered index can be built between requests (Table.warmUp): whatever the rows, it
// must give the order a plain sort by (value, id) gives, and change nothing before its last step.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { SortValue } from "../../src/core/list.js";
import { compareEntries, SortedRows } from "../../src/core/sorted.js";

interface Row {
  id: string;
  v: SortValue;
}

const ids = (rows: Iterable<Row>) => [...rows].map((r) => r.id);
const plainSort = (rows: Row[]) => [...rows].sort((a, b) => compareEntries(a.v, a.id, b.v, b.id));

describe("SortedRows.load", () => {
  it("orders any rows as a plain sort by (value, id) does, across runs and merges", () => {
    fc.assert(
      fc.property(
        // past 4,096 rows (one run) and past 8,192 (two merge levels), odd remainders included
        fc.integer({ min: 0, max: 13_000 }),
        fc.integer({ min: 1, max: 50 }),
        fc.double({ min: 0, max: 0.3, noNaN: true }),
        fc.integer(),
        (n, distinct, nulls, seed) => {
          let x = seed >>> 0 || 1;
          const next = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32;
          const rows: Row[] = [];
          for (let i = 0; i < n; i++) rows.push({ id: `r${Math.floor(next() * 1e9)}-${i}`, v: next() < nulls ? null : Math.floor(next() * distinct) });
          const index = new SortedRows<Row>((r) => r.v);
          index.load(rows);
          expect(index.size).toBe(n);
          expect(ids(index.from(0, false))).toEqual(ids(plainSort(rows)));
        },
      ),
      { numRuns: 25 },
    );
  });

  it("loadSteps yields between steps and leaves the index as it was until its last one", () => {
    const old: Row[] = [{ id: "old", v: 1 }];
    const rows: Row[] = Array.from({ length: 10_000 }, (_, i) => ({ id: `r${(i * 7919) % 10_000}`, v: i % 3 === 0 ? null : `v${i % 17}` }));
    const index = new SortedRows<Row>((r) => r.v);
    index.load(old);
    const steps = index.loadSteps(rows, 1000);
    let yields = 0;
    while (!steps.next().done) {
      yields++;
      expect(ids(index.from(0, false))).toEqual(["old"]);
    }
    expect(yields).toBeGreaterThan(10);
    expect(ids(index.from(0, false))).toEqual(ids(plainSort(rows)));
  });
});
