// Every provider at scale: the same requests against a workspace of 25 customers (the seeded
// state: the baseline, same run) and one of BENCH_CUSTOMERS (default 100,000) of that
// provider, --data, server pinned to CPU 0 (taskset), this process on CPU 1. What grows with
// the state where it need not shows as a ratio far from 1.
//   node bench/providers-scale.mjs [rapidly flextell quentli plane]
// Per provider: start-up to the first 200, RSS, then sequential requests (BENCH_REQUESTS each,
// default 200): GET one customer, the first list page of 100, a search that scans (a name
// fragment), the last page; then creates and PATCHes, 8 connections, BENCH_WRITES each
// (default 2,000), req/s.
import autocannon from "autocannon";
import { randomUUID } from "node:crypto";
import { copyFileSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildCli } from "./cli-bundle.mjs";
import { writeStateFile } from "./data-file.mjs";
import { pinLoadToCpu1, startServer } from "./server.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const PORT = Number(process.env.BENCH_PORT ?? 4645);
const base = `http://127.0.0.1:${PORT}`;
const N = Number(process.env.BENCH_CUSTOMERS ?? 100_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
const WRITES = Number(process.env.BENCH_WRITES ?? 2000);
const taskset = pinLoadToCpu1();
const CLI = await buildCli(process.env.BENCH_SOURCE ?? root);
const start = (file) => startServer({ cli: CLI, port: PORT, file, cwd: root, pin: taskset, timeoutMs: 180_000 });
const t0 = Date.parse("2024-01-01T00:00:00Z");
const at = (i, digits) => new Date(t0 + i * 1000).toISOString().replace(".000Z", digits === 6 ? ".000000Z" : ".000Z");

/** How each provider's customers are cloned into its first tenant, and how it is asked. */
const providers = {
  rapidly: {
    clone: (s, i) => { const id = randomUUID(); return [id, { ...s, id, email: `bench${i}@example.com`, name: `Bench Customer ${i}`, external_id: null, created_at: at(i, 6), modified_at: null }]; },
    list: () => "/api/customers/?limit=100", search: () => "/api/customers/?query=Customer%2099&limit=100", last: (n) => `/api/customers/?limit=100&page=${Math.ceil(n / 100)}`,
    one: (id) => `/api/customers/${id}`, create: () => "/api/customers/", createBody: (k) => ({ email: `w${k}-${randomUUID().slice(0, 8)}@example.com` }),
    patchBody: (k) => ({ name: `Patched ${k}` }),
  },
  flextell: {
    clone: (s, i) => { const id = 100_000_000 + i; return [String(id), { ...s, id, email: `bench${i}@example.com`, first_name: "Bench", last_name: `Customer ${i}`, phone_number: `+1555${String(i).padStart(7, "0")}`, created_at: at(i, 6), updated_at: at(i, 6) }]; },
    after: (doc) => { doc.providers.flextell.sequences.customers = 100_000_000 + N; },
    list: () => "/api/v1/customers?per_page=100", search: () => "/api/v1/customers?per_page=100&search=Customer%2099", last: (n) => `/api/v1/customers?per_page=100&page=${Math.ceil(n / 100)}`,
    one: (id) => `/api/v1/customers/${id}`, create: () => "/api/v1/customers", createBody: (k) => ({ first_name: "Write", last_name: `Bench ${k}` }),
    patchBody: (k) => ({ first_name: `Patched ${k}` }),
  },
  quentli: {
    clone: (s, i) => { const id = `cus_bench${String(i).padStart(11, "0")}`; return [id, { ...s, id, email: `bench${i}@example.com`, username: `bench_${i}`, name: `Bench Customer ${i}`, phoneNumber: `+5255${String(i).padStart(8, "0")}`, createdAt: at(i, 3), updatedAt: at(i, 3) }]; },
    list: () => "/v1/customers?take=100", search: () => "/v1/customers?take=100&filter%5Bname%5D%5Bcontains%5D=Customer%2099", last: (n) => `/v1/customers?take=100&skip=${Math.max(0, n - 100)}`,
    one: (id) => `/v1/customers/${id}`, create: () => "/v1/customers", createBody: (k) => ({ input: { name: `Write Bench ${k}` } }),
    patchBody: (k) => ({ input: { data: { name: `Patched ${k}` }, otp: "123456" } }),
  },
  plane: {
    clone: (s, i) => { const id = randomUUID(); return [id, { ...s, id, name: `Bench Customer ${i}`, created_at: at(i, 6), updated_at: at(i, 6) }]; },
    list: (slug) => `/api/v1/workspaces/${slug}/customers/?per_page=100`, search: (slug) => `/api/v1/workspaces/${slug}/customers/?per_page=100&query=Customer%2099`,
    last: (n, slug) => `/api/v1/workspaces/${slug}/customers/?per_page=100&cursor=100:${Math.floor(n / 100)}:0`,
    one: (id, slug) => `/api/v1/workspaces/${slug}/customers/${id}/`, create: (slug) => `/api/v1/workspaces/${slug}/customers/`, createBody: (k) => ({ name: `Write Bench ${k} ${randomUUID().slice(0, 8)}` }),
    patchBody: (k) => ({ description_html: `<p>Patched ${k}</p>` }),
  },
};

function cpuMs(pid) {
  const f = readFileSync(`/proc/${pid}/stat`, "utf8");
  const a = f.slice(f.lastIndexOf(")") + 2).split(" ");
  return (Number(a[11]) + Number(a[12])) * 10;
}

async function seeded() {
  const file = join(mkdtempSync(join(tmpdir(), "customer-sim-bench-")), "state.json");
  const s = start(file);
  await s.ready;
  const fx = await (await fetch(`${base}/__admin/fixtures`)).json();
  await s.stop();
  return { file, fx };
}

async function measure(name, file, fx, n) {
  const p = providers[name];
  const tenant = fx.providers[name].tenants[0];
  const slug = tenant.slug;
  const headers = { ...tenant.credentials.find((c) => c.kind === "full").headers, "content-type": "application/json" };
  const s = start(file);
  const startMs = await s.ready;
  const prefix = `${base}/${name}`;
  const ids = (await (await fetch(`${base}/__admin/fixtures`)).json()).providers[name].tenants[0].customerIds;
  const seq = async (path, count = REQUESTS) => {
    const times = [];
    for (let i = 0; i < count; i++) {
      const t = performance.now();
      const res = await fetch(`${prefix}${typeof path === "function" ? path(i) : path}`, { headers });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${name} ${typeof path === "function" ? path(i) : path}: ${res.status}`);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    return { p50: times[Math.floor(times.length * 0.5)], p99: times[Math.floor(times.length * 0.99)] };
  };
  await seq(p.list(slug), 20); // warm-up
  const row = {
    start: startMs,
    one: await seq((i) => p.one(ids[(i * 7919) % ids.length], slug)),
    list: await seq(p.list(slug)),
    search: await seq(p.search(slug), Math.min(REQUESTS, 50)),
    last: await seq(p.last(n, slug), Math.min(REQUESTS, 50)),
  };
  let k = 0;
  const write = (method, path, body) => new Promise((resolve, reject) => {
    const c0 = cpuMs(s.child.pid);
    const w0 = performance.now();
    let last = w0;
    const instance = autocannon({ url: `${prefix}${p.create(slug)}`, connections: 8, amount: WRITES, method, headers,
      requests: [{ setupRequest: (r) => ({ ...r, path: `/${name}${path()}`, body: JSON.stringify(body(k++)) }) }] },
    (e, r) => e ? reject(e) : r["2xx"] !== WRITES ? reject(new Error(`${name} ${method}: ${r["2xx"]} 2xx of ${WRITES}, ${JSON.stringify(r.statusCodeStats)}`)) : resolve({ rps: (WRITES * 1000) / (last - w0), cpuUs: ((cpuMs(s.child.pid) - c0) * 1000) / WRITES }));
    // (autocannon calls back on its next one-second tick: the time is up to the last response)
    instance.on("response", () => { last = performance.now(); });
  });
  row.create = await write("POST", () => p.create(slug), p.createBody);
  row.patch = await write("PATCH", () => p.one(ids[(k * 7919) % ids.length], slug), p.patchBody);
  row.rss = s.rss();
  await s.stop();
  return row;
}

const names = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(providers);
console.log(`Every provider at scale (--data; 25 customers vs ${N.toLocaleString("en")} in the first tenant); ${process.env.BENCH_SOURCE ?? root}; load average ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")}`);
console.log("  p50/p99 ms of sequential requests (the first search of a tenant also builds its search blocks); writes: req/s (8 connections) and server CPU µs a request");
const { file: seededFile, fx } = await seeded();
for (const name of names) {
  const small = `${seededFile}.${name}.small`;
  copyFileSync(seededFile, small);
  const big = `${seededFile}.${name}.big`;
  const doc = JSON.parse(readFileSync(seededFile, "utf8"));
  const sample = doc.providers[name].customers[fx.providers[name].tenants[0].customerIds[0]];
  for (let i = 0; i < N; i++) { const [id, row] = providers[name].clone(sample, i); doc.providers[name].customers[id] = row; }
  providers[name].after?.(doc);
  await writeStateFile(big, doc);
  const a = await measure(name, small, fx, 25);
  const b = await measure(name, big, fx, N + 25);
  const q = (t) => `${t.p50.toFixed(1)}/${t.p99.toFixed(1)}`;
  const fmt = (r) => `start ${r.start.toFixed(0)} ms, RSS ${r.rss.toFixed(0)} MB | GET one ${q(r.one)}, list ${q(r.list)}, search ${q(r.search)}, last page ${q(r.last)} | create ${r.create.rps.toFixed(0)}/s ${r.create.cpuUs.toFixed(0)} µs, PATCH ${r.patch.rps.toFixed(0)}/s ${r.patch.cpuUs.toFixed(0)} µs`;
  console.log(`  ${name.padEnd(8)} 25:    ${fmt(a)}`);
  console.log(`  ${"".padEnd(8)} ${(N / 1000).toFixed(0)}k: ${fmt(b)}`);
}
