// spec: simulator.md#parallel-suites — every journal entry has the tenant whose credential the
// request carried, and a fault rule with `tenant` fires only for that tenant's requests: also
// when the credential is used where it has no rights (a 403) or on a slug that does not exist.
import { describe, expect, it } from "vitest";
import { start } from "./_helpers.js";

describe("plane: the tenant of a request is its credential's", () => {
  it("a made tenant's key on another workspace (403) or an unknown slug (404) is journaled and faulted as its own", async () => {
    const ctx = await start();
    const made = (await (await ctx.req("/__admin/plane/tenants", { method: "POST" })).json()) as any;
    const headers = made.credentials[0].headers as Record<string, string>;

    expect((await ctx.req(`${ctx.base}/`, { headers })).status).toBe(403);
    expect((await ctx.req("/plane/api/v1/workspaces/no-such-workspace/customers/", { headers })).status).toBe(404);
    // the read-only OAuth token of workspace 0 on workspace 1: still workspace 0's request
    expect((await ctx.req(`${ctx.otherBase}/`, { headers: ctx.readOnly })).status).toBe(403);

    const journal = (await (await ctx.req(`/__admin/requests?provider=plane`)).json()) as any;
    expect(journal.requests.map((r: any) => [r.status, r.tenant])).toEqual([
      [403, made.id],
      [404, made.id],
      [403, ctx.tenants[0]!.id],
    ]);
    expect(((await (await ctx.req(`/__admin/requests/count?tenant=${made.id}`)).json()) as any).count).toBe(2);

    // a fault rule for the made tenant fires on its requests wherever they go, and on no one else's
    const rule = await ctx.req("/__admin/faults", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ provider: "plane", tenant: made.id, status: 503 }) });
    expect(rule.status).toBeLessThan(300);
    expect((await ctx.req(`${ctx.base}/`, { headers })).status).toBe(503);
    expect((await ctx.req(`${ctx.base}/`, { headers: ctx.full })).status).toBe(200);
    // no known credential: no tenant
    expect((await ctx.req(`${ctx.base}/`, { headers: { "X-API-Key": "plane_api_00000000000000000000000000000000" } })).status).toBe(403);
    const last = (await (await ctx.req(`/__admin/requests?provider=plane`)).json()) as any;
    expect(last.requests.at(-1).tenant).toBeNull();
  });
});
