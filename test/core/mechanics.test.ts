// Unit tests of the mechanics every provider builds on: what a provider may take for granted.
import { describe, expect, it } from "vitest";
import { parseJsonText } from "../../src/core/body.js";
import { matchesGlob } from "../../src/core/glob.js";
import { runtimeRandom, SeededRandom } from "../../src/core/ids.js";
import { byCreatedThenId, ordered, pageOf } from "../../src/core/list.js";
import { SlidingWindowLimiter } from "../../src/core/rate-limit.js";
import { Table, UniqueViolation } from "../../src/core/table.js";

interface Row { id: string; tenant: string; email: string | null; created_at: string; n: number | null }

function table(rows: Record<string, Row> = {}) {
  return new Table<Row>(rows, { tenantOf: (r) => r.tenant, unique: { email: (r) => r.email?.toLowerCase() } });
}

const row = (id: string, tenant: string, email: string | null, n: number | null = null, created_at = "2025-01-01"): Row => ({ id, tenant, email, created_at, n });

describe("Table", () => {
  it("scopes every read to one tenant", () => {
    const t = table();
    t.put(row("1", "a", "x@a.test"));
    t.put(row("2", "b", "y@b.test"));
    expect(t.scope("a").get("1")?.id).toBe("1");
    expect(t.scope("b").get("1")).toBeUndefined();
    expect(t.scope("a").list().map((r) => r.id)).toEqual(["1"]);
    expect(t.scope("c").list()).toEqual([]);
    expect(t.scope("b").findBy("email", "x@a.test")).toBeUndefined();
  });

  it("keeps unique keys per tenant and refuses a taken one without changing anything", () => {
    const rows: Record<string, Row> = {};
    const t = table(rows);
    t.put(row("1", "a", "same@x.test"));
    t.put(row("2", "b", "SAME@x.test")); // another tenant: allowed
    expect(() => t.put(row("3", "a", "Same@X.test"))).toThrow(UniqueViolation);
    expect(Object.keys(rows)).toEqual(["1", "2"]);
    expect(t.scope("a").findBy("email", "same@x.test")?.id).toBe("1");
    // replacing the holder with a new key frees the old one
    t.put(row("1", "a", "other@x.test"));
    expect(t.scope("a").findBy("email", "same@x.test")).toBeUndefined();
    t.put(row("3", "a", "same@x.test"));
    expect(t.scope("a").findBy("email", "same@x.test")?.id).toBe("3");
    // a null key is not indexed
    t.put(row("4", "a", null));
    t.put(row("5", "a", null));
    expect(t.scope("a").list()).toHaveLength(4);
  });

  it("never moves a row to another tenant through a scope or an id", () => {
    const t = table();
    t.put(row("1", "a", "x@a.test"));
    expect(() => t.scope("b").put(row("9", "a", "q@a.test"))).toThrow();
    expect(() => t.put(row("1", "b", "x@a.test"))).toThrow();
    expect(t.scope("a").get("1")?.tenant).toBe("a");
  });

  it("writes through to the document it was built over, and rebuilds its indexes from it", () => {
    const rows: Record<string, Row> = {};
    table(rows).put(row("1", "a", "x@a.test"));
    const reopened = table(JSON.parse(JSON.stringify(rows)) as Record<string, Row>);
    expect(reopened.scope("a").findBy("email", "x@a.test")?.id).toBe("1");
    expect(() => reopened.put(row("2", "a", "X@a.test"))).toThrow(UniqueViolation);
  });

  it("removes a whole tenant, its unique keys included, and nothing else", () => {
    const rows: Record<string, Row> = {};
    const t = table(rows);
    t.put(row("1", "a", "x@a.test"));
    t.put(row("2", "a", "y@a.test"));
    t.put(row("3", "b", "x@a.test"));
    expect(t.removeTenant("a")).toBe(2);
    expect(Object.keys(rows)).toEqual(["3"]);
    expect(t.scope("a").list()).toEqual([]);
    t.put(row("4", "a", "x@a.test"));
    expect(t.scope("b").findBy("email", "x@a.test")?.id).toBe("3");
    expect(t.removeTenant("nobody")).toBe(0);
  });
});

