import { fixedClock } from "../../src/core/clock.js";
import type { Simulator, SimulatorOptions } from "../../src/index.js";
import { fixtures, newSim, testClient, type FixturesBody, type TestClient } from "../helpers.js";

export const T0 = "2025-06-01T12:00:00.000Z";
export const T0_ISO = "2025-06-01T12:00:00.000000Z";

export type Tenant = FixturesBody["providers"][string]["tenants"][number];

export interface Ctx extends TestClient {
  sim: Simulator;
  clock: ReturnType<typeof fixedClock>;
  tenants: Tenant[];
  /** `/plane/api/v1/workspaces/<slug of tenant 0>/customers` (no trailing slash) */
  base: string;
  /** the same for tenant 1 */
  otherBase: string;
  /** credential headers: owner key, member key, read-only OAuth token of workspace 0; owner key of workspace 1 */
  full: Record<string, string>;
  member: Record<string, string>;
  readOnly: Record<string, string>;
  other: Record<string, string>;
  /** user ids of workspace 0 (owner first as listed) */
  userIds: string[];
}

export async function start(opts: SimulatorOptions = {}): Promise<Ctx> {
  const clock = fixedClock(T0);
  const sim = await newSim({ clock, ...opts });
  const f = await fixtures(sim);
  const tenants = f.providers.plane!.tenants;
  const cred = (t: number, kind: string) => tenants[t]!.credentials.find((c) => c.kind === kind)!.headers;
  const ctx: Ctx = {
    sim,
    clock,
    tenants,
    base: `/plane/api/v1/workspaces/${tenants[0]!.slug}/customers`,
    otherBase: `/plane/api/v1/workspaces/${tenants[1]!.slug}/customers`,
    full: cred(0, "full"),
    member: cred(0, "member"),
    readOnly: cred(0, "read-only"),
    other: cred(1, "full"),
    userIds: tenants[0]!.refs.userIds as string[],
    ...testClient(sim, () => ctx.full),
  };
  return ctx;
}

/** Every raw customer row (deleted included), as the control plane shows it. */
export async function raw(ctx: Ctx): Promise<any[]> {
  return ((await (await ctx.req("/__admin/plane/customers")).json()) as { customers: any[] }).customers;
}

export const RESOURCE_MISSING = { error: "The requested resource does not exist." };
export const PAGE_NOT_FOUND = { error: "Page not found." };
