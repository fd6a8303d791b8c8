import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BASE, start, type Ctx } from "./_helpers.js";

// ?query= is answered from per-block search texts kept by the ordered indexes (and blocks are
// skipped by their trigrams). Whatever the data, the needle, the sort and the page, the answer
// must be what testing every customer does (spec: rapidly.md#list: email or name contains, or
// external_id starts with, case-insensitive) — before and after writes to indexed blocks.

interface Customer { id: string; created_at: string; email: string; name: string | null; external_id: string | null; metadata: Record<string, unknown> }

// Letters whose lower case is special: Σ (final sigma), İ (two code units), K (Kelvin sign → k), ß.
const NAME_CHARS = ["a", "B", "c", "D", "k", "K", "\u212a", "i", "I", "\u0130", "\u03a3", "\u03c3", "\u00df", "S", " ", "-", "9", "\u0000", "\u00e9", "\u00c9", "\ud83d\ude00"];
const LOCAL_CHARS = ["a", "b", "k", "s", "9", "0", "."];
const EXT_CHARS = ["A", "b", "K", "\u212a", "\u03a3", "_", "1", "x"];

const str = (chars: string[], min: number, max: number) => fc.array(fc.constantFrom(...chars), { minLength: min, maxLength: max }).map((a) => a.join(""));

const rowArb = fc.record({
  local: str(LOCAL_CHARS, 1, 6).filter((s) => !s.startsWith(".") && !s.endsWith(".") && !s.includes("..")),
  name: fc.option(str(NAME_CHARS, 1, 10).filter((s) => s.trim() !== ""), { nil: null }),
  ext: fc.option(str(EXT_CHARS, 1, 6), { nil: null }),
});

const naive = (rows: Customer[], needle: string) => {
  const n = needle.toLowerCase();
  return rows.filter((c) => c.email.toLowerCase().includes(n) || (c.name !== null && c.name.toLowerCase().includes(n))
    || (c.external_id !== null && c.external_id.toLowerCase().startsWith(n)));
};

const SORTINGS = [[], ["email"], ["-email"], ["name"], ["-name", "email"], ["created_at"], ["-created_at"]];
const qs = (sorting: string[]) => sorting.map((s) => `&sorting=${s}`).join("");

/** The order of `sorting` as Postgres gives it: nulls last ascending, first descending; ties by id. */
function sortedAs(rows: Customer[], sorting: string[]): Customer[] {
  const keys = (sorting.length ? sorting : ["-created_at"]).map((s) => ({ field: s.replace(/^-/, "") as "created_at" | "email" | "name", desc: s.startsWith("-") }));
  return [...rows].sort((a, b) => {
    for (const { field, desc } of keys) {
      const x = a[field];
      const y = b[field];
      if (x === y) continue;
      if (x === null) return desc ? -1 : 1;
      if (y === null) return desc ? 1 : -1;
      return (x < y ? -1 : 1) * (desc ? -1 : 1);
    }
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
}

/** Every live customer in the order of `sorting`, read through the list without a query. */
async function all(ctx: Ctx, sorting: string[]): Promise<Customer[]> {
  const out: Customer[] = [];
  for (let page = 1; ; page++) {
    const { body } = await ctx.getJson(`${BASE}/?limit=100&page=${page}${qs(sorting)}`);
    out.push(...body.items);
    if (page >= body.pagination.max_page) return out;
  }
}

async function create(ctx: Ctx, rows: { local: string; name: string | null; ext: string | null }[], tag: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const res = await ctx.send("POST", `${BASE}/`, { email: `${r.local}${tag}${i}@example.com`, name: r.name, external_id: r.ext === null ? null : `${r.ext}${tag}${i}`, metadata: { g: String(i % 3) } });
    expect(res.status).toBe(201);
    ids.push(((await res.json()) as { id: string }).id);
    if (i % 3 === 0) ctx.clock.advance(1); // runs of equal created_at, broken by id
  }
  return ids;
}

async function checkNeedles(ctx: Ctx, runs: number, seed: number) {
  const orders = new Map<string, Customer[]>();
  for (const s of SORTINGS) orders.set(s.join(","), await all(ctx, s));
  const everyone = orders.get("")!;
  // The reference orders themselves (pages read straight off the indexes) are the documented ones.
  for (const s of SORTINGS) expect(orders.get(s.join(","))!.map((c) => c.id)).toEqual(sortedAs(everyone, s).map((c) => c.id));
  // needles: pieces of stored fields (case changed at random), or random strings
  const piece = fc.tuple(fc.nat(everyone.length - 1), fc.nat(2), fc.nat(12), fc.integer({ min: 1, max: 8 }), fc.boolean()).map(([i, f, at, len, upper]) => {
    const c = everyone[i]!;
    const text = (f === 0 ? c.email : f === 1 ? c.name : c.external_id) ?? c.email;
    const s = text.slice(Math.min(at, text.length - 1), Math.min(at, text.length - 1) + len);
    return upper ? s.toUpperCase() : s;
  });
  const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
  const needleArb = fc.oneof(piece, str([...NAME_CHARS, ...LOCAL_CHARS, "@", "x"], 0, 4)).filter((s) => !loneSurrogate.test(s)); // URLs cannot carry those
  await fc.assert(
    fc.asyncProperty(needleArb, fc.constantFrom(...SORTINGS), fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 4 }), fc.option(fc.constantFrom("0", "1")), async (needle, sorting, limit, page, group) => {
      // with a metadata filter too, at times (both must hold)
      const expected = naive(orders.get(sorting.join(","))!, needle).filter((c) => group === null || c.metadata.g === group);
      const meta = group === null ? "" : `&metadata[g]=${group}`;
      const { status, body } = await ctx.getJson(`${BASE}/?limit=${limit}&page=${page}&query=${encodeURIComponent(needle)}${qs(sorting)}${meta}`);
      expect(status).toBe(200);
      expect(body.pagination.total_count).toBe(expected.length);
      expect(body.items.map((c: Customer) => c.id)).toEqual(expected.slice((page - 1) * limit, page * limit).map((c) => c.id));
    }),
    { numRuns: runs, seed },
  );
}

