import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createSimulator } from "../../src/index.js";

// The CLI as `npm start` runs it: the built dist/cli.js (built by test/global-setup.ts).
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill("SIGKILL");
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

function run(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ["dist/cli.js", ...args], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let out = "";
  let err = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const listening = new Promise<string>((resolve, reject) => {
    child.stdout!.on("data", () => out.includes("listening on") && resolve(out));
    child.once("exit", (code) => reject(new Error(`exited ${code}: ${err}`)));
  });
  listening.catch(() => {}); // awaited only by the tests that expect a listening server
  return { child, exited, listening, output: () => ({ out, err }) };
}

describe("customer-sim serve", () => {
  it("serves every provider under its mount and prints where, with the default credentials", async () => {
    const port = await freePort();
    const p = run(["serve", "--port", String(port), "--seed", "3"]);
    const banner = await p.listening;
    expect(banner).toContain(`http://127.0.0.1:${port}`);
    expect(banner).toContain(`http://127.0.0.1:${port}/rapidly`);
    expect(banner).toMatch(/Authorization: Bearer rapidly_oat_/);
    const f = (await (await fetch(`http://127.0.0.1:${port}/__admin/fixtures`)).json()) as { seed: number; providers: { rapidly: { tenants: { credentials: { headers: Record<string, string> }[] }[] } } };
    expect(f.seed).toBe(3);
    const headers = f.providers.rapidly.tenants[0]!.credentials[0]!.headers;
    const res = await fetch(`http://127.0.0.1:${port}/rapidly/api/customers/`, { headers });
    expect(res.status).toBe(200);
    p.child.kill("SIGTERM");
    expect(await p.exited).toBe(0);
  });

  it("--provider serves one provider at the root, for clients that cannot take a prefix", async () => {
    const port = await freePort();
    const p = run(["serve", "--provider", "rapidly"], { PORT: String(port) });
    await p.listening;
    const f = (await (await fetch(`http://127.0.0.1:${port}/__admin/fixtures`)).json()) as { providers: { rapidly: { basePath: string; tenants: { credentials: { headers: Record<string, string> }[] }[] } } };
    expect(f.providers.rapidly.basePath).toBe("");
    const headers = f.providers.rapidly.tenants[0]!.credentials[0]!.headers;
    expect((await fetch(`http://127.0.0.1:${port}/api/customers/`, { headers })).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${port}/rapidly/api/customers/`, { headers })).status).toBe(404);
    p.child.kill("SIGINT");
    expect(await p.exited).toBe(0);
  });

  it("takes the admin token from SIM_ADMIN_TOKEN", async () => {
    const port = await freePort();
    const p = run(["serve", "--port", String(port)], { SIM_ADMIN_TOKEN: "tok" });
    await p.listening;
    expect((await fetch(`http://127.0.0.1:${port}/__admin/health`)).status).toBe(401);
    expect((await fetch(`http://127.0.0.1:${port}/__admin/health`, { headers: { Authorization: "Bearer tok" } })).status).toBe(200);
    p.child.kill("SIGTERM");
    expect(await p.exited).toBe(0);
  });

  it("serves the same fixtures as a fresh in-process generation, for the built-in default seed and any other", async () => {
    // The build embeds the default seed's documents (src/core/seed-cache.ts); they must be
    // exactly what the providers' seed() makes, and other seeds must still be generated.
    for (const seed of [1, 2]) {
      const port = await freePort();
      const p = run(["serve", "--port", String(port), "--seed", String(seed)]);
      await p.listening;
      const sim = await createSimulator({ seed });
      try {
        for (const path of ["/__admin/fixtures", "/__admin/rapidly/customers"]) {
          const served = await (await fetch(`http://127.0.0.1:${port}${path}`)).text();
          const fresh = await (await sim.app.request(path)).text();
          expect(served, `seed ${seed} ${path}`).toBe(fresh);
        }
      } finally {
        await sim.close();
        p.child.kill("SIGTERM");
        await p.exited;
      }
    }
  });

  it("refuses bad flags with a clear message and exit code 2", async () => {
    for (const args of [["serve", "--port", "abc"], ["serve", "--rate-limits", "sometimes"], ["serve", "--bogus"], ["explode"]]) {
      const p = run(args);
      expect(await p.exited, args.join(" ")).toBe(2);
      expect(p.output().err).toContain("customer-sim:");
      expect(p.output().err).not.toMatch(/at .*\.js:\d+/);
    }
    // an unknown provider is a bad flag too, from the flag or from PROVIDER
    const unknown = run(["serve", "--provider", "nope", "--port", "0"]);
    expect(await unknown.exited).toBe(2);
    expect(unknown.output().err).toContain('unknown provider "nope" (one of: rapidly, flextell, plane, quentli)');
    const fromEnv = run(["serve", "--port", "0"], { PROVIDER: "nope" });
    expect(await fromEnv.exited).toBe(2);
    expect(fromEnv.output().err).toContain('unknown provider "nope"');
  });
});
