import type { Context } from "hono";
import type { SimEnv } from "./env.js";
import { matchesGlob } from "./glob.js";
import { JsonTextParts } from "./serialize.js";

/** Header values that must never be shown back, in any case form. */
const SECRET_HEADERS = new Set(["authorization", "x-api-key", "cookie", "proxy-authorization"]);

export interface JournalEntry {
  id: number;
  at: string;
  method: string;
  provider: string | null;
  /** the tenant whose credential the request carried (as the provider knew it then), or null */
  tenant: string | null;
  path: string;
  query: Record<string, string | string[]>;
  status: number;
  durationMs: number;
  headers: Record<string, string>;
  requestBody: unknown;
  responseBody: unknown;
}

interface RawEntry {
  id: number;
  atMs: number;
  method: string;
  provider: string | null;
  /** resolved when appended: a later reset or tenant deletion does not change it */
  tenant: string | null;
  url: string;
  status: number;
  durationMs: number;
  /** node's raw [name, value, ...] list when served over HTTP (keeps no socket alive), else Headers */
  headers: Headers | string[];
  requestBody: string | undefined;
  /** the object a route answered with, or its JSON text (whole, or the parts it was sent as), or the text read from the response */
  responseBody: unknown;
}

export interface JournalFilter {
  provider?: string;
  method?: string;
  status?: number;
  path?: string;
  tenant?: string;
}

/**
 * A bounded ring buffer of the last `capacity` requests (0 keeps none). Appending keeps
 * references only (O(1)); parsing, redaction and copying happen when somebody reads the
 * journal, not on the request path.
 */
export class Journal {
  readonly #entries: (RawEntry | undefined)[];
  #next = 0;
  #count = 0;
  #ids = 0;
  /** the last page recorded as parts: a page served again, unchanged, is kept once */
  #lastParts: JsonTextParts | undefined;

  constructor(readonly capacity = 1000) {
    this.#entries = new Array(capacity);
  }

