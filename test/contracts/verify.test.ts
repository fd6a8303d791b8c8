// The CLI, bundled from src/cli.ts as the build bundles it (the Pact verifier left external),
// into this file's own directory: a rebuild of dist/ by another test run cannot pull it away
// mid-test. Export one pact per provider the simulator serves (src/app.ts providerEntries),
// verify them all against the simulator with the Pact verifier (its native core), and pacts
// tampered with, for every provider.
// Each `verify` run starts the verifier once per pact provider: a tampered run verifies one
// interaction per provider (one pact each, one run for all providers) to keep the time bounded.
import { build } from "esbuild";
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { providerNames } from "../../src/app.js";
import type { V4Interaction, V4Pact } from "../../src/contracts/types.js";

let dir: string;

function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(dir, "cli.mjs"), ...args], { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      // the verifier's report is colored whatever the terminal: compared without the colors
      const plain = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, "");
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, out: plain(stdout), err: plain(stderr) });
    });
  });
}

const names = providerNames();
const pactName = (name: string) => `web-app-${name}-api.json`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "customer-sim-verify-"));
  // the external Pact verifier resolves from the repository's node_modules
  await symlink(resolve("node_modules"), join(dir, "node_modules"), "dir");
  await build({
    entryPoints: ["src/cli.ts"],
    outfile: join(dir, "cli.mjs"),
    bundle: true,
    platform: "node",
    target: "node20",
    format: "esm",
    external: ["@pact-foundation/pact"],
    logLevel: "warning",
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  const res = await cli(["contracts", "export", "--out", join(dir, "pacts"), "--consumer", "web-app"]);
  expect(res.code, res.err).toBe(0);
  for (const name of names) expect(res.out).toContain(`wrote ${join(dir, "pacts", pactName(name))}`);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const exported = async (name: string) => JSON.parse(await readFile(join(dir, "pacts", pactName(name)), "utf8")) as V4Pact;

/**
 * A directory `kind/` with one pact per provider, each holding only the interaction `tamper`
 * picked from that provider's exported pact and changed. Resolves with the chosen interactions.
 */
async function tamperedDir(kind: string, tamper: (pact: V4Pact) => V4Interaction): Promise<{ path: string; chosen: Record<string, V4Interaction> }> {
  const path = join(dir, kind);
  await mkdir(path, { recursive: true });
  const chosen: Record<string, V4Interaction> = {};
  for (const name of names) {
    const pact = await exported(name);
    const interaction = tamper(pact);
    pact.interactions = [interaction];
    chosen[name] = interaction;
    await writeFile(join(path, pactName(name)), JSON.stringify(pact));
  }
  return { path, chosen };
}

/** The verifier's report of one pact provider: from its "Verifying a pact" line to the next one. */
function reportOf(out: string, name: string): string {
  const start = out.indexOf(`Verifying a pact between web-app and ${name}-api`);
  expect(start, `no report for ${name}-api`).toBeGreaterThanOrEqual(0);
  // (a failure's summary, "1) Verifying a pact between ...", is part of the report)
  const next = out.indexOf("\nVerifying a pact between", start);
  return out.slice(start, next === -1 ? undefined : next);
}

describe("contracts export", () => {
  it("writes one pact per provider the simulator serves, web-app → <provider>-api, each with interactions", async () => {
    expect((await readdir(join(dir, "pacts"))).sort()).toEqual(names.map(pactName).sort());
    for (const name of names) {
      const pact = await exported(name);
      expect(pact.consumer.name).toBe("web-app");
      expect(pact.provider.name).toBe(`${name}-api`);
      expect(pact.interactions.length, name).toBeGreaterThan(0);
    }
  });
});

describe("contracts verify", () => {
  // 4 providers, every interaction: ~15 s on an idle machine
  it("passes the exported pacts (a directory), with any seed: ids and tokens come from the states", { timeout: 90_000 }, async () => {
    const res = await cli(["contracts", "verify", join(dir, "pacts"), "--seed", "5"]);
    expect(res.code, res.out + res.err).toBe(0);
    for (const name of names) {
      expect(res.out).toContain(`Verifying a pact between web-app and ${name}-api`);
      expect(res.out).toContain(`PASS ${name}-api: ${join(dir, "pacts", pactName(name))}`);
      // every interaction of the pact was verified
      const report = reportOf(res.out, name);
      for (const i of (await exported(name)).interactions) expect(report, `${name}: ${i.description}`).toContain(i.description);
    }
    expect(res.out).not.toContain("FAIL");
  });

  it("fails (exit 1) for every provider when an expected status is changed", { timeout: 45_000 }, async () => {
    const { path, chosen } = await tamperedDir("status", (pact) => {
      const i = pact.interactions.find((x) => x.response.status === 200 && x.response.body)!;
      expect(i, `${pact.provider.name}: an interaction answering 200 with a body`).toBeDefined();
      i.response.status = 201;
      return i;
    });
    const res = await cli(["contracts", "verify", path]);
    expect(res.code, res.out + res.err).toBe(1);
    for (const name of names) {
      expect(res.out).toContain(`FAIL ${name}-api`);
      expect(reportOf(res.out, name)).toMatch(new RegExp(`${escape(chosen[name]!.description)}[\\s\\S]*has status code 201[\\s\\S]*expected 201 but was 200`));
    }
  });

  it("fails (exit 1) for every provider when an expected body value is changed", { timeout: 45_000 }, async () => {
    const changed: Record<string, { from: string; to: string }> = {};
    const { path } = await tamperedDir("body", (pact) => {
      // a body compared by value: no matching rules, no generators (an error body, typically)
      const i = pact.interactions.find(
        (x) => typeof x.response.body?.content === "object" && x.response.body.content !== null && Object.keys(x.response.matchingRules?.body ?? {}).length === 0 && !x.response.generators,
      )!;
      expect(i, `${pact.provider.name}: an interaction whose body is compared by value`).toBeDefined();
      const leaf = firstStringLeaf(i.response.body!.content);
      expect(leaf, `${pact.provider.name}: "${i.description}" has a string in its body`).toBeDefined();
      const from = leaf!.get();
      leaf!.set(`${from} (changed)`);
      changed[pact.provider.name.replace(/-api$/, "")] = { from, to: `${from} (changed)` };
      return i;
    });
    const res = await cli(["contracts", "verify", path]);
    expect(res.code, res.out + res.err).toBe(1);
    for (const name of names) {
      expect(res.out).toContain(`FAIL ${name}-api`);
      const { from, to } = changed[name]!;
      expect(reportOf(res.out, name)).toContain(`Expected '${from}' (String) to be equal to '${to}' (String)`);
    }
  });

  it("fails (exit 1) for every provider when an interaction's provider state is unknown", { timeout: 45_000 }, async () => {
    // (an interaction the state does not decide: it would pass with the fixtures' data alone)
    const { path } = await tamperedDir("state", (pact) => {
      const i = pact.interactions.find((x) => x.response.status === 200)!;
      i.providerStates = [{ name: "a unicorn exists" }];
      return i;
    });
    const res = await cli(["contracts", "verify", path]);
    expect(res.code, res.out + res.err).toBe(1);
    for (const name of names) {
      expect(res.out + res.err).toContain(`Unknown provider state \\"a unicorn exists\\" for ${name}`);
      expect(res.out, `${name}-api verified despite an unknown state`).toContain(`FAIL ${name}-api`);
    }
  });

  it("fails on a provider the simulator does not serve, and on bad arguments", { timeout: 30_000 }, async () => {
    const pact = await exported(names[0]!);
    pact.provider.name = "nobody-api";
    const other = join(dir, "other.json");
    await writeFile(other, JSON.stringify(pact));
    const res = await cli(["contracts", "verify", other]);
    expect(res.code).toBe(1);
    expect(res.out).toContain("FAIL nobody-api");
    expect(res.out).toMatch(new RegExp(`the simulator serves no provider "nobody-api" \\(${names.map((n) => `${n}-api`).join(", ")}\\)`));
    expect((await cli(["contracts", "verify"])).code).toBe(2);
    const missing = await cli(["contracts", "verify", join(dir, "pacts"), join(dir, "no-such-pacts")]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain(`contracts verify: no file or directory "${join(dir, "no-such-pacts")}"`);
    expect((await cli(["contracts", "verify", join(dir, "pacts"), "--seed", "minus one"])).code).toBe(2);
    expect((await cli(["contracts", "nope"])).code).toBe(2);
    expect((await cli(["contracts", "export", "--provider", "nope", "--out", dir])).code).toBe(2);
  });
});

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The first string value in a JSON body (depth first), as a getter and setter. */
function firstStringLeaf(value: unknown): { get: () => string; set: (v: string) => void } | undefined {
  if (value === null || typeof value !== "object") return undefined;
  const node = value as Record<string, unknown>;
  for (const key of Object.keys(node)) {
    const v = node[key];
    if (typeof v === "string") return { get: () => v, set: (s) => (node[key] = s) };
    const inner = firstStringLeaf(v);
    if (inner) return inner;
  }
  return undefined;
}
