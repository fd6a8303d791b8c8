// CPU time of durable writes and of start-up (Rapidly, --data): the server's utime + stime
// (/proc) per request is far less affected by other processes than wall time or req/s.
//   node bench/write-profile.mjs [creates] [patch] [startup]      (default: all three)
// BENCH_SOURCE=<dir>: build the CLI from that checkout instead (before/after in the same
// conditions); BENCH_PROF=1: also a --cpu-prof of the server, top self time printed;
// BENCH_SECONDS (PATCH duration, default 3), BENCH_CUSTOMERS (start-up file, default 100,000),
// BENCH_PATCH_CUSTOMERS (customers in the PATCH file, default 10,000).
import autocannon from "autocannon";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildCli } from "./cli-bundle.mjs";
import { printTopSelfTime } from "./cpu-profile.mjs";
import { pinLoadToCpu1, startServer } from "./server.mjs";
import { makeDataFile } from "./data-file.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const PORT = Number(process.env.BENCH_PORT ?? 4633);
const base = `http://127.0.0.1:${PORT}`;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const N = Number(process.env.BENCH_CUSTOMERS ?? 100_000);
const PATCH_N = Number(process.env.BENCH_PATCH_CUSTOMERS ?? 10_000);
const PROF = Boolean(process.env.BENCH_PROF);
const which = new Set(process.argv.slice(2).length ? process.argv.slice(2) : ["creates", "patch", "startup"]);
const taskset = pinLoadToCpu1();
const CLI = await buildCli(process.env.BENCH_SOURCE ?? root);

function cpuMs(pid) {
  const [user, system] = cpuSplitMs(pid);
  return user + system;
}
/** [user, system] CPU ms of the process (every thread) */
function cpuSplitMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return [Number(f[11]) * 10, Number(f[12]) * 10];
}

const start = (file, profDir) => startServer({ cli: CLI, port: PORT, file, cwd: root, pin: taskset, profDir });

const makeFile = (count) => makeDataFile(count, { start, base });

// autocannon reports a run with `amount` only at its next 1-second sample tick: the time of
// the last response is taken from its 'response' events instead.
function cannon(opts) {
  return new Promise((resolve, reject) => {
    let responses = 0;
    let last = 0;
    const instance = autocannon({ connections: 16, pipelining: 1, ...opts }, (err, r) => {
      if (err) return reject(err);
      if (r.errors > 0 || r.non2xx > 0) return reject(new Error(`${opts.url}: ${r.non2xx} non-2xx, ${r.errors} errors`));
      resolve({ ...r, lastResponseAt: last, responses });
    });
    instance.on("response", () => {
      responses++;
      last = performance.now();
    });
  });
}

const summarize = (dir) => printTopSelfTime(dir, { top: 30, indent: "    " });

console.log(`Writes (Rapidly, --data); load average ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")}; ${process.env.BENCH_SOURCE ?? root}`);

