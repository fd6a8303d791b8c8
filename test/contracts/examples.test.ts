// The consumer examples (examples/contracts/) as a consumer team runs them: their Pact tests
// (PactV4, against Pact's mock server) write pacts, which `customer-sim contracts verify`
// (dist/cli.js, built by test/global-setup.ts) then checks against the simulator. One example
// expects a wrong status on purpose: its pact must fail, with the verifier's report readable.
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { providerNames } from "../../src/app.js";

function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { env: { ...process.env, PACT_DO_NOT_TRACK: "true", ...env }, maxBuffer: 32 * 1024 * 1024 }, (error, stdout, stderr) => {
      const plain = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, "");
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, out: plain(stdout + stderr) });
    });
  });
}

let dir: string;
let consumers: { code: number; out: string };
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "customer-sim-examples-"));
  const vitest = createRequire(import.meta.url).resolve("vitest/vitest.mjs");
  consumers = await run([vitest, "run", "--config", "examples/contracts/vitest.config.mts"], { PACT_DIR: join(dir, "pacts"), PACT_DIR_FAILING: join(dir, "failing") });
}, 180_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("consumer examples", () => {
  it("run as consumer tests and write one pact per provider the simulator serves", async () => {
    expect(consumers.code, consumers.out).toBe(0);
    const written = (await readdir(join(dir, "pacts"))).sort();
    expect(written).toEqual(providerNames().map((n) => `example-app-${n}-api.json`).sort());
    for (const file of written) {
      const pact = JSON.parse(await readFile(join(dir, "pacts", file), "utf8"));
      expect(pact.metadata.pactSpecification.version).toBe("4.0");
      // every interaction uses a provider state of simulator.md#pact
      for (const i of pact.interactions) expect(["a customer exists", "no customer exists"]).toContain(i.providerStates[0].name);
    }
  });

  it("verify against the simulator with one command", async () => {
    const res = await run(["dist/cli.js", "contracts", "verify", join(dir, "pacts")]);
    expect(res.code, res.out).toBe(0);
    for (const name of providerNames()) expect(res.out).toContain(`PASS ${name}-api`);
    expect(res.out).not.toContain("FAILED");
  }, 120_000);

  it("a pact expecting the wrong status fails, and the report says why", async () => {
    const res = await run(["dist/cli.js", "contracts", "verify", join(dir, "failing")]);
    expect(res.code).toBe(1);
    expect(res.out).toContain("FAIL rapidly-api");
    expect(res.out).toMatch(/a request to get a customer that does not exist, expecting 200[\s\S]*has status code 200 \(FAILED\)/);
    expect(res.out).toContain("expected 200 but was 404");
  }, 60_000);
});
