#!/usr/bin/env node
import { parseArgs } from "node:util";
// Static: `serve` is the path whose start-up time matters, so it loads as few files as possible.
import { serveSimulator } from "./server.js";
import { readFaultsFile } from "./admin/faults-file.js";
import { providerNames } from "./app.js";

const USAGE = `customer-sim — a faithful simulator of the Rapidly, Flextell, Quentli and Plane customer APIs

Usage:
  customer-sim serve [--port N] [--host H] [--seed N] [--data FILE] [--provider NAME]
                     [--rate-limits off|real] [--admin-token T] [--faults FILE] [--journal-size N]
      --faults FILE: a JSON array of fault rules in force from the start;
      --journal-size N: the journal keeps the last N requests (default 1000; 0 keeps none)
  customer-sim healthcheck [--port N] [--timeout MS]
      asks the running server (of this user; the one on --port N) for GET /__admin/health at
      the port it really listens on, with or without an admin token (the image's HEALTHCHECK);
      exit code 0 = healthy, 1 = not (default --timeout 2500)
  customer-sim openapi export [--out DIR] [--provider NAME]
      writes each provider's OpenAPI 3.1 document: DIR/<provider>.openapi.json
      (defaults: --out openapi, every provider)
  customer-sim contracts export [--out DIR] [--consumer NAME] [--provider NAME]
      writes one Pact V4 file per provider: DIR/<consumer>-<provider>-api.json
      (defaults: --out pacts, --consumer customer-sim-consumer, every provider)
  customer-sim contracts verify <pact files or dirs> [--seed N] [--log-level LEVEL]
      starts the simulator on a free port and runs the Pact verifier against it
      (needs the dev dependencies: npm ci); exit code 0 only if every pact passes

Environment: PORT, HOST, SEED, DATA_FILE, PROVIDER, RATE_LIMITS, SIM_ADMIN_TOKEN, FAULTS_FILE,
JOURNAL_SIZE (flags win).`;

function fail(message: string): never {
  console.error(`customer-sim: ${message}\n\n${USAGE}`);
  process.exit(2);
}

function integer(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined || value === "") return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) fail(`${name} must be an integer from ${min} to ${max}, got "${value}"`);
  return n;
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    console.log(USAGE);
    return;
  }
  if (command === "contracts") return contracts(rest);
  // Loaded only for this command: `serve` never loads it (nor the JSON Schema generation).
  if (command === "openapi") return (await import("./openapi-export.js")).openapiCommand(rest, fail);
  if (command === "healthcheck") return healthcheck(rest);
  if (command !== "serve") fail(`unknown command "${command}"`);
  let values;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: {
        port: { type: "string" },
        host: { type: "string" },
        seed: { type: "string" },
        data: { type: "string" },
        provider: { type: "string" },
        "rate-limits": { type: "string" },
        "admin-token": { type: "string" },
        faults: { type: "string" },
        "journal-size": { type: "string" },
      },
      strict: true,
    }));
  } catch (e) {
    fail((e as Error).message);
  }
  const env = process.env;
  // An empty RATE_LIMITS is an unset one, as for DATA_FILE (`-e RATE_LIMITS=`): off.
  const rateLimits = values["rate-limits"] ?? (env.RATE_LIMITS || "off");
  if (rateLimits !== "off" && rateLimits !== "real") fail(`--rate-limits must be "off" or "real", got "${rateLimits}"`);
  const provider = values.provider ?? (env.PROVIDER || undefined);
  // a usage error like any other bad flag (exit 2), as `openapi export` and `contracts export` refuse it
  if (provider !== undefined && !providerNames().includes(provider)) fail(`--provider: unknown provider "${provider}" (one of: ${providerNames().join(", ")})`);
  const journalSize = integer("--journal-size", values["journal-size"] ?? env.JOURNAL_SIZE, 1000, 0, 1_000_000);
  const faultsFile = values.faults ?? (env.FAULTS_FILE || undefined);
  let faults;
  if (faultsFile !== undefined) {
    const read = readFaultsFile(faultsFile, provider && providerNames().includes(provider) ? [provider] : providerNames());
    if ("problem" in read) fail(`--faults ${read.problem}`);
    faults = read.rules;
  }
  await serveSimulator({
    port: integer("--port", values.port ?? env.PORT, 4010, 0, 65535),
    host: values.host ?? env.HOST ?? "127.0.0.1",
    seed: integer("--seed", values.seed ?? env.SEED, 1, 0, 2 ** 31 - 1),
    data: values.data ?? (env.DATA_FILE || undefined),
    provider,
    rateLimits,
    adminToken: values["admin-token"] ?? (env.SIM_ADMIN_TOKEN || undefined),
    journalSize,
    faults,
  });
}

