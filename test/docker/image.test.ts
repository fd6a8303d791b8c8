// Runs what the sidecar image runs, without a Docker engine: the Dockerfile's stages are
// replayed in temporary folders (the build stage's sources, its `npm run build`; the runtime
// stage's files and its `npm ci --omit=dev`), then the image's ENTRYPOINT + CMD is started with
// the image's ENV (PORT moved to a free port, /data to a temporary folder).
import { spawn, execFile, type ChildProcess } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, readdir, rm, stat, symlink, writeFile } from "node:fs/promises";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import http from "node:http";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, posix, relative } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadProviders } from "../../src/app.js";
import type { FixtureTenant } from "../../src/core/simulator.js";
import { dockerignore, imageConfig, loadDockerfile, parseCopy, repoRoot, type Stage } from "./dockerfile.js";

const run = promisify(execFile);

/** Each provider's list route (its `listPath`), answered with 200 to the first tenant's `full` credential. */
const providerObjects = new Map((await loadProviders()).map((p) => [p.name, p]));

const docker = loadDockerfile();
const ignored = dockerignore(existsSync(join(repoRoot, ".dockerignore")) ? readFileSync(join(repoRoot, ".dockerignore"), "utf8") : "");
const volume = docker.config.volumes[0] ?? "/data";

let tmp: string;
/** local folder standing for each stage's WORKDIR */
const stageDirs = new Map<Stage, { workdir: string; dir: string }>();
let appDir: string;
const skippedSteps: string[] = [];

async function npm(args: string[], cwd: string): Promise<void> {
  try {
    await run("npm", args, { cwd, env: { ...process.env, npm_config_update_notifier: "false" }, maxBuffer: 32 * 1024 * 1024 });
  } catch (e) {
    const err = e as Error & { stdout?: string; stderr?: string };
    throw new Error(`npm ${args.join(" ")} failed in ${cwd}:\n${err.stdout ?? ""}\n${err.stderr ?? err.message}`);
  }
}

/** Replays one stage: WORKDIR, COPY (context or --from), and the npm steps of its RUNs. */
async function replay(stage: Stage): Promise<void> {
  const cfg = imageConfig(docker.stages, stage);
  const dir = join(tmp, `stage-${stage.index}${stage.name ? `-${stage.name}` : ""}`);
  await mkdir(dir, { recursive: true });
  stageDirs.set(stage, { workdir: cfg.workdir, dir });
  let workdir = "/";
  const local = (p: string) => {
    const abs = posix.resolve(workdir, p);
    const rel = posix.relative(cfg.workdir, abs);
    if (rel.startsWith("..")) throw new Error(`${stage.name ?? stage.index}: ${abs} is outside WORKDIR ${cfg.workdir}; extend test/docker/image.test.ts`);
    return join(dir, rel);
  };
  for (const ins of stage.instructions) {
    if (ins.keyword === "WORKDIR") {
      workdir = posix.resolve(workdir, ins.args);
      if (workdir !== cfg.workdir) throw new Error(`one WORKDIR per stage is supported (line ${ins.line})`);
    } else if (ins.keyword === "COPY") {
      const { from, sources, dest } = parseCopy(ins.args);
      const intoDir = dest.endsWith("/") || dest === "." || sources.length > 1;
      for (const source of sources) {
        let src: string;
        if (from !== undefined) {
          const origin = docker.stages.find((s) => s.name === from || String(s.index) === from);
          const o = origin && stageDirs.get(origin);
          if (!o) throw new Error(`COPY --from=${from}: no such earlier stage`);
          const rel = posix.relative(o.workdir, posix.resolve(o.workdir, source));
          if (rel.startsWith("..")) throw new Error(`COPY --from=${from} ${source}: outside that stage's WORKDIR`);
          src = join(o.dir, rel);
        } else {
          if (ignored(source)) throw new Error(`COPY ${source}: excluded by .dockerignore`);
          src = join(repoRoot, source);
        }
        const isDir = (await stat(src)).isDirectory();
        const target = !isDir && intoDir ? join(local(dest), posix.basename(source)) : local(dest);
        await cp(src, target, {
          recursive: true,
          // the context is what .dockerignore lets through
          filter: (p) => from !== undefined || !ignored(relative(repoRoot, p)),
        });
      }
    } else if (ins.keyword === "RUN") {
      for (const step of ins.args.split("&&").map((s) => s.trim())) {
        if (/^npm ci\b/.test(step)) {
          if (/--omit[= ]dev/.test(step)) {
            // exactly the image's install; --prefer-offline only lets npm's cache answer first
            await npm([...step.split(/\s+/).slice(1), "--prefer-offline"], local("."));
          } else {
            // the full install: the repository's own `npm ci` of the same lockfile
            await symlink(join(repoRoot, "node_modules"), join(local("."), "node_modules"), "dir");
          }
        } else if (/^npm run \S+$/.test(step)) {
          await npm(step.split(/\s+/).slice(1), local("."));
        } else {
          skippedSteps.push(`${stage.name ?? stage.index}: ${step}`); // image file system set-up (checked by dockerfile.test.ts)
        }
      }
    }
  }
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, "0.0.0.0", r));
  const { port } = srv.address() as AddressInfo;
  await new Promise((r) => srv.close(r));
  return port;
}

