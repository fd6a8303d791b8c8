// Benchmarks on loopback, bounded in time and count: prints numbers, asserts nothing.
//   1. GET one Rapidly customer: customer-sim vs a bare Hono app (bench/bare-app.mjs) doing
//      the same auth check + Map lookup + c.json. Warm-up, then the median of 3 runs each.
//      Target: ratio >= 0.85.
//   2. Start-up: spawn → first 200 on /__admin/health, median of 7 each. Target: ratio <= 1.3.
//   3. Scale (bench/scale.mjs): `npm run bench scale` runs it alone.
// `npm run bench` builds dist/ first; customer-sim runs as `npm start` runs it (node dist/cli.js serve).
import autocannon from "autocannon";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const SIM_PORT = 4611;
const BARE_PORT = 4612;
const RUN_SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const WARMUP_SECONDS = 2;
const CONNECTIONS = 16;
const STARTS = 7;

const sim = { name: "customer-sim", cmd: ["dist/cli.js", "serve", "--port", String(SIM_PORT)], port: SIM_PORT, env: {} };
const bare = { name: "bare hono", cmd: ["bench/bare-app.mjs"], port: BARE_PORT, env: { PORT: String(BARE_PORT) } };

function start(target, extraEnv = {}) {
  const t0 = performance.now();
  const child = spawn(process.execPath, target.cmd, {
    cwd: root,
    env: { ...process.env, ...target.env, ...extraEnv },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const ready = (async () => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      try {
        const res = await fetch(`http://127.0.0.1:${target.port}/__admin/health`);
        if (res.status === 200) {
          await res.arrayBuffer();
          return performance.now() - t0;
        }
      } catch {}
      if (Date.now() > deadline) throw new Error(`${target.name} did not start in 10 s`);
      await new Promise((r) => setTimeout(r, 2));
    }
  })();
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once("exit", resolve);
      child.kill("SIGTERM");
    });
  return { ready, stop };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function load(url, headers, seconds) {
  return new Promise((resolve, reject) => {
    autocannon({ url, headers, connections: CONNECTIONS, duration: seconds, pipelining: 1 }, (err, result) => {
      if (err) return reject(err);
      if (result.non2xx > 0 || result.errors > 0) return reject(new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`));
      resolve(result.requests.average);
    });
  });
}

async function throughput() {
  const simProc = start(sim);
  await simProc.ready;
  const fixtures = await (await fetch(`http://127.0.0.1:${SIM_PORT}/__admin/fixtures`)).json();
  const tenant = fixtures.providers.rapidly.tenants[0];
  const headers = tenant.credentials.find((c) => c.kind === "full").headers;
  const id = tenant.customerIds[0];
  const path = `/rapidly/api/customers/${id}`;
  const customer = await (await fetch(`http://127.0.0.1:${SIM_PORT}${path}`, { headers })).json();
  const bareProc = start(bare, { BARE_TOKEN: headers.Authorization.slice("Bearer ".length), BARE_CUSTOMER: JSON.stringify(customer) });
  await bareProc.ready;

  const simUrl = `http://127.0.0.1:${SIM_PORT}${path}`;
  const bareUrl = `http://127.0.0.1:${BARE_PORT}${path}`;
  await load(simUrl, headers, WARMUP_SECONDS);
  await load(bareUrl, headers, WARMUP_SECONDS);
  const simRuns = [];
  const bareRuns = [];
  for (let i = 0; i < 3; i++) {
    // Interleaved, so drift on the machine hits both alike.
    simRuns.push(await load(simUrl, headers, RUN_SECONDS));
    bareRuns.push(await load(bareUrl, headers, RUN_SECONDS));
  }
  await simProc.stop();
  await bareProc.stop();
  const s = median(simRuns);
  const b = median(bareRuns);
  console.log(`GET one Rapidly customer (${CONNECTIONS} connections, ${RUN_SECONDS}s × 3, median req/s)`);
  console.log(`  customer-sim   ${s.toFixed(0).padStart(8)}   runs: ${simRuns.map((x) => x.toFixed(0)).join(", ")}`);
  console.log(`  bare hono      ${b.toFixed(0).padStart(8)}   runs: ${bareRuns.map((x) => x.toFixed(0)).join(", ")}`);
  console.log(`  ratio          ${(s / b).toFixed(3)}   (target >= 0.85)`);
}

async function startup() {
  const simTimes = [];
  const bareTimes = [];
  for (let i = 0; i < STARTS; i++) {
    for (const [target, times] of [[sim, simTimes], [bare, bareTimes]]) {
      const proc = start(target, target === bare ? { BARE_CUSTOMER: "{}" } : {});
      times.push(await proc.ready);
      await proc.stop();
    }
  }
  const s = median(simTimes);
  const b = median(bareTimes);
  console.log(`Start-up: spawn → first 200 on /__admin/health (median of ${STARTS})`);
  console.log(`  customer-sim   ${s.toFixed(1).padStart(8)} ms   runs: ${simTimes.map((x) => x.toFixed(0)).join(", ")}`);
  console.log(`  bare hono      ${b.toFixed(1).padStart(8)} ms   runs: ${bareTimes.map((x) => x.toFixed(0)).join(", ")}`);
  console.log(`  ratio          ${(s / b).toFixed(3)}   (target <= 1.3)`);
}

const only = process.argv[2];
if (!only || only === "startup") await startup();
if (!only || only === "throughput") await throughput();
// 3. Scale: start-up from a 100,000-customer --data file, RSS, list pages, durable PATCH and creates (bench/scale.mjs).
if (!only || only === "scale") await import("./scale.mjs");
