import { serve } from "@hono/node-server";
import type { Hono } from "hono";
import type { SimEnv } from "./core/env.js";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { buildApp, loadProviders } from "./app.js";
import { trackConnections } from "./core/graceful.js";
import { Runtime, type SimulatorOptions } from "./runtime.js";

export type { SimulatorOptions } from "./runtime.js";
export type { Clock } from "./core/clock.js";
export { fixedClock, systemClock } from "./core/clock.js";
export type { FixtureTenant, FixtureCredential, ProviderSimulator } from "./core/simulator.js";

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
}

export async function createSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const runtime = await Runtime.open(await loadProviders(options.provider), options);
  const app = buildApp(runtime);
  let server: { close(graceMs: number): Promise<{ dropped: number }> } | undefined;

  return {
    app,
    fetch: (request) => app.fetch(request),
    reset: (opts) => runtime.reset(opts),
    runtime,
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
