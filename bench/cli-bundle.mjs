// The benchmarks' own bundle of the CLI (dist/ may be rebuilt under them by tests), built as
// scripts/build.mjs builds dist/cli.js — including the default seed's fixtures embedded
// through `__CUSTOMER_SIM_SEED_CACHE__`: without them a start-up would load faker and
// generate every provider's fixtures, which `npm start` never does.
import { build } from "esbuild";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const banner = { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" };
const common = { bundle: true, platform: "node", target: "node20", format: "esm", logLevel: "error", banner };

async function seedCache(root) {
  const dir = mkdtempSync(join(tmpdir(), "customer-sim-bench-seed-"));
  try {
    const outfile = join(dir, "seed.mjs");
    await build({
      ...common,
      stdin: {
        contents: `import { loadProviders } from "./src/app.ts";
export async function seedAll(seed) {
  const out = {};
  for (const p of await loadProviders()) out[p.name] = JSON.stringify(await p.seed({ seed }));
  return out;
}`,
        resolveDir: root,
        loader: "ts",
      },
      outfile,
    });
    const { seedAll } = await import(pathToFileURL(outfile).href);
    return { seed: 1, providers: await seedAll(1) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Builds src/cli.ts into a temp directory; resolves with the path of cli.js. */
export async function buildCli(root, { seedCache: withSeedCache = true } = {}) {
  const cliDir = mkdtempSync(join(tmpdir(), "customer-sim-bench-cli-"));
  await build({ ...common, entryPoints: { cli: join(root, "src/cli.ts") }, outdir: cliDir, splitting: true,
    external: ["@pact-foundation/pact"], minifySyntax: true,
    define: withSeedCache ? { __CUSTOMER_SIM_SEED_CACHE__: JSON.stringify(await seedCache(root)) } : {} });
  return join(cliDir, "cli.js");
}
