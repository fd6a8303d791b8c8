// What the sidecar image promises, read from the Dockerfile itself (no Docker engine needed).
// image.test.ts runs what these stages produce.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { dockerignore, execForm, loadDockerfile, parseCopy, repoRoot, splitFlags } from "./dockerfile.js";

const docker = loadDockerfile();
const { stages, final, config } = docker;
const pkg = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
};
const runs = (stage = final) => stage.instructions.filter((i) => i.keyword === "RUN").map((i) => i.args);
const copies = (stage = final) => stage.instructions.filter((i) => i.keyword === "COPY" || i.keyword === "ADD").map((i) => ({ keyword: i.keyword, ...parseCopy(i.args) }));

describe("Dockerfile", () => {
  it("is multi-stage on a pinned Node 20 slim base", () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) {
      // a stage may build on an earlier one; every external base is node 20 slim, minor pinned
      if (stages.some((s) => s.name === stage.image)) continue;
      expect(stage.image, `FROM ${stage.image}`).toMatch(/^node:20\.\d+(\.\d+)?-(bookworm|bullseye|trixie)-slim(@sha256:[0-9a-f]{64})?$/);
    }
    // the pinned minor satisfies package.json's engines
    const engines = (JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { engines?: { node?: string } }).engines?.node;
    const minor = Number(/^node:20\.(\d+)/.exec(final.image)?.[1]);
    const wanted = Number(/>=\s*20\.(\d+)/.exec(engines ?? "")?.[1] ?? 0);
    expect(minor).toBeGreaterThanOrEqual(wanted);
  });

  it("builds in a stage with dev dependencies, from the lockfile", () => {
    const build = stages.find((s) => s.name !== undefined && copies(final).some((c) => c.from === s.name));
    expect(build, "the final stage copies its dist/ from a named build stage").toBeDefined();
    const buildRuns = runs(build);
    expect(buildRuns.some((r) => /\bnpm ci\b/.test(r) && !/--omit[= ]dev|--production/.test(r))).toBe(true);
    expect(buildRuns.some((r) => /\bnpm run build\b/.test(r))).toBe(true);
  });

  describe("runtime stage", () => {
    it("runs as a non-root user", () => {
      expect(config.user, "USER in the final stage").toBeDefined();
      const user = config.user!.split(":")[0]!;
      expect(["root", "0"]).not.toContain(user);
    });

    it("has production dependencies and compiled JS only", () => {
      const installs = runs().filter((r) => /\bnpm (ci|install|i)\b/.test(r));
      expect(installs.length, "one npm ci in the final stage").toBe(1);
      expect(installs[0]).toMatch(/\bnpm ci\b/);
      expect(installs[0]).toMatch(/--omit[= ]dev/);
      expect(installs[0]).toMatch(/--ignore-scripts/);
      for (const r of runs()) {
        expect(r, "no builds or dev tools in the final stage").not.toMatch(/npm run|npx |\btsc\b|esbuild/);
        for (const dev of Object.keys(pkg.devDependencies ?? {})) {
          expect(r, `devDependency ${dev} installed in the final stage`).not.toMatch(new RegExp(`npm (i|install|ci)\\b.*\\b${dev.replace(/[/@.]/g, "\\$&")}\\b`));
        }
      }
      for (const c of copies()) {
        expect(c.keyword, "COPY, not ADD").toBe("COPY");
        if (c.from !== undefined) {
          // from the build stage: the bundle only (never its node_modules, which has dev deps)
          expect(c.sources.every((s) => /(^|\/)dist\/?$/.test(s)), `COPY --from=${c.from} ${c.sources.join(" ")}`).toBe(true);
        } else {
          // (.npmrc: the repository's npm settings, e.g. legacy-peer-deps, that `npm ci` needs to accept the lockfile)
          expect(c.sources.filter((s) => s !== ".npmrc").sort(), "from the context: only the manifest and lockfile").toEqual(["package-lock.json", "package.json"]);
        }
      }
    });

    it("listens on 0.0.0.0:4010 and exposes it", () => {
      expect(config.env.HOST).toBe("0.0.0.0");
      expect(config.expose).toEqual(["4010"]);
      expect(config.env.PORT ?? "4010").toBe("4010");
    });

    it("keeps state in the /data volume, owned by the runtime user before it is declared", () => {
      expect(config.volumes).toContain("/data");
      expect(config.env.DATA_FILE).toMatch(/^\/data\//);
      const volumeAt = final.instructions.findIndex((i) => i.keyword === "VOLUME");
      const user = config.user!.split(":")[0]!;
      // changes to a volume's path after VOLUME are discarded, so the chown comes first
      const chownAt = final.instructions.findIndex((i) => i.keyword === "RUN" && new RegExp(`chown\\s+(-R\\s+)?${user}\\b[^&]*\\s/data\\b`).test(i.args));
      expect(chownAt, `RUN ... chown ${user} /data`).toBeGreaterThanOrEqual(0);
      expect(chownAt).toBeLessThan(volumeAt);
    });

    it("starts `customer-sim serve` in exec form, so node gets SIGTERM/SIGINT itself", () => {
      const entry = final.instructions.find((i) => i.keyword === "ENTRYPOINT");
      const cmd = final.instructions.find((i) => i.keyword === "CMD");
      // the base image's ENTRYPOINT is docker-entrypoint.sh: ours replaces it
      expect(entry && execForm(entry.args), "ENTRYPOINT in exec form").toBeDefined();
      expect(cmd && execForm(cmd.args), "CMD in exec form").toBeDefined();
      expect([...config.entrypoint!, ...config.cmd!]).toEqual(["node", "dist/cli.js", "serve"]);
    });

    it("configures serve only through the environment variables the CLI reads", () => {
      const cli = readFileSync(join(repoRoot, "src", "cli.ts"), "utf8");
      const read = new Set([...cli.matchAll(/\benv\.([A-Z_][A-Z0-9_]*)/g)].map((m) => m[1]));
      for (const name of ["PORT", "HOST", "SEED", "DATA_FILE", "PROVIDER", "RATE_LIMITS", "SIM_ADMIN_TOKEN"]) expect(read, `src/cli.ts reads ${name}`).toContain(name);
      for (const name of Object.keys(config.env)) {
        if (name === "NODE_ENV") continue;
        expect(read, `ENV ${name} is not read by src/cli.ts`).toContain(name);
      }
      expect(config.env.NODE_ENV).toBe("production");
    });

    it("has a HEALTHCHECK that runs `customer-sim healthcheck` (no curl), which follows the server's real port and token", () => {
      const hc = config.healthcheck;
      expect(hc, "HEALTHCHECK").toBeDefined();
      // exec form, node running the healthcheck's own small bundle (src/healthcheck-main.ts): it
      // reads the health file `serve` writes (the port and token flags win over PORT and
      // SIM_ADMIN_TOKEN, so the environment is not enough); image.test.ts runs it
      expect(hc!.command).toEqual(["node", "dist/healthcheck.js"]);
      const build = readFileSync(join(repoRoot, "scripts", "build.mjs"), "utf8");
      expect(build, "scripts/build.mjs builds dist/healthcheck.js").toContain('healthcheck: "src/healthcheck-main.ts"');
      const cli = readFileSync(join(repoRoot, "src", "cli.ts"), "utf8");
      expect(cli, "src/cli.ts loads the healthcheck module on its own").toContain('import("./healthcheck.js")');
      expect(hc!.command.join(" ")).not.toMatch(/\b(curl|wget)\b/);
      expect(runs().join(" ")).not.toMatch(/apt-get|apk add/);
      for (const opt of ["interval", "timeout", "start-period", "retries"]) expect(hc!.options, `--${opt}`).toHaveProperty(opt);
      const seconds = (v: string) => Number(/^(\d+(?:\.\d+)?)s$/.exec(v)?.[1]);
      // healthy within 10 s of the start: checks every few seconds from the start, each given time
      expect(seconds(hc!.options.interval!)).toBeLessThanOrEqual(3);
      expect(seconds(hc!.options.timeout!)).toBeLessThanOrEqual(10 - seconds(hc!.options.interval!));
    });

    it("turns off npm's update check in every stage that runs npm, without leaving it in the image's environment", () => {
      for (const stage of stages) {
        if (!runs(stage).some((r) => /\bnpm\b/.test(r))) continue;
        const set = stage.instructions.some((i) => (i.keyword === "ENV" || i.keyword === "ARG") && /\bNPM_CONFIG_UPDATE_NOTIFIER=false\b/.test(i.args));
        expect(set, `stage ${stage.name ?? stage.index}: NPM_CONFIG_UPDATE_NOTIFIER=false`).toBe(true);
      }
      expect(config.env).not.toHaveProperty("NPM_CONFIG_UPDATE_NOTIFIER");
    });

    it("labels the build stage, so its untagged image can be pruned", () => {
      const build = stages.find((s) => s !== final && copies(final).some((c) => c.from === s.name))!;
      expect(build.instructions.some((i) => i.keyword === "LABEL" && /customer-sim\.stage=build/.test(i.args))).toBe(true);
      expect(docker.text).toContain("docker image prune --filter label=customer-sim.stage=build");
    });

    it("needs no network to start (no install or download at start-up)", () => {
      const start = [...config.entrypoint!, ...config.cmd!].join(" ");
      expect(start).not.toMatch(/\bnpm\b|\bnpx\b|curl|wget/);
    });
  });

  describe(".dockerignore", () => {
    const path = join(repoRoot, ".dockerignore");
    const ignored = existsSync(path) ? dockerignore(readFileSync(path, "utf8")) : () => false;

    it("exists and keeps local build output, dependencies and git out of the context", () => {
      expect(existsSync(path)).toBe(true);
      for (const p of ["node_modules", "node_modules/hono/package.json", "dist", "dist/cli.js", ".git", ".data/state.json", "coverage", "test/docker/image.test.ts"]) {
        expect(ignored(p), p).toBe(true);
      }
    });

    it("lets in everything the Dockerfile copies from the context", () => {
      for (const stage of stages) {
        for (const c of copies(stage)) {
          if (c.from !== undefined) continue;
          for (const s of c.sources) {
            expect(existsSync(join(repoRoot, s)), `${s} exists`).toBe(true);
            expect(ignored(s), `${s} is excluded by .dockerignore`).toBe(false);
          }
        }
      }
      for (const p of ["src/cli.ts", "src/index.ts", "scripts/build.mjs"]) expect(ignored(p), p).toBe(false);
    });
  });

  it("splits flags the way the tests rely on", () => {
    expect(splitFlags("--from=build --chown=node:node /app/dist ./dist")).toEqual({ flags: { from: "build", chown: "node:node" }, rest: "/app/dist ./dist" });
  });
});

