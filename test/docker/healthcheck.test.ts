// `customer-sim healthcheck`, the image's HEALTHCHECK: it follows the port and admin token the
// server really uses (flags win over PORT and SIM_ADMIN_TOKEN), through the health file `serve`
// writes, which never holds the token. Runs dist/cli.js (built by test/global-setup.ts); each
// server gets its own TMPDIR, as each container has its own /tmp.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, readdir, rm, stat } from "node:fs/promises";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "./dockerfile.js";

let tmp: string;
/** a private copy of the built CLI: other test runs rebuild dist/ meanwhile */
let appDir: string;
const children: ChildProcess[] = [];
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), "customer-sim-healthcheck-"));
  appDir = join(tmp, "app");
  for (let attempt = 0; ; attempt++) {
    await rm(appDir, { recursive: true, force: true });
    await mkdir(appDir, { recursive: true });
    await cp(join(repoRoot, "package.json"), join(appDir, "package.json"));
    const copied = await cp(join(repoRoot, "dist"), join(appDir, "dist"), { recursive: true }).then(() => true, () => false);
    if (copied && spawnSync(process.execPath, ["dist/cli.js", "--help"], { cwd: appDir }).status === 0) break;
    if (attempt >= 20) throw new Error("no complete dist/ to copy (npm run build)");
    await new Promise((r) => setTimeout(r, 500));
  }
});
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const { port } = srv.address() as AddressInfo;
  await new Promise((r) => srv.close(r));
  return port;
}

/** A clean environment: no PORT / SIM_ADMIN_TOKEN from the outside, a private TMPDIR. */
function cleanEnv(tmpDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: tmpDir, ...extra };
  for (const k of ["PORT", "HOST", "SIM_ADMIN_TOKEN", "DATA_FILE", "PROVIDER", "SEED"]) if (!(k in extra)) delete env[k];
  return env;
}

async function serve(args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, ["dist/cli.js", "serve", ...args], { cwd: appDir, env, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", () => out.includes("listening on") && resolve());
    child.once("exit", (code) => reject(new Error(`serve exited ${code}:\n${out}`)));
  });
  return { child, exited, output: () => out };
}

function healthcheck(env: NodeJS.ProcessEnv, args: string[] = []): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["dist/cli.js", "healthcheck", ...args], { cwd: appDir, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout!.on("data", (d) => (out += d));
    child.stderr!.on("data", (d) => (out += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

const cases: { name: string; token?: string; args: (port: number) => string[]; env: (port: number, other: number) => Record<string, string> }[] = [
  { name: "serve --port N (PORT says another port)", args: (p) => ["--port", String(p)], env: (_p, other) => ({ PORT: String(other) }) },
  { name: "PORT=N serve --admin-token T", token: "flag-token", args: () => ["--admin-token", "flag-token"], env: (p) => ({ PORT: String(p) }) },
  { name: "SIM_ADMIN_TOKEN=T serve --port N", token: "env-token", args: (p) => ["--port", String(p)], env: () => ({ SIM_ADMIN_TOKEN: "env-token" }) },
  {
    name: "serve --port N --admin-token T over PORT and SIM_ADMIN_TOKEN, on 0.0.0.0",
    token: "flag-wins",
    args: (p) => ["--port", String(p), "--admin-token", "flag-wins", "--host", "0.0.0.0"],
    env: (_p, other) => ({ PORT: String(other), SIM_ADMIN_TOKEN: "env-loses" }),
  },
];

describe("customer-sim healthcheck", () => {
  for (const c of cases) {
    it(`exits 0 while the server runs and 1 once it stopped: ${c.name}`, async () => {
      const dir = await mkdtemp(join(tmp, "run-"));
      const [port, other] = [await freePort(), await freePort()];
      const env = cleanEnv(dir, c.env(port, other));
      const sim = await serve(c.args(port), env);
      const base = `http://127.0.0.1:${port}`;

      const ok = await healthcheck(env);
      expect(ok.code, ok.out).toBe(0);
      expect(ok.out).toContain(`healthy: ${base}/__admin/health`);
      expect((await healthcheck(env, ["--port", String(port)])).code, "--port N").toBe(0);

      // The control plane still needs the token from every other caller.
      const plain = await fetch(`${base}/__admin/health`);
      expect(plain.status).toBe(c.token ? 401 : 200);
      if (c.token) expect((await fetch(`${base}/__admin/health`, { headers: { Authorization: `Bearer ${c.token}` } })).status).toBe(200);

      // The health file: the real port, mode 0600 in a 0700 folder, never the token.
      const folder = join(dir, `customer-sim-${process.getuid?.() ?? "user"}`);
      expect(await readdir(folder)).toEqual([`health-${port}.json`]);
      const path = join(folder, `health-${port}.json`);
      const file = JSON.parse(await readFile(path, "utf8")) as { port: number; pid: number; adminToken: boolean; nonce: string };
      expect(file).toMatchObject({ port, pid: sim.child.pid, adminToken: Boolean(c.token) });
      if (process.platform !== "win32") {
        expect((await stat(path)).mode & 0o777).toBe(0o600);
        expect((await stat(folder)).mode & 0o777).toBe(0o700);
      }
      if (c.token) expect(await readFile(path, "utf8")).not.toContain(c.token);

      if (c.token) {
        // The nonce stands in for the token on GET /__admin/health only.
        const nonce = { "X-Customer-Sim-Health": file.nonce };
        expect((await fetch(`${base}/__admin/health`, { headers: nonce })).status).toBe(200);
        expect((await fetch(`${base}/__admin/fixtures`, { headers: nonce })).status).toBe(401);
        expect((await fetch(`${base}/__admin/health`, { headers: { "X-Customer-Sim-Health": "x".repeat(file.nonce.length) } })).status).toBe(401);
      }

      sim.child.kill("SIGTERM");
      expect(await sim.exited).toBe(0);
      expect(await readdir(folder), "the health file is removed on a clean stop").toEqual([]);
      const after = await healthcheck(env);
      expect(after.code, after.out).toBe(1);
    });
  }

  it("ignores the file of a server that is gone, and then asks PORT with SIM_ADMIN_TOKEN", async () => {
    const dir = await mkdtemp(join(tmp, "run-"));
    const port = await freePort();
    const sim = await serve(["--port", String(port), "--admin-token", "t"], cleanEnv(dir));
    sim.child.kill("SIGKILL"); // no clean stop: the file stays
    await sim.exited;
    const stale = await healthcheck(cleanEnv(dir));
    expect(stale.code).toBe(1);
    expect(stale.out).toMatch(/no health file/);
    // a server without a health file (another TMPDIR), found through the environment
    const other = await serve([], cleanEnv(await mkdtemp(join(tmp, "run-")), { PORT: String(port), SIM_ADMIN_TOKEN: "t" }));
    const found = await healthcheck(cleanEnv(dir, { PORT: String(port), SIM_ADMIN_TOKEN: "t" }));
    expect(found.code, found.out).toBe(0);
    expect((await healthcheck(cleanEnv(dir, { PORT: String(port), SIM_ADMIN_TOKEN: "wrong" }))).code).toBe(1);
    other.child.kill("SIGTERM");
    expect(await other.exited).toBe(0);
  });

  it("refuses bad flags with exit code 2", async () => {
    const r = await healthcheck(cleanEnv(tmp), ["--port", "nope"]);
    expect(r.code).toBe(2);
    expect(r.out).toContain("customer-sim:");
  });
});
