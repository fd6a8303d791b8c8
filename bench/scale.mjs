// Scale benchmarks (loopback, bounded in time; prints, asserts nothing). Needs dist/ (npm run bench builds it).
//   - a --data file with N Rapidly customers in one workspace (built directly as JSON)
//   - start-up from it: spawn → first 200 on /__admin/health; RSS after start and after load
//   - list first page of 100 (sorted by -created_at), and with ?query=
//   - PATCH one customer with --data (durable writes)
//   - creating 10,000 customers with --data (16 concurrent clients)
// Median of 3 runs after a warm-up. The server is pinned to CPU 0 with taskset when present;
// the load generator (autocannon, this process) to CPU 1.
import autocannon from "autocannon";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildCli } from "./cli-bundle.mjs";
import { startServer } from "./server.mjs";
import { makeDataFile } from "./data-file.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const PORT = 4631;
const base = `http://127.0.0.1:${PORT}`;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const N = Number(process.env.BENCH_CUSTOMERS ?? 100_000);
const taskset = existsSync("/usr/bin/taskset");
if (taskset) try { execFileSync("taskset", ["-cp", "1", String(process.pid)], { stdio: "ignore" }); } catch {}

// dist/ may be rebuilt under us (tests build it): the scale runs use their own bundle of the CLI,
// built as dist/cli.js is (with the default seed's fixtures embedded: no faker at start-up).
const CLI = await buildCli(root);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const start = (file) => startServer({ cli: CLI, port: PORT, file, cwd: root, pin: taskset });

function load(opts) {
  return new Promise((resolve, reject) => {
    autocannon({ connections: 16, pipelining: 1, duration: SECONDS, ...opts }, (err, r) => {
      if (err) return reject(err);
      if (r.errors > 0 || r.non2xx > 0) return reject(new Error(`${opts.url}: ${r.non2xx} non-2xx, ${r.errors} errors`));
      resolve({ rps: r.requests.average, p99: r.latency.p99 });
    });
  });
}

async function measured(name, opts, target) {
  await load({ ...opts, duration: 2 });
  const runs = [];
  for (let i = 0; i < 3; i++) runs.push(await load(opts));
  const rps = median(runs.map((r) => r.rps));
  const p99 = median(runs.map((r) => r.p99));
  console.log(`  ${name.padEnd(44)} ${rps.toFixed(0).padStart(7)} req/s   p99 ${String(p99).padStart(5)} ms   (${target})`);
  return { rps, p99 };
}

const makeFile = (count) => makeDataFile(count, { start, base });

console.log(`Scale (Rapidly, ${N.toLocaleString("en")} customers in one workspace, --data; ${SECONDS}s × 3, median; 16 connections)`);
const big = await makeFile(N);
const starts = [];
let s;
for (let i = 0; i < 3; i++) {
  s = start(big.file);
  starts.push(await s.ready);
  if (i < 2) await s.stop();
}
console.log(`  start-up from the --data file → first 200     ${median(starts).toFixed(0).padStart(7)} ms   runs: ${starts.map((x) => x.toFixed(0)).join(", ")}   (target <= 2000)`);
console.log(`  RSS after start                              ${s.rss().toFixed(0).padStart(7)} MB`);
const json = { ...big.headers, "content-type": "application/json" };
await measured("list first page of 100", { url: `${base}/rapidly/api/customers/?limit=100`, headers: big.headers }, "target p99 <= 10 ms");
await measured("list ?query= (scan), page of 100", { url: `${base}/rapidly/api/customers/?limit=100&query=customer%2099`, headers: big.headers }, "target p99 <= 50 ms");
// The same scan where no block of rows can be skipped by its trigrams ("9@example": 10,000
// matches, in every block): the bench's rows are numbered in created_at order, so the needle
// above only occurs in a few blocks of the index.
await measured("list ?query= hitting every block, page of 100", { url: `${base}/rapidly/api/customers/?limit=100&query=9%40example`, headers: big.headers }, "no target; a full scan");
console.log(`  RSS after the list loads                     ${s.rss().toFixed(0).padStart(7)} MB`);
await measured(`PATCH one customer at ${N.toLocaleString("en")}`, { url: `${base}/rapidly/api/customers/${big.sampleId}`, method: "PATCH", headers: json, body: JSON.stringify({ name: "Bench Renamed" }) }, "target >= 2000 req/s");
console.log(`  RSS after load                               ${s.rss().toFixed(0).padStart(7)} MB   (target <= 300)`);
await s.stop();

// 10,000 creates with --data from a fresh file (seeded fixtures only).
{
  const small = await makeFile(10_000);
  const srv = start(small.file);
  await srv.ready;
  await measured("PATCH one customer at 10,000", { url: `${base}/rapidly/api/customers/${small.sampleId}`, method: "PATCH", headers: { ...small.headers, "content-type": "application/json" }, body: JSON.stringify({ name: "Bench Renamed" }) }, "target >= 2000 req/s");
  await srv.stop();
  const fresh = await makeFile(0);
  const f = start(fresh.file);
  await f.ready;
  let i = 0;
  // The time of the last response: with `amount`, autocannon itself ends only at its next
  // 1-second sample tick (its own duration is rounded up to a whole second).
  let last = 0;
  const t0 = performance.now();
  await new Promise((resolve, reject) => {
    autocannon({ url: `${base}/rapidly/api/customers/`, connections: 16, amount: 10_000, method: "POST", headers: { ...fresh.headers, "content-type": "application/json" },
      requests: [{ setupRequest: (req) => ({ ...req, body: JSON.stringify({ email: `new${i++}@example.com` }) }) }] },
    (err, r) => (err ? reject(err) : r.non2xx ? reject(new Error(`${r.non2xx} non-2xx`)) : resolve(r))).on("response", () => { last = performance.now(); });
  });
  console.log(`  creating 10,000 customers with --data         ${((last - t0) / 1000).toFixed(2).padStart(7)} s     (target <= 2 s)`);
  await f.stop();
}
