// Scale benchmarks (loopback, bounded in time; prints, asserts nothing). Needs dist/ (npm run bench builds it).
//   - a --data file with N Rapidly customers in one workspace (built directly as JSON)
//   - start-up from it: spawn → first 200 on /__admin/health; RSS after start and after load
//   - list first page of 100 (sorted by -created_at), and with ?query=
//   - PATCH one customer with --data (durable writes)
//   - creating 10,000 customers with --data (16 concurrent clients): a fresh server's first
//     10,000 (its warm-up: the JIT compiles the create path meanwhile), then the median of 3 more
//     rounds of 10,000; the same for a bare Hono app creating in memory (bench/bare-post.mjs)
// Median of 3 runs after a warm-up. The server is pinned to CPU 0 with taskset when present;
// the load generator (autocannon, this process) to CPU 1.
import autocannon from "autocannon";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildCli } from "./cli-bundle.mjs";
import { pinLoadToCpu1, startServer } from "./server.mjs";
import { makeDataFile } from "./data-file.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const PORT = 4631;
const base = `http://127.0.0.1:${PORT}`;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const N = Number(process.env.BENCH_CUSTOMERS ?? 100_000);
const taskset = pinLoadToCpu1();

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

// BENCH_SCALE_ONLY=creates (or =big): one part alone.
const ONLY = process.env.BENCH_SCALE_ONLY;
console.log(`Scale (Rapidly, ${N.toLocaleString("en")} customers in one workspace, --data; ${SECONDS}s × 3, median; 16 connections)`);
if (ONLY !== "creates") {
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
}

// 10,000 creates with --data from a fresh file (seeded fixtures only).
if (ONLY !== "big") {
  const small = await makeFile(10_000);
  const srv = start(small.file);
  try {
    await srv.ready;
    await measured("PATCH one customer at 10,000", { url: `${base}/rapidly/api/customers/${small.sampleId}`, method: "PATCH", headers: { ...small.headers, "content-type": "application/json" }, body: JSON.stringify({ name: "Bench Renamed" }) }, "target >= 2000 req/s");
  } finally {
    await srv.stop();
  }
  const fresh = await makeFile(0);
  const json = { ...fresh.headers, "content-type": "application/json" };
  const f = start(fresh.file);
  let sim;
  try {
    await f.ready;
    sim = await createRounds(json);
  } finally {
    await f.stop();
  }
  // The baseline, in the same run: the bare Hono app's creates (in memory: no disk at all).
  const bareProc = spawn(taskset ? "taskset" : process.execPath, [...(taskset ? ["-c", "0", process.execPath] : []), join(root, "bench/bare-post.mjs")],
    { cwd: root, stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, PORT: String(PORT), BARE_TOKEN: fresh.headers.Authorization.replace(/^Bearer /, "") } });
  bareProc.on("error", (err) => console.error(`bench/bare-post.mjs: ${err.message}`));
  try {
    await healthy(bareProc);
    const bare = await createRounds(json);
    const line = (label, r) => `${label} ${r.first.toFixed(2)} s fresh, ${median(r.warm).toFixed(2)} s warm (rounds ${r.warm.map((x) => x.toFixed(2)).join(", ")})`;
    console.log(`  creating 10,000 customers with --data         ${median(sim.warm).toFixed(2).padStart(7)} s     (target <= 2 s; median of 3 rounds of 10,000 after a first 10,000 as the warm-up)`);
    console.log(`    ${line("customer-sim, --data:", sim)}`);
    console.log(`    ${line("bare Hono POST, in memory (baseline):", bare)}`);
    console.log(`    ratio customer-sim / bare: ${(sim.first / bare.first).toFixed(2)} fresh, ${(median(sim.warm) / median(bare.warm)).toFixed(2)} warm`);
  } finally {
    bareProc.kill("SIGTERM");
  }
}

/**
 * The first 10,000 creates on a server just started, then 3 more rounds of 10,000: seconds each.
 * (The same bodies for both servers: new0@example.com, new1@example.com, ...)
 */
async function createRounds(headers) {
  let i = 0;
  const round = () => new Promise((resolve, reject) => {
    // The time of the last response: with `amount`, autocannon itself ends only at its next
    // 1-second sample tick (its own duration is rounded up to a whole second).
    let last = 0;
    const t0 = performance.now();
    autocannon({ url: `${base}/rapidly/api/customers/`, connections: 16, amount: 10_000, method: "POST", headers,
      requests: [{ setupRequest: (req) => ({ ...req, body: JSON.stringify({ email: `new${i++}@example.com` }) }) }] },
    (err, r) => {
      if (err) return reject(err);
      // every one of the 10,000 answered 201 (a refused or lost request would shorten the round)
      if (r.non2xx || r.errors || r.timeouts || r["2xx"] !== 10_000) return reject(new Error(`creates: ${r["2xx"]} 2xx, ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`));
      resolve((last - t0) / 1000);
    }).on("response", () => { last = performance.now(); });
  });
  const first = await round();
  const warm = [];
  for (let k = 0; k < 3; k++) warm.push(await round());
  return { first, warm };
}

/** Waits for bench/bare-post.mjs itself (not whatever else may answer on the port). */
async function healthy(proc) {
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; ) {
    if (proc.exitCode !== null) throw new Error(`bench/bare-post.mjs exited (${proc.exitCode})`);
    try {
      const res = await fetch(`${base}/__admin/health`);
      if (res.status === 200 && (await res.json()).app === "bare-post") return;
    } catch {}
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error("bench/bare-post.mjs did not start");
}
