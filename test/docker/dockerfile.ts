// A small Dockerfile reader for the tests in this folder: enough of the format to check the
// image's settings and to rebuild, without a Docker engine, what its stages produce.
import { readFileSync } from "node:fs";
import { join } from "node:path";

export const repoRoot = join(import.meta.dirname, "..", "..");

export interface Instruction {
  /** upper case: FROM, RUN, COPY, ENV, ... */
  keyword: string;
  /** everything after the keyword, continuation lines joined */
  args: string;
  line: number;
}

export interface Stage {
  image: string;
  name: string | undefined;
  index: number;
  instructions: Instruction[];
}

export interface HealthCheck {
  options: Record<string, string>;
  /** exec form */
  command: string[];
}

/** The container configuration a stage ends with (what `docker inspect` would show). */
export interface ImageConfig {
  env: Record<string, string>;
  workdir: string;
  user: string | undefined;
  expose: string[];
  volumes: string[];
  entrypoint: string[] | undefined;
  cmd: string[] | undefined;
  healthcheck: HealthCheck | undefined;
}

export function parseDockerfile(text: string): Instruction[] {
  const out: Instruction[] = [];
  const lines = text.split(/\r?\n/);
  let current: { parts: string[]; line: number } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const trimmed = raw.trim();
    // Comments (and parser directives) are whole lines, also inside a continued instruction.
    if (trimmed.startsWith("#")) continue;
    if (!current && trimmed === "") continue;
    const continued = /\\\s*$/.test(raw);
    const part = continued ? raw.replace(/\\\s*$/, "") : raw;
    if (!current) current = { parts: [], line: i + 1 };
    current.parts.push(part.trim());
    if (!continued) {
      const joined = current.parts.filter((p) => p !== "").join(" ");
      const m = /^(\S+)\s*(.*)$/s.exec(joined);
      if (m) out.push({ keyword: m[1]!.toUpperCase(), args: m[2]!.trim(), line: current.line });
      current = undefined;
    }
  }
  return out;
}

export function stagesOf(instructions: Instruction[]): Stage[] {
  const stages: Stage[] = [];
  for (const ins of instructions) {
    if (ins.keyword === "FROM") {
      const words = ins.args.split(/\s+/).filter((w) => !w.startsWith("--"));
      const as = words.findIndex((w) => w.toUpperCase() === "AS");
      stages.push({ image: words[0]!, name: as >= 0 ? words[as + 1] : undefined, index: stages.length, instructions: [] });
    } else if (stages.length > 0) {
      stages.at(-1)!.instructions.push(ins);
    }
  }
  return stages;
}

/** Exec form (`["a", "b"]`) → its words; shell form → undefined. */
export function execForm(args: string): string[] | undefined {
  if (!args.trim().startsWith("[")) return undefined;
  const value: unknown = JSON.parse(args);
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) throw new Error(`not an exec-form array: ${args}`);
  return value as string[];
}

/** `ENV A=1 B="two words"` and the legacy `ENV A value`. */
export function parseEnv(args: string): Record<string, string> {
  const env: Record<string, string> = {};
  if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(args)) {
    const m = /^(\S+)\s+(.*)$/s.exec(args);
    if (m) env[m[1]!] = m[2]!;
    return env;
  }
  const re = /([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|'[^']*'|\S*)/g;
  for (const m of args.matchAll(re)) {
    let v = m[2]!;
    if (v.startsWith('"')) v = v.slice(1, -1).replace(/\\(.)/g, "$1");
    else if (v.startsWith("'")) v = v.slice(1, -1);
    env[m[1]!] = v;
  }
  return env;
}

/** Leading `--name=value` flags of COPY/HEALTHCHECK/RUN, and the rest. */
export function splitFlags(args: string): { flags: Record<string, string>; rest: string } {
  const flags: Record<string, string> = {};
  let rest = args.trim();
  for (;;) {
    const m = /^--([a-z-]+)(?:=(\S*))?\s*/.exec(rest);
    if (!m) break;
    flags[m[1]!] = m[2] ?? "true";
    rest = rest.slice(m[0].length);
  }
  return { flags, rest };
}

