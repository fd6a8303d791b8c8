// In-process CPU per Rapidly create (app.request, in-memory state: no HTTP server, no disk):
// the JS cost of the create path alone, for before/after on a shared machine.
//   node bench/write-inproc.mjs [checkout dir]
import { build } from "esbuild";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
const root = process.argv[2] ?? fileURLToPath(new URL("..", import.meta.url));
const out = mkdtempSync(join(tmpdir(), "inproc-"));
await build({ entryPoints: { index: join(root, "src/index.ts") }, outdir: out, bundle: true, platform: "node", target: "node20", format: "esm", logLevel: "error", splitting: true,
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" }, external: ["@pact-foundation/pact"] });
const { createSimulator } = await import(join(out, "index.js"));
const sim = await createSimulator();
const fx = await (await sim.app.request("/__admin/fixtures")).json();
const headers = { ...fx.providers.rapidly.tenants[0].credentials.find((c) => c.kind === "full").headers, "content-type": "application/json" };
let i = 0;
async function run(n) {
  for (let k = 0; k < n; k++) {
    const body = JSON.stringify({ email: `new${i++}@example.com` });
    const res = await sim.app.request("/rapidly/api/customers/", { method: "POST", headers: { ...headers, "content-length": String(body.length) }, body });
    if (res.status !== 201) throw new Error(String(res.status) + await res.text());
    await res.text();
  }
}
await run(3000);
const results = [];
for (let r = 0; r < Number(process.env.ROUNDS ?? 5); r++) {
  const c0 = process.cpuUsage();
  await run(3000);
  const c = process.cpuUsage(c0);
  results.push((c.user + c.system) / 3000);
}
results.sort((a, b) => a - b);
console.log(`${root}: in-process create CPU µs: min ${results[0].toFixed(1)} med ${results[results.length >> 1].toFixed(1)} (${results.map((x) => x.toFixed(1)).join(", ")})`);
process.exit(0);
