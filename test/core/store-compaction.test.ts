// --data compaction (core/store.ts): once the log passes its bound it is moved aside and a new
// snapshot is written in the background, its rows written out a slice of time per turn while
// requests go on. The snapshot is the state as of the batch that crossed the bound: what is
// changed meanwhile goes to the new log, a write that fails meanwhile is in neither, and a
// compaction that cannot be made loses nothing acknowledged.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import { open } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Store } from "../../src/core/store.js";
import { Table } from "../../src/core/table.js";
import { credential, fileHandleProto, json, newSim, storeOver } from "../helpers.js";

const tempFile = () => join(mkdtempSync(join(tmpdir(), "customer-sim-compaction-")), "state.json");
const BASE = "/rapidly/api/customers/";
const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));


interface Row { id: string; t: string; pad: string }

/** A store over one table of `n` rows, written as its first snapshot. */
async function storeWithRows(file: string, n: number, compactLogBytes: number) {
  const rows: Record<string, Row> = {};
  for (let i = 0; i < n; i++) rows[`r${i}`] = { id: `r${i}`, t: "a", pad: "x".repeat(60) };
  const { store, made: table } = await storeOver(file, { rows }, (d) => new Table<Row>(d.rows, { tenantOf: (r) => r.t }), { compactLogBytes });
  return { store, rows, table };
}

/** Changes rows until a compaction has moved the log aside; returns how many were changed. */
async function untilCompacting(file: string, store: Store, table: Table<Row>): Promise<number> {
  let i = 0;
  while (!existsSync(`${file}.log.old`)) {
    table.put({ id: `r${i}`, t: "a", pad: `changed ${i}` });
    await store.commit("p");
    if (++i > 5000) throw new Error("no compaction");
  }
  return i;
}

const reopened = async (file: string) => (await Store.open(file)).store.doc.providers.p as { rows: Record<string, Row> };

afterEach(() => {
  vi.restoreAllMocks();
});

