// Table spec `tiesFollowOrder`: a one-key page reads the ordered index as it is — ties by id in
// the sort's direction — and equals sorting the whole tenant that way.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareEntries } from "../../src/core/sorted.js";
import { Table } from "../../src/core/table.js";

interface Row {
  id: string;
  tenant: string;
  name: string | null;
  gone: boolean;
}

const rowArb = fc.record({
  id: fc.string({ minLength: 1, maxLength: 4 }),
  tenant: fc.constantFrom("a", "b"),
  name: fc.option(fc.constantFrom("x", "y", "z"), { nil: null }),
  gone: fc.boolean(),
});

describe("Table.page with tiesFollowOrder", () => {
  it("equals (value, id) ascending, reversed when descending, for any rows, puts, offset, limit and filter", () => {
    fc.assert(
      fc.property(
        fc.array(rowArb, { maxLength: 80 }),
        fc.boolean(),
        fc.nat(50),
        fc.integer({ min: 0, max: 20 }),
        fc.option(fc.constantFrom("x", "y"), { nil: undefined }),
        (puts, desc, offset, limit, not) => {
          const doc: Record<string, Row> = {};
          const half = puts.length >> 1;
          for (const r of puts.slice(0, half)) if (!doc[r.id] || doc[r.id]!.tenant === r.tenant) doc[r.id] = r;
          const table = new Table<Row>(doc, { tenantOf: (r) => r.tenant, sorted: { name: (r) => r.name }, listed: (r) => !r.gone, tiesFollowOrder: true });
          for (const r of puts.slice(half)) if (!doc[r.id] || doc[r.id]!.tenant === r.tenant) table.put(r);
          const filter = not === undefined ? undefined : (r: Row) => r.name !== not;
          const live = Object.values(doc).filter((r) => r.tenant === "a" && !r.gone && (!filter || filter(r)));
          live.sort((p, q) => compareEntries(p.name, p.id, q.name, q.id));
          if (desc) live.reverse();
          const got = table.scope("a").page([{ field: "name", desc }], offset, limit, filter);
          expect(got.total).toBe(live.length);
          expect(got.items.map((r) => r.id)).toEqual(live.slice(offset, offset + limit).map((r) => r.id));
        },
      ),
      { numRuns: 300 },
    );
  });
});
