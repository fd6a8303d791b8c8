import { describe, expect, it } from "vitest";
import { BASE, start } from "./_helpers.js";

// A list page is sent as one text but journaled as the rows' cached texts it is made of:
// what /__admin/requests shows must still be exactly the page that was sent, as it was sent.
describe("GET /api/customers/ in the request journal", () => {
  it("records the page as served, unchanged by later writes to its rows", async () => {
    const ctx = await start();
    const served = await ctx.getJson(`${BASE}/?limit=5&sorting=email`);
    expect(served.status).toBe(200);
    const first = served.body.items[0];
    expect((await ctx.send("PATCH", `${BASE}/${first.id}`, { name: "Renamed After The Page" })).status).toBe(200);
    const again = await ctx.getJson(`${BASE}/?limit=5&sorting=email`);
    expect(again.body.items[0].name).toBe("Renamed After The Page");

    const journal = (await (await ctx.sim.app.request("/__admin/requests?method=GET")).json()) as { requests: { responseBody: unknown }[] };
    expect(journal.requests.map((r) => r.responseBody)).toEqual([served.body, again.body]);
  });

  it("a page served again is recorded again; a changed page as changed", async () => {
    const ctx = await start();
    const path = `${BASE}/?limit=3&sorting=email`;
    const a = await ctx.getJson(path);
    const b = await ctx.getJson(path);
    expect((await ctx.send("PATCH", `${BASE}/${a.body.items[1].id}`, { name: "Changed Between" })).status).toBe(200);
    const c = await ctx.getJson(path);
    const d = await ctx.getJson(`${BASE}/?limit=2&sorting=email`); // the same rows, another envelope
    expect(c.body.items[1].name).toBe("Changed Between");
    const journal = (await (await ctx.sim.app.request("/__admin/requests?method=GET")).json()) as { requests: { responseBody: unknown }[] };
    expect(journal.requests.map((r) => r.responseBody)).toEqual([a.body, b.body, c.body, d.body]);
    expect(a.body).toEqual(b.body);
    expect(c.body).not.toEqual(a.body);
  });

  it("records an empty page and its envelope", async () => {
    const ctx = await start();
    const served = await ctx.getJson(`${BASE}/?limit=5&query=${encodeURIComponent("no such customer anywhere")}`);
    expect(served.body).toEqual({ items: [], pagination: { total_count: 0, max_page: 0 } });
    const journal = (await (await ctx.sim.app.request("/__admin/requests")).json()) as { requests: { responseBody: unknown }[] };
    expect(journal.requests.at(-1)!.responseBody).toEqual(served.body);
  });
});