describe("--data: snapshots and compactions", () => {
  it("a write that fails while a compaction writes out its rows is in neither its snapshot nor the log", async () => {
    const file = tempFile();
    const { store, rows, table } = await storeWithRows(file, 30_000, 20_000);
    const proto = await fileHandleProto();
    const real = proto.write;
    vi.spyOn(proto, "write").mockImplementation(async function (this: unknown, buf: Buffer | string, ...rest: unknown[]) {
      if (typeof buf === "string" && buf.startsWith('{"c":[') && buf.includes("DOOMED")) {
        await delay(300); // the compaction's rows are being written out meanwhile
        throw Object.assign(new Error("EIO: i/o error, write"), { code: "EIO" });
      }
      return real.call(this, buf, ...rest);
    });
    const changed = await untilCompacting(file, store, table);
    // While it writes out: a new row and a changed one, whose write fails.
    table.put({ id: "DOOMED", t: "a", pad: "DOOMED" });
    table.put({ id: "r29999", t: "a", pad: "DOOMED change" });
    await expect(store.commit("p")).rejects.toThrow(/EIO/);
    await store.flush();
    vi.restoreAllMocks();
    expect(Object.hasOwn(rows, "DOOMED")).toBe(false); // put back in memory
    expect(existsSync(`${file}.log.old`)).toBe(false); // the compaction is over
    // As after a SIGKILL: what is on disk.
    const p = await reopened(file);
    expect(Object.hasOwn(p.rows, "DOOMED")).toBe(false);
    expect(p.rows.r29999!.pad).toBe("x".repeat(60));
    expect(p.rows[`r${changed - 1}`]!.pad).toBe(`changed ${changed - 1}`);
  });

  it("a compaction that cannot be written loses no acknowledged write, and is not tried again on every batch", async () => {
    const file = tempFile();
    const { store } = await Store.open(file, { compactLogBytes: 2000 });
    store.markAll();
    await store.commit();
    // Every snapshot from now on fails (as on a full disk): the temp file's path is a directory.
    mkdirSync(join(file, "..", `.state.json.tmp`));
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const acknowledged: string[] = [];
    for (let i = 0; i < 60; i++) {
      store.touch("counters", `k${i}`);
      (store.doc.counters as Record<string, unknown>)[`k${i}`] = "y".repeat(i % 2 ? 300 : 10);
      await store.commit();
      acknowledged.push(`k${i}`);
    }
    await store.flush();
    expect(errors).toHaveBeenCalled();
    // a try per bound's worth of log (2,000 bytes), not per batch
    expect(errors.mock.calls.length).toBeLessThan(15);
    const after = (await Store.open(file)).store.doc.counters as Record<string, unknown>;
    expect(acknowledged.filter((k) => !Object.hasOwn(after, k))).toEqual([]);
  });

  it("a full snapshot asked for while a compaction writes out is written after it, not under it", async () => {
    const file = tempFile();
    const { store, table } = await storeWithRows(file, 30_000, 20_000);
    await untilCompacting(file, store, table);
    table.put({ id: "LATE", t: "a", pad: "acknowledged after the compaction's batch" });
    store.markAll();
    await store.commit("p");
    await store.flush();
    const p = await reopened(file);
    expect(p.rows.LATE?.pad).toBe("acknowledged after the compaction's batch");
    expect(existsSync(`${file}.log.old`)).toBe(false);
  });

  it("a full snapshot whose log cannot be cut is still the state after a restart (the log is replayed over it to the same state)", async () => {
    const file = tempFile();
    const { store, table } = await storeWithRows(file, 1, 1 << 20);
    table.put({ id: "r0", t: "a", pad: "one" });
    await store.commit("p"); // a log line: r0 = one
    const proto = (await fileHandleProto()) as unknown as { truncate: (len?: number) => Promise<void> };
    const real = proto.truncate;
    vi.spyOn(proto, "truncate").mockImplementation(async function (this: unknown, len?: number) {
      if (len === 0) throw Object.assign(new Error("EIO: i/o error, ftruncate"), { code: "EIO" });
      return real.call(this, len);
    });
    table.put({ id: "r0", t: "a", pad: "two" });
    store.markAll();
    await store.commit("p"); // acknowledged: a full snapshot, though the log could not be cut
    vi.restoreAllMocks();
    // As after a SIGKILL: the snapshot, then the log that was not cut.
    expect((await reopened(file)).rows.r0!.pad).toBe("two");
  });

  it("a full snapshot that cannot be written: its batch is in the log, acknowledged, there after a restart; not tried again by every batch", async () => {
    const file = tempFile();
    const { store, table } = await storeWithRows(file, 1, 1 << 20);
    mkdirSync(join(file, "..", ".state.json.tmp")); // every snapshot fails from now on
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    table.put({ id: "r0", t: "a", pad: "kept" });
    store.markAll();
    await store.commit("p");
    for (let i = 1; i <= 30; i++) {
      table.put({ id: `r${i}`, t: "a", pad: "later" });
      await store.commit("p");
    }
    expect(errors).toHaveBeenCalledTimes(1);
    const p = await reopened(file);
    expect([p.rows.r0!.pad, p.rows.r30!.pad]).toEqual(["kept", "later"]);
  });

  it("a clean stop after a compaction that failed: the file alone holds the state (the old log folded in)", async () => {
    const file = tempFile();
    const { store, table } = await storeWithRows(file, 2000, 20_000);
    vi.spyOn(console, "error").mockImplementation(() => {});
    mkdirSync(join(file, "..", ".state.json.tmp")); // the compaction's snapshot fails
    await untilCompacting(file, store, table);
    await store.flush();
    rmdirSync(join(file, "..", ".state.json.tmp")); // the disk is fine again
    await store.close();
    expect(existsSync(`${file}.log.old`)).toBe(false);
    expect((JSON.parse(readFileSync(file, "utf8")) as { providers: { p: { rows: Record<string, Row> } } }).providers.p.rows.r0!.pad).toBe("changed 0");
  });

  it("requests served while a compaction writes out (creates, PATCHes, DELETEs, a reset) are all in the state after a restart, and nothing else", { timeout: 60_000 }, async () => {
    const file = tempFile();
    const a = await newSim({ data: file });
    const headers = await credential(a, "rapidly");
    const fx = (await (await a.app.request("/__admin/fixtures")).json()) as any;
    await a.close();
    // 20,000 customers: writing a snapshot out takes many slices, with requests served between them.
    const doc = JSON.parse(readFileSync(file, "utf8")) as { providers: { rapidly: { customers: Record<string, Record<string, unknown>> } } };
    const customers = doc.providers.rapidly.customers;
    const sample = customers[fx.providers.rapidly.tenants[0].customerIds[0]]!;
    const bulk: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const id = `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
      customers[id] = { ...sample, id, email: `bulk${i}@example.com`, external_id: null };
      bulk.push(id);
    }
    writeFileSync(file, JSON.stringify(doc));

    // A small bound: a compaction starts as soon as the last one is over, all through the writes.
    const b = await newSim({ data: file, compactLogBytes: 4000 });
    const sent: Promise<Response>[] = [];
    for (let round = 0; round < 6; round++) {
      for (let i = 0; i < 25; i++) sent.push(Promise.resolve(b.app.request(BASE, json({ email: `during-${round}-${i}@example.com` }, headers))));
      for (let i = 0; i < 10; i++) sent.push(Promise.resolve(b.app.request(`${BASE}${bulk[round * 10 + i]}`, json({ name: `renamed ${round} ${i}` }, headers, "PATCH"))));
      for (let i = 0; i < 5; i++) sent.push(Promise.resolve(b.app.request(`${BASE}${bulk[1000 + round * 5 + i]}`, { method: "DELETE", headers })));
      // another provider reset in the middle of it all (its whole document is replaced)
      if (round === 2) sent.push(Promise.resolve(b.app.request("/__admin/reset", json({ provider: "plane" }, {}))));
      await delay(15);
    }
    const statuses = (await Promise.all(sent)).map((r) => r.status);
    expect(statuses.filter((s) => s >= 300)).toEqual([]);
    await b.runtime.store.flush();
    const raw = async (sim: typeof b, provider: string) => (await (await sim.app.request(`/__admin/${provider}/customers`)).json()) as unknown;
    const live = await raw(b, "rapidly");
    expect(JSON.stringify(live)).toContain("during-5-24@example.com");
    // As after a SIGKILL (no close): the snapshot, and whatever logs are there.
    const after = await newSim({ data: file });
    expect(await raw(after, "rapidly")).toEqual(live);
    expect(await raw(after, "plane")).toEqual(await raw(b, "plane"));
  });
});
