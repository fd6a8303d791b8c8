// `customer-sim serve --faults FILE --journal-size N` (and FAULTS_FILE, JOURNAL_SIZE): the CLI
// bundled from src/cli.ts as the build bundles it, into this file's own directory (so a
// rebuild of dist/ elsewhere cannot pull it away mid-test).
import { build } from "esbuild";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

const dir = mkdtempSync(join(tmpdir(), "customer-sim-flags-"));
const cli = join(dir, "cli.mjs");
beforeAll(async () => {
  await build({
    entryPoints: ["src/cli.ts"],
    outfile: cli,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "esm",
    external: ["@pact-foundation/pact"],
    logLevel: "warning",
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill("SIGKILL");
});

function run(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [cli, "serve", "--port", "0", ...args], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let out = "";
  let err = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = new Promise<string>((resolve, reject) => {
    child.stdout!.on("data", () => {
      const m = /listening on (http:\/\/[^\s]+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once("exit", (code) => reject(new Error(`exited ${code}: ${err}`)));
  });
  url.catch(() => {});
  return { child, exited, url, stderr: () => err };
}

const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe("--faults FILE", () => {
  it("loads the rules at start (flag or FAULTS_FILE)", async () => {
    const rules = file("rules.json", JSON.stringify([{ provider: "rapidly", path: "/rapidly/api/customers/", status: 503 }, { path: "/rapidly/**", delayMs: 1 }]));
    for (const p of [run(["--faults", rules]), run([], { FAULTS_FILE: rules })]) {
      const url = await p.url;
      const { faults } = (await (await fetch(`${url}/__admin/faults`)).json()) as { faults: { status?: number; delayMs?: number }[] };
      expect(faults).toMatchObject([{ status: 503 }, { delayMs: 1 }]);
      expect((await fetch(`${url}/rapidly/api/customers/`)).status).toBe(503);
    }
  });

  it("refuses a bad file with its name and the first bad rule (exit 2)", async () => {
    const bad = file("bad.json", JSON.stringify([{ status: 500 }, { status: 500, probability: 1.5 }, { delayMs: -1 }]));
    const p = run(["--faults", bad]);
    expect(await p.exited).toBe(2);
    expect(p.stderr()).toContain(bad);
    expect(p.stderr()).toMatch(/rule 2 \(index 1\) \{"status":500,"probability":1\.5\}: Not a fault rule: probability: /);
    expect(p.stderr()).not.toContain("delayMs");

    const cases: [string, RegExp][] = [
      [file("notjson.json", "[{"), /not JSON/],
      [file("object.json", '{"status":500}'), /Expected a JSON array of fault rules/],
      [file("provider.json", '[{"provider":"nope","status":500}]'), /rule 1 .*Unknown provider "nope"/],
      [file("typo.json", '[{"tenantId":"x","status":500}]'), /rule 1 .*tenantId/],
      [join(dir, "missing.json"), /cannot read it \(ENOENT\)/],
    ];
    for (const [path, message] of cases) {
      const q = run([], { FAULTS_FILE: path });
      expect(await q.exited, path).toBe(2);
      expect(q.stderr()).toContain(path);
      expect(q.stderr()).toMatch(message);
    }
    // a tenant no provider has: known only once the state is open
    const tenant = run(["--faults", file("tenant.json", '[{"status":500},{"tenant":"no-such-tenant","status":500}]')]);
    expect(await tenant.exited).toBe(1);
    expect(tenant.stderr()).toMatch(/faults: rule 2 \(index 1\): Unknown tenant "no-such-tenant"/);
  });
});

describe("--journal-size N", () => {
  it("keeps the last N requests (flag or JOURNAL_SIZE)", async () => {
    for (const p of [run(["--journal-size", "2"]), run([], { JOURNAL_SIZE: "2" })]) {
      const url = await p.url;
      for (let i = 0; i < 4; i++) await fetch(`${url}/rapidly/api/customers/?n=${i}`);
      const { requests } = (await (await fetch(`${url}/__admin/requests`)).json()) as { requests: { query: { n: string } }[] };
      expect(requests.map((r) => r.query.n)).toEqual(["2", "3"]);
    }
  });

  it("refuses a value that is not an integer from 0 to 1,000,000 (exit 2)", async () => {
    for (const [args, env] of [[["--journal-size", "abc"], {}], [["--journal-size=-1"], {}], [[], { JOURNAL_SIZE: "1.5" }], [["--journal-size", "1000001"], {}]] as const) {
      const p = run([...args], env);
      expect(await p.exited).toBe(2);
      expect(p.stderr()).toMatch(/--journal-size must be an integer from 0 to 1000000/);
    }
  });
});

describe("empty environment variables (README: `-e DATA_FILE=` keeps it in memory)", () => {
  it("RATE_LIMITS= is off; HOST= binds every interface and the banner names a URL that works", async () => {
    const p = run([], { HOST: "", RATE_LIMITS: "" });
    const url = await p.url;
    expect(url).toMatch(/^http:\/\/localhost:\d+$/);
    expect((await fetch(url.replace("localhost", "127.0.0.1") + "/__admin/health")).status).toBe(200);
    p.child.kill("SIGTERM");
    expect(await p.exited).toBe(0);
  });
});
