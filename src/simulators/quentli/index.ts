// The Quentli provider: the organization-key customers API of Quentli's REST beta
// (spec: quentli.md).
import type { Clock } from "../../core/clock.js";
import { nowIso } from "../../core/clock.js";
import type { SeededRandom } from "../../core/ids.js";
import type { FixtureTenant, ProviderSimulator } from "../../core/simulator.js";
import { deleteMadeTenant, rowOf } from "../../core/tenants.js";
import { organizationOf } from "./auth.js";
import { quentliErrors } from "./errors.js";
import {
  addOrganization,
  makeOrganization,
  openModel,
  organizationsInOrder,
  removeOrganization,
  usersOf,
  type OrganizationRow,
  type QuentliDoc,
  type QuentliModel,
} from "./model.js";
import { quentliRoutes } from "./routes.js";
import { serializeCustomer } from "./serialize.js";
import { quentliStates } from "./states.js";

export type { QuentliDoc, QuentliModel } from "./model.js";

const byCreated = <T extends { id: string; createdAt: string }>(a: T, b: T): number =>
  a.createdAt !== b.createdAt ? (a.createdAt < b.createdAt ? -1 : 1) : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

function fixtureTenant(model: QuentliModel, org: OrganizationRow, withIds = true): FixtureTenant {
  const keys = Object.values(model.doc.keys).filter((k) => k.organizationId === org.id);
  const customerIds = !withIds ? [] : model.customers.scope(org.id).list().sort(byCreated).map((c) => c.id);
  return {
    id: org.id,
    name: org.name,
    credentials: keys.map((k) => ({ kind: "full" as const, headers: { Authorization: `Bearer ${k.key}` } })),
    customerIds,
    // spec: simulator.md#control-plane — Quentli `userIds` (for `assigneeId`)
    refs: { userIds: usersOf(model, org.id).map((u) => u.id) },
  };
}

export const quentli: ProviderSimulator<QuentliDoc, QuentliModel> = {
  name: "quentli",
  title: "Quentli",
  // Fixtures load faker, so they are imported only when a seed has to be generated.
  seed: async ({ seed }) => (await import("../../fixtures/quentli.js")).seedQuentli(seed),
  open: openModel,
  routes: quentliRoutes,
  errors: quentliErrors,
  // spec: quentli.md#rate-limits — none documented: no policy
  tenantOf: organizationOf,
  // Its routes change only its tables' rows: a commit need not compare
  // its organizations, users and credentials, which only the control plane changes.
  writtenByRoutes: [],
  listPath: () => "/v1/customers",

  fixtures(model, opts) {
    return organizationsInOrder(model).map((org) => fixtureTenant(model, org, opts?.customerIds !== false));
  },

  /** A fresh organization with no customers, one API key and two users. */
  createTenant(model, random: () => SeededRandom, clock: Clock) {
    const rnd = random();
    const label = rnd.hex(6);
    const made = makeOrganization(rnd, `Test Organization ${label}`, nowIso(clock, 3), [
      { name: "Test Owner", email: `owner.${label}@example.com` },
      { name: "Test Staff", email: `staff.${label}@example.com` },
    ]);
    made.organization.made = true;
    addOrganization(model, made.organization, made.keys, made.users);
    return fixtureTenant(model, made.organization);
  },

  deleteTenant: (model, id) => deleteMadeTenant(rowOf(model.doc.organizations, id), () => removeOrganization(model, id)),
  hasTenant: (model, id) => rowOf(model.doc.organizations, id) !== undefined,

  // spec: simulator.md#pact — provider states for POST /__admin/provider-states
  states: quentliStates,
  // spec: simulator.md#pact — what `contracts export` writes (loaded only by that command)
  interactions: async () => (await import("../../contracts/quentli.js")).quentliInteractions,
  openapi: async () => (await import("./openapi.js")).openApiDocument(),

  /** Every customer as stored, write-only and unreturned fields included. */
  rawCustomers(model) {
    return model.customers
      .all()
      .slice()
      .sort((a, b) => (a.organizationId !== b.organizationId ? (a.organizationId < b.organizationId ? -1 : 1) : byCreated(a, b)))
      .map((c) => ({ ...serializeCustomer(c), assigneeId: c.assigneeId, tosIp: c.tosIp, signature: c.signature }));
  },
};
