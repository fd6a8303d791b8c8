// `customer-sim contracts verify <pact files or dirs>`: starts the simulator in-process on a
// free port (one per pact provider, serving that provider at the root), and runs the Pact
// verifier (@pact-foundation/pact, a dev dependency: its native core is not shipped in the
// image) over the pacts, with provider states set up through /__admin/provider-states.
import { readdir, readFile, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { createSimulator } from "../index.js";
import { providerNames } from "../app.js";
import { stateNames, stateHandlers } from "./states.js";

export interface VerifyOptions {
  /** Fixture seed of the simulator under test (default 1). Pacts from `export` pass any seed. */
  seed?: number;
  /** The Pact verifier's log level (default "warn"). */
  logLevel?: "trace" | "debug" | "info" | "warn" | "error";
}

export interface VerifyResult {
  provider: string;
  files: string[];
  ok: boolean;
  error?: string;
}

/** Pact files from the arguments: files as given, directories' `*.json` (not recursive). */
export async function pactFiles(inputs: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const input of inputs) {
    const path = resolve(input);
    if ((await stat(path)).isDirectory()) {
      const names = (await readdir(path)).filter((n) => n.endsWith(".json")).sort();
      files.push(...names.map((n) => join(path, n)));
    } else {
      files.push(path);
    }
  }
  return files;
}

/** The simulator serving a pact's provider: `rapidly-api` (or `rapidly`) → `rapidly`. */
function simulatorFor(provider: string): string | undefined {
  const names = providerNames();
  if (names.includes(provider)) return provider;
  const bare = provider.replace(/-api$/, "");
  return names.includes(bare) ? bare : undefined;
}

async function loadVerifier() {
  try {
    return (await import("@pact-foundation/pact")).Verifier;
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") {
      throw new Error("contracts verify needs the Pact verifier, a dev dependency: install with `npm ci` (not `--omit=dev`).");
    }
    throw err;
  }
}

/** Verifies every pact; resolves with one result per pact provider (ok only if all pass). */
export async function verifyPacts(inputs: string[], opts: VerifyOptions = {}): Promise<VerifyResult[]> {
  const files = await pactFiles(inputs);
  if (files.length === 0) throw new Error(`no pact files in ${inputs.join(", ")}`);

  // Group by the pact's provider; every interaction's states are collected for the handlers.
  const groups = new Map<string, { files: string[]; states: Set<string> }>();
  for (const file of files) {
    let pact: { provider?: { name?: unknown }; interactions?: { providerStates?: { name?: unknown }[] }[] };
    try {
      pact = JSON.parse(await readFile(file, "utf8"));
    } catch (err) {
      throw new Error(`${file}: not a pact file (${(err as Error).message})`);
    }
    const provider = pact.provider?.name;
    if (typeof provider !== "string") throw new Error(`${file}: not a pact file (no provider.name)`);
    const group = groups.get(provider) ?? { files: [], states: new Set<string>() };
    group.files.push(file);
    for (const s of stateNames(pact)) group.states.add(s);
    groups.set(provider, group);
  }

  // Pact's core reports anonymous usage over the network unless told not to: a local tool
  // (often offline, in CI) does not, unless the caller set the variable.
  process.env.PACT_DO_NOT_TRACK ??= "true";
  const Verifier = await loadVerifier();
  const results: VerifyResult[] = [];
  for (const [provider, group] of groups) {
    const name = simulatorFor(provider);
    if (!name) {
      results.push({ provider, files: group.files, ok: false, error: `the simulator serves no provider "${provider}" (${providerNames().map((n) => `${n}-api`).join(", ")})` });
      continue;
    }
    const sim = await createSimulator({ provider: name, seed: opts.seed ?? 1 });
    try {
      const { url } = await sim.listen(0, "127.0.0.1");
      const stateErrors: string[] = [];
      await new Verifier({
        provider,
        providerBaseUrl: url,
        pactUrls: group.files,
        stateHandlers: recording(stateHandlers(url, provider, [...group.states]), stateErrors),
        // (an interaction without a state still gets a state call, with state "")
        logLevel: opts.logLevel ?? "warn",
      }).verifyProvider();
      // pact-js logs a failing state handler and goes on (the interaction may then pass): a
      // state the simulator refused fails the verification.
      if (stateErrors.length > 0) results.push({ provider, files: group.files, ok: false, error: stateErrors.join("; ") });
      else results.push({ provider, files: group.files, ok: true });
    } catch (err) {
      // The verifier has printed its report; its error is that report again, as JSON.
      const message = (err as Error).message;
      results.push({ provider, files: group.files, ok: false, error: message.startsWith("{") ? "verification failed (see the report above)" : message });
    } finally {
      await sim.close({ graceMs: 1000 });
    }
  }
  return results;
}

function recording<T extends Record<string, (params?: unknown) => Promise<unknown>>>(handlers: T, errors: string[]): T {
  const out: Record<string, (params?: unknown) => Promise<unknown>> = {};
  for (const [name, h] of Object.entries(handlers)) out[name] = async (params) => { try { return await h(params); } catch (e) { errors.push((e as Error).message); throw e; } };
  return out as T;
}