/** The container's environment: the image's ENV, with the volume mapped to `dataDir`. */
function imageEnv(dataDir: string, port: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: [dirname(process.execPath), "/usr/local/bin", "/usr/bin", "/bin"].join(":"),
    HOME: tmp,
  };
  for (const [k, v] of Object.entries(docker.config.env)) {
    env[k] = v === volume || v.startsWith(`${volume}/`) ? dataDir + v.slice(volume.length) : v;
  }
  env.PORT = String(port);
  // The container's own /tmp, where `serve` writes the health file its HEALTHCHECK reads.
  env.TMPDIR = `${dataDir}-tmp`;
  mkdirSync(env.TMPDIR, { recursive: true });
  return env;
}

interface Running {
  child: ChildProcess;
  port: number;
  base: string;
  dataFile: string;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

const running = new Set<ChildProcess>();

/** Starts ENTRYPOINT + CMD the way the container would, and waits for its health route. */
async function startImage(dataDir: string): Promise<Running> {
  const port = await freePort();
  const env = imageEnv(dataDir, port);
  const [command, ...args] = [...(docker.config.entrypoint ?? []), ...(docker.config.cmd ?? [])];
  const child = spawn(command!, args, { cwd: stageDirs.get(docker.final)!.dir, env, stdio: ["ignore", "pipe", "pipe"] });
  running.add(child);
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.once("exit", (code, signal) => {
      running.delete(child);
      resolve({ code, signal, at: Date.now() });
    }),
  );
  let dead = false;
  void exited.then(() => (dead = true));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (dead) throw new Error(`the image's command exited before it was healthy:\n${out}`);
    if (Date.now() > deadline) throw new Error(`not healthy within 15 s:\n${out}`);
    // answering, and done starting (the banner comes after the health file is written)
    const ok = await fetch(`${base}/__admin/health`).then((r) => r.ok, () => false);
    if (ok && out.includes("listening on")) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, port, base, dataFile: env.DATA_FILE!, output: () => out, exited };
}

/** Runs the Dockerfile's HEALTHCHECK command as Docker would inside the container. */
async function healthcheck(port: number, dataDir: string): Promise<number | null> {
  const [command, ...args] = docker.config.healthcheck!.command;
  const child = spawn(command!, args, { cwd: stageDirs.get(docker.final)!.dir, env: imageEnv(dataDir, port), stdio: "ignore" });
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  const code = await new Promise<number | null>((resolve) => child.once("exit", (c) => resolve(c)));
  clearTimeout(timer);
  return code;
}

interface Fixtures {
  providers: Record<string, { basePath: string; tenants: { credentials: { kind: string; headers: Record<string, string> }[] }[] }>;
}

function fullCredential(fixtures: Fixtures, provider: string): Record<string, string> {
  const cred = fixtures.providers[provider]?.tenants[0]?.credentials.find((c) => c.kind === "full");
  if (!cred) throw new Error(`GET /__admin/fixtures: ${provider} has no first tenant with a full credential`);
  return cred.headers;
}

/** A request on an explicit keep-alive agent, so the connection stays open afterwards. */
function request(agent: http.Agent, url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = http.request(url, { agent, method: init.method ?? "GET", headers: init.headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(init.body);
  });
}

const json = { "Content-Type": "application/json" };

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), "customer-sim-image-"));
  for (const stage of docker.stages) await replay(stage);
  appDir = stageDirs.get(docker.final)!.dir;
}, 180_000);

