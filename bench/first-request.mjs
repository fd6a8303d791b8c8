// The first requests after a start, per provider: what a cost moved out of start-up (zod
// schemas built on first use) adds to them. For each build given: start `serve` (default seed),
// wait for GET /__admin/health, then per provider, in order: GET list, POST create, POST create
// again, GET list again, each timed at the client (ms). Starts alternate between the builds;
// the median of each step over the runs is printed, with the first create's extra over the
// second (what is built or compiled once).
//   node bench/first-request.mjs [runs] [cli.js ...]   (default: 7 runs of dist/cli.js)
import { spawn } from "node:child_process";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const runs = Number(process.argv[2] ?? 7);
const targets = process.argv.slice(3).length ? process.argv.slice(3) : ["dist/cli.js"];

const bodies = {
  rapidly: (n) => ({ email: `first-request-${n}@example.com`, name: "First Request" }),
  flextell: () => ({ first_name: "First", last_name: "Request" }),
  plane: (n) => ({ name: `First Request ${n}` }),
  quentli: () => ({ input: { name: "First Request" } }),
};

async function once(target, port) {
  const child = spawn(process.execPath, [target, "serve", "--port", String(port)], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
  const exited = new Promise((r) => child.once("exit", r));
  try {
    for (;;) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/__admin/health`);
        if (res.status === 200) { await res.arrayBuffer(); break; }
      } catch {}
      await new Promise((r) => setTimeout(r, 20));
    }
    const fixtures = await (await fetch(`http://127.0.0.1:${port}/__admin/fixtures`)).json();
    const times = {};
    let n = 0;
    for (const [name, { basePath, tenants }] of Object.entries(fixtures.providers)) {
      const tenant = tenants[0];
      const headers = { ...tenant.credentials[0].headers, "content-type": "application/json" };
      const list = { rapidly: "/api/customers/", flextell: "/api/v1/customers", plane: `/api/v1/workspaces/${tenant.slug}/customers/`, quentli: "/v1/customers" }[name];
      const url = `http://127.0.0.1:${port}${basePath}${list}`;
      const step = async (label, init, ok) => {
        const t0 = performance.now();
        const res = await fetch(url, { headers, ...init });
        await res.arrayBuffer();
        times[`${name} ${label}`] = performance.now() - t0;
        if (!ok.includes(res.status)) throw new Error(`${name} ${label}: ${res.status}`);
      };
      await step("GET list (1st)", {}, [200]);
      await step("POST create (1st)", { method: "POST", body: JSON.stringify(bodies[name](++n)) }, [200, 201]);
      await step("POST create (2nd)", { method: "POST", body: JSON.stringify(bodies[name](++n)) }, [200, 201]);
      await step("GET list (2nd)", {}, [200]);
    }
    return times;
  } finally {
    child.kill("SIGTERM");
    await exited;
  }
}

const results = targets.map(() => []);
for (let r = 0; r < runs; r++) for (const [i, t] of targets.entries()) results[i].push(await once(t, 4761 + i));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const steps = Object.keys(results[0][0]);
console.log(`${"step".padEnd(32)}${targets.map((t) => t.slice(-28).padStart(30)).join("")}   (median of ${runs}, ms)`);
for (const s of steps) console.log(`${s.padEnd(32)}${results.map((rs) => median(rs.map((x) => x[s])).toFixed(2).padStart(30)).join("")}`);
