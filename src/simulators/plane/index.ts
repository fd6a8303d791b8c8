// The Plane provider: the customers API of Plane's commercial edition (spec: plane.md), as
// Django REST Framework serves it and @makeplane/plane-node-sdk calls it.
import type { Clock } from "../../core/clock.js";
import { nowIso } from "../../core/clock.js";
import type { SeededRandom } from "../../core/ids.js";
import { byCreatedThenId } from "../../core/list.js";
import type { FixtureCredential, FixtureTenant, ProviderSimulator } from "../../core/simulator.js";
import { deleteMadeTenant, rowOf } from "../../core/tenants.js";
import { authenticate, workspaceOf } from "./auth.js";
import { planeErrors } from "./errors.js";
import {
  addWorkspaceRows,
  makeWorkspace,
  openModel,
  removeWorkspace,
  userIdsOf,
  workspacesInOrder,
  type PlaneDoc,
  type PlaneModel,
  type WorkspaceRow,
} from "./model.js";
import { planeRoutes } from "./routes.js";
import { serializeCustomer } from "./serialize.js";
import { planeStates } from "./states.js";

export type { PlaneDoc, PlaneModel } from "./model.js";

/** Credentials of a workspace: the owner's key (full), the OAuth token (read-only), the member's key. */
function credentials(model: PlaneModel, ws: WorkspaceRow): FixtureCredential[] {
  const out: FixtureCredential[] = [];
  const keys = Object.values(model.doc.apiKeys).filter((k) => k.workspace_id === ws.id);
  for (const k of keys.filter((k) => k.kind === "full")) out.push({ kind: "full", headers: { "X-API-Key": k.token } });
  for (const t of Object.values(model.doc.oauthTokens)) {
    if (t.workspace_id === ws.id) out.push({ kind: t.kind, headers: { Authorization: `Bearer ${t.token}` }, scopes: [...t.scopes] });
  }
  for (const k of keys.filter((k) => k.kind === "member")) out.push({ kind: "member", headers: { "X-API-Key": k.token } });
  return out;
}

function fixtureTenant(model: PlaneModel, ws: WorkspaceRow, withIds = true): FixtureTenant {
  const customerIds = !withIds ? [] : model.customers
    .scope(ws.id)
    .list()
    .filter((c) => c.deleted_at === null)
    .sort(byCreatedThenId)
    .map((c) => c.id);
  return { id: ws.id, slug: ws.slug, name: ws.name, credentials: credentials(model, ws), customerIds, refs: { userIds: userIdsOf(model, ws.id) } };
}

export const plane: ProviderSimulator<PlaneDoc, PlaneModel> = {
  name: "plane",
  title: "Plane",
  // Fixtures load faker, so they are imported only when a seed has to be generated.
  seed: async ({ seed }) => (await import("../../fixtures/plane.js")).seedPlane(seed),
  open: openModel,
  routes: planeRoutes,
  errors: planeErrors,
  // spec: plane.md#rate-limits — 60 requests/min per API key, with X-RateLimit-* on every response
  rateLimit: {
    limit: 60,
    windowMs: 60_000,
    headers: (d) => ({ "X-RateLimit-Remaining": String(d.remaining), "X-RateLimit-Reset": String(d.resetAt) }),
  },
  tenantOf: workspaceOf,
  // Its routes change only its tables' rows: a commit need not compare
  // its workspaces, users and credentials, which only the control plane changes.
  writtenByRoutes: [],
  // spec: plane.md#auth — DRF authenticates and throttles before it finds the method's handler
  beforeMethodNotAllowed: (c, ctx) => void authenticate(c, ctx, ctx.model()),
  listPath: (tenant) => `/api/v1/workspaces/${tenant.slug}/customers/`,

  fixtures: (model, opts) => workspacesInOrder(model).map((ws) => fixtureTenant(model, ws, opts?.customerIds !== false)),

  /** A fresh workspace with no customers: its owner user and that user's API key. */
  createTenant(model, random: () => SeededRandom, clock: Clock) {
    const rnd = random();
    const label = rnd.hex(6);
    const rows = makeWorkspace(rnd, `Test Workspace ${label}`, nowIso(clock, 6), { email: `owner.${label}@example.com`, display_name: `Owner ${label}` });
    rows.workspace.made = true;
    addWorkspaceRows(model, rows);
    return fixtureTenant(model, rows.workspace);
  },

  deleteTenant: (model, id) => deleteMadeTenant(rowOf(model.doc.workspaces, id), () => removeWorkspace(model, id)),
  hasTenant: (model, id) => rowOf(model.doc.workspaces, id) !== undefined,

  // spec: simulator.md#pact — provider states for POST /__admin/provider-states
  states: planeStates,
  interactions: async () => (await import("../../contracts/plane.js")).planeInteractions,
  openapi: async () => (await import("./openapi.js")).openApiDocument(),

  rawCustomers(model) {
    return model.customers
      .all()
      .slice()
      .sort((a, b) => (a.workspace_id !== b.workspace_id ? (a.workspace_id < b.workspace_id ? -1 : 1) : byCreatedThenId(a, b)))
      .map(serializeCustomer);
  },
};

