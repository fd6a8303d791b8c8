import { mkdtempSync, writeFileSync } from "node:fs";
import { open as openFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach } from "vitest";
import { Store, type StoreOptions } from "../src/core/store.js";
import { createSimulator, type Simulator, type SimulatorOptions } from "../src/index.js";

export interface FixturesBody {
  seed: number;
  providers: Record<string, {
    basePath: string;
    tenants: {
      id: string;
      slug?: string;
      name: string;
      credentials: { kind: string; headers: Record<string, string>; scopes?: string[] }[];
      customerIds: string[];
      refs: Record<string, unknown[]>;
    }[];
  }>;
}

const open: Simulator[] = [];
afterEach(async () => {
  for (const sim of open.splice(0)) await sim.close();
});

/**
 * A simulator for one test, any provider: closed after the test (its port and data file
 * released), so no test file keeps its own bookkeeping.
 */
export async function newSim(opts: SimulatorOptions = {}): Promise<Simulator> {
  const sim = await createSimulator(opts);
  open.push(sim);
  return sim;
}

export async function fixtures(sim: Simulator, adminToken?: string): Promise<FixturesBody> {
  const res = await sim.app.request("/__admin/fixtures", {
    headers: adminToken ? { Authorization: `Bearer ${adminToken}` } : {},
  });
  if (res.status !== 200) throw new Error(`fixtures: ${res.status}`);
  return (await res.json()) as FixturesBody;
}

/** Headers of a tenant's credential of the given kind. */
export async function credential(sim: Simulator, provider: string, kind = "full", tenant = 0): Promise<Record<string, string>> {
  const f = await fixtures(sim);
  const cred = f.providers[provider]!.tenants[tenant]!.credentials.find((c) => c.kind === kind);
  if (!cred) throw new Error(`no ${kind} credential for ${provider} tenant ${tenant}`);
  return cred.headers;
}

export function json(body: unknown, headers: Record<string, string> = {}, method = "POST"): RequestInit {
  return { method, body: JSON.stringify(body), headers: { "Content-Type": "application/json", ...headers } };
}

/** A provider test's HTTP client over the in-process app; `headers` default to `defaults()`. */
export interface TestClient {
  req(path: string, init?: RequestInit): Promise<Response>;
  /** JSON request with a body (object → JSON.stringify; string → sent as is) */
  send(method: string, path: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  getJson(path: string, headers?: Record<string, string>): Promise<{ status: number; body: any; headers: Headers }>;
}

export function testClient(sim: Simulator, defaults: () => Record<string, string>): TestClient {
  const req = (path: string, init?: RequestInit) => Promise.resolve(sim.app.request(path, init));
  return {
    req,
    send(method, path, body, headers = defaults()) {
      return req(path, {
        method,
        body: typeof body === "string" ? body : JSON.stringify(body),
        headers: { "Content-Type": "application/json", ...headers },
      });
    },
    async getJson(path, headers = defaults()) {
      const res = await req(path, { headers });
      const out = { status: res.status, body: (await res.json()) as any } as { status: number; body: any; headers: Headers };
      // not enumerable: tests compare `{ status, body }` with toEqual
      Object.defineProperty(out, "headers", { value: res.headers, enumerable: false });
      return out;
    },
  };
}

export type FileWrite = (data: Buffer | string, ...rest: unknown[]) => Promise<{ bytesWritten: number }>;

/** FileHandle.prototype (the class is not exported): spy on its `write` to slow or fail the store's writes. */
export async function fileHandleProto(): Promise<{ write: FileWrite }> {
  const probe = join(mkdtempSync(join(tmpdir(), "customer-sim-probe-")), "probe");
  writeFileSync(probe, "");
  const h = await openFile(probe, "r");
  const proto = Object.getPrototypeOf(h) as { write: FileWrite };
  await h.close();
  return proto;
}

/**
 * A store over `file` following one provider document `p` (build it with `make`, e.g. a
 * Table over its rows, once the store's document holds it), written as its first snapshot.
 */
export async function storeOver<D extends object, R>(file: string, doc: D, make: (doc: D) => R, opts: StoreOptions = {}, inPlace: string[] = []): Promise<{ store: Store; made: R }> {
  const { store } = await Store.open(file, opts);
  store.doc.providers.p = doc;
  const made = make(doc);
  store.attach("p", inPlace);
  store.onRevert = () => {};
  store.markAll();
  await store.commit("p");
  return { store, made };
}
