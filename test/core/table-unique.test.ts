// A table's unique, grouped and ordered indexes are built per tenant on its first put, lookup or
// page, or a step at a time by warmUp between requests (opening a table of 100,000 rows builds
// none, #13). Whatever the order of opens, puts, rollbacks, removals and warm-up steps, a put is
// refused exactly when another row of the tenant holds the key, a lookup finds the row that
// holds it, a grouped lookup the rows that share it and a page the rows in order — as a scan of
// the tenant's rows says.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareEntries } from "../../src/core/sorted.js";
import { MalformedRow, Table, UniqueViolation } from "../../src/core/table.js";

interface Row {
  id: string;
  tenant: string;
  email: string | null;
  phone: string | null;
  tag: string | null;
}

const rowArb = fc.record({
  id: fc.constantFrom("1", "2", "3", "4", "5", "6"),
  tenant: fc.constantFrom("a", "b"),
  email: fc.option(fc.constantFrom("x@e", "y@e", "z@e"), { nil: null }),
  phone: fc.option(fc.constantFrom("+1", "+2"), { nil: null }),
  tag: fc.option(fc.constantFrom("t1", "t2"), { nil: null }),
});

const op = fc.oneof(
  rowArb.map((row) => ({ kind: "put" as const, row })),
  fc.record({ kind: fc.constant("restore" as const), id: fc.constantFrom("1", "2", "3", "4", "5", "6"), row: fc.option(rowArb, { nil: undefined }) }),
  fc.record({ kind: fc.constant("removeTenant" as const), tenant: fc.constantFrom("a", "b") }),
  fc.record({ kind: fc.constant("lookup" as const), tenant: fc.constantFrom("a", "b"), index: fc.constantFrom("email", "phone"), key: fc.constantFrom("x@e", "y@e", "+1", "+2") }),
  fc.record({ kind: fc.constant("lookupAll" as const), tenant: fc.constantFrom("a", "b"), key: fc.constantFrom("t1", "t2") }),
  fc.record({ kind: fc.constant("page" as const), tenant: fc.constantFrom("a", "b") }),
  // a few steps of the warm-up under way (a row a step), or a new one
  fc.record({ kind: fc.constant("warm" as const), steps: fc.integer({ min: 1, max: 4 }), restart: fc.boolean() }),
);

describe("Table unique indexes (built per tenant when first needed)", () => {
  it("refuse and find exactly as a scan of the tenant's rows does, for any rows read at open and any later changes", () => {
    fc.assert(
      fc.property(fc.array(rowArb, { maxLength: 6 }), fc.array(op, { maxLength: 30 }), (initial, ops) => {
        // the document as read from a file: unique keys distinct within a tenant
        const doc: Record<string, Row> = {};
        for (const r of initial) {
          const clash = Object.values(doc).some((o) => o.tenant === r.tenant && o.id !== r.id && ((r.email && o.email === r.email) || (r.phone && o.phone === r.phone)));
          if (!clash && (!doc[r.id] || doc[r.id]!.tenant === r.tenant)) doc[r.id] = r;
        }
        const table = new Table<Row>(doc, { tenantOf: (r) => r.tenant, unique: { email: (r) => r.email, phone: (r) => r.phone }, grouped: { tag: (r) => r.tag }, sorted: { phone: (r) => r.phone }, listed: (r) => r.tag !== "t2" });
        let warm = table.warmUp(1, 1);
        const listed = (tenant: string) => Object.values(doc).filter((r) => r.tenant === tenant && r.tag !== "t2").sort((p, q) => compareEntries(p.phone, p.id, q.phone, q.id)).map((r) => r.id);
        const holder = (tenant: string, index: "email" | "phone", key: string) => Object.values(doc).find((r) => r.tenant === tenant && r[index] === key);
        const byId = (rows: Row[]) => rows.map((r) => r.id).sort();
        const tagged = (tenant: string, tag: string) => byId(Object.values(doc).filter((r) => r.tenant === tenant && r.tag === tag));
        for (const o of ops) {
          if (o.kind === "put") {
            const previous = doc[o.row.id];
            if (previous && previous.tenant !== o.row.tenant) continue;
            const clash = (["email", "phone"] as const).find((i) => o.row[i] !== null && holder(o.row.tenant, i, o.row[i]!) && holder(o.row.tenant, i, o.row[i]!)!.id !== o.row.id);
            if (clash) {
              expect(() => table.put(o.row)).toThrow(UniqueViolation);
              expect(doc[o.row.id]).toBe(previous);
            } else {
              table.put(o.row);
              expect(doc[o.row.id]).toBe(o.row);
            }
          } else if (o.kind === "restore") {
            // a rollback puts back a row that held its keys before (never one that clashes)
            const row = o.row && { ...o.row, id: o.id };
            if (row && (["email", "phone"] as const).some((i) => row[i] !== null && holder(row.tenant, i, row[i]!) && holder(row.tenant, i, row[i]!)!.id !== o.id)) continue;
            if (row && doc[o.id] && doc[o.id]!.tenant !== row.tenant) continue;
            table.restore(o.id, row);
          } else if (o.kind === "removeTenant") {
            table.removeTenant(o.tenant);
            for (const r of Object.values(doc)) expect(r.tenant).not.toBe(o.tenant);
          } else if (o.kind === "lookup") {
            expect(table.lookup(o.index, o.tenant, o.key)).toBe(holder(o.tenant, o.index as "email" | "phone", o.key));
          } else if (o.kind === "lookupAll") {
            expect(byId(table.scope(o.tenant).findAll("tag", o.key))).toEqual(tagged(o.tenant, o.key));
          } else if (o.kind === "page") {
            expect(table.page(o.tenant, [{ field: "phone" }], 0, 10).items.map((r) => r.id)).toEqual(listed(o.tenant));
          } else {
            if (o.restart) warm = table.warmUp(1, 1);
            for (let k = 0; k < o.steps; k++) warm.next();
          }
        }
        for (let r = warm.next(); !r.done; r = warm.next());
        for (const tenant of ["a", "b"]) expect(table.page(tenant, [{ field: "phone" }], 0, 10).items.map((r) => r.id)).toEqual(listed(tenant));
        for (const tenant of ["a", "b"]) for (const tag of ["t1", "t2"]) expect(byId(table.scope(tenant).findAll("tag", tag))).toEqual(tagged(tenant, tag));
        for (const tenant of ["a", "b"]) for (const index of ["email", "phone"] as const) for (const key of ["x@e", "y@e", "z@e", "+1", "+2"]) {
          expect(table.lookup(index, tenant, key)).toBe(holder(tenant, index, key));
        }
      }),
      { numRuns: 1000 },
    );
  });

  it("a row whose key cannot be read (a hand-edited file) fails the opening, named, not a later write", () => {
    const doc: Record<string, { id: string; ws: string; email?: string }> = { c1: { id: "c1", ws: "w", email: "a@x" }, c2: { id: "c2", ws: "w" }, c3: { id: "c3", ws: "w", email: "b@x" } };
    const open = () => new Table(doc, { tenantOf: (c) => c.ws, unique: { email: (c) => c.email!.toLowerCase() } });
    expect(open).toThrow(MalformedRow);
    expect(open).toThrow(/row "c2": its email key cannot be read/);
  });
});
