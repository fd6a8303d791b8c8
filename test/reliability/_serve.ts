// A private build of the CLI for tests that run `customer-sim serve` as a child process:
// dist/ is rebuilt by other test runs at any moment, so these tests bundle their own copy.
import { build } from "esbuild";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

let built: Promise<string> | undefined;

/** Path of a bundled cli.js (built once per test file). */
export function privateCli(): Promise<string> {
  return (built ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), "customer-sim-cli-"));
    await build({
      entryPoints: { cli: "src/cli.ts" },
      bundle: true,
      platform: "node",
      target: "node20",
      format: "esm",
      outdir: dir,
      splitting: true,
      external: ["@pact-foundation/pact"],
      logLevel: "error",
      banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    });
    return join(dir, "cli.js");
  })());
}
