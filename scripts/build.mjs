// Builds dist/: one bundled ESM file per entry. A single file starts faster than hundreds of
// node_modules files resolved one by one, and start-up is a feature (a sidecar starts in every
// CI job). Type checking is `npm run typecheck` (tsc); this step only transpiles and bundles.
//
// The default seed's fixtures are generated here, with the providers' own seed(), and embedded
// in the bundle (src/core/seed-cache.ts): a default start then loads neither faker nor the
// fixture builders. Any other seed is generated at run time by the same code.
import { build } from "esbuild";
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
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
// The Pact verifier (contracts verify only, a dev dependency) loads a native core: not bundled.
const external = ["@pact-foundation/pact"];
const minify = { minifySyntax: true, minifyWhitespace: true, legalComments: "none" };
// The library: ES modules; lazily loaded parts (fixtures, OpenAPI, contracts) stay in chunks.
await build({
  ...common,
  ...minify,
  entryPoints: { index: "src/index.ts" },
  external,
  outdir: "dist",
  splitting: true,
  chunkNames: "chunks/index-[name]-[hash]",
  define: { __CUSTOMER_SIM_SEED_CACHE__: cache },
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});
// The CLI: one classic script (dist/cli.cjs) that dist/cli.js (src/cli-loader.ts) runs with
// V8's code cache (dist/cli.cache, below). One file, so nothing is resolved or linked at start;
// what it loads lazily (fixture builders, OpenAPI, contracts) is in it but never compiled unless
// it runs. Every byte of it is read and held at each start, so two large parts stay outside:
// faker (dist/faker.cjs, required only when a seed is generated) and the default seed's
// fixtures (dist/seed-cache.json, read as data: no source text, no copy in the code cache).
// Its format: one header line, {"seed", "offsets": {<provider>: [start, end]}}, then each provider's
// document as JSON text, one after the other; the offsets are into the text after the header
// line. Each document is parsed once, from a slice of the file's text (a JSON file holding the
// documents as strings parsed ~190 KB twice: the file, then each string).
writeFileSync("dist/seed-cache.json", seedCacheFile(JSON.parse(cache)));
await build({
  ...common,
  ...minify,
  format: "cjs",
  stdin: { contents: 'export * from "@faker-js/faker/locale/en";', resolveDir: process.cwd(), loader: "js" },
  outfile: "dist/faker.cjs",
});
const fakerOutside = {
  name: "faker-outside",
  setup(b) {
    b.onResolve({ filter: /^@faker-js\/faker\/locale\/en$/ }, () => ({ path: "./faker.cjs", external: true }));
  },
};
const [cliBundle] = (await build({
  ...common,
  ...minify,
  format: "cjs",
  entryPoints: ["src/cli.ts"],
  external,
  plugins: [fakerOutside],
  // `import()` of what stays outside (the Pact verifier, node: built-ins) as require(): a
  // classic script has no module loader of its own to import with.
  supported: { "dynamic-import": false },
  write: false,
  outfile: "dist/cli.cjs",
  define: { __CUSTOMER_SIM_SEED_CACHE__: "__cli_seed_cache", "import.meta.url": "__cli_url" },
  banner: {
    js: "const __cli_url = require('node:url').pathToFileURL(__filename).href;" +
      "let __cli_seed_cache; try { const t = require('node:fs').readFileSync(require('node:path').join(__dirname, 'seed-cache.json'), 'utf8'), n = t.indexOf('\\n') + 1, h = JSON.parse(t.slice(0, n)), providers = {};" +
      " for (const k in h.offsets) providers[k] = t.slice(n + h.offsets[k][0], n + h.offsets[k][1]); __cli_seed_cache = { seed: h.seed, providers }; } catch {}",
  },
})).outputFiles;
// Written inside the CommonJS wrapper (node's own), which the loader compiles as it reads it:
// joining a 670 KB text to the wrapper at each start made a second copy of it. (src/cli.ts's
// hashbang line is no statement inside a function: dropped.)
writeFileSync("dist/cli.cjs", `(function (exports, require, module, __filename, __dirname) {${cliBundle.text.replace(/^#!.*\n/, "")}\n})`);
await build({ ...common, ...minify, entryPoints: { cli: "src/cli-loader.ts" }, outdir: "dist" });
// The image's HEALTHCHECK runs this one small file every 2 s: no server code in it.
await build({ ...common, entryPoints: { healthcheck: "src/healthcheck-main.ts" }, outdir: "dist", minifySyntax: true, minifyWhitespace: true, legalComments: "none" });
// An optimization only: a build that cannot run the server (no loopback, say) ships without it.
await writeCodeCache().catch((err) => console.warn(`build: no dist/cli.cache (${err.message}): start-up will compile the CLI`));
if (types) cpSync(await types, new URL("../dist/types", import.meta.url), { recursive: true });

/** dist/seed-cache.json's text (see above) for `{ seed, providers: { <name>: <JSON text> } }`. */
function seedCacheFile({ seed, providers }) {
  const offsets = {};
  let at = 0;
  for (const [name, text] of Object.entries(providers)) {
    offsets[name] = [at, at + text.length];
    at += text.length;
  }
  return `${JSON.stringify({ seed, offsets })}\n${Object.values(providers).join("")}`;
}

/**
 * dist/cli.cache: V8's code cache of dist/cli.cjs after a real start — `serve` on a free port,
 * up to its answer to its first request (GET /__admin/health) — so what a start-up and that
 * request compile is in it. Written by the loader itself (see
 * src/cli-loader.ts). A build with another node than the one that runs it only loses the
 * cache (V8 rejects it), never correctness.
 */
async function writeCodeCache() {
  const env = { ...process.env, CUSTOMER_SIM_CODE_CACHE: "write" };
  // The default start, whatever this shell's settings (flags win over the rest).
  for (const name of ["DATA_FILE", "PROVIDER", "SEED", "RATE_LIMITS", "SIM_ADMIN_TOKEN", "FAULTS_FILE", "JOURNAL_SIZE"]) delete env[name];
  const child = spawn(process.execPath, ["dist/cli.js", "serve", "--port", "0", "--host", "127.0.0.1"], { env, stdio: ["ignore", "pipe", "inherit"] });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  try {
    const url = await new Promise((resolve, reject) => {
      let out = "";
      child.stdout.on("data", (d) => {
        out += d;
        const m = /listening on (http:\/\/\S+)/.exec(out);
        if (m && out.includes("/__admin/fixtures")) resolve(m[1]);
      });
      child.once("exit", (code) => reject(new Error(`code cache: the server exited (${code}) before it listened`)));
      setTimeout(() => reject(new Error("code cache: no start in 60 s")), 60_000).unref();
    });
    await (await fetch(`${url}/__admin/health`)).text();
  } finally {
    child.kill("SIGTERM");
    await exited;
  }
  const check = spawnSync(process.execPath, ["dist/cli.js", "--help"], { env: { ...process.env, CUSTOMER_SIM_CODE_CACHE: "check" }, encoding: "utf8" });
  if (!/code cache used/.test(check.stderr)) console.warn(`build: dist/cli.cache is not used (${check.stderr.trim()}): start-up will compile the CLI`);
}