// Loaded only for this command (the image runs it every few seconds): `serve` never loads it.
async function healthcheck(argv: string[]): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: { port: { type: "string" }, timeout: { type: "string" } }, strict: true }));
  } catch (e) {
    fail((e as Error).message);
  }
  const port = values.port === undefined ? undefined : integer("--port", values.port, 0, 1, 65535);
  const timeoutMs = integer("--timeout", values.timeout, 2500, 1, 600_000);
  const { healthcheck: check } = await import("./healthcheck.js");
  process.exitCode = await check({ port, timeoutMs });
}

// Contracts code (and the Pact verifier) is imported only here: `serve` never loads it.
async function contracts(argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub === "export") {
    let values;
    try {
      ({ values } = parseArgs({
        args: rest,
        options: { out: { type: "string" }, consumer: { type: "string" }, provider: { type: "string" } },
        strict: true,
      }));
    } catch (e) {
      fail((e as Error).message);
    }
    const { loadProviders } = await import("./app.js");
    const providers = await loadProviders();
    const chosen = values.provider ? providers.filter((p) => p.name === values.provider || `${p.name}-api` === values.provider) : providers;
    if (chosen.length === 0) fail(`--provider: unknown provider "${values.provider}" (one of: ${providers.map((p) => p.name).join(", ")})`);
    if (values.consumer !== undefined && !/^[\w.-]+$/.test(values.consumer)) fail(`--consumer must be letters, digits, ".", "_" or "-", got "${values.consumer}"`);
    const { exportPacts } = await import("./contracts/export.js");
    const files = await exportPacts(chosen, { outDir: values.out ?? "pacts", consumer: values.consumer });
    for (const f of files) console.log(`wrote ${f}`);
    return;
  }
  if (sub === "verify") {
    let values;
    let positionals;
    try {
      ({ values, positionals } = parseArgs({
        args: rest,
        options: { seed: { type: "string" }, "log-level": { type: "string" } },
        allowPositionals: true,
        strict: true,
      }));
    } catch (e) {
      fail((e as Error).message);
    }
    if (positionals.length === 0) fail("contracts verify: give pact files or directories");
    // (a path that is not there is a wrong argument, like a bad flag: exit 2, not a failed pact)
    const { existsSync } = await import("node:fs");
    const missing = positionals.find((p) => !existsSync(p));
    if (missing !== undefined) fail(`contracts verify: no file or directory "${missing}"`);
    const logLevel = values["log-level"] ?? "warn";
    const levels = ["trace", "debug", "info", "warn", "error"] as const;
    if (!(levels as readonly string[]).includes(logLevel)) fail(`--log-level must be one of ${levels.join(", ")}, got "${logLevel}"`);
    const { verifyPacts } = await import("./contracts/verify.js");
    const results = await verifyPacts(positionals, { seed: integer("--seed", values.seed, 1, 0, 2 ** 31 - 1), logLevel: logLevel as (typeof levels)[number] });
    for (const r of results) console.log(`${r.ok ? "PASS" : "FAIL"} ${r.provider}: ${r.files.join(", ")}${r.error ? ` — ${r.error}` : ""}`);
    if (!results.every((r) => r.ok)) process.exitCode = 1;
    return;
  }
  fail(sub === undefined ? "contracts: export or verify?" : `unknown contracts command "${sub}" (export or verify)`);
}

main(process.argv.slice(2)).catch((err: Error) => {
  console.error(`customer-sim: ${err.message}`);
  process.exit(1);
});
