// The Flextell provider: a Laravel 11 + Passport customers API with users in several tenants
// (spec: flextell.md).
import type { Clock } from "../../core/clock.js";
import type { SeededRandom } from "../../core/ids.js";
import { byCreatedThenId } from "../../core/list.js";
import type { RateDecision } from "../../core/rate-limit.js";
import type { FixtureCredential, FixtureTenant, ProviderSimulator } from "../../core/simulator.js";
import { deleteMadeTenant } from "../../core/tenants.js";
import { tenantOf } from "./auth.js";
import { flextellErrors } from "./errors.js";
import {
  channelsOf,
  openModel,
  removeTenant,
  tenantById,
  tenantsInOrder,
  usersOf,
  type FlextellDoc,
  type FlextellModel,
  type TenantRow,
  type TokenRow,
} from "./model.js";
import { flextellRoutes } from "./routes.js";
import { flextellStates } from "./states.js";
import { addTenant } from "./tenants.js";
import { laravelNow } from "./time.js";

export type { FlextellDoc, FlextellModel } from "./model.js";

function credential(t: TokenRow): FixtureCredential {
  const headers: Record<string, string> = { Authorization: `Bearer ${t.token}` };
  // spec: simulator.md#control-plane — `full` names its tenant; `multi-tenant` goes without
  if (t.kind === "full") headers["X-Tenant"] = String(t.tenant_id);
  return { kind: t.kind, headers };
}

function fixtureTenant(model: FlextellModel, tenant: TenantRow, withIds = true): FixtureTenant {
  const customerIds = !withIds ? [] : model.customers
    .scope(String(tenant.id))
    .list()
    .filter((c) => c.deleted_at === null)
    .sort(byCreatedThenId)
    .map((c) => String(c.id));
  const tokens = Object.values(model.doc.tokens)
    .filter((t) => t.tenant_id === tenant.id)
    .sort((a, b) => (a.kind === b.kind ? a.user_id - b.user_id : a.kind === "full" ? -1 : 1));
  return {
    id: String(tenant.id),
    name: tenant.name,
    credentials: tokens.map(credential),
    customerIds,
    refs: {
      userIds: usersOf(model, tenant.id).map((u) => u.id),
      channelIds: channelsOf(model, tenant.id).map((c) => c.id),
      tagIds: Object.values(model.doc.tags).filter((t) => t.tenant_id === tenant.id).map((t) => t.id).sort((a, b) => a - b),
    },
  };
}

export const flextell: ProviderSimulator<FlextellDoc, FlextellModel> = {
  name: "flextell",
  title: "Flextell",
  // Fixtures load faker, so they are imported only when a seed has to be generated.
  seed: async ({ seed }) => (await import("../../fixtures/flextell.js")).seedFlextell(seed),
  open: openModel,
  routes: flextellRoutes,
  errors: flextellErrors,
  // spec: flextell.md#rate-limits — 60 requests/min per token, X-RateLimit-* on every response
  rateLimit: {
    limit: 60,
    windowMs: 60_000,
    headers: (d: RateDecision) => ({ "X-RateLimit-Limit": String(d.limit), "X-RateLimit-Remaining": String(d.remaining) }),
  },
  tenantOf,
  // Its routes change only its tables' rows and the id sequences: a commit need not compare
  // its tenants, users and credentials, which only the control plane changes.
  writtenByRoutes: ["sequences"],
  listPath: () => "/api/v1/customers",

  fixtures(model, opts) {
    return tenantsInOrder(model).map((t) => fixtureTenant(model, t, opts?.customerIds !== false));
  },

  /** A fresh tenant with one user (and its token), a channel and a tag; no customers. */
  createTenant(model, random: () => SeededRandom, clock: Clock) {
    const rnd = random();
    const label = rnd.hex(6);
    const { tenant, token } = addTenant(model.doc, rnd, {
      name: `Test Tenant ${label}`,
      createdAt: laravelNow(clock),
      users: [{ name: `Test User ${label}`, email: `user.${label}@example.com` }],
      channels: [{ name: `Test Channel ${label}`, type: "whatsapp" }],
      tags: ["VIP"],
    }, true);
    model.tokens.set(token.token, token);
    return fixtureTenant(model, tenant);
  },

  deleteTenant(model, id) {
    const tenant = /^[0-9]+$/.test(id) ? tenantById(model, Number(id)) : undefined;
    return deleteMadeTenant(tenant, () => removeTenant(model, tenant!.id));
  },

  // (as the fixtures write it: "7", not "007")
  hasTenant: (model, id) => /^[1-9][0-9]*$/.test(id) && tenantById(model, Number(id)) !== undefined,

  // spec: simulator.md#pact — provider states for POST /__admin/provider-states
  states: flextellStates,
  // spec: simulator.md#pact — what `contracts export` writes (loaded only by that command)
  interactions: async () => (await import("../../contracts/flextell.js")).flextellInteractions,
  openapi: async () => (await import("./openapi.js")).openApiDocument(),

  rawCustomers(model) {
    return model.customers
      .all()
      .slice()
      .sort((a, b) => a.id - b.id)
      .map((c) => ({ ...c, tag_ids: [...c.tag_ids] }));
  },
};
