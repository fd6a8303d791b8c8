// GET one Rapidly customer in instructions per request (valgrind's callgrind), which other
// processes on the machine do not change (CPU µs per request on this shared VM moves ±20%
// from one run to the next). Each server runs under callgrind; W requests warm it up (8
// keep-alive connections), the counters are zeroed, N more requests are sent, the counts are
// dumped. Includes everything the process runs for them (node's HTTP, GC, JIT threads), not
// the kernel. ~1-2 min per server; repeatable to ~3%.
//   node bench/get-instructions.mjs [cli.js ...]   (default: dist/cli.js and the bare app)
//   W=8000 N=8000 (defaults); "bare" names bench/bare-app.mjs (it answers the first CLI's customer)
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const targets = process.argv.slice(2).length ? process.argv.slice(2) : ["dist/cli.js", "bare"];
const W = Number(process.env.W ?? 8000);
const N = Number(process.env.N ?? 8000);
const CONNECTIONS = 8;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function ready(port) {
  for (;;) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/__admin/health`)).ok) return;
    } catch {}
    await sleep(200);
  }
}

/** `n` GETs over CONNECTIONS keep-alive connections, each answered 200. */
function load(port, path, headers, n) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  let sent = 0;
  let done = 0;
  return new Promise((resolve, reject) => {
    const one = () => {
      if (sent >= n) return;
      sent++;
      http
        .get({ host: "127.0.0.1", port, path, headers, agent }, (res) => {
          if (res.statusCode !== 200) return reject(new Error(`status ${res.statusCode}`));
          res.resume();
          res.on("end", () => {
            if (++done === n) {
              agent.destroy();
              resolve();
            } else one();
          });
        })
        .on("error", reject);
    };
    for (let i = 0; i < CONNECTIONS; i++) one();
  });
}

let port = 4680;
let ref;
for (const target of targets) {
  const p = ++port;
  const dir = mkdtempSync(join(tmpdir(), "customer-sim-get-callgrind-"));
  const bare = target === "bare";
  if (bare && !ref) throw new Error("name a CLI before the bare app: it answers that CLI's customer");
  const args = bare ? [join(root, "bench/bare-app.mjs")] : [target, "serve", "--port", String(p)];
  const env = bare ? { ...process.env, PORT: String(p), BARE_TOKEN: ref.headers.Authorization.slice(7), BARE_CUSTOMER: ref.body } : process.env;
  const child = spawn("valgrind", ["--tool=callgrind", `--callgrind-out-file=${dir}/cg.%p`, process.execPath, ...args], { cwd: root, env, stdio: ["ignore", "ignore", "pipe"] });
  child.stderr.resume();
  await ready(p);
  if (!bare) {
    const fixtures = await (await fetch(`http://127.0.0.1:${p}/__admin/fixtures`)).json();
    const tenant = fixtures.providers.rapidly.tenants[0];
    const headers = tenant.credentials.find((c) => c.kind === "full").headers;
    const path = `/rapidly/api/customers/${tenant.customerIds[0]}`;
    ref ??= { headers, path, body: await (await fetch(`http://127.0.0.1:${p}${path}`, { headers })).text() };
  }
  await load(p, ref.path, ref.headers, W);
  await sleep(500);
  execFileSync("callgrind_control", ["-z", String(child.pid)], { stdio: "ignore" });
  await load(p, ref.path, ref.headers, N);
  execFileSync("callgrind_control", ["-d", String(child.pid)], { stdio: "ignore" });
  child.kill("SIGTERM");
  await new Promise((r) => child.once("exit", r));
  const dump = readdirSync(dir).find((f) => /^cg\.\d+\.1$/.test(f));
  const total = Number(/^(?:summary|totals):\s*(\d+)/m.exec(readFileSync(join(dir, dump), "utf8"))?.[1]);
  rmSync(dir, { recursive: true, force: true });
  console.log(`${(bare ? "bare hono" : target).padEnd(28)} ${(total / N / 1000).toFixed(1)} k instructions/request`);
}
