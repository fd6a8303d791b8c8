// The webhook endpoints API (spec: rapidly-webhooks.md#endpoints-api) through the HTTP app.
import { describe, expect, it, onTestFinished } from "vitest";
import { createSimulator } from "../../src/index.js";
import { BASE, NOT_FOUND, start, T0_ISO } from "./_helpers.js";
import { deliverPending, deliveries, endpoint, receiver, WEBHOOKS } from "./_webhooks.js";

const EP = `${WEBHOOKS}/endpoints`;
const FORBIDDEN = { error: "insufficient_scope", error_description: "The request requires higher privileges than provided by the access token." };

describe("endpoints CRUD", () => {
  it("creates an endpoint with a generated secret (a sent one is ignored), and reads it back", async () => {
    const ctx = await start();
    const res = await ctx.send("POST", EP, { url: "http://localhost:3000", name: "Local", format: "slack", events: ["customer.created", "customer.created"], secret: "mine" });
    expect(res.status).toBe(201);
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    const ep = await res.json() as any;
    expect(ep).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      created_at: T0_ISO,
      modified_at: null,
      url: "http://localhost:3000/",
      name: "Local",
      format: "slack",
      secret: expect.stringMatching(/^rapidly_whs_[0-9A-Za-z]{43}$/),
      workspace_id: ctx.tenants[0]!.id,
      events: ["customer.created"],
      enabled: true,
    });
    expect((await ctx.getJson(`${EP}/${ep.id}`)).body).toEqual(ep);
    expect((await ctx.getJson(`${EP}/${ep.id}`, ctx.readOnly)).status).toBe(403);
    const list = await ctx.getJson(EP);
    expect(list.body).toEqual({ items: [ep], pagination: { total_count: 1, max_page: 1 } });
  });

  it("lists newest first, paged", async () => {
    const ctx = await start();
    const made = [];
    for (let i = 0; i < 3; i++) {
      made.push(await endpoint(ctx, `https://example.com/${i}`));
      ctx.clock.advance(1000);
    }
    const page = await ctx.getJson(`${EP}?limit=2&page=2`);
    expect(page.body).toEqual({ items: [made[0]], pagination: { total_count: 3, max_page: 2 } });
    expect((await ctx.getJson(`${EP}?limit=2`)).body.items.map((e: any) => e.id)).toEqual([made[2].id, made[1].id]);
    const bad = await ctx.getJson(`${EP}?page=0`);
    expect(bad.status).toBe(422);
    expect(bad.body.detail[0]).toMatchObject({ type: "greater_than", loc: ["query", "page"] });
  });

  it("PATCH changes only the fields sent; the secret has its own route; DELETE makes it a 404", async () => {
    const ctx = await start();
    const ep = await endpoint(ctx, "https://example.com/a", ["customer.created"]);
    ctx.clock.advance(1000);
    const patched = await ctx.send("PATCH", `${EP}/${ep.id}`, { events: ["customer.deleted"], enabled: false });
    expect(patched.status).toBe(200);
    const after = await patched.json() as any;
    expect(after).toEqual({ ...ep, events: ["customer.deleted"], enabled: false, modified_at: "2025-06-01T12:00:01.000000Z" });
    const renamed = await (await ctx.send("PATCH", `${EP}/${ep.id}`, { name: "Renamed", url: "http://127.0.0.1:9/x", format: "discord" })).json() as any;
    expect(renamed).toMatchObject({ name: "Renamed", url: "http://127.0.0.1:9/x", format: "discord", events: ["customer.deleted"], secret: ep.secret });
    const rotated = await ctx.send("PATCH", `${EP}/${ep.id}/secret`, "");
    expect(rotated.status).toBe(200);
    const withSecret = await rotated.json() as any;
    expect(withSecret.secret).toMatch(/^rapidly_whs_[0-9A-Za-z]{43}$/);
    expect(withSecret.secret).not.toBe(ep.secret);
    expect((await ctx.getJson(`${EP}/${ep.id}`)).body.secret).toBe(withSecret.secret);
    const del = await ctx.req(`${EP}/${ep.id}`, { method: "DELETE", headers: ctx.full });
    expect(del.status).toBe(204);
    expect(await del.text()).toBe("");
    expect(await ctx.getJson(`${EP}/${ep.id}`)).toEqual({ status: 404, body: NOT_FOUND });
    expect((await ctx.getJson(EP)).body.items).toEqual([]);
    expect((await ctx.req(`${EP}/${ep.id}`, { method: "DELETE", headers: ctx.full })).status).toBe(404);
  });

  it("hides another workspace's endpoints (404) and needs webhooks scopes (read-only tokens: 403)", async () => {
    const ctx = await start();
    const ep = await endpoint(ctx, "https://example.com/a");
    expect(await ctx.getJson(`${EP}/${ep.id}`, ctx.other)).toEqual({ status: 404, body: NOT_FOUND });
    expect((await ctx.send("PATCH", `${EP}/${ep.id}`, { name: "x" }, ctx.other)).status).toBe(404);
    expect((await ctx.send("PATCH", `${EP}/${ep.id}/secret`, "", ctx.other)).status).toBe(404);
    expect((await ctx.req(`${EP}/${ep.id}`, { method: "DELETE", headers: ctx.other })).status).toBe(404);
    expect((await ctx.getJson(EP, ctx.other)).body.items).toEqual([]);
    for (const [method, path, body] of [["GET", EP, undefined], ["POST", EP, { url: "https://x.com", format: "raw", events: [] }], ["PATCH", `${EP}/${ep.id}`, {}], ["GET", `${WEBHOOKS}/deliveries`, undefined]] as const) {
      const res = body === undefined ? await ctx.req(path, { method, headers: ctx.readOnly }) : await ctx.send(method, path, body, ctx.readOnly);
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual(FORBIDDEN);
    }
    expect((await ctx.req(EP)).status).toBe(401);
    expect((await ctx.req(EP, { headers: { Authorization: "Bearer rapidly_oat_nope" } })).status).toBe(401);
  });
});