export function parseHealthcheck(args: string): HealthCheck | undefined {
  if (args.trim().toUpperCase() === "NONE") return undefined;
  const { flags, rest } = splitFlags(args);
  const m = /^CMD\s+(.*)$/is.exec(rest);
  if (!m) throw new Error(`HEALTHCHECK without CMD: ${args}`);
  const command = execForm(m[1]!) ?? ["/bin/sh", "-c", m[1]!];
  return { options: flags, command };
}

/** COPY sources and destination (`COPY [--from=x] [--chown=y] src... dest`). */
export function parseCopy(args: string): { from: string | undefined; sources: string[]; dest: string } {
  const { flags, rest } = splitFlags(args);
  const words = execForm(rest) ?? rest.split(/\s+/);
  return { from: flags.from, sources: words.slice(0, -1), dest: words.at(-1)! };
}

/** The configuration a stage ends with. Stages built FROM an earlier stage inherit from it. */
export function imageConfig(stages: Stage[], stage: Stage): ImageConfig {
  const parent = stages.find((s) => s.index < stage.index && s.name === stage.image);
  const cfg: ImageConfig = parent
    ? structuredClone(imageConfig(stages, parent))
    : { env: {}, workdir: "/", user: undefined, expose: [], volumes: [], entrypoint: undefined, cmd: undefined, healthcheck: undefined };
  for (const ins of stage.instructions) {
    switch (ins.keyword) {
      case "ENV":
        Object.assign(cfg.env, parseEnv(ins.args));
        break;
      case "WORKDIR":
        cfg.workdir = ins.args.startsWith("/") ? ins.args : join(cfg.workdir, ins.args);
        break;
      case "USER":
        cfg.user = ins.args.trim();
        break;
      case "EXPOSE":
        cfg.expose.push(...ins.args.split(/\s+/));
        break;
      case "VOLUME":
        cfg.volumes.push(...(execForm(ins.args) ?? ins.args.split(/\s+/)));
        break;
      case "ENTRYPOINT":
        cfg.entrypoint = execForm(ins.args) ?? ["/bin/sh", "-c", ins.args];
        break;
      case "CMD":
        cfg.cmd = execForm(ins.args) ?? ["/bin/sh", "-c", ins.args];
        break;
      case "HEALTHCHECK":
        cfg.healthcheck = parseHealthcheck(ins.args);
        break;
    }
  }
  return cfg;
}

/** The repository's Dockerfile, read once. */
export function loadDockerfile(path = join(repoRoot, "Dockerfile")) {
  const text = readFileSync(path, "utf8");
  const instructions = parseDockerfile(text);
  const stages = stagesOf(instructions);
  const final = stages.at(-1);
  if (!final) throw new Error(`${path} has no FROM`);
  return { text, instructions, stages, final, config: imageConfig(stages, final) };
}

/** `.dockerignore` semantics: the last matching pattern wins; `!` re-includes; a match on a folder covers its content. */
export function dockerignore(text: string): (path: string) => boolean {
  const rules = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"))
    .map((l) => {
      const negate = l.startsWith("!");
      const pattern = (negate ? l.slice(1) : l).replace(/^\/+/, "").replace(/\/+$/, "");
      const re = new RegExp(
        "^" +
          pattern
            .split("/")
            .map((seg) => (seg === "**" ? ".*" : seg.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*").replace(/\?/g, "[^/]")))
            .join("/") +
          "$",
      );
      return { negate, re };
    });
  return (path) => {
    const parts = path.replace(/^\.\//, "").replace(/\/+$/, "").split("/");
    let ignored = false;
    for (const { negate, re } of rules) {
      for (let n = 1; n <= parts.length; n++) {
        if (re.test(parts.slice(0, n).join("/"))) {
          ignored = !negate;
          break;
        }
      }
    }
    return ignored;
  };
}
