// A table's unique and grouped indexes are built per tenant on its first put or lookup (opening
// a table of 100,000 rows builds none, #13). Whatever the order of opens, puts, rollbacks and
// removals, a put is refused exactly when another row of the tenant holds the key, a lookup
// finds the row that holds it and a grouped lookup the rows that share it — as a scan of the
// tenant's rows says.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Table, UniqueViolation } from "../../src/core/table.js";

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
        const table = new Table<Row>(doc, { tenantOf: (r) => r.tenant, unique: { email: (r) => r.email, phone: (r) => r.phone }, grouped: { tag: (r) => r.tag } });
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
          } else {
            expect(byId(table.scope(o.tenant).findAll("tag", o.key))).toEqual(tagged(o.tenant, o.key));
          }
        }
        for (const tenant of ["a", "b"]) for (const tag of ["t1", "t2"]) expect(byId(table.scope(tenant).findAll("tag", tag))).toEqual(tagged(tenant, tag));
        for (const tenant of ["a", "b"]) for (const index of ["email", "phone"] as const) for (const key of ["x@e", "y@e", "z@e", "+1", "+2"]) {
          expect(table.lookup(index, tenant, key)).toBe(holder(tenant, index, key));
        }
      }),
      { numRuns: 1000 },
    );
  });

  it("a key that cannot be read from a row (a hand-edited file) fails every use of the tenant's index, never leaving half of it", () => {
    const doc: Record<string, { id: string; ws: string; email?: string }> = { c1: { id: "c1", ws: "w", email: "a@x" }, c2: { id: "c2", ws: "w" }, c3: { id: "c3", ws: "w", email: "b@x" } };
    const table = new Table(doc, { tenantOf: (c) => c.ws, unique: { email: (c) => c.email!.toLowerCase() } });
    expect(() => table.lookup("email", "w", "b@x")).toThrow(TypeError);
    expect(() => table.lookup("email", "w", "b@x")).toThrow(TypeError);
    expect(() => table.put({ id: "c4", ws: "w", email: "b@x" })).toThrow(TypeError);
    expect(doc.c4).toBe(undefined);
  });
});
