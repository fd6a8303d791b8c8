import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { credential, json, newSim } from "../helpers.js";

const tempFile = () => join(mkdtempSync(join(tmpdir(), "customer-sim-log-")), "state.json");
const BASE = "/rapidly/api/customers/";

/** The log's lines: its text up to the zeros written ahead of them. */
function logText(file: string): string {
  const text = readFileSync(`${file}.log`, "utf8");
  const zero = text.indexOf("\0");
  return zero === -1 ? text : text.slice(0, zero);
}

/** Writes `text` into the log at byte `at` (over the zeros written ahead), as a crash may leave it. */
function writeLogAt(file: string, at: number, text: string): void {
  const fd = openSync(`${file}.log`, "r+");
  try {
    writeSync(fd, text, at);
  } finally {
    closeSync(fd);
  }
}

async function create(sim: Awaited<ReturnType<typeof newSim>>, headers: Record<string, string>, email: string) {
  const res = await sim.app.request(BASE, json({ email, name: email }, headers));
  return { status: res.status, body: (await res.json()) as { id: string; name: string } };
}

describe("--data: snapshot + change log", () => {
  it("a write appends its rows to the log (not the whole document) and a restart replays it", async () => {
    const file = tempFile();
    const a = await newSim({ data: file });
    const headers = await credential(a, "rapidly");
    const snapshot = readFileSync(file, "utf8");
    const { body } = await create(a, headers, "logged@example.com");
    const patched = await a.app.request(`${BASE}${body.id}`, json({ name: "Renamed" }, headers, "PATCH"));
    expect(patched.status).toBe(200);
    // The snapshot is untouched; the log holds two small lines.
    expect(readFileSync(file, "utf8")).toBe(snapshot);
    const log = logText(file);
    expect(log.trim().split("\n")).toHaveLength(2);
    expect(log.length).toBeLessThan(4000);
    // Restart without a clean shutdown: the log is replayed.
    const b = await newSim({ data: file });
    const read = await b.app.request(`${BASE}${body.id}`, { headers });
    expect(await read.json()).toMatchObject({ email: "logged@example.com", name: "Renamed" });
  });

  it("a torn last line is ignored (and cut off), never fatal", async () => {
    const file = tempFile();
    const a = await newSim({ data: file });
    const headers = await credential(a, "rapidly");
    const { body } = await create(a, headers, "whole@example.com");
    // A crash in the middle of the next batch's write: part of its line, then the zeros.
    const whole = Buffer.byteLength(logText(file));
    writeLogAt(file, whole, '{"c":[[["providers","rapidly","customers","x"],{"id":"x","work');
    const b = await newSim({ data: file });
    expect((await b.app.request(`${BASE}${body.id}`, { headers })).status).toBe(200);
    expect(statSync(`${file}.log`).size).toBe(whole);
    // Later writes follow a whole line: a third start reads them all.
    const second = await create(b, headers, "after@example.com");
    expect(second.status).toBe(201);
    const c = await newSim({ data: file });
    expect((await c.app.request(`${BASE}${second.body.id}`, { headers })).status).toBe(200);
  });

  it("the log is made longer ahead with zeros, written in place, and read up to its first zero byte", async () => {
    const file = tempFile();
    const a = await newSim({ data: file });
    const headers = await credential(a, "rapidly");
    const first = await create(a, headers, "first@example.com");
    const lines = logText(file);
    // Room for the next batches: they change no file size (no file system journal commit to sync).
    expect(statSync(`${file}.log`).size).toBeGreaterThan(Buffer.byteLength(lines) + 64 * 1024);
    // A crash while two batches were on their way: the later one reached the disk, the earlier
    // one did not (zeros between). Neither was acknowledged; neither is replayed.
    const later = lines.replace("first@example.com", "ghost@example.com");
    writeLogAt(file, Buffer.byteLength(lines) + 100, later);
    const b = await newSim({ data: file });
    expect((await b.app.request(`${BASE}${first.body.id}`, { headers })).status).toBe(200);
    expect(JSON.stringify(await (await b.app.request(`${BASE}?limit=100`, { headers })).json())).not.toContain("ghost@example.com");
    expect(statSync(`${file}.log`).size).toBe(Buffer.byteLength(lines));
    // Later writes over that place never bring it back.
    const second = await create(b, headers, "second@example.com");
    expect(second.status).toBe(201);
    const c = await newSim({ data: file });
    expect((await c.app.request(`${BASE}${second.body.id}`, { headers })).status).toBe(200);
    expect(JSON.stringify(await (await c.app.request(`${BASE}?limit=100`, { headers })).json())).not.toContain("ghost@example.com");
  });

  it("a damaged line in the middle of the log refuses to start, naming the file", async () => {
    const file = tempFile();
    const a = await newSim({ data: file });
    const headers = await credential(a, "rapidly");
    await create(a, headers, "one@example.com");
    const log = readFileSync(`${file}.log`, "utf8");
    writeFileSync(`${file}.log`, `garbage\n${log}`);
    await expect(newSim({ data: file })).rejects.toThrow(/state\.json\.log is damaged/);
  });

  it("reset and new tenants are replayed too; a clean shutdown folds the log into the snapshot", async () => {
    const file = tempFile();
    const a = await newSim({ data: file });
    const headers = await credential(a, "rapidly");
    await create(a, headers, "gone@example.com");
    await a.app.request("/__admin/reset", json({ seed: 3 }));
    const tenant = (await (await a.app.request("/__admin/rapidly/tenants", { method: "POST" })).json()) as { credentials: { headers: Record<string, string> }[] };
    const b = await newSim({ data: file });
    const f = (await (await b.app.request("/__admin/fixtures")).json()) as { seed: number; providers: { rapidly: { tenants: unknown[] } } };
    expect(f.seed).toBe(3);
    expect(JSON.stringify(f)).not.toContain("gone@example.com");
    // The tenant made before the restart still authenticates.
    const list = await b.app.request(BASE, { headers: tenant.credentials[0]!.headers });
    expect(list.status).toBe(200);
    await b.close();
    expect(existsSync(`${file}.log`) ? readFileSync(`${file}.log`, "utf8") : "").toBe("");
    expect(JSON.parse(readFileSync(file, "utf8")).seed).toBe(3);
  });

  it("after a clean shutdown the file alone holds every write, for a large state too (it can be copied without its log)", async () => {
    const file = tempFile();
    const a = await newSim({ data: file });
    const headers = await credential(a, "rapidly");
    const fx = (await (await a.app.request("/__admin/fixtures")).json()) as { providers: { rapidly: { tenants: { customerIds: string[] }[] } } };
    await a.close();
    // A snapshot past 8 MiB: ~13,000 more customers, made as JSON (as a team's data file holds them).
    const doc = JSON.parse(readFileSync(file, "utf8")) as { providers: { rapidly: { customers: Record<string, Record<string, unknown>> } } };
    const customers = doc.providers.rapidly.customers;
    const sample = customers[fx.providers.rapidly.tenants[0]!.customerIds[0]!]!;
    const count = Math.ceil((9 * 1024 * 1024) / Buffer.byteLength(JSON.stringify(sample)));
    for (let i = 0; i < count; i++) {
      const id = `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
      customers[id] = { ...sample, id, email: `bulk${i}@example.com`, external_id: null };
    }
    writeFileSync(file, JSON.stringify(doc));
    expect(statSync(file).size).toBeGreaterThan(8 * 1024 * 1024);

    const b = await newSim({ data: file });
    const { status, body } = await create(b, headers, "after-bulk@example.com");
    expect(status).toBe(201);
    await b.close();
    expect(logText(file)).toBe("");
    // The file copied alone, as a fixture file is committed or handed to another run.
    const copy = tempFile();
    writeFileSync(copy, readFileSync(file));
    const c = await newSim({ data: copy });
    expect(await (await c.app.request(`${BASE}${body.id}`, { headers })).json()).toMatchObject({ email: "after-bulk@example.com" });
    expect((await c.app.request(`${BASE}00000000-0000-4000-8000-000000000007`, { headers })).status).toBe(200);
    await c.close();
    rmSync(dirname(file), { recursive: true, force: true });
    rmSync(dirname(copy), { recursive: true, force: true });
  });

  it("compaction (log past its bound) keeps every write, across restarts", async () => {
    const file = tempFile();
    const a = await newSim({ data: file, compactLogBytes: 3000 });
    const headers = await credential(a, "rapidly");
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) ids.push((await create(a, headers, `c${i}@example.com`)).body.id);
    await a.runtime.store.flush();
    // bounded: compacted at least once (right after a compaction there may be no log yet)
    const logBytes = existsSync(`${file}.log`) ? logText(file).length : 0;
    expect(logBytes).toBeLessThan(6000);
    const b = await newSim({ data: file });
    for (const id of ids) expect((await b.app.request(`${BASE}${id}`, { headers })).status).toBe(200);
  });

  it("a write the disk refuses (ENOSPC) answers the provider's 500 and leaves memory as before", async () => {
    const file = tempFile();
    const sim = await newSim({ data: file });
    const headers = await credential(sim, "rapidly");
    // Before the first append (start-up wrote a snapshot), the log becomes /dev/full: every
    // write to it fails with ENOSPC.
    symlinkSync("/dev/full", `${file}.log`);
    const keptId = ((await (await sim.app.request("/__admin/fixtures")).json()) as any).providers.rapidly.tenants[0].customerIds[0] as string;
    const kept = { body: (await (await sim.app.request(`${BASE}${keptId}`, { headers })).json()) as { id: string; name: string; email: string } };
    const before = await (await sim.app.request(`${BASE}?limit=100`, { headers })).text();

    const refused = await sim.app.request(BASE, json({ email: "full@example.com" }, headers));
    expect(refused.status).toBe(500);
    expect(refused.headers.get("content-type")).toContain("application/json");
    const patch = await sim.app.request(`${BASE}${kept.body.id}`, json({ name: "Lost", email: "moved@example.com" }, headers, "PATCH"));
    expect(patch.status).toBe(500);
    const del = await sim.app.request(`${BASE}${kept.body.id}`, { method: "DELETE", headers });
    expect(del.status).toBe(500);
    // Nothing of the three is visible: same list, same customer, email still free.
    expect(await (await sim.app.request(`${BASE}?limit=100`, { headers })).text()).toBe(before);
    expect(await (await sim.app.request(`${BASE}${kept.body.id}`, { headers })).json()).toEqual(kept.body);

    // The disk comes back: the same email can be taken, and a restart has exactly what was acknowledged.
    rmSync(`${file}.log`);
    const again = await create(sim, headers, "full@example.com");
    expect(again.status).toBe(201);
    const moved = await sim.app.request(`${BASE}${kept.body.id}`, json({ email: "moved@example.com" }, headers, "PATCH"));
    expect(moved.status).toBe(200);
    const b = await newSim({ data: file });
    expect(await (await b.app.request(`${BASE}${kept.body.id}`, { headers })).json()).toMatchObject({ name: kept.body.name, email: "moved@example.com" });
    expect((await b.app.request(`${BASE}${again.body.id}`, { headers })).status).toBe(200);
  });
});
