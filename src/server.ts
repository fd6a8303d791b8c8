import { statSync } from "node:fs";
import { acceptHealthNonce, newHealthNonce, removeHealthFile, writeHealthFile } from "./health-file.js";
import { createSimulator, type SimulatorOptions } from "./index.js";
import { LARGE_STATE_FILE_BYTES, SERVER_V8_FLAGS, SERVING_HOOK } from "./server-flags.js";

export interface ServeOptions extends SimulatorOptions {
  port: number;
  host: string;
}

/** How long in-flight requests get after SIGTERM/SIGINT before their connections are dropped. */
const GRACE_MS = 4000;
/** Past this the process exits whatever is still pending (the contract is exit within 5 s). */
const HARD_LIMIT_MS = 4800;

/** The size of a file, 0 when there is none yet. */
function fileBytes(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** node:v8's, loaded only when a flag is set: loading node:v8 (and its bindings) cost every start. */
function setFlagsFromString(flags: string): void {
  process.getBuiltinModule("node:v8").setFlagsFromString(flags);
}

/** Listens, prints where each provider is, and shuts down cleanly on SIGTERM/SIGINT. */
export async function serveSimulator(opts: ServeOptions): Promise<void> {
  // A tighter old space only for a large state (server-flags.ts: snapshot and its change log),
  // set before it is opened: V8 keeps the limits it computed while loading until its next full GC.
  if (opts.data && fileBytes(opts.data) + fileBytes(`${opts.data}.log`) >= LARGE_STATE_FILE_BYTES) setFlagsFromString(SERVER_V8_FLAGS);
  const sim = await createSimulator(opts);
  // `customer-sim healthcheck` (the image's HEALTHCHECK) follows this file, not PORT and
  // SIM_ADMIN_TOKEN: flags win over them. It holds the real port and a nonce, never the token.
  const nonce = newHealthNonce();
  sim.app.fetch = acceptHealthNonce(sim.app.fetch, nonce, opts.adminToken);
  const { port } = await sim.listen(opts.port, opts.host);
  const health = await writeHealthFile({ port, host: opts.host, adminToken: Boolean(opts.adminToken), nonce }).catch(
    (err: Error) => console.error(`customer-sim: no health file (${err.message}): \`customer-sim healthcheck\` falls back to PORT and SIM_ADMIN_TOKEN`),
  );
  // ("" binds every interface too: `-e HOST=` in a Compose file keeps the image reachable)
  const host = opts.host === "0.0.0.0" || opts.host === "::" || opts.host === "" ? "localhost" : opts.host.includes(":") ? `[${opts.host}]` : opts.host;
  const shownUrl = `http://${host}:${port}`;
  // In process, as GET /__admin/fixtures answers it (no request, no JSON round trip), without
  // the customer ids the banner does not show (sorting them is O(state)).
  const fixtures = sim.fixtures({ customerIds: false });

  const lines = [`customer-sim listening on ${shownUrl} (seed ${sim.runtime.seed}${opts.data ? `, data ${opts.data}` : ", in memory"})`];
  for (const [name, p] of Object.entries(fixtures.providers)) {
    const first = p.tenants[0];
    const cred = first?.credentials.find((k) => k.kind === "full");
    const header = cred ? Object.entries(cred.headers).map(([k, v]) => `${k}: ${v}`).join(", ") : "";
    lines.push(`  ${name.padEnd(9)} ${shownUrl}${p.basePath}   ${first ? `${first.name} — ${header}` : ""}`);
  }
  lines.push(`  admin     ${shownUrl}/__admin   (all credentials: GET /__admin/fixtures)`);
  console.log(lines.join("\n"));
  // dist/cli.js (src/cli-loader.ts) when the build writes its code cache: it asks for /__admin/health here first.
  (globalThis as { [SERVING_HOOK]?: (url: string) => void })[SERVING_HOOK]?.(shownUrl);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      console.error(`customer-sim: second ${signal}: exiting now`);
      process.exit(1);
    }
    stopping = true;
    const hard = setTimeout(() => {
      console.error(`customer-sim: ${signal}: shutdown did not complete in ${HARD_LIMIT_MS / 1000}s, exiting`);
      process.exit(1);
    }, HARD_LIMIT_MS);
    hard.unref();
    try {
      const { dropped } = await sim.close({ graceMs: GRACE_MS });
      if (dropped > 0) console.error(`customer-sim: ${signal}: dropped ${dropped} request(s) still running after ${GRACE_MS / 1000}s`);
      if (health) await removeHealthFile(health, nonce);
      process.exit(0);
    } catch (err) {
      console.error(err);
      process.exit(1);
    }
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}
