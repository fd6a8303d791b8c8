// A commit may name the entries outside its provider's tables that it changed (Store.commit's
// `entries`; a provider's writtenByRoutes): only those are compared and written, so a write no
// longer re-serializes every tenant and credential a control plane added (#13). The test suite
// checks that such a commit changed no other entry; a commit naming none compares them all. An
// object entry (tokens by token, users by id) that changed is written row by row.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Store } from "../../src/core/store.js";
import { Table } from "../../src/core/table.js";
import { handle, providers } from "../reliability/_providers.js";
import { fileHandleProto, newSim, storeOver } from "../helpers.js";

interface Row { id: string; t: string }

const tempFile = () => join(mkdtempSync(join(tmpdir(), "customer-sim-entries-")), "state.json");
const logLines = (file: string) => readFileSync(`${file}.log`, "utf8").split("\0")[0]!.trim().split("\n").filter(Boolean);

async function open(file: string) {
  const doc = { rows: {} as Record<string, Row>, tokens: { a: { token: "a" } } as Record<string, { token: string }>, sequences: { rows: 0 } };
  const { store, made: table } = await storeOver(file, doc, (d) => new Table<Row>(d.rows, { tenantOf: (r) => r.t }));
  return { store, doc, table };
}

describe("Store.commit with the entries it changed", () => {
  it("writes the rows and the named entries; a restart has them", async () => {
    const file = tempFile();
    const { store, doc, table } = await open(file);
    table.put({ id: "r1", t: "x" });
    doc.sequences = { rows: 1 };
    await store.commit("p", ["sequences"]);
    const line = logLines(file).at(-1)!;
    expect(line).toContain('"sequences"');
    expect(line).not.toContain('"tokens"');
    await store.close();
    const again = (await Store.open(file)).store.doc.providers.p as typeof doc;
    expect(again.rows.r1).toEqual({ id: "r1", t: "x" });
    expect(again.sequences).toEqual({ rows: 1 });
  });

  it("refuses, in the test suite, a commit that changed an entry it did not name (it would not be written)", async () => {
    const file = tempFile();
    const { store, doc } = await open(file);
    doc.tokens = { ...doc.tokens, b: { token: "b" } };
    await expect(store.commit("p", ["sequences"])).rejects.toThrow(/providers\.p\.tokens changed in a commit that named only \[sequences\]/);
  });

  it("rows of the entries a provider's routes do not name are replaced, never changed in place (frozen in the test suite); a named entry's may change in place", async () => {
    const file = tempFile();
    const doc = { tokens: { a: { token: "a", uses: 0 } } as Record<string, { token: string; uses: number }>, outbox: { pending: { m1: { tries: 0 } } as Record<string, { tries: number }> } };
    const { store } = await storeOver(file, doc, () => null, {}, ["outbox"]);
    // (the store keeps a row's JSON text by the row: a change in place would never be written)
    expect(() => {
      doc.tokens.a!.uses = 1;
    }).toThrow(TypeError);
    doc.tokens = { ...doc.tokens, b: { token: "b", uses: 0 } };
    doc.outbox.pending.m1!.tries = 1;
    doc.outbox.pending.m2 = { tries: 0 };
    await store.commit("p");
    await store.close();
    const again = (await Store.open(file)).store.doc.providers.p as typeof doc;
    expect(again.tokens).toEqual({ a: { token: "a", uses: 0 }, b: { token: "b", uses: 0 } });
    expect(again.outbox.pending).toEqual({ m1: { tries: 1 }, m2: { tries: 0 } });
  });

  it("a commit naming no entries (the control plane's) compares and writes them all", async () => {
    const file = tempFile();
    const { store, doc } = await open(file);
    doc.tokens = { ...doc.tokens, b: { token: "b" } };
    await store.commit("p");
    expect(logLines(file).at(-1)).toContain('"tokens"');
    await store.close();
    expect(((await Store.open(file)).store.doc.providers.p as typeof doc).tokens).toEqual({ a: { token: "a" }, b: { token: "b" } });
  });

  it("an object entry is written row by row: a changed, added or removed row alone, and a restart has them all", async () => {
    const file = tempFile();
    const { store, doc } = await open(file);
    doc.tokens = { ...doc.tokens, b: { token: "b" }, c: { token: "c" } };
    await store.commit("p");
    const line = logLines(file).at(-1)!;
    expect(line).toContain('["providers","p","tokens","b"]');
    expect(line).not.toContain('"a"');
    const { a: _a, ...rest } = doc.tokens;
    doc.tokens = { ...rest, c: { token: "c2" } };
    await store.commit("p");
    expect(logLines(file).at(-1)).toBe('{"c":[[["providers","p","tokens","c"],{"token":"c2"}],[["providers","p","tokens","a"]]]}');
    const again = (await Store.open(file)).store.doc.providers.p as typeof doc;
    expect(again.tokens).toEqual({ b: { token: "b" }, c: { token: "c2" } });
  });
});

