// `customer-sim healthcheck`: asks the running server(s) of this user for GET /__admin/health,
// at the port they really listen on and, when they have an admin token, with their health nonce
// (src/health-file.ts). The image's HEALTHCHECK runs it; exit code 0 = healthy, 1 = not.
import { HEALTH_HEADER, HEALTH_PATH, healthDir, readHealthFiles } from "./health-file.js";

export interface HealthcheckOptions {
  /** only the server on this port (default: every running server of this user) */
  port?: number;
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

/** Where to connect for a server listening on `host`: a wildcard address is reached on loopback. */
export function connectHost(host: string): string {
  if (host === "" || host === "0.0.0.0" || host === "::" || host === "[::]") return "127.0.0.1";
  return host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
}

async function probe(url: string, headers: Record<string, string>, timeoutMs: number): Promise<string | undefined> {
  try {
    const res = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
    const text = await res.text();
    if (!res.ok) return `${res.status} ${text.slice(0, 200)}`;
    const body = JSON.parse(text) as { status?: unknown; providers?: unknown };
    if (body.status !== "ok") return `status ${JSON.stringify(body.status)}`;
    return undefined;
  } catch (e) {
    const err = e as Error & { cause?: { code?: string; message?: string } };
    return err.cause?.code ?? err.cause?.message ?? err.message;
  }
}

/** Resolves with the exit code: 0 when every server asked answers 200 `{"status":"ok"}`. */
export async function healthcheck(opts: HealthcheckOptions): Promise<number> {
  const env = opts.env ?? process.env;
  const log = opts.log ?? ((line: string) => console.log(line));
  const targets: { url: string; headers: Record<string, string>; what: string }[] = [];
  for (const { file } of await readHealthFiles(opts.port)) {
    targets.push({
      url: `http://${connectHost(file.host)}:${file.port}${HEALTH_PATH}`,
      headers: file.adminToken ? { [HEALTH_HEADER]: file.nonce } : {},
      what: `pid ${file.pid}`,
    });
  }
  if (targets.length === 0) {
    // No health file (a server that could not write one, e.g. a read-only /tmp): ask where the
    // environment says, as `serve` would read it.
    const port = opts.port ?? (env.PORT ? Number(env.PORT) : 4010);
    const token = env.SIM_ADMIN_TOKEN;
    targets.push({
      url: `http://${connectHost(env.HOST ?? "127.0.0.1")}:${port}${HEALTH_PATH}`,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      what: `no health file in ${healthDir()}: PORT and SIM_ADMIN_TOKEN`,
    });
  }
  let code = 0;
  for (const t of targets) {
    const problem = await probe(t.url, t.headers, opts.timeoutMs);
    log(`${problem ? "unhealthy" : "healthy"}: ${t.url} (${t.what})${problem ? `: ${problem}` : ""}`);
    if (problem) code = 1;
  }
  return code;
}