describe("validation (422 in Rapidly's shape)", () => {
  const item = async (ctx: any, body: unknown) => {
    const res = await ctx.send("POST", EP, body);
    expect(res.status).toBe(422);
    const json = await res.json() as any;
    expect(json.error).toBe("RequestValidationError");
    return json.detail;
  };

  it("refuses URLs that are not http(s) URLs with a host", async () => {
    const ctx = await start();
    const base = { format: "raw", events: [] };
    expect(await item(ctx, { ...base, url: "example.com/hook" })).toEqual([
      { type: "url_parsing", loc: ["body", "url"], msg: "Input should be a valid URL, relative URL without a base", input: "example.com/hook", ctx: { error: "relative URL without a base" } },
    ]);
    expect(await item(ctx, { ...base, url: "ftp://example.com/" })).toEqual([
      { type: "url_scheme", loc: ["body", "url"], msg: "URL scheme should be 'http' or 'https'", input: "ftp://example.com/", ctx: { expected_schemes: "'http' or 'https'" } },
    ]);
    expect((await item(ctx, { ...base, url: "http://" }))[0]).toMatchObject({ type: "url_parsing", msg: "Input should be a valid URL, empty host" });
    const long = `https://example.com/${"a".repeat(2070)}`;
    expect((await item(ctx, { ...base, url: long }))[0]).toMatchObject({ type: "url_too_long", loc: ["body", "url"], ctx: { max_length: 2083 } });
    expect((await item(ctx, { ...base, url: 42 }))[0]).toMatchObject({ type: "url_type", loc: ["body", "url"] });
  });

  it("refuses unknown formats and event types, and missing fields", async () => {
    const ctx = await start();
    expect(await item(ctx, { url: "https://example.com", format: "xml", events: ["customer.created", "order.created"] })).toEqual([
      { type: "enum", loc: ["body", "format"], msg: "Input should be 'raw', 'discord' or 'slack'", input: "xml", ctx: { expected: "'raw', 'discord' or 'slack'" } },
      {
        type: "enum",
        loc: ["body", "events", 1],
        msg: "Input should be 'customer.created', 'customer.updated', 'customer.deleted' or 'customer.state_changed'",
        input: "order.created",
        ctx: { expected: "'customer.created', 'customer.updated', 'customer.deleted' or 'customer.state_changed'" },
      },
    ]);
    expect((await item(ctx, {})).map((i: any) => [i.type, i.loc])).toEqual([["missing", ["body", "url"]], ["missing", ["body", "format"]], ["missing", ["body", "events"]]]);
    expect((await item(ctx, "")).map((i: any) => [i.type, i.loc])).toEqual([["missing", ["body"]]]);
    const bad = await ctx.send("PATCH", `${EP}/not-a-uuid`, { url: "mailto:x" });
    expect(bad.status).toBe(422);
    expect((await bad.json() as any).detail.map((i: any) => [i.type, i.loc])).toEqual([["uuid_parsing", ["path", "id"]], ["url_scheme", ["body", "url"]]]);
    expect((await ctx.send("POST", EP, "{bad")).status).toBe(422);
    expect((await ctx.getJson(EP)).body.items).toEqual([]); // nothing stored
  });
});

