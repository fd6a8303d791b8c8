// One customer-sim for a whole parallel Vitest suite (spec: simulator.md#parallel-suites).
// Copy this folder into your project (`npm install --save-dev customer-sim`), point `include`
// at your tests, and use the tenants and the admin helpers of ./tenants.ts.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// This repository's own test run (test/examples/) uses the TypeScript source instead of the
// built package; in your project "customer-sim" is the installed package and this is unused.
const fromSource = process.env.CUSTOMER_SIM_FROM_SOURCE === "1";

export default defineConfig({
  resolve: fromSource ? { alias: { "customer-sim": fileURLToPath(new URL("../../src/index.ts", import.meta.url)) } } : {},
  test: {
    root: fileURLToPath(new URL(".", import.meta.url)),
    include: ["*.test.ts"],
    // Starts the simulator once, in-process, before any worker; its URL is provided to them.
    globalSetup: ["./global-setup.ts"],
    // Several worker processes at once: each test file runs in one of them.
    pool: "forks",
    poolOptions: { forks: { minForks: 3, maxForks: 3 } },
    fileParallelism: true,
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