  /** Takes ownership of `entry` and numbers it. */
  append(entry: RawEntry): void {
    entry.id = ++this.#ids;
    if (this.capacity === 0) return;
    const body = entry.responseBody;
    if (body instanceof JsonTextParts) {
      if (this.#lastParts?.equals(body)) entry.responseBody = this.#lastParts;
      else this.#lastParts = body;
    }
    this.#entries[this.#next] = entry;
    this.#next = (this.#next + 1) % this.capacity;
    if (this.#count < this.capacity) this.#count++;
  }

  clear(): void {
    this.#entries.fill(undefined);
    this.#lastParts = undefined;
    this.#next = 0;
    this.#count = 0;
  }

  /** Oldest first. */
  list(filter: JournalFilter = {}): JournalEntry[] {
    const out: JournalEntry[] = [];
    const start = (this.#next - this.#count + this.capacity) % this.capacity;
    for (let i = 0; i < this.#count; i++) {
      const raw = this.#entries[(start + i) % this.capacity];
      if (raw && matches(raw, filter)) out.push(present(raw));
    }
    return out;
  }

  count(filter: JournalFilter = {}): number {
    let n = 0;
    for (const raw of this.#entries) if (raw && matches(raw, filter)) n++;
    return n;
  }
}

function pathOf(url: string): string {
  const start = url.indexOf("/", url.indexOf("//") + 2);
  const q = url.indexOf("?", start);
  return q === -1 ? url.slice(start) : url.slice(start, q);
}

function matches(raw: RawEntry, f: JournalFilter): boolean {
  if (f.provider !== undefined && raw.provider !== f.provider) return false;
  if (f.method !== undefined && raw.method !== f.method.toUpperCase()) return false;
  if (f.status !== undefined && raw.status !== f.status) return false;
  if (f.tenant !== undefined && raw.tenant !== f.tenant) return false;
  if (f.path !== undefined && !matchesGlob(f.path, pathOf(raw.url))) return false;
  return true;
}

function present(raw: RawEntry): JournalEntry {
  const url = new URL(raw.url);
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const all = url.searchParams.getAll(key);
    query[key] = all.length === 1 ? (all[0] as string) : all;
  }
  const headers: Record<string, string> = {};
  const put = (name: string, value: string) => {
    const key = name.toLowerCase();
    const shown = SECRET_HEADERS.has(key) ? "[redacted]" : value;
    headers[key] = key in headers ? `${headers[key]}, ${shown}` : shown;
  };
  if (Array.isArray(raw.headers)) for (let i = 0; i + 1 < raw.headers.length; i += 2) put(raw.headers[i]!, raw.headers[i + 1]!);
  else raw.headers.forEach((value, name) => put(name, value));
  return {
    id: raw.id,
    at: new Date(raw.atMs).toISOString(),
    method: raw.method,
    provider: raw.provider,
    tenant: raw.tenant,
    path: url.pathname,
    query,
    status: raw.status,
    durationMs: raw.durationMs,
    headers,
    requestBody: asJsonOrText(raw.requestBody),
    responseBody: typeof raw.responseBody === "string" ? asJsonOrText(raw.responseBody)
      : raw.responseBody instanceof JsonTextParts ? asJsonOrText(raw.responseBody.text()) : raw.responseBody ?? null,
  };
}

function asJsonOrText(text: string | undefined): unknown {
  if (text === undefined || text === "") return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const MAX_TEXT_CAPTURE = 64 * 1024;

export interface JournalHooks {
  /** the provider a request path belongs to, or null */
  providerOf(path: string): string | null;
  /** the tenant whose credential the request carries (the provider's `tenantOf`: a lookup), or null */
  tenantOf(provider: string, c: Context<SimEnv>): string | null;
}

/** A provider's lookup that throws must not fail the request it only describes. */
export function tenantOrNull(hooks: Pick<JournalHooks, "tenantOf">, provider: string, c: Context<SimEnv>): string | null {
  try {
    return hooks.tenantOf(provider, c);
  } catch {
    return null;
  }
}

/**
 * One step of the app's request pipeline around the rest of the request (app.ts runs it for
 * every provider request and unmatched path). Synchronous when the rest is: a request that is
 * answered at once gets its answer without a promise or an extra tick per step.
 */
export type Layer = (c: Context<SimEnv>, rest: () => Response | Promise<Response>) => Response | Promise<Response>;

/** The rest of a request, given its context (one function per route: no closure per request). */
export type Step = (c: Context<SimEnv>) => Response | Promise<Response>;

/** The journal around `rest`: `(c, rest) => Response`, or null when the journal keeps nothing. */
export type JournalLayer = (c: Context<SimEnv>, rest: Step) => Response | Promise<Response>;

export function journalLayer(journal: Journal, hooks: JournalHooks): JournalLayer | null {
  if (journal.capacity === 0) return null;
  return (c, rest) => {
    const atMs = Date.now();
    const start = performance.now();
    const provider = hooks.providerOf(c.req.path);
    const res = rest(c);
    // The credential's tenant as it was when the request was sent: the one the provider's
    // auth recorded if it ran at once (nothing else ran since the request arrived), else
    // looked up now, still before anything else runs (a route that awaits first, a refused
    // credential, a request for no provider).
    const tenant = provider === null ? null : (c.get("tenant") ?? tenantOrNull(hooks, provider, c));
    if (res instanceof Promise) return res.then((done) => answered(journal, c, done, atMs, start, provider, tenant));
    return answered(journal, c, res, atMs, start, provider, tenant);
  };
}

function answered(journal: Journal, c: Context<SimEnv>, res: Response, atMs: number, start: number, provider: string | null, tenant: string | null): Response | Promise<Response> {
  const responseBody = c.get("responseBody");
  if (responseBody === undefined && res.body) {
    const type = res.headers.get("content-type") ?? "";
    const length = Number(res.headers.get("content-length") ?? "0");
    if ((type.includes("json") || type.startsWith("text/")) && length <= MAX_TEXT_CAPTURE) {
      return res.clone().text().then((text) => record(journal, c, res, text, atMs, start, provider, tenant));
    }
  }
  return record(journal, c, res, responseBody, atMs, start, provider, tenant);
}

function record(journal: Journal, c: Context<SimEnv>, res: Response, responseBody: unknown, atMs: number, start: number, provider: string | null, tenant: string | null): Response {
  journal.append({
    id: 0,
    atMs,
    method: c.req.method,
    provider,
    tenant,
    url: c.req.url,
    status: res.status,
    durationMs: Math.round((performance.now() - start) * 1000) / 1000,
    headers: c.env?.incoming?.rawHeaders ?? c.req.raw.headers,
    requestBody: c.get("rawBody"),
    responseBody,
  });
  return res;
}
