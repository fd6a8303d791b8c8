// Rapidly's customer webhooks (spec: rapidly-webhooks.md) through the HTTP app and a real
// listening receiver; every delivery is verified with the `standardwebhooks` package.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fixedClock, systemClock } from "../../src/core/clock.js";
import { BASE, start } from "./_helpers.js";
import { deliverPending, deliveries, endpoint, receiver, sleep, verify, WEBHOOKS } from "./_webhooks.js";

/** The clock stands still at the real time: standardwebhooks refuses timestamps 5 minutes off. */
async function setup(opts: { data?: string } = {}) {
  const clock = fixedClock(Date.now());
  const ctx = await start({ clock, ...opts });
  return { ctx, clock };
}

const UUID4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("customer events", () => {
  it("sends created, updated and deleted, each followed by state_changed, signed and in order", async () => {
    const { ctx, clock } = await setup();
    const rx = await receiver();
    const ep = await endpoint(ctx, `${rx.url}/hook`);
    const created = await ctx.send("POST", `${BASE}/`, { email: "wh@example.com", name: "Web Hook", external_id: "usr_wh_1" });
    expect(created.status).toBe(201);
    const customer = await created.json() as any;
    const patched = await ctx.send("PATCH", `${BASE}/${customer.id}`, {});
    expect(patched.status).toBe(200);
    const afterPatch = await patched.json() as any;
    expect((await ctx.req(`${BASE}/${customer.id}`, { method: "DELETE", headers: ctx.full })).status).toBe(204);

    const got = await rx.waitFor(6);
    await sleep(50);
    expect(got).toHaveLength(6);
    expect(got.map((d) => d.json.type)).toEqual([
      "customer.created", "customer.state_changed",
      "customer.updated", "customer.state_changed",
      "customer.deleted", "customer.state_changed",
    ]);
    for (const d of got) {
      expect(verify(ep.secret, d)).toEqual(d.json);
      expect(d.path).toBe("/hook");
      expect(d.headers["content-type"]).toBe("application/json");
      expect(d.headers["user-agent"]).toBe("rapidly.tech webhooks");
      expect(d.headers["webhook-id"]).toMatch(UUID4);
      expect(d.headers["webhook-timestamp"]).toBe(String(Math.floor(clock.nowMicros() / 1e6)));
      expect(d.headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
      // compact JSON: {"type","timestamp","data"} in that order
      expect(d.body).toBe(JSON.stringify({ type: d.json.type, timestamp: d.json.timestamp, data: d.json.data }));
      expect(d.json.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    }
    expect(new Set(got.map((d) => d.headers["webhook-id"])).size).toBe(6);
    // data: the customer exactly as the API returned it
    expect(got[0]!.json.data).toEqual(customer);
    expect(got[2]!.json.data).toEqual(afterPatch);
    expect(got[1]!.json.data).toEqual({ ...customer, active_subscriptions: [], granted_benefits: [], active_meters: [] });
    const deleted = got[4]!.json.data;
    expect(deleted.id).toBe(customer.id);
    expect(deleted.deleted_at).toMatch(/Z$/);
    expect(deleted.external_id).toBeNull();
    expect(deleted.metadata.__external_id).toBe("usr_wh_1");
    // the deliveries API lists all six, newest first, succeeded, with the payload sent
    const list = await deliveries(ctx);
    expect(list.pagination).toEqual({ total_count: 6, max_page: 1 });
    expect(list.items.map((i: any) => i.webhook_event.id)).toEqual(got.map((d) => d.headers["webhook-id"]).reverse());
    for (const item of list.items) {
      expect(item).toMatchObject({ succeeded: true, http_code: 200, response: "ok", webhook_event: { succeeded: true, skipped: false, last_http_code: 200, is_archived: false } });
    }
    expect(list.items[5].webhook_event.payload).toBe(got[0]!.body);
  });

  it("sends only the event types an endpoint subscribed to; PATCH by external id counts", async () => {
    const { ctx } = await setup();
    const rx = await receiver();
    const ep = await endpoint(ctx, rx.url, ["customer.updated"]);
    const created = await ctx.send("POST", `${BASE}/`, { email: "only@example.com", external_id: "usr_only" });
    expect(created.status).toBe(201);
    expect((await ctx.send("PATCH", `${BASE}/external/usr_only`, { name: "Only Updated" })).status).toBe(200);
    const [d] = await rx.waitFor(1);
    await sleep(50);
    expect(rx.received).toHaveLength(1);
    expect(verify(ep.secret, d!).type).toBe("customer.updated");
    expect(d!.json.data.name).toBe("Only Updated");
  });

  it("emits nothing for a failed request (4xx)", async () => {
    const { ctx } = await setup();
    const rx = await receiver();
    await endpoint(ctx, rx.url);
    const someone = (await ctx.getJson(`${BASE}/?limit=2`)).body.items;
    expect((await ctx.send("PATCH", `${BASE}/${someone[0].id}`, { email: someone[1].email })).status).toBe(422);
    expect((await ctx.send("POST", `${BASE}/`, { email: "not-an-email" })).status).toBe(422);
    expect((await ctx.send("POST", `${BASE}/`, { email: "ro@example.com" }, ctx.readOnly)).status).toBe(403);
    expect((await ctx.req(`${BASE}/${someone[0].id}`, { method: "DELETE", headers: ctx.other })).status).toBe(404);
    expect(await deliverPending(ctx)).toEqual({ attempted: 0, succeeded: 0 });
    await sleep(50);
    expect(rx.received).toHaveLength(0);
    expect((await deliveries(ctx)).items).toEqual([]);
  });

  it("keeps workspaces apart: an endpoint hears only its own workspace", async () => {
    const { ctx } = await setup();
    const mine = await receiver();
    const theirs = await receiver();
    await endpoint(ctx, mine.url, ["customer.created"]);
    const other = await endpoint(ctx, theirs.url, ["customer.created"], ctx.other);
    expect((await ctx.send("POST", `${BASE}/`, { email: "ws0@example.com" })).status).toBe(201);
    await mine.waitFor(1);
    await sleep(50);
    expect(theirs.received).toHaveLength(0);
    expect((await deliveries(ctx, "", ctx.other)).items).toEqual([]);
    expect((await ctx.send("POST", `${BASE}/`, { email: "ws1@example.com" }, ctx.other)).status).toBe(201);
    const [d] = await theirs.waitFor(1);
    expect(verify(other.secret, d!).data.email).toBe("ws1@example.com");
    expect(mine.received).toHaveLength(1);
  });

  it("never makes the API wait for a slow receiver", async () => {
    const { ctx } = await setup();
    const rx = await receiver();
    rx.answer = () => ({ status: 200, delayMs: 1500 });
    await endpoint(ctx, rx.url);
    const t0 = performance.now();
    const res = await ctx.send("POST", `${BASE}/`, { email: "slow@example.com" });
    const elapsed = performance.now() - t0;
    expect(res.status).toBe(201);
    expect(elapsed).toBeLessThan(500);
    // the delivery happens, later
    await rx.waitFor(1);
  });
});

describe("retries", () => {
  it("retries a 500 with the same webhook-id and body after the back-off; later events wait (FIFO)", async () => {
    const { ctx, clock } = await setup();
    const rx = await receiver();
    rx.answer = (n) => (n === 1 ? { status: 500, body: "boom" } : { status: 200, body: "fine" });
    const ep = await endpoint(ctx, rx.url);
    expect((await ctx.send("POST", `${BASE}/`, { email: "retry@example.com" })).status).toBe(201);
    const [first] = await rx.waitFor(1);
    await sleep(100);
    // the state_changed event waits behind the failed one
    expect(rx.received).toHaveLength(1);
    const failed = await deliveries(ctx);
    expect(failed.items).toHaveLength(1);
    expect(failed.items[0]).toMatchObject({ succeeded: false, http_code: 500, response: "boom", webhook_event: { succeeded: false, last_http_code: 500 } });
    // the retry is scheduled 2–4 s later on the simulator's clock
    const pending = Object.values((ctx.sim.runtime.model("rapidly") as any).webhooks.outbox.pending) as any[];
    expect(pending).toHaveLength(2);
    const head = pending.find((m) => m.attempts === 1);
    expect(head.dueAt - clock.nowMicros()).toBeGreaterThanOrEqual(2_000_000);
    expect(head.dueAt - clock.nowMicros()).toBeLessThanOrEqual(4_000_000);

    clock.advance(5000);
    const result = await deliverPending(ctx);
    expect(result).toEqual({ attempted: 2, succeeded: 2 });
    const got = await rx.waitFor(3);
    expect(got[1]!.headers["webhook-id"]).toBe(first!.headers["webhook-id"]);
    expect(got[1]!.body).toBe(first!.body);
    expect(Number(got[1]!.headers["webhook-timestamp"])).toBe(Number(first!.headers["webhook-timestamp"]) + 5);
    expect(verify(ep.secret, got[1]!).type).toBe("customer.created");
    expect(verify(ep.secret, got[2]!).type).toBe("customer.state_changed");
    const list = await deliveries(ctx, `?event_type=customer.created`);
    expect(list.items.map((i: any) => [i.succeeded, i.http_code])).toEqual([[true, 200], [false, 500]]);
    expect(list.items[0].webhook_event).toMatchObject({ succeeded: true, last_http_code: 200 });
  });

  it("retries by itself on the real clock: the second attempt comes 2–4 s after the first, with no deliver-pending", { timeout: 15_000 }, async () => {
    const ctx = await start({ clock: systemClock });
    const rx = await receiver();
    const at: number[] = [];
    rx.answer = (n) => (at.push(Date.now()), n === 1 ? { status: 503, body: "later" } : { status: 200, body: "fine" });
    const ep = await endpoint(ctx, rx.url, ["customer.created"]);
    expect((await ctx.send("POST", `${BASE}/`, { email: "clock-retry@example.com" })).status).toBe(201);
    const got = await rx.waitFor(2, 8000);
    // the first retry waits a random 2–4 s (spec: rapidly-webhooks.md), timed by an unref'd timer
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(1990);
    expect(at[1]! - at[0]!).toBeLessThan(5000);
    expect(got[1]!.headers["webhook-id"]).toBe(got[0]!.headers["webhook-id"]);
    expect(verify(ep.secret, got[1]!).type).toBe("customer.created");
    // (recorded once the receiver's answer is read: a moment after the receiver saw it)
    let list = await deliveries(ctx);
    for (let i = 0; i < 100 && list.items.length < 2; i++) list = (await sleep(20), await deliveries(ctx));
    expect(list.items.map((i: any) => [i.succeeded, i.http_code])).toEqual([[true, 200], [false, 503]]);
  });

  it("records an unreachable receiver (http_code null, the error as response) and a redirect as failures", async () => {
    const { ctx } = await setup();
    const gone = await receiver();
    const url = gone.url;
    await gone.close();
    await endpoint(ctx, url, ["customer.created"]);
    const rx = await receiver();
    rx.answer = (_n, req) => (req.path === "/moved" ? { status: 302, headers: { Location: `${rx.url}/target` } } : { status: 200 });
    await endpoint(ctx, `${rx.url}/moved`, ["customer.created"]);
    expect((await ctx.send("POST", `${BASE}/`, { email: "unreachable@example.com" })).status).toBe(201);
    await rx.waitFor(1);
    let items: any[] = [];
    for (let i = 0; i < 100 && items.length < 2; i++) {
      await sleep(20);
      items = (await deliveries(ctx)).items;
    }
    const refused = items.find((i) => i.http_code === null);
    expect(refused).toMatchObject({ succeeded: false, http_code: null, webhook_event: { last_http_code: null, succeeded: false } });
    expect(refused.response).toMatch(/ECONNREFUSED/);
    const redirected = items.find((i) => i.http_code === 302);
    expect(redirected).toMatchObject({ succeeded: false });
    await sleep(50);
    expect(rx.received.map((d) => d.path)).toEqual(["/moved"]); // never followed
  });

  it("gives up on an attempt after 10 seconds", async () => {
    const { ctx } = await setup();
    const rx = await receiver();
    rx.answer = () => ({ status: 200, delayMs: 12_000 });
    await endpoint(ctx, rx.url, ["customer.created"]);
    expect((await ctx.send("POST", `${BASE}/`, { email: "timeout@example.com" })).status).toBe(201);
    const t0 = Date.now();
    let items: any[] = [];
    while (items.length === 0 && Date.now() - t0 < 15_000) {
      await sleep(100);
      items = (await deliveries(ctx)).items;
    }
    const took = Date.now() - t0;
    expect(took).toBeGreaterThanOrEqual(9_500);
    expect(took).toBeLessThan(12_000);
    expect(items[0]).toMatchObject({ succeeded: false, http_code: null });
    expect(items[0].response).toMatch(/time/i);
  }, 20_000);

  it("disables an endpoint after its last 10 events failed, each after 10 attempts; later events are skipped", async () => {
    const { ctx } = await setup();
    const rx = await receiver();
    rx.answer = () => ({ status: 500, body: "down" });
    const ep = await endpoint(ctx, rx.url, ["customer.updated"]);
    const someone = (await ctx.getJson(`${BASE}/?limit=1`)).body.items[0];
    for (let i = 0; i < 10; i++) expect((await ctx.send("PATCH", `${BASE}/${someone.id}`, { name: `Attempt ${i}` })).status).toBe(200);
    // deliver-pending makes every pending attempt now: no need to wait for the back-off
    for (let round = 0; round < 200; round++) {
      const r = await deliverPending(ctx);
      if (r.attempted === 0) break;
      expect(r.succeeded).toBe(0);
    }
    // 10 events × 10 attempts, one event at a time
    expect(rx.received).toHaveLength(100);
    const ids = rx.received.map((d) => d.headers["webhook-id"]);
    for (let e = 0; e < 10; e++) expect(new Set(ids.slice(e * 10, e * 10 + 10)).size).toBe(1);
    expect(new Set(ids).size).toBe(10);
    for (const d of rx.received) verify(ep.secret, d);
    expect(rx.received.map((d) => d.json.data.name)).toEqual(Array.from({ length: 100 }, (_, i) => `Attempt ${Math.floor(i / 10)}`));

    const after = await ctx.getJson(`${WEBHOOKS}/endpoints/${ep.id}`);
    expect(after.body.enabled).toBe(false);
    // a later event is recorded as skipped, never sent
    expect((await ctx.send("PATCH", `${BASE}/${someone.id}`, { name: "Skipped" })).status).toBe(200);
    expect(await deliverPending(ctx)).toEqual({ attempted: 0, succeeded: 0 });
    await sleep(50);
    expect(rx.received).toHaveLength(100);
    const events = Object.values((ctx.sim.runtime.model("rapidly") as any).doc.webhook_events) as any[];
    const skipped = events.filter((e) => e.skipped);
    expect(skipped).toHaveLength(1);
    expect(JSON.parse(skipped[0].payload).data.name).toBe("Skipped");
    expect((await deliveries(ctx, "?limit=100")).pagination.total_count).toBe(100);
    // enabled again, it sends again
    rx.answer = () => ({ status: 204 });
    expect((await ctx.send("PATCH", `${WEBHOOKS}/endpoints/${ep.id}`, { enabled: true })).status).toBe(200);
    expect((await ctx.send("PATCH", `${BASE}/${someone.id}`, { name: "Back" })).status).toBe(200);
    const got = await rx.waitFor(101);
    expect(verify(ep.secret, got[100]!).data.name).toBe("Back");
  }, 30_000);
});

describe("redelivery", () => {
  it("sends the same event again (202): same webhook-id and body, a fresh signature", async () => {
    const { ctx, clock } = await setup();
    const rx = await receiver();
    const ep = await endpoint(ctx, rx.url, ["customer.created"]);
    expect((await ctx.send("POST", `${BASE}/`, { email: "again@example.com" })).status).toBe(201);
    const [first] = await rx.waitFor(1);
    const eventId = first!.headers["webhook-id"];
    // another workspace cannot see it; a read-only token may not
    expect((await ctx.send("POST", `${WEBHOOKS}/events/${eventId}/redeliver`, "", ctx.other)).status).toBe(404);
    expect((await ctx.send("POST", `${WEBHOOKS}/events/${eventId}/redeliver`, "", ctx.readOnly)).status).toBe(403);
    clock.advance(60_000);
    const res = await ctx.req(`${WEBHOOKS}/events/${eventId}/redeliver`, { method: "POST", headers: ctx.full });
    expect(res.status).toBe(202);
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    const got = await rx.waitFor(2);
    expect(got[1]!.headers["webhook-id"]).toBe(eventId);
    expect(got[1]!.body).toBe(first!.body);
    expect(got[1]!.headers["webhook-timestamp"]).toBe(String(Number(first!.headers["webhook-timestamp"]) + 60));
    verify(ep.secret, got[1]!);
    await sleep(50);
    const list = await deliveries(ctx);
    expect(list.items).toHaveLength(2);
    expect(list.items.every((i: any) => i.webhook_event.id === eventId)).toBe(true);
    expect((await ctx.send("POST", `${WEBHOOKS}/events/${"0".repeat(8)}-0000-4000-8000-${"0".repeat(12)}/redeliver`, "")).status).toBe(404);
  });

  it("signs with the current secret after a rotation", async () => {
    const { ctx } = await setup();
    const rx = await receiver();
    const ep = await endpoint(ctx, rx.url, ["customer.created"]);
    const rotated = await (await ctx.send("PATCH", `${WEBHOOKS}/endpoints/${ep.id}/secret`, "")).json() as any;
    expect(rotated.secret).not.toBe(ep.secret);
    expect((await ctx.send("POST", `${BASE}/`, { email: "rotated@example.com" })).status).toBe(201);
    const [d] = await rx.waitFor(1);
    expect(() => verify(ep.secret, d!)).toThrow();
    expect(verify(rotated.secret, d!).type).toBe("customer.created");
  });
});

describe("state", () => {
  it("reset clears endpoints, events and pending retries; the old queue sends nothing more", async () => {
    const { ctx } = await setup();
    const rx = await receiver();
    rx.answer = () => ({ status: 500 });
    await endpoint(ctx, rx.url, ["customer.created"]);
    expect((await ctx.send("POST", `${BASE}/`, { email: "reset@example.com" })).status).toBe(201);
    await rx.waitFor(1);
    await sleep(50);
    expect((await ctx.req("/__admin/reset", { method: "POST" })).status).toBe(200);
    expect((await ctx.getJson(`${WEBHOOKS}/endpoints`)).body).toEqual({ items: [], pagination: { total_count: 0, max_page: 0 } });
    expect((await deliveries(ctx)).items).toEqual([]);
    expect(await deliverPending(ctx)).toEqual({ attempted: 0, succeeded: 0 });
    expect(rx.received).toHaveLength(1);
  });

  it("--data keeps endpoints and deliveries, and a pending retry resumes after a restart", async () => {
    const dir = await mkdtemp(join(tmpdir(), "customer-sim-webhooks-"));
    try {
      const data = join(dir, "state.json");
      const clock = fixedClock(Date.now());
      const rx = await receiver();
      rx.answer = (n) => (n === 1 ? { status: 503, body: "later" } : { status: 200 });
      const first = await start({ clock, data });
      const ep = await endpoint(first, rx.url, ["customer.created"]);
      expect((await first.send("POST", `${BASE}/`, { email: "persist@example.com" })).status).toBe(201);
      const [failed] = await rx.waitFor(1);
      for (let i = 0; i < 50 && (await deliveries(first)).items.length === 0; i++) await sleep(20);
      await first.sim.close();

      const second = await start({ clock, data });
      expect((await second.getJson(`${WEBHOOKS}/endpoints/${ep.id}`)).body).toEqual(ep);
      expect((await deliveries(second)).items).toMatchObject([{ succeeded: false, http_code: 503, response: "later" }]);
      expect(await deliverPending(second)).toEqual({ attempted: 1, succeeded: 1 });
      const got = await rx.waitFor(2);
      expect(got[1]!.headers["webhook-id"]).toBe(failed!.headers["webhook-id"]);
      expect(got[1]!.body).toBe(failed!.body);
      verify(ep.secret, got[1]!);
      expect((await deliveries(second)).items.map((i: any) => i.http_code)).toEqual([200, 503]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
