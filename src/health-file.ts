// The running server's health file: what `customer-sim healthcheck` needs to ask this server,
// and only that. A Docker HEALTHCHECK runs as a separate process that knows neither the flags
// `serve` was started with (`--port`, `--admin-token` win over PORT and SIM_ADMIN_TOKEN) nor
// the admin token itself, so the server writes down where it listens and a random per-process
// nonce. The admin token is never written anywhere: the nonce stands in for it, and only for
// `GET /__admin/health` asked from the same host.
//
// Loaded by `serve` at start-up: node built-ins only.
import { randomBytes, timingSafeEqual } from "node:crypto";
import { lstat, mkdir, open, readFile, readdir, rename, unlink } from "node:fs/promises";
import type { IncomingMessage } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The header the healthcheck sends its nonce in. */
export const HEALTH_HEADER = "x-customer-sim-health";
export const HEALTH_PATH = "/__admin/health";

export interface HealthFile {
  /** the server's process id (a file of a process that is gone is ignored) */
  pid: number;
  /** the port it really listens on (after --port / PORT, 0 resolved) */
  port: number;
  /** the address it listens on, as given (--host / HOST) */
  host: string;
  /** whether an admin token is set (the token itself is never written) */
  adminToken: boolean;
  /** random, per process: answers for the token on GET /__admin/health from the same host */
  nonce: string;
  startedAt: string;
}

const uid = (): number | undefined => process.getuid?.();

/**
 * `<tmpdir>/customer-sim-<uid>`: one folder per user, 0700, holding `health-<port>.json` files
 * (0600). TMPDIR moves it, as for any temporary file; in the image it is /tmp/customer-sim-1000.
 */
export function healthDir(): string {
  return join(tmpdir(), `customer-sim-${uid() ?? "user"}`);
}

/** The folder must be ours, a real folder, and closed to others: else nothing is trusted in it. */
async function checkDir(dir: string): Promise<void> {
  const st = await lstat(dir);
  if (!st.isDirectory()) throw new Error(`${dir} is not a folder`);
  const me = uid();
  if (me !== undefined && st.uid !== me) throw new Error(`${dir} belongs to uid ${st.uid}, not ${me}`);
  if (me !== undefined && (st.mode & 0o077) !== 0) throw new Error(`${dir} is open to other users (mode ${(st.mode & 0o777).toString(8)})`);
}

/** A fresh random nonce (256 bits). */
export function newHealthNonce(): string {
  return randomBytes(32).toString("base64url");
}

/** Writes this server's health file (atomically, mode 0600); returns its path. */
export async function writeHealthFile(info: Omit<HealthFile, "pid" | "startedAt">): Promise<string> {
  const dir = healthDir();
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await checkDir(dir);
  const file: HealthFile = { pid: process.pid, port: info.port, host: info.host, adminToken: info.adminToken, nonce: info.nonce, startedAt: new Date().toISOString() };
  const path = join(dir, `health-${info.port}.json`);
  const temp = `${path}.${process.pid}.tmp`;
  const handle = await open(temp, "wx", 0o600);
  try {
    await handle.writeFile(JSON.stringify(file) + "\n");
  } finally {
    await handle.close();
  }
  await rename(temp, path);
  return path;
}

/** Removes the health file if it is still this process's (a newer server may have replaced it). */
export async function removeHealthFile(path: string, nonce: string): Promise<void> {
  try {
    const current = JSON.parse(await readFile(path, "utf8")) as Partial<HealthFile>;
    if (current.nonce === nonce) await unlink(path);
  } catch {
    // already gone, or not ours to remove
  }
}

/** The health files of running servers of this user (optionally only the one on `port`). */
export async function readHealthFiles(port?: number): Promise<{ path: string; file: HealthFile }[]> {
  const dir = healthDir();
  try {
    await checkDir(dir);
  } catch {
    return [];
  }
  const names = (await readdir(dir)).filter((n) => /^health-\d+\.json$/.test(n) && (port === undefined || n === `health-${port}.json`));
  const out: { path: string; file: HealthFile }[] = [];
  for (const name of names.sort()) {
    const path = join(dir, name);
    try {
      const st = await lstat(path);
      const me = uid();
      if (!st.isFile() || (me !== undefined && st.uid !== me)) continue;
      const file = JSON.parse(await readFile(path, "utf8")) as HealthFile;
      if (typeof file.port !== "number" || typeof file.nonce !== "string" || typeof file.pid !== "number") continue;
      if (!alive(file.pid)) continue;
      out.push({ path, file });
    } catch {
      // half-read or removed meanwhile: not a running server
    }
  }
  return out;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the app's own fetch signature
type Fetch = (request: Request, env?: any, executionCtx?: any) => Response | Promise<Response>;

const bare = (a: string | undefined) => (a?.startsWith("::ffff:") ? a.slice(7) : a);

/**
 * Wraps the app's fetch (as @hono/node-server calls it, with `{ incoming }`): a
 * `GET /__admin/health` that carries this process's nonce and comes from the same host is
 * passed on as if it carried the admin token. Everything else goes through untouched: every
 * other caller of /__admin still needs the token. Costs one string comparison per request.
 */
export function acceptHealthNonce<F extends Fetch>(fetch: F, nonce: string, adminToken: string | undefined): F {
  if (!adminToken) return fetch; // nothing to stand in for
  const expected = Buffer.from(nonce);
  return ((request: Request, env?: unknown, executionCtx?: unknown) => {
    const incoming = (env as { incoming?: IncomingMessage } | undefined)?.incoming;
    if (incoming?.url === HEALTH_PATH && request.method === "GET") {
      const given = incoming.headers[HEALTH_HEADER];
      const socket = incoming.socket;
      const remote = bare(socket?.remoteAddress);
      const sameHost = remote !== undefined && (remote === bare(socket.localAddress) || remote === "127.0.0.1" || remote === "::1");
      const buf = typeof given === "string" && sameHost ? Buffer.from(given) : undefined;
      if (buf && buf.length === expected.length && timingSafeEqual(buf, expected)) {
        request = new Request(request.url, { headers: { authorization: `Bearer ${adminToken}` } });
      }
    }
    return fetch(request, env, executionCtx);
  }) as F;
}
