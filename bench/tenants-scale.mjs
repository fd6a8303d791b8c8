// A write's cost vs the number of tenants (prints, asserts nothing): 300 sequential customer
// creates in each provider's first tenant, --data, with its 2 fixture tenants and then with
// BENCH_TENANTS (default 1,000) more made through POST /__admin/{provider}/tenants, as parallel
// suites make them. Server on CPU 0, this process on CPU 1. A write that compared every
// tenant's and credential's JSON per batch cost 4–6× more CPU with 1,000 tenants (#13).
// Also the making of those tenants: server CPU per tenant made, the first 100 vs the last 100.
//   node bench/tenants-scale.mjs [rapidly flextell quentli plane]
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildCli } from "./cli-bundle.mjs";
import { pinLoadToCpu1, startServer } from "./server.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const PORT = Number(process.env.BENCH_PORT ?? 4694);
const base = `http://127.0.0.1:${PORT}`;
const TENANTS = Number(process.env.BENCH_TENANTS ?? 1000);
const CREATES = 300;
const taskset = pinLoadToCpu1();
const CLI = await buildCli(process.env.BENCH_SOURCE ?? root);

const cpuMs = (pid) => {
  const f = readFileSync(`/proc/${pid}/stat`, "utf8");
  const a = f.slice(f.lastIndexOf(")") + 2).split(" ");
  return (Number(a[11]) + Number(a[12])) * 10;
};
/** Each provider's create path in its first tenant, and a body for the k-th create. */
const creates = {
  rapidly: { path: () => "/api/customers/", body: (k) => ({ email: `t${k}@example.com` }) },
  flextell: { path: () => "/api/v1/customers", body: (k) => ({ first_name: "Tenant", last_name: `Bench ${k}` }) },
  quentli: { path: () => "/v1/customers", body: (k) => ({ input: { name: `Tenant Bench ${k}` } }) },
  plane: { path: (t) => `/api/v1/workspaces/${t.slug}/customers/`, body: (k) => ({ name: `Tenant Bench ${k}` }) },
};

async function run(name, made) {
  const file = join(mkdtempSync(join(tmpdir(), "customer-sim-bench-")), "state.json");
  const s = startServer({ cli: CLI, port: PORT, file, cwd: root, pin: taskset, timeoutMs: 120_000 });
  await s.ready;
  const making = [];
  let m0 = cpuMs(s.child.pid);
  for (let i = 0; i < made; i++) {
    const res = await fetch(`${base}/__admin/${name}/tenants`, { method: "POST" });
    await res.arrayBuffer();
    if (res.status !== 201) throw new Error(`${name} tenant: ${res.status}`);
    if (i % 100 === 99) {
      const m = cpuMs(s.child.pid);
      making.push(((m - m0) * 1000) / 100);
      m0 = m;
    }
  }
  const tenant = (await (await fetch(`${base}/__admin/fixtures`)).json()).providers[name].tenants[0];
  const headers = { ...tenant.credentials.find((c) => c.kind === "full").headers, "content-type": "application/json" };
  const c0 = cpuMs(s.child.pid);
  const t0 = performance.now();
  for (let k = 0; k < CREATES; k++) {
    const res = await fetch(`${base}/${name}${creates[name].path(tenant)}`, { method: "POST", headers, body: JSON.stringify(creates[name].body(k)) });
    await res.arrayBuffer();
    if (res.status >= 300) throw new Error(`${name} create: ${res.status}`);
  }
  const wall = (performance.now() - t0) / CREATES;
  const cpu = ((cpuMs(s.child.pid) - c0) * 1000) / CREATES;
  await s.stop();
  const made100 = making.length >= 2 ? ` (making a tenant: CPU ${making[0].toFixed(0)} µs the first 100, ${making.at(-1).toFixed(0)} µs the last 100)` : "";
  return `${wall.toFixed(2)} ms, CPU ${cpu.toFixed(0)} µs${made100}`;
}

const names = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(creates);
console.log(`A create vs the number of tenants (--data; ${CREATES} sequential creates; server CPU from /proc, ±10 ms a run); ${process.env.BENCH_SOURCE ?? root}`);
for (const name of names) console.log(`  ${name.padEnd(8)} 2 tenants: ${await run(name, 0)}   ${(TENANTS + 2).toLocaleString("en")} tenants: ${await run(name, TENANTS)}`);