afterAll(async () => {
  for (const child of running) child.kill("SIGKILL");
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe("the image's runtime stage, replayed from the Dockerfile", () => {
  it("holds the compiled bundle and the production dependencies only", async () => {
    expect(existsSync(join(appDir, "dist", "cli.js"))).toBe(true);
    expect(existsSync(join(appDir, "src")), "no sources in the runtime stage").toBe(false);
    const lock = JSON.parse(await readFile(join(appDir, "package-lock.json"), "utf8")) as { packages: Record<string, { dev?: boolean; optional?: boolean; devOptional?: boolean }> };
    for (const [path, meta] of Object.entries(lock.packages)) {
      if (!path.startsWith("node_modules/")) continue;
      if (meta.dev) expect(existsSync(join(appDir, path)), `dev dependency ${path} installed`).toBe(false);
      else if (!meta.optional && !meta.devOptional) expect(existsSync(join(appDir, path)), `production dependency ${path} missing`).toBe(true);
    }
    const top = await readdir(join(appDir, "node_modules"));
    for (const dev of ["vitest", "typescript", "esbuild", "@types"]) expect(top).not.toContain(dev);
  });


  it("fails its HEALTHCHECK when nothing listens", async () => {
    expect(await healthcheck(await freePort(), join(tmp, "unused"))).not.toBe(0);
  });

  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    it(`serves every provider, passes its HEALTHCHECK, and on ${signal} finishes the in-flight request, flushes the data file and exits 0 within 5 s`, async () => {
      const dataDir = join(tmp, `data-${signal}`);
      const sim = await startImage(dataDir);
      expect(sim.output()).toMatch(/listening on/);

      const health = (await (await fetch(`${sim.base}/__admin/health`)).json()) as { status: string; providers: string[] };
      expect(health.status).toBe("ok");
      expect(health.providers.length).toBeGreaterThan(0);
      expect(await healthcheck(sim.port, dataDir), "the Dockerfile's HEALTHCHECK against the running process").toBe(0);

      const fixtures = (await (await fetch(`${sim.base}/__admin/fixtures`)).json()) as Fixtures;
      for (const provider of health.providers) {
        const simulator = providerObjects.get(provider);
        expect(simulator, `provider "${provider}" is served but not in src/app.ts providerEntries`).toBeDefined();
        const route = simulator!.listPath(fixtures.providers[provider]!.tenants[0] as FixtureTenant);
        const basePath = fixtures.providers[provider]!.basePath;
        const res = await fetch(`${sim.base}${basePath}${route}`, { headers: fullCredential(fixtures, provider) });
        expect(res.status, `GET ${basePath}${route}: ${await res.clone().text()}`).toBe(200);
      }

      // A real write, acknowledged before the signal.
      expect(health.providers, "the write checks need Rapidly").toContain("rapidly");
      const rapidly = fixtures.providers.rapidly!.basePath;
      const auth = fullCredential(fixtures, "rapidly");
      const created = await fetch(`${sim.base}${rapidly}/api/customers/`, { method: "POST", headers: { ...auth, ...json }, body: JSON.stringify({ email: "sidecar@example.com" }) });
      expect(created.status, await created.clone().text()).toBe(201);
      const createdId = ((await created.json()) as { id: string }).id;

      // One idle keep-alive connection, and one that will carry the in-flight request.
      const idle = new http.Agent({ keepAlive: true, maxSockets: 1 });
      const busy = new http.Agent({ keepAlive: true, maxSockets: 1 });
      expect((await request(idle, `${sim.base}/__admin/health`)).status).toBe(200);
      expect((await request(busy, `${sim.base}/__admin/health`)).status).toBe(200);
      const fault = await fetch(`${sim.base}/__admin/faults`, { method: "POST", headers: json, body: JSON.stringify({ path: `${rapidly}/**`, kind: "delay", delayMs: 1500, times: 1 }) });
      expect(fault.status).toBeLessThan(300);
      const slow = request(busy, `${sim.base}${rapidly}/api/customers/`, { method: "POST", headers: { ...auth, ...json }, body: JSON.stringify({ email: "sidecar-inflight@example.com" }) });
      const slowDone = slow.then((r) => ({ ...r, at: Date.now() }));
      await new Promise((r) => setTimeout(r, 400)); // the request is inside its 1.5 s delay

      const signalledAt = Date.now();
      sim.child.kill(signal);
      // It stops accepting at once.
      await new Promise((r) => setTimeout(r, 150));
      const refused = await fetch(`${sim.base}/__admin/health`).then(() => "accepted", (e: Error & { cause?: { code?: string } }) => e.cause?.code ?? "error");
      expect(refused, "a new connection after the signal").not.toBe("accepted");

      const response = await slowDone;
      expect(response.status, `the in-flight request: ${response.body}`).toBe(201);
      const inflight = JSON.parse(response.body) as { id: string; email: string };
      expect(inflight.email).toBe("sidecar-inflight@example.com");
      expect(response.headers.connection, "the last response closes its keep-alive connection").toBe("close");

      const exit = await Promise.race([sim.exited, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no exit 5 s after ${signal}:\n${sim.output()}`)), 5000))]);
      expect(exit, sim.output()).toEqual({ code: 0, signal: null, at: exit.at });
      expect(exit.at - signalledAt, "exit within 5 s of the signal").toBeLessThan(5000);
      // Neither connection held it open after the in-flight response.
      expect(exit.at - response.at, "exit right after the last response").toBeLessThan(1000);
      idle.destroy();
      busy.destroy();

      const text = await readFile(sim.dataFile, "utf8");
      const doc = JSON.parse(text) as { format: number; providers: Record<string, unknown> };
      expect(doc.format).toBe(1);
      for (const provider of health.providers) expect(doc.providers).toHaveProperty(provider);
      for (const needle of ["sidecar@example.com", createdId, "sidecar-inflight@example.com", inflight.id]) expect(text).toContain(needle);
      // the store's change log may stay, empty: a clean stop folds it into the snapshot
      const logFile = `${sim.dataFile}.log`;
      if (existsSync(logFile)) expect((await stat(logFile)).size, "the change log after a clean stop").toBe(0);
      const left = (await readdir(dataDir)).filter((f) => f !== posixBase(sim.dataFile) && f !== posixBase(logFile));
      expect(left, "no temp files left next to the data file").toEqual([]);

      if (signal === "SIGTERM") {
        // The flushed file is what the next container start loads.
        const again = await startImage(dataDir);
        const raw = await (await fetch(`${again.base}/__admin/rapidly/customers`)).text();
        expect(raw).toContain("sidecar@example.com");
        expect(raw).toContain("sidecar-inflight@example.com");
        again.child.kill("SIGTERM");
        expect((await again.exited).code).toBe(0);
      }
    }, 60_000);
  }

  it("drops a request that outlasts the grace period, and still flushes and exits 0 within 5 s", async () => {
    const dataDir = join(tmp, "data-grace");
    const sim = await startImage(dataDir);
    const fixtures = (await (await fetch(`${sim.base}/__admin/fixtures`)).json()) as Fixtures;
    const rapidly = fixtures.providers.rapidly!.basePath;
    const auth = fullCredential(fixtures, "rapidly");
    const created = await fetch(`${sim.base}${rapidly}/api/customers/`, { method: "POST", headers: { ...auth, ...json }, body: JSON.stringify({ email: "sidecar-before@example.com" }) });
    expect(created.status).toBe(201);
    await fetch(`${sim.base}/__admin/faults`, { method: "POST", headers: json, body: JSON.stringify({ path: `${rapidly}/**`, kind: "delay", delayMs: 20_000, times: 1 }) });
    const stuck = fetch(`${sim.base}${rapidly}/api/customers/`, { headers: auth }).then((r) => r.status, () => "dropped");
    await new Promise((r) => setTimeout(r, 300));
    const signalledAt = Date.now();
    sim.child.kill("SIGTERM");
    const exit = await sim.exited;
    expect(exit.code, sim.output()).toBe(0);
    expect(exit.at - signalledAt).toBeLessThan(5000);
    expect(await stuck).toBe("dropped");
    expect(sim.output()).toMatch(/dropped 1 request\(s\) still running/);
    expect(await readFile(sim.dataFile, "utf8")).toContain("sidecar-before@example.com");
  }, 30_000);

  it("replays only image set-up steps it cannot run here", () => {
    // RUN steps other than npm's prepare the image's file system (user, /data); anything else
    // would be a build step this test does not reproduce.
    for (const step of skippedSteps) expect(step).toMatch(/:\s*(mkdir|chown|npm cache clean)\b/);
  });
});

function posixBase(p: string): string {
  return p.split(/[\\/]/).pop()!;
}
