// A `--data` file with `count` extra Rapidly customers in the first fixture workspace, built
// directly as JSON (creating 100,000 through the API would take the whole time budget).
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { importSource } from "./cli-bundle.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));

/**
 * Writes `doc` as the simulator of BENCH_SOURCE (default this checkout) writes its snapshot
 * (its own jsonPieces: tables an entry a line since json-lines.ts), so that start-up reads it as
 * it reads its own files.
 */
export async function writeStateFile(file, doc) {
  const { jsonPieces } = await importSource(process.env.BENCH_SOURCE ?? root, "src/core/text-file.ts");
  writeFileSync(file, jsonPieces(doc).join(""));
}

/**
 * `start(file)` must start the simulator on `base` with `--data file` and return
 * `{ ready, stop }`; it is run once so the file holds the seeded state to copy from.
 */
export async function makeDataFile(count, { start, base }) {
  const file = join(mkdtempSync(join(tmpdir(), "customer-sim-bench-")), "state.json");
  const s = start(file);
  await s.ready;
  const fx = await (await fetch(`${base}/__admin/fixtures`)).json();
  await s.stop();
  const doc = JSON.parse(readFileSync(file, "utf8"));
  const ws = fx.providers.rapidly.tenants[0];
  const sample = doc.providers.rapidly.customers[ws.customerIds[0]];
  const t0 = Date.parse("2024-01-01T00:00:00Z");
  for (let i = 0; i < count; i++) {
    const id = randomUUID();
    doc.providers.rapidly.customers[id] = { ...sample, id, email: `bench${i}@example.com`, name: `Bench Customer ${i}`, external_id: null,
      created_at: new Date(t0 + i * 1000).toISOString().replace(".000Z", ".000000Z"), modified_at: null };
  }
  await writeStateFile(file, doc);
  return { file, headers: ws.credentials.find((c) => c.kind === "full").headers, sampleId: ws.customerIds[0] };
}
