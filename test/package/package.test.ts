// The package as a user gets it: `npm pack` (its prepack build), installed from the tarball into
// an empty project (dependencies from the npm registry), then `npx customer-sim serve`, the
// library entry, and the TypeScript declarations compiled by tsc in that project.
import { execFile, spawn } from "node:child_process";
import { copyFileSync, cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const repo = resolve(import.meta.dirname, "../..");
const here = join(repo, "test/package/consumer");
const work = mkdtempSync(join(tmpdir(), "customer-sim-package-"));
const project = join(work, "project");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
let tarball = "";
let files: string[] = [];

beforeAll(async () => {
  // Packed from a copy of the sources (sharing node_modules), so its prepack build has a dist/
  // of its own: the repository's dist/ is neither used nor rebuilt under other test files.
  const source = join(work, "source");
  for (const entry of ["package.json", "README.md", "LICENSE", ".npmrc", "src", "scripts"]) cpSync(join(repo, entry), join(source, entry), { recursive: true });
  symlinkSync(join(repo, "node_modules"), join(source, "node_modules"), "dir");
  // --json: the tarball's name and file list (the prepack build's output goes to stderr).
  const { stdout } = await run(npm, ["pack", "--json", "--pack-destination", work], { cwd: source, maxBuffer: 64 << 20, timeout: 240_000 });
  const [info] = JSON.parse(stdout.slice(stdout.indexOf("["))) as { filename: string; files: { path: string }[] }[];
  tarball = join(work, info!.filename);
  files = info!.files.map((f) => f.path);

  writeFileSync(join(work, "package.json"), "{}"); // keeps npm from walking up into another project
  rmSync(project, { recursive: true, force: true });
  await run("mkdir", ["-p", project]);
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  await run(npm, ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error", tarball, "@types/node@20.19.43"], {
    cwd: project,
    timeout: 240_000,
  });
}, 480_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

// npm pack, an npm install and a tsc run: minutes on a busy machine.
describe("the published package", { timeout: 180_000 }, () => {
  it("holds the built dist (bundles and declarations), README, LICENSE and package.json, nothing else", () => {
    expect(files).toContain("dist/index.js");
    expect(files).toContain("dist/cli.js");
    expect(files).toContain("dist/types/index.d.ts");
    expect(files).toContain("README.md");
    expect(files).toContain("LICENSE");
    expect(files).toContain("package.json");
    const other = files.filter((f) => !f.startsWith("dist/") && !["README.md", "LICENSE", "package.json"].includes(f));
    expect(other).toEqual([]);
    expect(files.some((f) => f.endsWith(".map") || f.includes("/test/") || f.endsWith(".ts") && !f.endsWith(".d.ts"))).toBe(false);
    const pkg = JSON.parse(readFileSync(join(project, "node_modules/customer-sim/package.json"), "utf8")) as { exports: Record<string, Record<string, string>>; license: string };
    expect(pkg.exports["."]!.types).toBe("./dist/types/index.d.ts");
    expect(pkg.license).toBe("MIT");
    expect(readFileSync(join(project, "node_modules/customer-sim/LICENSE"), "utf8")).toMatch(/^MIT License/);
  });

  it("`npx customer-sim serve` starts and serves", async () => {
    // Its own process group: npx does not pass SIGTERM on to the server it started, so the
    // whole group is stopped below (a signal to npx alone left the server running).
    const child = spawn("npx", ["--no-install", "customer-sim", "serve", "--port", "0"], { cwd: project, stdio: ["ignore", "pipe", "pipe"], detached: true });
    try {
      let out = "";
      let err = "";
      child.stderr.on("data", (d) => (err += d));
      const url = await new Promise<string>((resolveUrl, reject) => {
        child.stdout.on("data", (d) => {
          out += d;
          const m = /listening on (http:\/\/\S+)/.exec(out);
          if (m) resolveUrl(m[1]!);
        });
        child.once("exit", (code) => reject(new Error(`exited ${code}: ${err}`)));
      });
      const health = (await (await fetch(`${url}/__admin/health`)).json()) as { status: string; providers: string[] };
      expect(health.status).toBe("ok");
      expect(health.providers).toContain("rapidly");
      const f = (await (await fetch(`${url}/__admin/fixtures`)).json()) as { providers: { rapidly: { tenants: { credentials: { headers: Record<string, string> }[] }[] } } };
      const res = await fetch(`${url}/rapidly/api/customers/`, { headers: f.providers.rapidly.tenants[0]!.credentials[0]!.headers });
      expect(res.status).toBe(200);
    } finally {
      const exited = child.exitCode !== null ? Promise.resolve() : new Promise((resolveExit) => child.once("exit", resolveExit));
      process.kill(-child.pid!, "SIGTERM");
      await exited;
    }
  });

  it("createSimulator works from the installed package", async () => {
    copyFileSync(join(here, "smoke.mjs.txt"), join(project, "smoke.mjs"));
    const { stdout } = await run(process.execPath, ["smoke.mjs"], { cwd: project, timeout: 60_000 });
    const result = JSON.parse(stdout.trim().split("\n").at(-1)!) as { providers: string[]; statuses: number[]; journal: number[] };
    expect(result.providers).toContain("rapidly");
    expect(result.statuses).toEqual([503, 200]);
    expect(result.journal).toEqual([503, 200]);
  });

  it("its declarations type-check a consumer (and refuse a wrong one)", async () => {
    copyFileSync(join(here, "good.ts.txt"), join(project, "good.ts"));
    copyFileSync(join(here, "bad.ts.txt"), join(project, "bad.ts"));
    const options = { compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, types: ["node"], skipLibCheck: true } };
    writeFileSync(join(project, "tsconfig.json"), JSON.stringify({ ...options, files: ["good.ts"] }));
    writeFileSync(join(project, "tsconfig.bad.json"), JSON.stringify({ ...options, files: ["bad.ts"] }));
    const tsc = join(repo, "node_modules/typescript/bin/tsc");
    await run(process.execPath, [tsc, "-p", "tsconfig.json"], { cwd: project, timeout: 120_000 }).catch((err: { stdout: string }) => {
      throw new Error(`the consumer does not type-check:\n${err.stdout}`);
    });
    const bad = await run(process.execPath, [tsc, "-p", "tsconfig.bad.json"], { cwd: project, timeout: 120_000 }).then(
      () => "",
      (err: { stdout: string }) => err.stdout,
    );
    expect(bad).toMatch(/bad\.ts\(4,\d+\): error TS2322: .*string.*number/);
    expect(bad).toMatch(/bad\.ts\(7,\d+\): error TS2322: Type 'number' is not assignable to type 'string'/);
  });
});
