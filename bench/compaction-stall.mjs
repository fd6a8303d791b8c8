// How long a request waits while the log is compacted at scale (Rapidly, --data, 100,000
// customers): a prober GETs one customer every 2 ms while 4 connections create customers for
// BENCH_SECONDS. Run twice on the same file: with the default bound (the log may grow to the
// snapshot's size, ~75 MB: no compaction during the run, the baseline) and with
// SIM_COMPACT_LOG_BYTES=1 MiB (a compaction every ~1,300 creates, one after the other).
// Prints the prober's p50 / p99 / max latency of each run. Server pinned to CPU 0 (taskset),
// this process to CPU 1.
//   node bench/compaction-stall.mjs     (BENCH_CUSTOMERS=100000, BENCH_SECONDS=5)
// BENCH_SOURCE=<dir>: build the CLI from that checkout instead (before/after in the same conditions).
import autocannon from "autocannon";
import { copyFileSync, readFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { buildCli } from "./cli-bundle.mjs";
import { makeDataFile } from "./data-file.mjs";
import { pinLoadToCpu1, startServer } from "./server.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const PORT = Number(process.env.BENCH_PORT ?? 4641);
const base = `http://127.0.0.1:${PORT}`;
const N = Number(process.env.BENCH_CUSTOMERS ?? 100_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const taskset = pinLoadToCpu1();
const CLI = await buildCli(process.env.BENCH_SOURCE ?? root);
const start = (file) => startServer({ cli: CLI, port: PORT, file, cwd: root, pin: taskset, timeoutMs: 120_000 });

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

async function run(label, source, compactBytes) {
  const file = `${source}.${label}`;
  copyFileSync(source, file);
  if (compactBytes) process.env.SIM_COMPACT_LOG_BYTES = String(compactBytes);
  else delete process.env.SIM_COMPACT_LOG_BYTES;
  const s = start(file);
  await s.ready;
  delete process.env.SIM_COMPACT_LOG_BYTES;
  const latencies = [];
  let probing = true;
  const probe = (async () => {
    while (probing) {
      const t0 = performance.now();
      const res = await fetch(`${base}/rapidly/api/customers/${sampleId}`, { headers });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`probe: ${res.status}`);
      latencies.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 2));
    }
  })();
  let n = 0;
  const result = await autocannon({ url: `${base}/rapidly/api/customers/`, connections: 4, duration: SECONDS, method: "POST",
    headers: { ...headers, "content-type": "application/json" },
    requests: [{ setupRequest: (r) => ({ ...r, body: JSON.stringify({ email: `stall-${n++}-${randomUUID().slice(0, 8)}@example.com` }) }) }] });
  probing = false;
  await probe;
  await s.stop();
  const sorted = latencies.sort((a, b) => a - b);
  console.log(`  ${label.padEnd(34)} ${String(result["2xx"]).padStart(6)} creates; probe GET (${sorted.length}): p50 ${quantile(sorted, 0.5).toFixed(1)} ms, p99 ${quantile(sorted, 0.99).toFixed(1)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms`);
}

console.log(`Compaction stall (Rapidly, ${N.toLocaleString("en")} customers, --data, ${SECONDS} s of creates); ${process.env.BENCH_SOURCE ?? root}; load average ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")}`);
const { file, headers, sampleId } = await makeDataFile(N, { start, base });
await run("no compaction (default bound)", file);
await run("compacting (bound 1 MiB)", file, 1024 * 1024);
await run("no compaction (default bound), again", file);
await run("compacting (bound 1 MiB), again", file, 1024 * 1024);
