import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BASE, start, type Ctx } from "./_helpers.js";

// ?search= is answered from per-block search texts kept by the ordered index (core/search.ts):
// whatever the data and the needle, it must be what testing every customer does (decision:
// LIKE %search% on first name, last name, email and phone, case-insensitively).

interface Customer { id: number; first_name: string; last_name: string | null; email: string | null; phone_number: string | null }
const CHARS = ["a", "B", "k", "K", "\u212a", "\u0130", "i", "\u03a3", "\u03c3", "\u00df", "9", "-", "\u00e9"];

async function all(ctx: Ctx): Promise<Customer[]> {
  const out: Customer[] = [];
  for (let page = 1; ; page++) {
    const { body } = await ctx.getJson(`${BASE}?per_page=100&page=${page}`);
    out.push(...body.data);
    if (page >= body.meta.last_page) return out;
  }
}

describe("GET /api/v1/customers?search= over block search texts", () => {
  it("equals testing every customer, for generated names and needles, before and after writes", async () => {
    const ctx = await start();
    const names = fc.sample(fc.array(fc.constantFrom(...CHARS), { minLength: 1, maxLength: 8 }).map((a) => a.join("")), { numRuns: 40, seed: 7 });
    const made: number[] = [];
    for (const [i, name] of names.entries()) {
      const res = await ctx.send("POST", BASE, i % 2 ? { first_name: `N${name}`, last_name: `L${name}\u03a3` } : { first_name: `N${name}` });
      expect(res.status, await res.clone().text()).toBe(201);
      made.push(((await res.json()) as { data: { id: number } }).data.id);
    }
    const check = async (seed: number) => {
      const everyone = await all(ctx);
      const piece = fc.tuple(fc.nat(everyone.length - 1), fc.nat(3), fc.nat(6), fc.integer({ min: 1, max: 5 })).map(([i, f, at, len]) => {
        const c = everyone[i]!;
        const text = [c.first_name, c.last_name, c.email, c.phone_number][f] ?? c.first_name;
        return text.slice(at, at + len);
      });
      const needle = fc.oneof(piece, fc.array(fc.constantFrom(...CHARS, "@", "."), { minLength: 1, maxLength: 3 }).map((a) => a.join("")))
        .filter((s) => s.trim() === s && s !== "" && !/[\ud800-\udfff]/.test(s));
      await fc.assert(fc.asyncProperty(needle, async (term) => {
        const n = term.toLowerCase();
        const expected = everyone.filter((c) => [c.first_name, c.last_name, c.email, c.phone_number].some((v) => v !== null && v.toLowerCase().includes(n)));
        const found: Customer[] = [];
        for (let page = 1; ; page++) {
          const { status, body } = await ctx.getJson(`${BASE}?per_page=100&page=${page}&search=${encodeURIComponent(term)}`);
          expect(status).toBe(200);
          expect(body.meta.total).toBe(expected.length);
          found.push(...body.data);
          if (page >= body.meta.last_page) break;
        }
        expect(found.map((c) => c.id)).toEqual(expected.map((c) => c.id));
      }), { numRuns: 80, seed });
    };
    await check(1);
    for (const [i, id] of made.entries()) {
      if (i % 3 === 0) expect((await ctx.send("PUT", `${BASE}/${id}`, { first_name: `Changed\u212a${i}` })).status).toBe(200);
      if (i % 5 === 1) expect((await ctx.req(`${BASE}/${id}`, { method: "DELETE", headers: ctx.full })).status).toBe(200);
    }
    await check(2);
  }, 60_000);
});
