// The CLI as shipped (dist/cli.js, built by test/global-setup.ts): export, then verify the
// pacts against the simulator with the Pact verifier (its native core), and a tampered pact.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { providerNames } from "../../src/app.js";
import type { V4Pact } from "../../src/contracts/types.js";

function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ["dist/cli.js", ...args], { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      // the verifier's report is colored whatever the terminal: compared without the colors
      const plain = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, "");
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, out: plain(stdout), err: plain(stderr) });
    });
  });
}

let dir: string;
let pactFile: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "customer-sim-verify-"));
  const res = await cli(["contracts", "export", "--out", join(dir, "pacts"), "--consumer", "web-app"]);
  expect(res.code, res.err).toBe(0);
  pactFile = join(dir, "pacts", "web-app-rapidly-api.json");
  expect(res.out).toContain(pactFile);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function tampered(name: string, change: (pact: V4Pact) => void): Promise<string> {
  const pact = JSON.parse(await readFile(pactFile, "utf8")) as V4Pact;
  change(pact);
  const file = join(dir, name);
  await writeFile(file, JSON.stringify(pact));
  return file;
}

describe("contracts verify", () => {
  it("passes the exported pacts (a directory), with any seed: ids and tokens come from the states", async () => {
    // one pact per served provider
    expect(await readdir(join(dir, "pacts"))).toEqual(providerNames().map((name) => `web-app-${name}-api.json`).sort());
    const res = await cli(["contracts", "verify", join(dir, "pacts"), "--seed", "5"]);
    expect(res.code, res.out + res.err).toBe(0);
    for (const name of providerNames()) {
      expect(res.out).toContain(`Verifying a pact between web-app and ${name}-api`);
      expect(res.out).toContain(`PASS ${name}-api`);
    }
    expect(res.out).not.toContain("FAILED");
  });

  it("fails (exit 1) when an expected status is changed", async () => {
    const file = await tampered("status.json", (p) => {
      p.interactions.find((i) => i.description === "a request to get a customer")!.response.status = 201;
    });
    const res = await cli(["contracts", "verify", file]);
    expect(res.code).toBe(1);
    expect(res.out).toContain("FAIL rapidly-api");
    expect(res.out).toMatch(/a request to get a customer[\s\S]*has status code 201[\s\S]*expected 201 but was 200/);
  });

  it("fails when an expected body value is changed, or a state is unknown", async () => {
    const body = await tampered("body.json", (p) => {
      const i = p.interactions.find((x) => x.description === "a request to get a customer with an id that is not a UUID")!;
      (i.response.body!.content as { error: string }).error = "SomethingElse";
    });
    expect((await cli(["contracts", "verify", body])).code).toBe(1);
    const state = await tampered("state.json", (p) => {
      p.interactions = p.interactions.filter((i) => i.description === "a request to get a customer");
      p.interactions[0]!.providerStates = [{ name: "a unicorn exists" }];
    });
    const res = await cli(["contracts", "verify", state]);
    expect(res.code).toBe(1);
    expect(res.out + res.err).toContain("a unicorn exists");
  });

  it("fails on a provider the simulator does not serve, and on bad arguments", async () => {
    const other = await tampered("other.json", (p) => {
      p.provider.name = "nobody-api";
    });
    const res = await cli(["contracts", "verify", other]);
    expect(res.code).toBe(1);
    expect(res.out).toContain("FAIL nobody-api");
    expect((await cli(["contracts", "verify"])).code).toBe(2);
    expect((await cli(["contracts", "nope"])).code).toBe(2);
    expect((await cli(["contracts", "export", "--provider", "nope", "--out", dir])).code).toBe(2);
  });
});
