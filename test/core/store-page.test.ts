import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ordered, pageOf, type SortKey } from "../../src/core/list.js";
import { Table, type PageKey } from "../../src/core/table.js";

interface Row {
  id: string;
  tenant: string;
  name: string | null;
  n: number;
  gone: boolean;
}

const rowArb = fc.record({
  id: fc.string({ minLength: 1, maxLength: 4 }),
  tenant: fc.constantFrom("a", "b"),
  name: fc.option(fc.constantFrom("x", "y", "z", "Y", ""), { nil: null }),
  n: fc.integer({ min: 0, max: 5 }),
  gone: fc.boolean(),
});
const keyArb = fc.record({ field: fc.constantFrom("name", "n", "id"), desc: fc.boolean() });

describe("Table.page (ordered indexes) — the same page as sorting the whole tenant", () => {
  it("for any rows, puts, keys, offset, limit and filter", () => {
    fc.assert(
      fc.property(
        fc.array(rowArb, { maxLength: 60 }),
        fc.array(keyArb, { minLength: 1, maxLength: 3 }),
        fc.nat(40),
        fc.integer({ min: 1, max: 15 }),
        fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
        (puts, keys, offset, limit, nAbove) => {
          const doc: Record<string, Row> = {};
          // Half the rows are there when the table opens, the rest are put (and replace).
          const half = puts.length >> 1;
          for (const r of puts.slice(0, half)) if (!doc[r.id] || doc[r.id]!.tenant === r.tenant) doc[r.id] = r;
          const reopened = new Table<Row>(doc, {
            tenantOf: (r) => r.tenant,
            sorted: { name: (r) => r.name, n: (r) => r.n, id: (r) => r.id },
            listed: (r) => !r.gone,
          });
          for (const r of puts.slice(half)) {
            try {
              reopened.put({ ...r });
            } catch {
              // another tenant's id: refused, changes nothing
            }
          }
          const filter = nAbove === undefined ? undefined : (r: Row) => r.n >= nAbove;
          const sortKeys: SortKey<Row>[] = keys.map((k) => ({ value: (r: Row) => r[k.field as "name" | "n" | "id"], desc: k.desc }));
          const live = Object.values(doc).filter((r) => r.tenant === "a" && !r.gone && (!filter || filter(r)));
          const expected = pageOf(ordered(live, sortKeys), offset, limit);
          const got = reopened.scope("a").page(keys as PageKey[], offset, limit, filter);
          expect(got.total).toBe(expected.total);
          expect(got.items.map((r) => r.id)).toEqual(expected.items.map((r) => r.id));
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe("Table.page over thousands of rows (blocks split and emptied)", () => {
  it("matches a full sort after inserts, replacements and soft deletes", () => {
    const doc: Record<string, Row> = {};
    const table = new Table<Row>(doc, { tenantOf: (r) => r.tenant, sorted: { n: (r) => r.n, name: (r) => r.name }, listed: (r) => !r.gone });
    let seed = 7;
    const rnd = (k: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % k);
    for (let i = 0; i < 6000; i++) {
      const id = `r${rnd(4000)}`;
      table.put({ id, tenant: "a", name: rnd(10) === 0 ? null : `n${rnd(3000)}`, n: rnd(50), gone: rnd(8) === 0 });
    }
    const live = Object.values(doc).filter((r) => !r.gone);
    for (const [keys, sortKeys] of [
      [[{ field: "n", desc: true }, { field: "name" }], [{ value: (r: Row) => r.n, desc: true }, { value: (r: Row) => r.name }]],
      [[{ field: "name" }], [{ value: (r: Row) => r.name }]],
      [[{ field: "name", desc: true }], [{ value: (r: Row) => r.name, desc: true }]],
    ] as [PageKey[], SortKey<Row>[]][]) {
      const all = ordered(live, sortKeys).map((r) => r.id);
      for (const offset of [0, 1, 499, 512, 1023, 1500, all.length - 3, all.length + 5]) {
        const got = table.scope("a").page(keys, offset, 100);
        expect(got.total).toBe(all.length);
        expect(got.items.map((r) => r.id)).toEqual(all.slice(offset, offset + 100));
      }
    }
  });
});
