// --data group commit: the writes made while a batch is on its way to the disk (one durable
// write: the log is opened O_DSYNC) join the next batch, one line; callers hear back in log
// order; a failed write fails its batch and every change made since (memory put back, the log
// cut back), and a restart has exactly what was acknowledged.
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { setImmediate as nodeSetImmediate } from "node:timers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { credential, fileHandleProto, json, newSim } from "../helpers.js";

const tempFile = () => join(mkdtempSync(join(tmpdir(), "customer-sim-pipeline-")), "state.json");
const BASE = "/rapidly/api/customers/";



/** A write of log lines (not of the zeros the log is made longer with). */
const isLines = (data: Buffer | string) => (typeof data === "string" ? data : data.toString("latin1", 0, 1)).startsWith("{");

/** The log's lines: its text up to the zeros written ahead of them. */
function logText(file: string): string {
  const text = readFileSync(`${file}.log`, "utf8");
  const zero = text.indexOf("\0");
  return zero === -1 ? text : text.slice(0, zero);
}

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Real time, also under fake timers (which freeze the global `performance`). */
const realNow = () => performance.now();

afterEach(() => {
  vi.restoreAllMocks();
});

describe("--data: group commit", () => {
  it("acknowledges in log order, and a restart has every acknowledged write", async () => {
    const file = tempFile();
    const sim = await newSim({ data: file });
    const headers = await credential(sim, "rapidly");
    const proto = await fileHandleProto();
    const real = proto.write;
    let calls = 0;
    const events: string[] = [];
    // The first batch's write is slow: what arrives meanwhile waits for it, as one batch.
    vi.spyOn(proto, "write").mockImplementation(async function (this: unknown, buf: Buffer | string, ...rest: unknown[]) {
      if (!isLines(buf)) return real.call(this, buf, ...rest);
      const n = ++calls;
      events.push(`write ${n}`);
      if (n === 1) await delay(80);
      const out = await real.call(this, buf, ...rest);
      events.push(`written ${n}`);
      return out;
    });
    const order: string[] = [];
    const first = Promise.resolve(sim.app.request(BASE, json({ email: "first@example.com" }, headers))).then((r) => (order.push("first"), r));
    await delay(20); // the first batch is on its way to the disk
    const seconds = ["a", "b", "c", "d"].map((k) =>
      Promise.resolve(sim.app.request(BASE, json({ email: `second-${k}@example.com` }, headers))).then((r) => (order.push("second"), r)),
    );
    const [a, ...b] = await Promise.all([first, ...seconds]);
    expect([a.status, ...b.map((r) => r.status)]).toEqual([201, 201, 201, 201, 201]);
    expect(order).toEqual(["first", "second", "second", "second", "second"]);
    // the four made meanwhile written together, after the first
    expect(events.slice(0, 4)).toEqual(["write 1", "written 1", "write 2", "written 2"]);
    const lines = logText(file).trim().split("\n");
    expect(lines).toHaveLength(2);
    for (const k of ["a", "b", "c", "d"]) expect(lines[1]).toContain(`second-${k}@example.com`);
    vi.restoreAllMocks();

    // Many writes at once, the same customer renamed by each: a restart has the last one.
    const id = ((await a.json()) as { id: string }).id;
    const renames = await Promise.all(Array.from({ length: 40 }, (_, i) => sim.app.request(`${BASE}${id}`, json({ name: `name ${i}` }, headers, "PATCH"))));
    expect(renames.map((r) => r.status)).toEqual(Array(40).fill(200));
    const creates = await Promise.all(Array.from({ length: 60 }, (_, i) => sim.app.request(BASE, json({ email: `many${i}@example.com` }, headers))));
    expect(creates.every((r) => r.status === 201)).toBe(true);
    const shown = await (await sim.app.request(`${BASE}${id}`, { headers })).json();
    expect(shown).toMatchObject({ name: "name 39" });

    const after = await newSim({ data: file }); // no close: as after a SIGKILL
    expect(await (await after.app.request(`${BASE}${id}`, { headers })).json()).toEqual(shown);
    for (const r of creates) {
      const created = (await r.json()) as { id: string };
      expect((await after.app.request(`${BASE}${created.id}`, { headers })).status).toBe(200);
    }
    expect(((await (await after.app.request(`${BASE}?limit=1`, { headers })).json()) as { pagination: { total_count: number } }).pagination.total_count).toBe(
      ((await (await sim.app.request(`${BASE}?limit=1`, { headers })).json()) as { pagination: { total_count: number } }).pagination.total_count,
    );
  });

  it("takes a batch at the end of a turn: writes committed in one turn are one line, even when the first finds nothing in flight", async () => {
    const file = tempFile();
    const sim = await newSim({ data: file });
    const headers = await credential(sim, "rapidly");
    const lines = () => (existsSync(`${file}.log`) ? logText(file).split("\n").filter(Boolean) : []);
    const before = lines().length;
    // Sent together: each request reaches its commit within the same turn of the event loop.
    const creates = await Promise.all(["p", "q", "r", "s", "t"].map((k) => sim.app.request(BASE, json({ email: `turn-${k}@example.com` }, headers))));
    expect(creates.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    const written = lines();
    expect(written).toHaveLength(before + 1);
    for (const k of ["p", "q", "r", "s", "t"]) expect(written[written.length - 1]).toContain(`turn-${k}@example.com`);
    // A lone write still gets its own line, and its answer, at once.
    const alone = await sim.app.request(BASE, json({ email: "alone@example.com" }, headers));
    expect(alone.status).toBe(201);
    expect(lines()).toHaveLength(before + 2);
    expect(lines()[before + 1]).toContain("alone@example.com");
  });

  it("writes under a test's fake timers too (the end of a turn is node's own setImmediate, not the global one)", { timeout: 10_000 }, async () => {
    const file = tempFile();
    const sim = await newSim({ data: file });
    const headers = await credential(sim, "rapidly");
    vi.useFakeTimers();
    try {
      const res = await sim.app.request(BASE, json({ email: "fake-timers@example.com" }, headers));
      expect(res.status).toBe(201);
      expect(logText(file)).toContain("fake-timers@example.com");
    } finally {
      vi.useRealTimers();
    }
  });

  it("under fake timers a busy server's batch still waits at most BATCH_WAIT_MS for more (node's own clock, not the frozen global performance.now)", { timeout: 10_000 }, async () => {
    const file = tempFile();
    const sim = await newSim({ data: file });
    const headers = await credential(sim, "rapidly");
    // A busy server: the last batch held more than one commit, so the next one waits for more.
    const together = await Promise.all(["a", "b", "c"].map((k) => sim.app.request(BASE, json({ email: `busy-${k}@example.com` }, headers))));
    expect(together.map((r) => r.status)).toEqual([201, 201, 201]);
    vi.useFakeTimers();
    try {
      // Requests keep arriving, one every turn, for 300 ms: the first is answered well before they stop.
      const start = realNow();
      let firstAt = 0;
      const sent: Promise<Response>[] = [];
      for (let i = 0; realNow() - start < 300; i++) {
        const res = Promise.resolve(sim.app.request(BASE, json({ email: `stream-${i}@example.com` }, headers)));
        if (i === 0) void res.then(() => (firstAt = realNow()));
        sent.push(res);
        await new Promise((r) => nodeSetImmediate(r));
      }
      const endedAt = realNow();
      expect((await Promise.all(sent)).every((r) => r.status === 201)).toBe(true);
      expect(firstAt).toBeGreaterThan(0);
      expect(firstAt).toBeLessThan(endedAt);
    } finally {
      vi.useRealTimers();
    }
  });

  it("a failed write fails its batch and every change made since: 500s, memory and log as before", async () => {
    const file = tempFile();
    const sim = await newSim({ data: file });
    const headers = await credential(sim, "rapidly");
    const ok = await sim.app.request(BASE, json({ email: "kept@example.com" }, headers));
    expect(ok.status).toBe(201);
    const kept = (await ok.json()) as { id: string };
    const before = await (await sim.app.request(`${BASE}?limit=100`, { headers })).text();
    const logBefore = logText(file);

    const proto = await fileHandleProto();
    const real = proto.write;
    let calls = 0;
    // The first batch's write fails (EIO), late: the changes made meanwhile (over it) fail too.
    vi.spyOn(proto, "write").mockImplementation(async function (this: unknown, buf: Buffer | string, ...rest: unknown[]) {
      if (!isLines(buf)) return real.call(this, buf, ...rest);
      const n = ++calls;
      if (n === 1) {
        await delay(80);
        throw Object.assign(new Error("EIO: i/o error, write"), { code: "EIO" });
      }
      return real.call(this, buf, ...rest);
    });
    const first = sim.app.request(BASE, json({ email: "one@example.com" }, headers));
    await delay(20);
    const second = [
      sim.app.request(`${BASE}${kept.id}`, json({ name: "Renamed", email: "two@example.com" }, headers, "PATCH")),
      ...["x", "y", "z"].map((k) => sim.app.request(BASE, json({ email: `three-${k}@example.com` }, headers))),
    ];
    const statuses = (await Promise.all([first, ...second])).map((r) => r.status);
    expect(statuses).toEqual([500, 500, 500, 500, 500]);
    // Only the first batch was written; the log is cut back to its last acknowledged byte (no
    // zeros written ahead either).
    expect(calls).toBe(1);
    vi.restoreAllMocks();

    // Nothing of either is visible, the emails are free, the log holds only what was acknowledged.
    expect(await (await sim.app.request(`${BASE}?limit=100`, { headers })).text()).toBe(before);
    expect(readFileSync(`${file}.log`, "utf8")).toBe(logBefore);
    expect(logBefore).toMatch(/^\{"c":.*\n$/s);
    const again = await sim.app.request(BASE, json({ email: "one@example.com" }, headers));
    expect(again.status).toBe(201);
    const moved = await sim.app.request(`${BASE}${kept.id}`, json({ email: "two@example.com" }, headers, "PATCH"));
    expect(moved.status).toBe(200);

    const after = await newSim({ data: file });
    expect(await (await after.app.request(`${BASE}${kept.id}`, { headers })).json()).toMatchObject({ email: "two@example.com" });
    expect((await after.app.request(`${BASE}${((await again.json()) as { id: string }).id}`, { headers })).status).toBe(200);
  });

  it("a failed write undone with a tenant made over it: the reopened model sees the earlier batch's rows undone too", async () => {
    const file = tempFile();
    const sim = await newSim({ data: file });
    const headers = await credential(sim, "rapidly");
    const before = await (await sim.app.request(`${BASE}?limit=100`, { headers })).text();
    const proto = await fileHandleProto();
    const real = proto.write;
    let calls = 0;
    vi.spyOn(proto, "write").mockImplementation(async function (this: unknown, buf: Buffer | string, ...rest: unknown[]) {
      if (!isLines(buf)) return real.call(this, buf, ...rest);
      if (++calls === 1) {
        await delay(80);
        throw Object.assign(new Error("EIO: i/o error, write"), { code: "EIO" });
      }
      return real.call(this, buf, ...rest);
    });
    const first = sim.app.request(BASE, json({ email: "one@example.com" }, headers));
    await delay(20);
    // (a tenant changes entries outside the tables: undoing it reopens the provider's model)
    const tenant = sim.app.request("/__admin/rapidly/tenants", { method: "POST" });
    expect((await first).status).toBe(500);
    expect((await tenant).status).toBeGreaterThanOrEqual(500);
    vi.restoreAllMocks();
    // The customer is gone from the reopened model's lists and unique index as from the state.
    expect(await (await sim.app.request(`${BASE}?limit=100`, { headers })).text()).toBe(before);
    expect((await sim.app.request(BASE, json({ email: "one@example.com" }, headers))).status).toBe(201);
  });

  it("loads a snapshot holding non-ASCII text (UTF-8) as well as an ASCII one", async () => {
    const file = tempFile();
    const a = await newSim({ data: file });
    const headers = await credential(a, "rapidly");
    const res = await a.app.request(BASE, json({ email: "zoë@example.com", name: "Zoë Ünal 😀" }, headers));
    expect(res.status).toBe(201);
    const made = (await res.json()) as { id: string };
    await a.close(); // folds the log into the snapshot
    expect(readFileSync(file, "utf8")).toContain("Zoë Ünal 😀");
    const b = await newSim({ data: file });
    expect(await (await b.app.request(`${BASE}${made.id}`, { headers })).json()).toMatchObject({ name: "Zoë Ünal 😀", email: "zoë@example.com" });
  });
});
