// Runs the example consumer tests: `npx vitest run --config examples/contracts/vitest.config.mts`.
// Each writes its pact to $PACT_DIR (default examples/contracts/pacts); the deliberately wrong
// one (failing/) to $PACT_DIR_FAILING (default examples/contracts/pacts-failing).
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ["**/*.pact.test.ts"],
    testTimeout: 30_000,
    // pact-js runs one mock server per interaction: one file at a time keeps it simple
    fileParallelism: false,
  },
});