describe("examples", () => {
  const read = (p: string) => readFileSync(join(repoRoot, p), "utf8");

  it("compose runs the simulator as a healthcheck-gated sidecar", () => {
    const compose = read("examples/docker-compose.yml");
    expect(compose).toMatch(/^services:/m);
    expect(compose).toMatch(/customer-sim:/);
    expect(compose).toMatch(/depends_on:\s*\n\s+customer-sim:\s*\n\s+condition:\s*service_healthy/);
    expect(compose).toContain("/__admin/health");
    expect(compose).toMatch(/http:\/\/customer-sim:4010\/rapidly/);
  });

  it("compose works with and without an admin token: its health check follows the server, the consumer sends the token", () => {
    const compose = read("examples/docker-compose.yml");
    // a fixed-port fetch without the token turned unhealthy once SIM_ADMIN_TOKEN was set: the
    // example keeps the image's HEALTHCHECK (a `test:` of its own would replace it)
    expect(compose).not.toMatch(/^\s+test:/m);
    expect(compose).not.toMatch(/fetch\('http:\/\/127\.0\.0\.1:4010\/__admin\/health'\)/);
    // the token comes from the shell or .env (empty = none), for the simulator and the consumer alike
    expect(compose.match(/SIM_ADMIN_TOKEN: \$\{SIM_ADMIN_TOKEN:-\}/g)).toHaveLength(2);
    expect(compose).toMatch(/Authorization: "Bearer " \+ token/);
  });

  it("a GitHub Actions job uses the image as a service", () => {
    const workflow = read("examples/github-actions.yml");
    expect(workflow).toMatch(/^jobs:/m);
    expect(workflow).toMatch(/^\s+services:\s*\n\s+customer-sim:\s*\n\s+image:/m);
    expect(workflow).toMatch(/4010:4010/);
    expect(workflow).toMatch(/--health-cmd|HEALTHCHECK|health/);
  });
});
