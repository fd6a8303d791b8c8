import { fixedClock } from "../../src/core/clock.js";
import type { Simulator, SimulatorOptions } from "../../src/index.js";
import { fixtures, newSim, testClient, type FixturesBody, type TestClient } from "../helpers.js";

export const BASE = "/flextell/api/v1/customers";
export const T0 = "2025-06-01T12:00:00.000Z";
export const T0_LARAVEL = "2025-06-01T12:00:00.000000Z";

export type Tenant = FixturesBody["providers"][string]["tenants"][number];

export interface Ctx extends TestClient {
  sim: Simulator;
  clock: ReturnType<typeof fixedClock>;
  tenants: Tenant[];
  /** full credential of tenant 0 (with its X-Tenant) */
  full: Record<string, string>;
  /** full credential of tenant 1 */
  other: Record<string, string>;
  /** the two-tenant token, without X-Tenant */
  multi: Record<string, string>;
  raw(): Promise<any[]>;
}

export async function start(opts: SimulatorOptions = {}): Promise<Ctx> {
  const clock = fixedClock(T0);
  const sim = await newSim({ clock, ...opts });
  const f = await fixtures(sim);
  const tenants = f.providers.flextell!.tenants;
  const cred = (t: number, kind: string) => tenants[t]!.credentials.find((c) => c.kind === kind)!.headers;
  const ctx: Ctx = {
    sim,
    clock,
    tenants,
    full: cred(0, "full"),
    other: cred(1, "full"),
    multi: cred(0, "multi-tenant"),
    ...testClient(sim, () => ctx.full),
    async raw() {
      return ((await (await sim.app.request("/__admin/flextell/customers")).json()) as any).customers as any[];
    },
  };
  return ctx;
}

/** The customer `id` of tenant 0 as the API shows it. */
export async function getCustomer(ctx: Ctx, id: string | number, headers = ctx.full): Promise<any> {
  const res = await ctx.getJson(`${BASE}/${id}`, headers);
  if (res.status !== 200) throw new Error(`GET ${id}: ${res.status}`);
  return res.body.data;
}

export const notFound = (id: string | number) => ({ message: `No query results for model [App\\Models\\Customer] ${id}` });
export const UNAUTHENTICATED = { message: "Unauthenticated." };
export const FORBIDDEN = { message: "This action is unauthorized." };