if (which.has("creates")) {
  const fresh = await makeFile(0);
  const profDir = PROF ? mkdtempSync(join(tmpdir(), "customer-sim-cpuprof-")) : undefined;
  const s = start(fresh.file, profDir);
  await s.ready;
  let i = 0;
  let lines = 0;
  // BENCH_CREATE_ROUNDS=2: another 10,000 on the same server, once its code is warm (the JIT's
  // share of the first round shows as the difference).
  for (let round = 1; round <= Number(process.env.BENCH_CREATE_ROUNDS ?? 1); round++) {
    const c0 = cpuMs(s.child.pid);
    const split0 = cpuSplitMs(s.child.pid);
    const t0 = performance.now();
    const cannonDone = cannon({ url: `${base}/rapidly/api/customers/`, amount: 10_000, method: "POST", headers: { ...fresh.headers, "content-type": "application/json" },
      requests: [{ setupRequest: (req) => ({ ...req, body: JSON.stringify({ email: `new${i++}@example.com` }) }) }] });
    const r = await cannonDone;
    const wall = r.lastResponseAt - t0;
    const cpu = cpuMs(s.child.pid) - c0;
    const split = cpuSplitMs(s.child.pid).map((v, k) => v - split0[k]);
    // one log line per batch (a fresh file: nothing else was appended, no compaction at this
    // size); the log ends at its first zero byte (zeros are written ahead of the lines)
    const log = existsSync(`${fresh.file}.log`) ? readFileSync(`${fresh.file}.log`, "utf8") : "";
    const all = log.slice(0, log.indexOf("\0") === -1 ? undefined : log.indexOf("\0")).split("\n").slice(0, -1);
    // this round's lines must hold its 10,000 creates, else the log was compacted meanwhile (NaN)
    const mine = all.slice(lines);
    const creates = mine.reduce((n, line) => n + line.split('["providers","rapidly","customers",').length - 1, 0);
    const batches = all.length >= lines && creates === 10_000 ? mine.length : NaN;
    lines = all.length;
    console.log(`  creating 10,000 customers${round > 1 ? ` (round ${round})` : ""}: ${(wall / 1000).toFixed(2)} s wall, server CPU ${(cpu / 1000).toFixed(2)} s (${(cpu / 10).toFixed(0)} µs/create, ${((100 * cpu) / wall).toFixed(0)}% of the wall time; user ${(split[0] / 10).toFixed(0)} + system ${(split[1] / 10).toFixed(0)} µs), ${batches} batches (${(10_000 / Math.max(1, batches)).toFixed(1)} creates each)`);
  }
  await s.stop();
  if (profDir) summarize(profDir);
}

if (which.has("patch")) {
  const small = await makeFile(PATCH_N);
  const profDir = PROF ? mkdtempSync(join(tmpdir(), "customer-sim-cpuprof-")) : undefined;
  const s = start(small.file, profDir);
  await s.ready;
  const opts = { url: `${base}/rapidly/api/customers/${small.sampleId}`, method: "PATCH", headers: { ...small.headers, "content-type": "application/json" }, body: JSON.stringify({ name: "Bench Renamed" }) };
  await cannon({ ...opts, duration: 1 });
  const c0 = cpuMs(s.child.pid);
  const r = await cannon({ ...opts, duration: SECONDS });
  const cpu = cpuMs(s.child.pid) - c0;
  console.log(`  PATCH at ${PATCH_N.toLocaleString("en")}: ${r.requests.average.toFixed(0)} req/s, p99 ${r.latency.p99} ms; server CPU ${((cpu * 1000) / r.requests.total).toFixed(0)} µs/request (${((100 * cpu) / (SECONDS * 1000)).toFixed(0)}% busy)`);
  await s.stop();
  if (profDir) summarize(profDir);
}

if (which.has("startup")) {
  const big = await makeFile(N);
  const runs = [];
  for (let k = 0; k < 3; k++) {
    const s = start(big.file);
    const wall = await s.ready;
    runs.push({ wall, cpu: cpuMs(s.child.pid) });
    await s.stop();
  }
  const med = (xs) => [...xs].sort((a, b) => a - b)[1];
  console.log(`  start-up from ${N.toLocaleString("en")} customers → first 200: CPU ${med(runs.map((x) => x.cpu)).toFixed(0)} ms (runs ${runs.map((x) => x.cpu.toFixed(0)).join(", ")}), wall ${med(runs.map((x) => x.wall)).toFixed(0)} ms (runs ${runs.map((x) => x.wall.toFixed(0)).join(", ")})`);
  if (PROF) {
    const profDir = mkdtempSync(join(tmpdir(), "customer-sim-cpuprof-"));
    const s = start(big.file, profDir);
    await s.ready;
    await new Promise((r) => setTimeout(r, 1500)); // the signal handlers are set after the start banner
    await s.stop();
    summarize(profDir);
  }
}
