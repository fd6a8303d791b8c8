import { serve } from "@hono/node-server";
import type { Hono } from "hono";
import type { SimEnv } from "./core/env.js";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ControlPlane, type Fixtures, type RequestFilter } from "./admin/control.js";
import { buildApp, loadProviders } from "./app.js";
import { parseFaultRules, type ActiveFaultRule, type FaultRule } from "./core/faults.js";
import { trackConnections } from "./core/graceful.js";
import type { JournalEntry } from "./core/journal.js";
import type { FixtureOptions, FixtureTenant, TenantDeletion } from "./core/simulator.js";
import { Runtime, type SimulatorOptions as RuntimeOptions } from "./runtime.js";

export type { Clock } from "./core/clock.js";
export { fixedClock, systemClock } from "./core/clock.js";
export type { FixtureOptions, FixtureTenant, FixtureCredential, ProviderSimulator, TenantDeletion } from "./core/simulator.js";
export type { FaultRule, ActiveFaultRule } from "./core/faults.js";
export type { JournalEntry } from "./core/journal.js";
export { ControlPlaneError, type Fixtures, type RequestFilter } from "./admin/control.js";

export interface SimulatorOptions extends RuntimeOptions {
  /** fault rules in force from the start (what `--faults FILE` loads); a bad rule throws */
  faults?: FaultRule[];
}

/** The fault rules: what POST/GET/DELETE /__admin/faults do, in-process. */
export interface FaultsApi {
  /** Adds a rule → it with its `id` (throws ControlPlaneError 400 for a bad rule). */
  add(rule: FaultRule): ActiveFaultRule;
  list(): ActiveFaultRule[];
  /** false when there is no such rule (e.g. a `times` rule that has expired) */
  remove(id: string): boolean;
  clear(): void;
}

export interface Simulator {
  /** The Hono app: `app.request(path, init)` works in-process, no port needed. */
  app: Hono<SimEnv>;
  fetch: (request: Request) => Response | Promise<Response>;
  /** Back to the seeded fixtures (all providers, or one; optionally with a new seed). */
  reset(opts?: { provider?: string; seed?: number }): Promise<void>;
  /** Starts listening (0 = a free port); resolves with the URL. */
  listen(port?: number, host?: string): Promise<{ port: number; url: string }>;
  /**
   * Stops accepting, lets in-flight requests finish (dropping any still running after
   * `graceMs`, default 4000), and flushes the data file. Resolves with how many were dropped.
   */
  close(opts?: { graceMs?: number }): Promise<{ dropped: number }>;
  runtime: Runtime;

  // The control plane without HTTP: the same operations as /__admin, typed.
  /** The seed and every provider's tenants and credentials (GET /__admin/fixtures). */
  fixtures(opts?: FixtureOptions): Fixtures;
  /** A fresh isolated tenant with a full-access credential (POST /__admin/{provider}/tenants). */
  createTenant(provider: string): Promise<FixtureTenant>;
  /**
   * Removes a tenant made with `createTenant`, its credentials, its data and its fault rules
   * (DELETE /__admin/{provider}/tenants/{id}): "deleted"; a fixture tenant → "fixture", an
   * unknown id → "unknown", and nothing changes.
   */
  deleteTenant(provider: string, id: string): Promise<TenantDeletion>;
  /** The journal, oldest first (GET /__admin/requests). */
  requests(filter?: RequestFilter): JournalEntry[];
  /** How many journal entries match (GET /__admin/requests/count). */
  requestCount(filter?: RequestFilter): number;
  /** Empties the journal (DELETE /__admin/requests). */
  clearRequests(): void;
  faults: FaultsApi;
}

export async function createSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const { journalSize } = options;
  if (journalSize !== undefined && !(Number.isInteger(journalSize) && journalSize >= 0 && journalSize <= 1_000_000)) {
    throw new RangeError(`journalSize must be an integer from 0 to 1000000, got ${journalSize}`);
  }
  const runtime = await Runtime.open(await loadProviders(options.provider), options);
  const control = new ControlPlane(runtime);
  if (options.faults !== undefined) {
    const parsed = parseFaultRules(options.faults, control.providers);
    if ("problem" in parsed) {
      await runtime.close();
      throw new Error(`faults: rule ${parsed.problem.index ?? 0}: ${parsed.problem.message}`);
    }
    try {
      control.addFaults(parsed.rules);
    } catch (err) {
      await runtime.close();
      throw new Error(`faults: ${(err as Error).message}`);
    }
  }
  const app = buildApp(runtime);
  let server: { close(graceMs: number): Promise<{ dropped: number }> } | undefined;

  return {
    app,
    fetch: (request) => app.fetch(request),
    reset: (opts) => runtime.reset(opts),
    runtime,
    fixtures: (opts) => control.fixtures(opts),
    createTenant: (provider) => control.createTenant(provider),
    deleteTenant: (provider, id) => control.deleteTenant(provider, id),
    requests: (filter) => control.requests(filter),
    requestCount: (filter) => control.requestCount(filter),
    clearRequests: () => control.clearRequests(),
    faults: {
      add: (rule) => control.addFault(rule),
      list: () => control.faults(),
      remove: (id) => control.removeFault(id),
      clear: () => control.clearFaults(),
    },
    listen(port = 0, host = "127.0.0.1") {
      return new Promise((resolve, reject) => {
        const s = serve({ fetch: app.fetch, port, hostname: host }, (info: AddressInfo) => {
          const shown = host.includes(":") ? `[${host}]` : host;
          resolve({ port: info.port, url: `http://${shown}:${info.port}` });
        }) as Server;
        s.once("error", reject);
        server = trackConnections(s);
      });
    },
    async close(opts = {}) {
      const s = server;
      server = undefined;
      const result = s ? await s.close(opts.graceMs ?? 4000) : { dropped: 0 };
      await runtime.close();
      return result;
    },
  };
}