describe("GET /api/customers/?query= over block search texts", () => {
  it("equals testing every customer, for generated data and needles, before and after writes", async () => {
    const ctx = await start();
    const rows = fc.sample(rowArb, { numRuns: 700, seed: 13 });
    await create(ctx, rows, "a");
    // The indexes (and their blocks' texts) are built by these first lists and searches.
    await checkNeedles(ctx, 150, 1);

    // Writes after the blocks' texts exist: inserts alone, then inserts that split blocks (past
    // 1,024 rows), renames, external ids set, deletions; every later search must see them.
    await create(ctx, fc.sample(rowArb, { numRuns: 40, seed: 15 }), "c");
    await checkNeedles(ctx, 100, 3);
    const more = fc.sample(rowArb, { numRuns: 500, seed: 14 });
    const added = await create(ctx, more, "b");
    const current = await all(ctx, []);
    for (let i = 0; i < current.length; i += 7) {
      const c = current[i]!;
      // (an external id, once set, cannot be changed)
      const body = i % 3 === 0 ? { name: `Renamed \u03a3${i}` } : i % 3 === 1 ? (c.external_id === null ? { external_id: `NEW\u212a${i}` } : { name: null })
        : { email: `moved${i}@example.com` };
      const res = await ctx.send("PATCH", `${BASE}/${c.id}`, body);
      expect(res.status, `${JSON.stringify(body)}: ${await res.clone().text()}`).toBe(200);
    }
    await checkNeedles(ctx, 60, 4);
    for (let i = 0; i < added.length; i += 11) expect((await ctx.req(`${BASE}/${added[i]}`, { method: "DELETE", headers: ctx.full })).status).toBe(204);
    await checkNeedles(ctx, 150, 2);
  }, 120_000);

  it("lower-cases each field on its own: a final sigma, İ and the Kelvin sign at a field's edge", async () => {
    const ctx = await start();
    await create(ctx, [{ local: "sigma", name: "\u039f\u0394\u039f\u03a3", ext: "\u03a3\u0391\u03a3" }, { local: "dot", name: "X\u0130", ext: "\u212aEY" }], "z");
    const q = async (needle: string) => (await ctx.getJson(`${BASE}/?limit=100&query=${encodeURIComponent(needle)}`)).body.items.map((c: Customer) => c.email);
    expect(await q("\u03bf\u03b4\u03bf\u03c2")).toContain("sigmaz0@example.com"); // ΟΔΟΣ → οδος (final ς)
    expect(await q("\u03bf\u03b4\u03bf\u03c3")).not.toContain("sigmaz0@example.com");
    expect(await q("\u03c3\u03b1\u03c3z")).toContain("sigmaz0@example.com"); // external_id ΣΑΣz0 → σασz0: a prefix
    expect(await q("\u03b1\u03c3z")).not.toContain("sigmaz0@example.com"); // … but not a prefix
    expect(await q("x\u0130")).toContain("dotz1@example.com"); // İ → i̇ in the needle too
    expect(await q("i\u0307")).toContain("dotz1@example.com");
    expect(await q("keyz")).toContain("dotz1@example.com"); // KEYz1 (Kelvin sign) → keyz1, prefix of external_id
    expect(await q("eyz")).not.toContain("dotz1@example.com"); // not a prefix, and in neither email nor name
    expect(await q("\u0000")).toEqual([]); // holds the block texts' separator: tested row by row
  });
});
