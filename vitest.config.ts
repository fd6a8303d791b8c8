import { defineConfig } from "vitest/config";

// CI asks for a JSON report too (VITEST_JSON_REPORT=path) to print its pass/fail count.
const jsonReport = process.env.VITEST_JSON_REPORT;

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: "forks",
    // Every table row frozen: a row changed in place instead of replaced fails the test (core/table.ts).
    env: { CUSTOMER_SIM_FREEZE_ROWS: "1" },
    reporters: jsonReport ? ["default", "json"] : ["default"],
    ...(jsonReport ? { outputFile: { json: jsonReport } } : {}),
  },
});
