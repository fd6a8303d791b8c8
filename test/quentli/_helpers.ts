import { expect } from "vitest";
import { fixedClock } from "../../src/core/clock.js";
import type { Simulator, SimulatorOptions } from "../../src/index.js";
import { fixtures, newSim, testClient, type FixturesBody, type TestClient } from "../helpers.js";

export const BASE = "/quentli/v1/customers";
export const T0 = "2025-06-01T12:00:00.000Z";

export type Tenant = FixturesBody["providers"][string]["tenants"][number];

export interface Ctx extends TestClient {
  sim: Simulator;
  clock: ReturnType<typeof fixedClock>;
  tenants: Tenant[];
  /** Authorization headers of organization 0 and organization 1 */
  full: Record<string, string>;
  other: Record<string, string>;
  /** Every customer of the simulator as stored (the control plane's raw dump). */
  raw(): Promise<unknown[]>;
}

export async function start(opts: SimulatorOptions = {}): Promise<Ctx> {
  const clock = fixedClock(T0);
  const sim = await newSim({ clock, ...opts });
  const f = await fixtures(sim);
  const tenants = f.providers.quentli!.tenants;
  const ctx: Ctx = {
    sim,
    clock,
    tenants,
    full: tenants[0]!.credentials[0]!.headers,
    other: tenants[1]!.credentials[0]!.headers,
    ...testClient(sim, () => ctx.full),
    async raw() {
      const res = await sim.app.request("/__admin/quentli/customers");
      return ((await res.json()) as { customers: unknown[] }).customers;
    },
  };
  return ctx;
}

/** The organization's customers as the API lists them (all of them, newest first). */
export async function allCustomers(ctx: Ctx, headers = ctx.full): Promise<any[]> {
  const out: any[] = [];
  for (let skip = 0; ; skip += 100) {
    const page = await ctx.getJson(`${BASE}?take=100&skip=${skip}`, headers);
    expect(page.status).toBe(200);
    out.push(...page.body);
    if (page.body.length < 100) return out;
  }
}

/** Sends a request that must fail with `status`; the stored state must be unchanged. */
export async function refused(ctx: Ctx, method: string, path: string, body: unknown, status: number, headers?: Record<string, string>): Promise<any> {
  const before = JSON.stringify(await ctx.raw());
  const res = await ctx.send(method, path, body, headers);
  expect(res.status, await res.clone().text()).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  const json = (await res.json()) as any;
  expect(JSON.stringify(await ctx.raw())).toBe(before);
  return json;
}
