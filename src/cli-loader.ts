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
//   CUSTOMER_SIM_CODE_CACHE=write  (the build) compile without it, write it once `serve` serves
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
// The CommonJS wrapper, as node's own; the cache is only valid for this exact text.
const source = `(function (exports, require, module, __filename, __dirname) {${readFileSync(file, "utf8")}\n})`;
// (The bundle holds no `import()`: scripts/build.mjs turns them into require().)
const script = new vm.Script(source, { filename: file, cachedData });
if (mode === "check") console.error(`customer-sim: code cache ${cachedData === undefined ? "absent" : script.cachedDataRejected ? "rejected" : "used"}`);
if (mode === "write") {
  // Once `serve` serves (what it compiled to start, before it sets its V8 flags: a cache is only
  // valid under the flags it was made with), else at exit (other commands).
  let written = false;
  const write = () => {
    if (!written) writeFileSync(cacheFile, script.createCachedData());
    written = true;
  };
  (globalThis as { [SERVING_HOOK]?: () => void })[SERVING_HOOK] = write;
  process.once("exit", write);
}
const module = { exports: {} };
(script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(file), module, file, dir);
