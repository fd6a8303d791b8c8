import { fixedClock } from "../../src/core/clock.js";
import type { Simulator, SimulatorOptions } from "../../src/index.js";
import { fixtures, newSim, testClient, type FixturesBody, type TestClient } from "../helpers.js";

export const BASE = "/rapidly/api/customers";
export const T0 = "2025-06-01T12:00:00.000Z";
export const T0_ISO = "2025-06-01T12:00:00.000000Z";

export type Tenant = FixturesBody["providers"][string]["tenants"][number];

export interface Ctx extends TestClient {
  sim: Simulator;
  clock: ReturnType<typeof fixedClock>;
  tenants: Tenant[];
  /** Authorization headers: full and read-only of workspace 0, full of workspace 1 */
  full: Record<string, string>;
  readOnly: Record<string, string>;
  other: Record<string, string>;
}

export async function start(opts: SimulatorOptions = {}): Promise<Ctx> {
  const clock = fixedClock(T0);
  const sim = await newSim({ clock, ...opts });
  const f = await fixtures(sim);
  const tenants = f.providers.rapidly!.tenants;
  const cred = (t: number, kind: string) => tenants[t]!.credentials.find((c) => c.kind === kind)!.headers;
  const ctx: Ctx = {
    sim,
    clock,
    tenants,
    full: cred(0, "full"),
    readOnly: cred(0, "read-only"),
    other: cred(1, "full"),
    ...testClient(sim, () => ctx.full),
  };
  return ctx;
}

/** The first live customer of workspace `t` matching `pred`, as the API shows it. */
export async function findCustomer(ctx: Ctx, pred: (c: any) => boolean, t = 0): Promise<any> {
  const headers = t === 0 ? ctx.full : ctx.other;
  const list = await ctx.getJson(`${BASE}/?limit=100`, headers);
  const found = list.body.items.find(pred);
  if (!found) throw new Error("no fixture customer matches");
  return found;
}

export const NOT_FOUND = { error: "ResourceNotFound", detail: "Not found" };