describe("the order of an object entry's rows", () => {
  it("a change of order alone is written (the entry whole), and a restart has the same order", async () => {
    const file = tempFile();
    const { store, doc } = await open(file);
    doc.tokens = { ...doc.tokens, b: { token: "b" }, c: { token: "c" } };
    await store.commit("p");
    const a = doc.tokens.a!;
    delete doc.tokens.a;
    doc.tokens.a = a; // b, c, a
    await store.commit("p");
    doc.tokens = { c: doc.tokens.c!, new: { token: "n" }, b: doc.tokens.b!, a: doc.tokens.a! }; // a row added in the middle
    await store.commit("p");
    const reopened = (await Store.open(file)).store.doc.providers.p as typeof doc;
    expect(Object.keys(reopened.tokens)).toEqual(["c", "new", "b", "a"]);
    // rows added at the end and removed ones stay row by row
    doc.tokens = { c: doc.tokens.c!, b: doc.tokens.b!, a: doc.tokens.a!, z: { token: "z" } };
    await store.commit("p");
    expect(logLines(file).at(-1)).toBe('{"c":[[["providers","p","tokens","z"],{"token":"z"}],[["providers","p","tokens","new"]]]}');
    expect(Object.keys(((await Store.open(file)).store.doc.providers.p as typeof doc).tokens)).toEqual(["c", "b", "a", "z"]);
  });
});

describe("a failed write of an object entry's rows", () => {
  afterEach(() => vi.restoreAllMocks());

  it("puts the rows back as they were (changed, added and removed ones), and the next write and a restart agree", async () => {
    const file = tempFile();
    const { store, doc } = await open(file);
    doc.tokens = { ...doc.tokens, b: { token: "b" } };
    await store.commit("p");
    let reverted = 0;
    store.onRevert = () => void reverted++;
    const proto = await fileHandleProto();
    const real = proto.write;
    vi.spyOn(proto, "write").mockImplementation(async function (this: unknown, buf: Buffer | string, ...rest: unknown[]) {
      if (typeof buf === "string" && buf.includes("DOOMED")) throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
      return real.call(this, buf, ...rest);
    });
    const { a: _a, ...rest } = doc.tokens;
    doc.tokens = { ...rest, b: { token: "DOOMED b" }, d: { token: "DOOMED d" } };
    await expect(store.commit("p")).rejects.toThrow(/ENOSPC/);
    vi.restoreAllMocks();
    expect(reverted).toBe(1);
    expect((store.doc.providers.p as typeof doc).tokens).toEqual({ a: { token: "a" }, b: { token: "b" } });
    expect(Object.keys((store.doc.providers.p as typeof doc).tokens)).toEqual(["a", "b"]);
    // what the store remembers as written is back too: the next change is written as a change of that
    const now = store.doc.providers.p as typeof doc;
    now.tokens = { ...now.tokens, e: { token: "e" } };
    await store.commit("p");
    expect(logLines(file).at(-1)).toBe('{"c":[[["providers","p","tokens","e"],{"token":"e"}]]}');
    const reopened = ((await Store.open(file)).store.doc.providers.p as typeof doc).tokens;
    expect(reopened).toEqual({ a: { token: "a" }, b: { token: "b" }, e: { token: "e" } });
    expect(Object.keys(reopened)).toEqual(["a", "b", "e"]);
  });
});

describe("tenants made through the control plane (every provider)", () => {
  it.each(providers)("%s: a made tenant's log line does not grow with the tenants made before it, and a restart (the log replayed) has them all", async (name) => {
    const file = tempFile();
    const sim = await newSim({ data: file });
    const made: number[] = [];
    for (let i = 0; i < 30; i++) {
      const res = await sim.app.request(`/__admin/${name}/tenants`, { method: "POST" });
      expect(res.status).toBe(201);
      made.push(logLines(file).at(-1)!.length);
    }
    // (ids and names of one tenant may differ in length by a few characters)
    expect(made.at(-1)!).toBeLessThan(made[1]! + 100);
    const again = await newSim({ data: file });
    const h = await handle(again, name);
    expect(h.tenants.length).toBe(32);
    const last = h.tenants.length - 1;
    const res = await again.app.request(h.listPath(last), { headers: h.headers(last) });
    expect(res.status).toBe(200);
  });
});
