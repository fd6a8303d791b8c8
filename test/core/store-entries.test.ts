// A commit may name the entries outside its provider's tables that it changed (Store.commit's
// `entries`; a provider's writtenByRoutes): only those are compared and written, so a write no
// longer re-serializes every tenant and credential a control plane added (#13). The test suite
// checks that such a commit changed no other entry; a commit naming none compares them all.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Store } from "../../src/core/store.js";
import { Table } from "../../src/core/table.js";

interface Row { id: string; t: string }

const tempFile = () => join(mkdtempSync(join(tmpdir(), "customer-sim-entries-")), "state.json");
const logLines = (file: string) => readFileSync(`${file}.log`, "utf8").split("\0")[0]!.trim().split("\n").filter(Boolean);

async function open(file: string) {
  const { store } = await Store.open(file);
  const rows: Record<string, Row> = {};
  const doc = { rows, tokens: { a: { token: "a" } } as Record<string, { token: string }>, sequences: { rows: 0 } };
  store.doc.providers.p = doc;
  const table = new Table<Row>(rows, { tenantOf: (r) => r.t });
  store.attach("p");
  store.onRevert = () => {};
  store.markAll();
  await store.commit("p");
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

  it("a commit naming no entries (the control plane's) compares and writes them all", async () => {
    const file = tempFile();
    const { store, doc } = await open(file);
    doc.tokens = { ...doc.tokens, b: { token: "b" } };
    await store.commit("p");
    expect(logLines(file).at(-1)).toContain('"tokens"');
    await store.close();
    expect(((await Store.open(file)).store.doc.providers.p as typeof doc).tokens).toEqual({ a: { token: "a" }, b: { token: "b" } });
  });
});
