// The Rapidly provider: a rebrand of Polar's customers API (spec: rapidly.md).
import type { Clock } from "../../core/clock.js";
import { nowIso } from "../../core/clock.js";
import type { SeededRandom } from "../../core/ids.js";
import { byCreatedThenId } from "../../core/list.js";
import type { FixtureCredential, FixtureTenant, ProviderSimulator } from "../../core/simulator.js";
import { deleteMadeTenant, rowOf } from "../../core/tenants.js";
import { workspaceOf } from "./auth.js";
import { rapidlyErrors } from "./errors.js";
import {
  addWorkspace,
  makeWorkspace,
  membersOf,
  openModel,
  removeWorkspace,
  workspacesInOrder,
  type RapidlyDoc,
  type RapidlyModel,
  type TokenRow,
  type WorkspaceRow,
} from "./model.js";
import { rapidlyRoutes } from "./routes.js";
import { serializeCustomer } from "./serialize.js";
import { rapidlyStates } from "./states.js";
import { rapidlyAdminRoutes } from "./webhooks/admin.js";
import { webhookBackground } from "./webhooks/delivery.js";

export type { RapidlyDoc, RapidlyModel } from "./model.js";

function credential(t: TokenRow): FixtureCredential {
  return { kind: t.kind, headers: { Authorization: `Bearer ${t.token}` }, scopes: [...t.scopes] };
}

function fixtureTenant(model: RapidlyModel, ws: WorkspaceRow, tokens: TokenRow[], withIds = true): FixtureTenant {
  const customerIds = !withIds ? [] : model.customers
    .scope(ws.id)
    .list()
    .filter((c) => c.deleted_at === null)
    .sort(byCreatedThenId)
    .map((c) => c.id);
  const ordered = [...tokens].sort((a, b) => (a.kind === b.kind ? 0 : a.kind === "full" ? -1 : 1));
  return { id: ws.id, slug: ws.slug, name: ws.name, credentials: ordered.map(credential), customerIds, refs: {} };
}

export const rapidly: ProviderSimulator<RapidlyDoc, RapidlyModel> = {
  name: "rapidly",
  title: "Rapidly",
  // Fixtures load faker, so they are imported only when a seed has to be generated.
  seed: async ({ seed }) => (await import("../../fixtures/rapidly.js")).seedRapidly(seed),
  open: openModel,
  routes: rapidlyRoutes,
  errors: rapidlyErrors,
  // decision (spec silent): FastAPI's APIRoute adds no HEAD, so HEAD on a GET route is
  // Starlette's 405 with Allow (its /openapi.json and /docs, Starlette routes, do answer HEAD)
  headAsGet: false,
  // spec: rapidly.md#rate-limits — 500 requests/min per workspace, no X-RateLimit headers
  rateLimit: { limit: 500, windowMs: 60_000 },
  tenantOf: workspaceOf,
  // Its routes change only its tables' rows and the webhook outbox (pending deliveries): a
  // commit need not compare its workspaces and tokens, which only the control plane changes.
  writtenByRoutes: ["webhook_outbox"],
  listPath: () => "/api/customers/",

  fixtures(model, opts) {
    const tokensByWs = new Map<string, TokenRow[]>();
    for (const t of Object.values(model.doc.tokens)) {
      const list = tokensByWs.get(t.workspace_id) ?? [];
      list.push(t);
      tokensByWs.set(t.workspace_id, list);
    }
    return workspacesInOrder(model).map((ws) => fixtureTenant(model, ws, tokensByWs.get(ws.id) ?? [], opts?.customerIds !== false));
  },

  /** A fresh workspace with no customers, a full-access and a read-only token. */
  createTenant(model, random: () => SeededRandom, clock: Clock) {
    const rnd = random();
    const label = rnd.hex(6);
    const { workspace, tokens } = makeWorkspace(rnd, `Test Workspace ${label}`, nowIso(clock, 6), true);
    workspace.made = true;
    addWorkspace(model, workspace, tokens);
    return fixtureTenant(model, workspace, tokens);
  },

  deleteTenant: (model, id) => deleteMadeTenant(rowOf(model.doc.workspaces, id), () => removeWorkspace(model, id)),
  hasTenant: (model, id) => rowOf(model.doc.workspaces, id) !== undefined,

  // spec: simulator.md#pact — provider states for POST /__admin/provider-states
  states: rapidlyStates,
  // spec: simulator.md#pact — what `contracts export` writes (loaded only by that command)
  interactions: async () => (await import("../../contracts/rapidly.js")).rapidlyInteractions,
  openapi: async () => (await import("./openapi.js")).openApiDocument(),
  // spec: rapidly-webhooks.md — customer events sent in the background; deliver-pending
  background: webhookBackground,
  adminRoutes: rapidlyAdminRoutes,

  rawCustomers(model) {
    return model.customers
      .all()
      .slice()
      .sort((a, b) => (a.workspace_id !== b.workspace_id ? (a.workspace_id < b.workspace_id ? -1 : 1) : byCreatedThenId(a, b)))
      .map((c) => ({
        ...serializeCustomer(c, []),
        members: membersOf(model, c.id).map((m) => ({
          id: m.id,
          created_at: m.created_at,
          modified_at: m.modified_at,
          deleted_at: m.deleted_at,
          customer_id: m.customer_id,
          email: m.email,
          name: m.name,
          external_id: m.external_id,
          role: m.role,
        })),
      }));
  },
};
