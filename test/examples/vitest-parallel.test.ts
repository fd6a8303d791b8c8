// examples/vitest-parallel runs as a team would run it: its own Vitest, several workers, one
// simulator started by its globalSetup, every worker in its own tenants.
import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { providerNames } from "../../src/app.js";

const repo = resolve(import.meta.dirname, "../..");

function vitest(): Promise<{ code: number | null; out: string }> {
  // Not this run's worker settings: the example's Vitest picks its own pool and workers.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("VITEST")));
  const child = spawn("npx", ["vitest", "run", "--config", "examples/vitest-parallel/vitest.config.ts"], {
    cwd: repo,
    env: { ...env, CUSTOMER_SIM_FROM_SOURCE: "1", NO_COLOR: "1", FORCE_COLOR: "0", CI: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (out += d));
  return new Promise((done) => child.once("exit", (code) => done({ code, out })));
}

describe("examples/vitest-parallel", () => {
  it("passes: three workers, one simulator, a tenant per worker and provider, each worker's faults and journal its own", async () => {
    const { code, out } = await vitest();
    expect(out).toMatch(/Test Files\s+3 passed \(3\)/);
    expect(out).toMatch(/Tests\s+6 passed \(6\)/);
    expect(code, out).toBe(0);
    const summary = /customer-sim: (\d+) requests from (\d+) tenants in (\d+) workers/.exec(out);
    expect(summary, out).not.toBeNull();
    const [, requests, tenants, workers] = summary!.map(Number);
    const providers = providerNames().length;
    expect(tenants).toBe(3 * providers);
    expect(requests).toBe(3 * tenants!);
    expect(workers).toBe(3);
  }, 240_000);
});