describe("deliveries listing", () => {
  it("filters by endpoint, event type, success, status class, time and text; bad values are 422", async () => {
    const ctx = await start();
    const ok = await receiver();
    const failing = await receiver();
    failing.answer = () => ({ status: 404, body: "no such hook" });
    const a = await endpoint(ctx, ok.url, ["customer.created", "customer.updated"]);
    const b = await endpoint(ctx, failing.url, ["customer.created"]);
    expect((await ctx.send("POST", `${BASE}/`, { email: "filter.one@example.com" })).status).toBe(201);
    await ok.waitFor(1);
    await failing.waitFor(1);
    while ((await deliveries(ctx)).items.length < 2) await new Promise((r) => setTimeout(r, 10));
    ctx.clock.advance(60_000);
    const customer = (await ctx.getJson(`${BASE}/?email=filter.one@example.com`)).body.items[0];
    expect((await ctx.send("PATCH", `${BASE}/${customer.id}`, { name: "Filtered" })).status).toBe(200);
    await ok.waitFor(2);
    await deliverPending(ctx); // b's first event failed: make its retry now
    // b's retries: one from deliver-pending, maybe one more from its timer (the clock moved on)
    const all = await deliveries(ctx, "?limit=100");
    const total = all.pagination.total_count;
    const ofB = total - 2;
    expect(ofB).toBeGreaterThanOrEqual(2);
    const count = async (q: string) => (await deliveries(ctx, q)).pagination.total_count;
    expect(await count(`?endpoint_id=${a.id}`)).toBe(2);
    expect(await count(`?endpoint_id=${b.id}`)).toBe(ofB);
    expect(await count(`?event_type=customer.updated`)).toBe(1);
    expect(await count(`?event_type=customer.created`)).toBe(ofB + 1);
    expect(await count(`?succeeded=false`)).toBe(ofB);
    expect(await count(`?succeeded=true`)).toBe(2);
    expect(await count(`?http_code_class=4xx`)).toBe(ofB);
    expect(await count(`?http_code_class=2xx`)).toBe(2);
    expect(await count(`?http_code_class=5xx`)).toBe(0);
    expect(await count(`?start_timestamp=2025-06-01T12:00:30Z`)).toBe(total - 2);
    expect(await count(`?end_timestamp=2025-06-01T12:00:30`)).toBe(2);
    expect(await count(`?start_timestamp=2025-06-01&end_timestamp=2025-06-01T12:00:00.000001%2B00:00`)).toBe(2);
    expect(await count(`?query=FILTERED`)).toBe(1);
    expect(await count(`?query=no%20such`)).toBe(ofB);
    const page = await deliveries(ctx, `?limit=${total - 1}&page=2`);
    expect(page.items).toHaveLength(1);
    expect(page.pagination).toEqual({ total_count: total, max_page: 2 });
    // newest first
    const times = all.items.map((i: any) => i.created_at);
    expect([...times].sort().reverse()).toEqual(times);
    // another workspace sees none of them, even with the endpoint's id
    expect((await deliveries(ctx, `?endpoint_id=${a.id}`, ctx.other)).items).toEqual([]);

    const bad = await ctx.getJson(`${WEBHOOKS}/deliveries?endpoint_id=nope&event_type=order.created&succeeded=maybe&http_code_class=6xx&start_timestamp=yesterday`);
    expect(bad.status).toBe(422);
    expect(bad.body.detail.map((i: any) => [i.type, i.loc])).toEqual([
      ["uuid_parsing", ["query", "endpoint_id"]],
      ["enum", ["query", "event_type"]],
      ["bool_parsing", ["query", "succeeded"]],
      ["enum", ["query", "http_code_class"]],
      ["datetime_from_date_parsing", ["query", "start_timestamp"]],
    ]);
  });
});

describe("control plane", () => {
  it("deliver-pending answers {attempted, succeeded} and sits behind the admin token", async () => {
    const sim = await createSimulator({ adminToken: "s3cret" });
    const ctx = { req: (path: string, init?: RequestInit) => Promise.resolve(sim.app.request(path, init)) };
    onTestFinished(() => sim.close().then(() => undefined));
    const denied = await ctx.req("/__admin/rapidly/webhooks/deliver-pending", { method: "POST" });
    expect(denied.status).toBe(401);
    const res = await ctx.req("/__admin/rapidly/webhooks/deliver-pending", { method: "POST", headers: { Authorization: "Bearer s3cret" } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ attempted: 0, succeeded: 0 });
    // never journaled under the provider
    expect((await ctx.req("/__admin/requests?path=/__admin/**", { headers: { Authorization: "Bearer s3cret" } })).status).toBe(200);
  });

  it("a deleted tenant's endpoints go with it", async () => {
    const ctx = await start();
    const made = await (await ctx.req("/__admin/rapidly/tenants", { method: "POST" })).json() as any;
    const full = made.credentials.find((c: any) => c.kind === "full");
    expect(full.scopes).toContain("webhooks:write");
    const ep = await endpoint(ctx, "https://example.com/t", ["customer.created"], full.headers);
    expect((await ctx.getJson(`${EP}/${ep.id}`, full.headers)).status).toBe(200);
    const del = await ctx.req(`/__admin/rapidly/tenants/${made.id}`, { method: "DELETE" });
    expect(del.status).toBe(204);
    expect((ctx.sim.runtime.model("rapidly") as any).doc.webhook_endpoints[ep.id]).toBeUndefined();
    expect((await ctx.getJson(`${EP}/${ep.id}`, full.headers)).status).toBe(401);
  });
});
