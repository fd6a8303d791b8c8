// `customer-sim openapi export` as shipped (dist/cli.js, built by test/global-setup.ts): one
// `<provider>.openapi.json` per provider, the same document /<provider>/openapi.json serves.
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { providerNames } from "../../src/app.js";
import { createSimulator, type Simulator } from "../../src/index.js";

function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ["dist/cli.js", ...args], (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, out: stdout, err: stderr });
    });
  });
}

let dir: string;
let sim: Simulator;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "customer-sim-openapi-"));
  sim = await createSimulator();
});
afterAll(async () => {
  await sim?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("openapi export", () => {
  it("writes every provider's document, byte for byte what /<provider>/openapi.json serves", async () => {
    const out = join(dir, "all");
    const res = await cli(["openapi", "export", "--out", out]);
    expect(res.code, res.err).toBe(0);
    const names = providerNames();
    expect((await readdir(out)).sort()).toEqual(names.map((n) => `${n}.openapi.json`).sort());
    for (const name of names) {
      const file = join(out, `${name}.openapi.json`);
      expect(res.out).toContain(`wrote ${file}`);
      const written = JSON.parse(await readFile(file, "utf8")) as { openapi: string; paths: object };
      expect(written.openapi).toMatch(/^3\.1\./);
      const served = await (await sim.app.request(`/${name}/openapi.json`)).json();
      expect(written).toEqual(served);
    }
  });

  it("writes one provider's with --provider (its pact name works too)", async () => {
    const out = join(dir, "one");
    expect((await cli(["openapi", "export", "--out", out, "--provider", "rapidly"])).code).toBe(0);
    expect((await cli(["openapi", "export", "--out", out, "--provider", "rapidly-api"])).code).toBe(0);
    expect(await readdir(out)).toEqual(["rapidly.openapi.json"]);
  });

  it("refuses an unknown provider, subcommand or flag with exit code 2 and the usage", async () => {
    const unknown = await cli(["openapi", "export", "--out", join(dir, "x"), "--provider", "nobody"]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('unknown provider "nobody"');
    expect(unknown.err).toContain("customer-sim openapi export [--out DIR] [--provider NAME]");
    expect((await cli(["openapi", "import"])).code).toBe(2);
    expect((await cli(["openapi"])).code).toBe(2);
    expect((await cli(["openapi", "export", "--bogus"])).code).toBe(2);
  });
});
