#!/usr/bin/env node
import { parseArgs } from "node:util";

const USAGE = `customer-sim — a faithful simulator of the Rapidly, Flextell, Quentli and Plane customer APIs

Usage:
  customer-sim serve [--port N] [--host H] [--seed N] [--data FILE] [--provider NAME]
                     [--rate-limits off|real] [--admin-token T]

Environment: PORT, HOST, SEED, DATA_FILE, PROVIDER, RATE_LIMITS, SIM_ADMIN_TOKEN (flags win).`;

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
      },
      strict: true,
    }));
  } catch (e) {
    fail((e as Error).message);
  }
  const env = process.env;
  const rateLimits = values["rate-limits"] ?? env.RATE_LIMITS ?? "off";
  if (rateLimits !== "off" && rateLimits !== "real") fail(`--rate-limits must be "off" or "real", got "${rateLimits}"`);
  const { serveSimulator } = await import("./server.js");
  await serveSimulator({
    port: integer("--port", values.port ?? env.PORT, 4010, 0, 65535),
    host: values.host ?? env.HOST ?? "127.0.0.1",
    seed: integer("--seed", values.seed ?? env.SEED, 1, 0, 2 ** 31 - 1),
    data: values.data ?? (env.DATA_FILE || undefined),
    provider: values.provider ?? (env.PROVIDER || undefined),
    rateLimits,
    adminToken: values["admin-token"] ?? (env.SIM_ADMIN_TOKEN || undefined),
  });
}

main(process.argv.slice(2)).catch((err: Error) => {
  console.error(`customer-sim: ${err.message}`);
  process.exit(1);
});
