// User-space instructions (valgrind callgrind, every thread of the server) per create and per
// PATCH of Rapidly with --data: a measure other processes on the machine do not change, for
// before/after comparisons on a shared machine. Slow (the server runs ~50x slower under
// valgrind): a few minutes.
//   node bench/write-callgrind.mjs            (N=2000 each, after WARM=500 creates)
// BENCH_SOURCE=<dir>: build the CLI from that checkout instead. Counts vary by ~10% between
// runs (batch sizes depend on timing): compare several runs.
import autocannon from "autocannon";
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildCli } from "./cli-bundle.mjs";
import { makeDataFile } from "./data-file.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const PORT = Number(process.env.BENCH_PORT ?? 4651);
const base = `http://127.0.0.1:${PORT}`;
const N = Number(process.env.N ?? 2000);
const WARM = Number(process.env.WARM ?? 500);
const CLI = await buildCli(process.env.BENCH_SOURCE ?? root);

async function ready(limitMs = 600_000) {
  for (const deadline = Date.now() + limitMs; Date.now() < deadline; ) {
    try {
      const res = await fetch(`${base}/__admin/health`);
      if (res.status === 200) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("no start");
}
function plain(file) {
  const child = spawn(process.execPath, [CLI, "serve", "--port", String(PORT), "--data", file], { stdio: ["ignore", "ignore", "inherit"] });
  return { ready: ready(), stop: () => new Promise((res) => { child.once("exit", res); child.kill("SIGTERM"); }) };
}
const cannon = (opts) => new Promise((resolve, reject) => autocannon({ connections: 16, ...opts }, (err, r) => (err ? reject(err) : r.non2xx || r.errors ? reject(new Error(`${r.non2xx} non-2xx, ${r.errors} errors`)) : resolve(r))));

const fresh = await makeDataFile(0, { start: plain, base });
const out = mkdtempSync(join(tmpdir(), "customer-sim-callgrind-"));
const child = spawn("valgrind", ["--tool=callgrind", "--smc-check=all-non-file", `--callgrind-out-file=${out}/cg.out`, process.execPath, "--single-threaded", CLI, "serve", "--port", String(PORT), "--data", fresh.file], { stdio: ["ignore", "ignore", "ignore"] });
try {
  await ready();
  const control = (flag) => execFileSync("callgrind_control", [flag, String(child.pid)], { stdio: "ignore" });
  const dumped = () => {
    control("-d");
    const last = readdirSync(out).filter((f) => f.startsWith("cg.out")).sort().pop();
    const text = readFileSync(join(out, last), "utf8");
    return Number((/summary: (\d+)/.exec(text) ?? /totals: (\d+)/.exec(text))[1]);
  };
  let i = 0;
  const creates = (amount) => cannon({ url: `${base}/rapidly/api/customers/`, amount, method: "POST", headers: { ...fresh.headers, "content-type": "application/json" },
    requests: [{ setupRequest: (req) => ({ ...req, body: JSON.stringify({ email: `new${i++}@example.com` }) }) }] });
  await creates(WARM);
  control("-z");
  await creates(N);
  const perCreate = dumped() / N;
  control("-z");
  await cannon({ url: `${base}/rapidly/api/customers/${fresh.sampleId}`, amount: N, method: "PATCH", headers: { ...fresh.headers, "content-type": "application/json" }, body: JSON.stringify({ name: "Bench Renamed" }) });
  const perPatch = dumped() / N;
  console.log(`${process.env.BENCH_SOURCE ?? root}: ${(perCreate / 1000).toFixed(0)}k instructions/create, ${(perPatch / 1000).toFixed(0)}k instructions/PATCH (N=${N}, 16 connections; load average ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")})`);
} finally {
  child.kill("SIGKILL");
}
