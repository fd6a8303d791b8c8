import { afterEach, describe, expect, it, vi } from "vitest";
import { TenantScope } from "../../src/core/table.js";
import { start } from "./_helpers.js";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("plane list (spec: plane.md#pagination)", () => {
  it("the cursor envelope, newest first, per_page default 100", async () => {
    const ctx = await start();
    const { status, body } = await ctx.getJson(`${ctx.base}/`);
    expect(status).toBe(200);
    expect(Object.keys(body)).toEqual([
      "grouped_by", "sub_grouped_by", "total_count", "next_cursor", "prev_cursor", "next_page_results", "prev_page_results",
      "count", "total_pages", "total_results", "extra_stats", "results",
    ]);
    expect(body).toMatchObject({
      grouped_by: null, sub_grouped_by: null, total_count: 25, next_cursor: "100:1:0", prev_cursor: "100:-1:1",
      next_page_results: false, prev_page_results: false, count: 25, total_pages: 1, total_results: 25, extra_stats: null,
    });
    const created = body.results.map((c: any) => c.created_at);
    expect(created).toEqual([...created].sort().reverse());
    expect(new Set(body.results.map((c: any) => c.id))).toEqual(new Set(ctx.tenants[0]!.customerIds));
  });

  it("pages through with cursors", async () => {
    const ctx = await start();
    const all = (await ctx.getJson(`${ctx.base}/`)).body.results.map((c: any) => c.id);
    const p0 = (await ctx.getJson(`${ctx.base}/?per_page=10`)).body;
    expect(p0).toMatchObject({ count: 10, total_pages: 3, next_cursor: "10:1:0", prev_cursor: "10:-1:1", next_page_results: true, prev_page_results: false });
    const p2 = (await ctx.getJson(`${ctx.base}/?per_page=10&cursor=${p0.next_cursor.replace(":1:", ":2:")}`)).body;
    expect(p2).toMatchObject({ count: 5, next_cursor: "10:3:0", prev_cursor: "10:1:1", next_page_results: false, prev_page_results: true });
    const p1 = (await ctx.getJson(`${ctx.base}/?per_page=10&cursor=10:1:0`)).body;
    expect([...p0.results, ...p1.results, ...p2.results].map((c: any) => c.id)).toEqual(all);
  });

  it("?query= is a case-insensitive name contains; deleted customers are not listed", async () => {
    const ctx = await start();
    await ctx.send("POST", `${ctx.base}/`, { name: "Zyxwv Widgets" });
    const b = (await (await ctx.send("POST", `${ctx.base}/`, { name: "Other ZYXWV" })).json()) as any;
    let body = (await ctx.getJson(`${ctx.base}/?query=zyXWv`)).body;
    expect(body.results.map((c: any) => c.name).sort()).toEqual(["Other ZYXWV", "Zyxwv Widgets"]);
    expect(body.total_count).toBe(2);
    await ctx.req(`${ctx.base}/${b.id}/`, { method: "DELETE", headers: ctx.full });
    body = (await ctx.getJson(`${ctx.base}/?query=zyxwv`)).body;
    expect(body.results.map((c: any) => c.name)).toEqual(["Zyxwv Widgets"]);
  });

  it("bad per_page and cursor → 400 with Plane's details", async () => {
    const ctx = await start();
    const cases: [string, string][] = [
      ["per_page=1001", "Invalid per_page value. Cannot exceed 1000."],
      ["per_page=ten", "Invalid per_page parameter."],
      ["per_page=0", "Invalid per_page parameter."],
      ["cursor=abc", "Invalid cursor parameter."],
      ["cursor=1:2", "Invalid cursor parameter."],
      ["cursor=10:-1:1", "Error in parsing"],
    ];
    for (const [q, detail] of cases) {
      const res = await ctx.req(`${ctx.base}/?${q}`, { headers: ctx.full });
      expect(res.status, q).toBe(400);
      expect(await res.json()).toEqual({ detail });
    }
    expect((await ctx.getJson(`${ctx.base}/?per_page=1000`)).status).toBe(200);
  });

  it("a page is read from the ordered index: only the page's rows, never the whole workspace (O(page))", async () => {
    const ctx = await start();
    const all = (await ctx.getJson(`${ctx.base}/`)).body.results.map((c: any) => c.id);
    const list = vi.spyOn(TenantScope.prototype, "list");
    const page = vi.spyOn(TenantScope.prototype, "page");
    const body = (await ctx.getJson(`${ctx.base}/?per_page=5&cursor=5:2:0`)).body;
    expect(body.results.map((c: any) => c.id)).toEqual(all.slice(10, 15));
    expect(body).toMatchObject({ count: 5, total_count: 25, next_page_results: true });
    expect(list).not.toHaveBeenCalled();
    // the page and one more row (Plane's next_page_results probe), newest first
    expect(page).toHaveBeenCalledWith([{ field: "created_at", desc: true }], 10, 6, undefined, undefined);
  });

  it("newest first also after writes: a new customer heads the list, a deleted one leaves it", async () => {
    const ctx = await start();
    ctx.clock.advance(1000);
    const a = (await (await ctx.send("POST", `${ctx.base}/`, { name: "Newest A" })).json()) as any;
    ctx.clock.advance(1000);
    const b = (await (await ctx.send("POST", `${ctx.base}/`, { name: "Newest B" })).json()) as any;
    await ctx.req(`${ctx.base}/${b.id}/`, { method: "DELETE", headers: ctx.full });
    const body = (await ctx.getJson(`${ctx.base}/?per_page=2`)).body;
    expect(body.results[0].id).toBe(a.id);
    expect(body).toMatchObject({ total_count: 26, total_pages: 13 });
    // a PATCH does not move it (created_at orders)
    await ctx.send("PATCH", `${ctx.base}/${ctx.tenants[0]!.customerIds[0]}/`, { stage: "lead" });
    expect((await ctx.getJson(`${ctx.base}/?per_page=1`)).body.results[0].id).toBe(a.id);
  });

  it("a repeated parameter counts by its last value (Django's QueryDict.get); huge pages print as Python ints", async () => {
    const ctx = await start();
    const p = (await ctx.getJson(`${ctx.base}/?per_page=1&per_page=2`)).body;
    expect(p).toMatchObject({ count: 2, next_cursor: "2:1:0" });
    const far = await ctx.getJson(`${ctx.base}/?cursor=100:99999999999999999999999:0`);
    expect(far.status).toBe(200);
    expect(far.body).toMatchObject({
      count: 0, results: [], total_count: 25, next_cursor: "100:100000000000000000000000:0", prev_cursor: "100:99999999999999999999998:1",
      next_page_results: false, prev_page_results: true,
    });
    const beyond = (await ctx.getJson(`${ctx.base}/?per_page=10&cursor=10:3:0`)).body;
    expect(beyond).toMatchObject({ count: 0, results: [], total_count: 25, total_pages: 3, next_cursor: "10:4:0", prev_cursor: "10:2:1", next_page_results: false, prev_page_results: true });
  });
});
