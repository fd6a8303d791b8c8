// spec: flextell.md#list — Laravel's paginator, search, filters, sorting, validation.
import { describe, expect, it } from "vitest";
import { BASE, start } from "./_helpers.js";

const URL_BASE = "http://localhost/flextell/api/v1/customers";

describe("flextell list", () => {
  it("Laravel 11 paginator JSON: data, links, meta with page links (default 15 per page, created_at desc)", async () => {
    const ctx = await start();
    const { status, body } = await ctx.getJson(BASE);
    expect(status).toBe(200);
    expect(Object.keys(body)).toEqual(["data", "links", "meta"]);
    expect(body.data).toHaveLength(15);
    expect(body.links).toEqual({ first: `${URL_BASE}?page=1`, last: `${URL_BASE}?page=2`, prev: null, next: `${URL_BASE}?page=2` });
    expect(body.meta).toEqual({
      current_page: 1,
      from: 1,
      last_page: 2,
      links: [
        { url: null, label: "&laquo; Previous", active: false },
        { url: `${URL_BASE}?page=1`, label: "1", active: true },
        { url: `${URL_BASE}?page=2`, label: "2", active: false },
        { url: `${URL_BASE}?page=2`, label: "Next &raquo;", active: false },
      ],
      path: URL_BASE,
      per_page: 15,
      to: 15,
      total: 25,
    });
    const created = body.data.map((c: any) => c.created_at);
    expect(created).toEqual([...created].sort().reverse());
  });

  it("URLs are absolute to the request's host, keep the other query parameters (rawurlencoded) and the mount", async () => {
    const ctx = await start();
    const res = await ctx.sim.app.request(`http://api.test:8080${BASE}?search=%20a%20&per_page=5&page=2`, { headers: ctx.full });
    const body = (await res.json()) as any;
    const base = "http://api.test:8080/flextell/api/v1/customers";
    expect(body.meta.path).toBe(base);
    expect(body.links.prev).toBe(`${base}?search=a&per_page=5&page=1`);
    expect(body.meta.current_page).toBe(2);
  });

  it("a page past the end: empty data, from/to null, prev set, next null", async () => {
    const ctx = await start();
    const { body } = await ctx.getJson(`${BASE}?page=9`);
    expect(body.data).toEqual([]);
    expect(body.meta).toMatchObject({ current_page: 9, from: null, to: null, last_page: 2, total: 25 });
    expect(body.links).toMatchObject({ prev: `${URL_BASE}?page=8`, next: null });
  });

  it("no match: one page, link 1, from/to null", async () => {
    const ctx = await start();
    const { body } = await ctx.getJson(`${BASE}?search=zzzzzzzz`);
    expect(body.data).toEqual([]);
    expect(body.meta).toMatchObject({ current_page: 1, from: null, to: null, last_page: 1, total: 0 });
    expect(body.meta.links.map((l: any) => l.label)).toEqual(["&laquo; Previous", "1", "Next &raquo;"]);
    expect(body.links.last).toBe(`${URL_BASE}?search=zzzzzzzz&page=1`);
  });

  it("many pages: Laravel's UrlWindow with '...' (onEachSide 3)", async () => {
    const ctx = await start();
    const labels = async (page: number) => (await ctx.getJson(`${BASE}?per_page=1&page=${page}`)).body.meta.links.map((l: any) => l.label).slice(1, -1);
    expect(await labels(1)).toEqual(["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "...", "24", "25"]);
    expect(await labels(12)).toEqual(["1", "2", "...", "9", "10", "11", "12", "13", "14", "15", "...", "24", "25"]);
    expect(await labels(25)).toEqual(["1", "2", "...", "16", "17", "18", "19", "20", "21", "22", "23", "24", "25"]);
  });

  it("search matches first name, last name, email and phone, case-insensitively", async () => {
    const ctx = await start();
    const all = (await ctx.getJson(`${BASE}?per_page=100`)).body.data;
    const target = all.find((c: any) => c.email !== null);
    for (const term of [target.first_name.toUpperCase(), target.last_name, target.email, target.phone_number.slice(2, 8)]) {
      const found = (await ctx.getJson(`${BASE}?per_page=100&search=${encodeURIComponent(term)}`)).body.data;
      expect(found.map((c: any) => c.id), term).toContain(target.id);
      for (const c of found) expect([c.first_name, c.last_name, c.email, c.phone_number].some((v: string | null) => v?.toLowerCase().includes(term.toLowerCase()))).toBe(true);
    }
  });

  it("gender filter and sort_by/sort_order", async () => {
    const ctx = await start();
    const females = (await ctx.getJson(`${BASE}?per_page=100&gender=female`)).body.data;
    expect(females.length).toBeGreaterThan(0);
    expect(females.every((c: any) => c.gender === "female")).toBe(true);
    const byName = (await ctx.getJson(`${BASE}?per_page=100&sort_by=first_name&sort_order=asc`)).body.data.map((c: any) => c.first_name);
    expect(byName).toEqual([...byName].sort((a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)));
    const byDob = (await ctx.getJson(`${BASE}?per_page=100&sort_by=date_of_birth&sort_order=asc`)).body.data.map((c: any) => c.date_of_birth);
    // MySQL: NULLs first ascending
    const nulls = byDob.filter((d: any) => d === null).length;
    expect(byDob.slice(0, nulls).every((d: any) => d === null)).toBe(true);
    expect(byDob.slice(nulls)).toEqual([...byDob.slice(nulls)].sort());
  });

  it("invalid query values → 422 in Laravel's shape, all at once", async () => {
    const ctx = await start();
    const { status, body } = await ctx.getJson(`${BASE}?per_page=0&page=abc&sort_by=email&sort_order=up&gender=x&search=${"s".repeat(256)}`);
    expect(status).toBe(422);
    expect(body).toEqual({
      message: "The search field must not be greater than 255 characters. (and 5 more errors)",
      errors: {
        search: ["The search field must not be greater than 255 characters."],
        per_page: ["The per page field must be at least 1."],
        page: ["The page field must be an integer."],
        sort_by: ["The selected sort by is invalid."],
        sort_order: ["The selected sort order is invalid."],
        gender: ["The selected gender is invalid."],
      },
    });
    expect((await ctx.getJson(`${BASE}?per_page=101`)).body.errors).toEqual({ per_page: ["The per page field must not be greater than 100."] });
    expect((await ctx.getJson(`${BASE}?page=0`)).body.errors).toEqual({ page: ["The page field must be at least 1."] });
    expect((await ctx.getJson(`${BASE}?search[]=a`)).body.errors).toEqual({ search: ["The search field must be a string."] });
  });
});
