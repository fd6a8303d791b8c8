// Builds dist/: one bundled ESM file per entry. A single file starts faster than hundreds of
// node_modules files resolved one by one, and start-up is a feature (a sidecar starts in every
// CI job). Type checking is `npm run typecheck` (tsc); this step only transpiles and bundles.
//
// The default seed's fixtures are generated here, with the providers' own seed(), and embedded
// in the bundle (src/core/seed-cache.ts): a default start then loads neither faker nor the
// fixture builders. Any other seed is generated at run time by the same code.
import { build } from "esbuild";
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { seedCache } from "./seed-cache.mjs";

const common = { bundle: true, platform: "node", target: "node20", format: "esm", logLevel: "warning" };

// The package's TypeScript declarations (dist/types, package.json "types"): emitted by tsc
// without type checking (`npm run typecheck` checks), in a child process alongside the bundles,
// and kept in node_modules/.cache keyed by the sources: unchanged sources reuse them.
const TYPES_CACHE = "node_modules/.cache/customer-sim-types";
const TSC_ARGS = ["src/index.ts", "--declaration", "--emitDeclarationOnly", "--noCheck", "--rootDir", "src",
  "--target", "ES2022", "--module", "NodeNext", "--moduleResolution", "NodeNext", "--strict", "--skipLibCheck", "--types", "node"];

function sourcesKey() {
  const hash = createHash("sha256").update(JSON.stringify(TSC_ARGS)).update(readFileSync("node_modules/typescript/package.json"));
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".ts")) hash.update(path).update("\0").update(readFileSync(path)).update("\0");
    }
  };
  walk("src");
  return hash.digest("hex").slice(0, 16);
}

/** Resolves with a directory holding the declarations (do not modify it). */
async function declarations() {
  const cached = join(TYPES_CACHE, sourcesKey());
  if (existsSync(cached)) return cached;
  const dir = mkdtempSync(join(tmpdir(), "customer-sim-types-"));
  await new Promise((resolve, reject) => {
    const tsc = spawn(process.execPath, ["node_modules/typescript/bin/tsc", ...TSC_ARGS, "--outDir", dir], { stdio: ["ignore", "inherit", "inherit"] });
    tsc.once("error", reject);
    tsc.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`tsc (declarations) exited ${code}`))));
  });
  // Entries of older sources go after an hour (not at once: a concurrent build may be copying one).
  for (const old of existsSync(TYPES_CACHE) ? readdirSync(TYPES_CACHE) : []) {
    try {
      if (Date.now() - statSync(join(TYPES_CACHE, old)).mtimeMs > 3_600_000) rmSync(join(TYPES_CACHE, old), { recursive: true, force: true });
    } catch {} // gone already
  }
  cpSync(dir, `${cached}.${process.pid}`, { recursive: true });
  rmSync(dir, { recursive: true, force: true });
  try {
    renameSync(`${cached}.${process.pid}`, cached);
  } catch {
    rmSync(`${cached}.${process.pid}`, { recursive: true, force: true });
  }
  return existsSync(cached) ? cached : Promise.reject(new Error("declarations: cache entry vanished"));
}
// Only for the package (`npm pack` runs `prepack`: build --types): `npm start` and the image
// need no declarations, and tsc would make every start's build several seconds slower.
const withTypes = process.argv.includes("--types");
const types = withTypes ? declarations() : null;
types?.catch(() => {}); // awaited below

rmSync(new URL("../dist", import.meta.url), { recursive: true, force: true });
const cache = JSON.stringify(await seedCache(process.cwd()));
// Two builds, so the CLI's `serve` path shares no chunks with the library entry: fewer files
// to load at start-up. Lazily loaded parts (fixtures, OpenAPI, contracts) stay in chunks.
for (const [name, entry] of [["cli", "src/cli.ts"], ["index", "src/index.ts"]]) {
  await build({
    ...common,
    entryPoints: { [name]: entry },
    // The Pact verifier (contracts verify only, a dev dependency) loads a native core: not bundled.
    external: ["@pact-foundation/pact"],
    outdir: "dist",
    splitting: true,
    chunkNames: `chunks/${name}-[name]-[hash]`,
    minifySyntax: true,
    minifyWhitespace: true,
    legalComments: "none",
    define: { __CUSTOMER_SIM_SEED_CACHE__: cache },
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
}
// The image's HEALTHCHECK runs this one small file every 2 s: no server code in it.
await build({ ...common, entryPoints: { healthcheck: "src/healthcheck-main.ts" }, outdir: "dist", minifySyntax: true, minifyWhitespace: true, legalComments: "none" });
if (types) cpSync(await types, new URL("../dist/types", import.meta.url), { recursive: true });
