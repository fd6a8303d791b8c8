import { describe, expect, it } from "vitest";
import { start } from "./_helpers.js";

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
});