describe("list ordering and pages", () => {
  const rows = [row("b", "t", null, 2), row("a", "t", null, null), row("c", "t", null, 2), row("d", "t", null, 1)];

  it("orders by several keys with the id as the last tie-break, nulls as Postgres puts them", () => {
    expect(ordered(rows, [{ value: (r) => r.n }]).map((r) => r.id)).toEqual(["d", "b", "c", "a"]);
    expect(ordered(rows, [{ value: (r) => r.n, desc: true }]).map((r) => r.id)).toEqual(["a", "b", "c", "d"]);
    expect(ordered(rows, [{ value: (r) => r.n, nulls: "first-asc" }]).map((r) => r.id)).toEqual(["a", "d", "b", "c"]);
    expect(ordered(rows, [{ value: (r) => r.n, nulls: "last", desc: true }]).map((r) => r.id)).toEqual(["b", "c", "d", "a"]);
    expect(rows.map((r) => r.id)).toEqual(["b", "a", "c", "d"]); // the input is left alone
  });

  it("slices pages and counts the total", () => {
    expect(pageOf([1, 2, 3, 4, 5], 2, 2)).toEqual({ items: [3, 4], total: 5 });
    expect(pageOf([1, 2, 3], 3, 2)).toEqual({ items: [], total: 3 });
    expect(pageOf([1, 2, 3], 99, 10)).toEqual({ items: [], total: 3 });
  });

  it("orders oldest first, then by id", () => {
    const list = [row("2", "t", null, 0, "2025-02"), row("1", "t", null, 0, "2025-02"), row("3", "t", null, 0, "2025-01")];
    expect([...list].sort(byCreatedThenId).map((r) => r.id)).toEqual(["3", "1", "2"]);
  });
});

describe("glob", () => {
  it.each([
    ["/rapidly/api/customers/*", "/rapidly/api/customers/abc", true],
    ["/rapidly/api/customers/*", "/rapidly/api/customers/abc/def", false],
    ["/rapidly/**", "/rapidly", true],
    ["/rapidly/**", "/rapidly/api/customers/x", true],
    ["/plane/api/v1/workspaces/*/customers/**", "/plane/api/v1/workspaces/acme/customers/", true],
    ["/plane/api/v1/workspaces/*/customers/**", "/plane/api/v1/workspaces/acme/other/", false],
    ["/a.b/*", "/aXb/c", false],
    ["/x/c*s", "/x/customers", true],
  ])("%s matches %s: %s", (glob, path, expected) => {
    expect(matchesGlob(glob, path)).toBe(expected);
  });
});

describe("sliding-window rate limiter", () => {
  it("allows `limit` per window per key, then blocks with the time until a slot frees", () => {
    let now = 1_000_000;
    const limiter = new SlidingWindowLimiter({ limit: 3, windowMs: 60_000 }, () => now);
    expect([1, 2, 3].map(() => limiter.hit("k").remaining)).toEqual([2, 1, 0]);
    const blocked = limiter.hit("k");
    expect(blocked).toMatchObject({ allowed: false, remaining: 0, retryAfter: 60 });
    expect(limiter.hit("other").allowed).toBe(true);
    now += 30_000;
    expect(limiter.hit("k").retryAfter).toBe(30);
    now += 30_000;
    const freed = limiter.hit("k");
    expect(freed.allowed).toBe(true);
    expect(freed.remaining).toBe(2); // the first three left the window together; this one is in it
  });
});

describe("seeded ids", () => {
  it("gives the same sequence for the same seed and another for another", () => {
    const take = (seed: string) => { const r = new SeededRandom(seed); return [r.uuid4(), r.base62(43), r.hex(8), r.int(1, 6)]; };
    expect(take("1")).toEqual(take("1"));
    expect(take("1")).not.toEqual(take("2"));
    expect(runtimeRandom(1, "p", 1).hex(16)).not.toBe(runtimeRandom(1, "p", 2).hex(16));
    expect(runtimeRandom(1, "p", 1).hex(16)).not.toBe(runtimeRandom(1, "q", 1).hex(16));
  });

  it("makes RFC 4122 version 4 uuids", () => {
    const r = new SeededRandom("u");
    for (let i = 0; i < 200; i++) expect(r.uuid4()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe("JSON bodies", () => {
  it("explains a parse failure in CPython's words, with line and column", () => {
    expect(parseJsonText("")).toEqual({ kind: "empty" });
    expect(parseJsonText('{"a": 1}')).toEqual({ kind: "json", value: { a: 1 } });
    expect(parseJsonText("{")).toMatchObject({ kind: "malformed", msg: "Expecting property name enclosed in double quotes", pos: 1, line: 1, column: 2 });
    expect(parseJsonText('{\n  "a": }')).toMatchObject({ kind: "malformed", msg: "Expecting value", pos: 9, line: 2, column: 8 });
    expect(parseJsonText("[".repeat(2000) + "]".repeat(2000))).toEqual({ kind: "malformed", tooDeep: true });
  });
});
