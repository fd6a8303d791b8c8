// The default seed's fixtures of every provider, generated with the providers' own seed() —
// what scripts/build.mjs embeds in dist/ (`__CUSTOMER_SIM_SEED_CACHE__`) so that a default start
// loads neither faker nor the fixture builders; the benchmarks' CLI bundle embeds it too.
import { build } from "esbuild";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

export const DEFAULT_SEED = 1;

/** `{ seed, providers: { <name>: <JSON text of its seeded document> } }` for the sources in `root`. */
export async function seedCache(root, seed = DEFAULT_SEED) {
  const dir = mkdtempSync(join(tmpdir(), "customer-sim-seed-"));
  try {
    const outfile = join(dir, "seed.mjs");
    await build({
      bundle: true,
      platform: "node",
      target: "node20",
      format: "esm",
      logLevel: "warning",
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
      banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    });
    const { seedAll } = await import(pathToFileURL(outfile).href);
    return { seed, providers: await seedAll(seed) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
