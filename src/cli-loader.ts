#!/usr/bin/env node
// dist/cli.js, what `npm start`, `npx customer-sim` and the image run: it loads the CLI bundle
// (dist/cli.cjs, one file, src/cli.ts and everything it may load) with V8's code cache
// (dist/cli.cache, written by scripts/build.mjs from a real start-up of the same bundle), so a
// start compiles almost nothing: compiling the bundle's JavaScript was the largest part of
// start-up after node's own. Node 20 has no code cache for ES modules, hence a classic script
// run as CommonJS. A cache from another node version or other V8 flags is rejected by V8 and
// the bundle is compiled as usual: the same program, only slower to start.
//   CUSTOMER_SIM_CODE_CACHE=off    ignore the cache
//   CUSTOMER_SIM_CODE_CACHE=check  say on stderr whether the cache was used
//   CUSTOMER_SIM_CODE_CACHE=write  (the build) compile without it, write it once `serve` has
//                                  answered its first request (GET /__admin/health)
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";
import { SERVING_HOOK } from "./server-flags.js";

const dir = dirname(fileURLToPath(import.meta.url));
const file = join(dir, "cli.cjs");
const cacheFile = join(dir, "cli.cache");
const mode = process.env.CUSTOMER_SIM_CODE_CACHE;

let cachedData: Buffer | undefined;
if (mode !== "off" && mode !== "write") {
  try {
    cachedData = readFileSync(cacheFile);
  } catch {} // no cache: compiled as usual
}
// The file is the bundle already inside the CommonJS wrapper (scripts/build.mjs): compiled as
// read, with no second copy of its 670 KB made by joining it to a wrapper here. The cache is only
// valid for this exact text.
const source = readFileSync(file, "utf8");
// (The bundle holds no `import()`: scripts/build.mjs turns them into require().)
const script = new vm.Script(source, { filename: file, cachedData });
if (mode === "check") console.error(`customer-sim: code cache ${cachedData === undefined ? "absent" : script.cachedDataRejected ? "rejected" : "used"}`);
if (mode === "write") {
  // Once `serve` has answered its first request — GET /__admin/health, what a start-up is timed
  // to — so that what the first request compiles (the app's router, the HTTP adapter, the
  // handler) is in the cache too, not only what starting compiled; else at exit (other
  // commands). A default `serve` sets no V8 flags (a cache is only valid under the flags it was
  // made with: src/server-flags.ts).
  let written = false;
  const write = () => {
    if (!written) writeFileSync(cacheFile, script.createCachedData());
    written = true;
  };
  (globalThis as { [SERVING_HOOK]?: (url: string) => void })[SERVING_HOOK] = (url) => {
    void fetch(`${url}/__admin/health`)
      .then((res) => res.arrayBuffer())
      .then(write, write);
  };
  process.once("exit", write);
}
// The bundle's `require`: built-in modules (all a start requires) straight from
// process.getBuiltinModule, so a start does not compile and run node's CommonJS loader (its
// Module._load and resolution) for each; anything else (dist/faker.cjs, the Pact verifier)
// through a real require, made on first use.
let fileRequire: NodeJS.Require | undefined;
const bundleRequire = (id: string): unknown => process.getBuiltinModule(id) ?? (fileRequire ??= createRequire(file))(id);
const module = { exports: {} };
(script.runInThisContext() as (...args: unknown[]) => void)(module.exports, bundleRequire, module, file, dir);
