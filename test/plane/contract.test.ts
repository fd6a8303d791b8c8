// Plane's pact, as shipped (dist/cli.js, built by test/global-setup.ts): exported, then verified
// against the simulator by the Pact verifier, under two seeds.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { V4Pact } from "../../src/contracts/types.js";

function cli(args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ["dist/cli.js", ...args], { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, out: (stdout + stderr).replace(/\u001b\[[0-9;]*m/g, "") });
    });
  });
}

let dir: string;
let file: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "plane-pact-"));
  const res = await cli(["contracts", "export", "--provider", "plane", "--out", dir, "--consumer", "web-app"]);
  expect(res.code, res.out).toBe(0);
  file = join(dir, "web-app-plane-api.json");
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("plane-api pact", () => {
  it("covers every route and verifies under seeds 1 and 7", async () => {
    const pact = JSON.parse(await readFile(file, "utf8")) as V4Pact;
    expect(pact.provider.name).toBe("plane-api");
    const routes = new Set(pact.interactions.map((i) => `${i.request.method} ${i.request.path.includes("/customers/7") || /customers\/[0-9a-f-]{36}\//.test(i.request.path) ? "detail" : "list"}`));
    for (const r of ["GET list", "POST list", "DELETE list", "GET detail", "PATCH detail", "DELETE detail"]) expect(routes).toContain(r);
    for (const seed of ["1", "7"]) {
      const res = await cli(["contracts", "verify", file, "--seed", seed]);
      expect(res.code, res.out).toBe(0);
      expect(res.out).toContain("PASS plane-api");
    }
  }, 120_000);
});
