// The benchmarks' own bundle of the CLI (dist/ may be rebuilt under them by tests), built as
// scripts/build.mjs builds dist/cli.js — including the default seed's fixtures embedded
// through `__CUSTOMER_SIM_SEED_CACHE__`: without them a start-up would load faker and
// generate every provider's fixtures, which `npm start` never does.
import { build } from "esbuild";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { seedCache } from "../scripts/seed-cache.mjs";

const banner = { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" };
const common = { bundle: true, platform: "node", target: "node20", format: "esm", logLevel: "error", banner };

/** Builds src/cli.ts into a temp directory; resolves with the path of cli.js. */
export async function buildCli(root, { seedCache: withSeedCache = true } = {}) {
  const cliDir = mkdtempSync(join(tmpdir(), "customer-sim-bench-cli-"));
  await build({ ...common, entryPoints: { cli: join(root, "src/cli.ts") }, outdir: cliDir, splitting: true,
    external: ["@pact-foundation/pact"], minifySyntax: true,
    define: withSeedCache ? { __CUSTOMER_SIM_SEED_CACHE__: JSON.stringify(await seedCache(root)) } : {} });
  return join(cliDir, "cli.js");
}

/** Imports one module of `root`'s src (e.g. "src/core/text-file.ts"), bundled on its own. */
export async function importSource(root, entry) {
  const dir = mkdtempSync(join(tmpdir(), "customer-sim-bench-mod-"));
  await build({ ...common, entryPoints: { mod: join(root, entry) }, outdir: dir });
  return import(join(dir, "mod.js"));
}
