// CPU profile and CPU time of start-up and list pages at scale (Rapidly, BENCH_CUSTOMERS
// customers in one workspace, --data). CPU time (utime + stime of the server, /proc) is far
// less affected by other processes than wall time. Prints the top functions by self time.
//   node bench/profile.mjs            (BENCH_CUSTOMERS=100000, BENCH_REQUESTS=200)
// BENCH_SOURCE=<dir>: build the CLI from that checkout's src/ instead (e.g. `git archive` of an
// older commit, with node_modules linked), to compare before and after in the same conditions;
// BENCH_NO_SEED_CACHE=1: without the embedded default fixtures (as the bench bundle once was).
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildCli } from "./cli-bundle.mjs";
import { printTopSelfTime } from "./cpu-profile.mjs";
import { startServer } from "./server.mjs";
import { makeDataFile } from "./data-file.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const PORT = 4632;
const base = `http://127.0.0.1:${PORT}`;
const N = Number(process.env.BENCH_CUSTOMERS ?? 100_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
const CLI = await buildCli(process.env.BENCH_SOURCE ?? root, { seedCache: !process.env.BENCH_NO_SEED_CACHE });
const TICK = 100; // USER_HZ

function cpuMs(pid) {
  const f = readFileSync(`/proc/${pid}/stat`, "utf8").slice(readFileSync(`/proc/${pid}/stat`, "utf8").lastIndexOf(")") + 2).split(" ");
  return ((Number(f[11]) + Number(f[12])) * 1000) / TICK;
}
function rssMb(pid) {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))[1]) / 1024;
}

const start = (file, profDir) => startServer({ cli: CLI, port: PORT, file, cwd: root, profDir, timeoutMs: 120_000 });

const makeFile = (count) => makeDataFile(count, { start, base });

const summarize = (dir) => printTopSelfTime(dir, { top: 25, indent: "  " });

console.log(`Profile (Rapidly, ${N.toLocaleString("en")} customers, --data); load average ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")}`);
const big = await makeFile(N);
// CPU time to start, 3 runs without the profiler.
const runs = [];
for (let i = 0; i < 3; i++) {
  const s = start(big.file);
  const wall = await s.ready;
  runs.push({ wall, cpu: cpuMs(s.child.pid), rss: rssMb(s.child.pid) });
  await s.stop();
}
const med = (xs) => [...xs].sort((a, b) => a - b)[1];
console.log(`  start-up → first 200: CPU ${med(runs.map((r) => r.cpu)).toFixed(0)} ms (runs ${runs.map((r) => r.cpu.toFixed(0)).join(", ")}), wall ${med(runs.map((r) => r.wall)).toFixed(0)} ms, RSS ${med(runs.map((r) => r.rss)).toFixed(0)} MB`);

const profDir = mkdtempSync(join(tmpdir(), "customer-sim-cpuprof-"));
const s = start(big.file, profDir);
await s.ready;
const pid = s.child.pid;
for (const [label, path] of [["list first page of 100", "?limit=100"], ["list ?query= page of 100", "?limit=100&query=customer%2099"]]) {
  const c0 = cpuMs(pid);
  const t0 = performance.now();
  const lat = [];
  for (let i = 0; i < REQUESTS; i++) {
    const t = performance.now();
    const res = await fetch(`${base}/rapidly/api/customers/${path}`, { headers: big.headers });
    if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
    await res.arrayBuffer();
    lat.push(performance.now() - t);
  }
  lat.sort((a, b) => a - b);
  console.log(`  ${label.padEnd(26)} server CPU ${((cpuMs(pid) - c0) / REQUESTS).toFixed(2)} ms/request; sequential latency p50 ${lat[Math.floor(REQUESTS / 2)].toFixed(1)} ms, p99 ${lat[Math.floor(REQUESTS * 0.99)].toFixed(1)} ms (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
}
console.log(`  RSS after the requests ${rssMb(pid).toFixed(0)} MB`);
await s.stop();
summarize(profDir);
