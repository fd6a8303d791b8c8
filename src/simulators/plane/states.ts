// Plane's Pact provider states (spec: simulator.md#pact), for POST /__admin/provider-states.
// The runtime resets Plane to its seeded state before a handler runs and commits after it.
// Customers are made in the first fixture workspace (the first of /__admin/fixtures), through
// the API's own create path (validation, then the rules): params the API would refuse are
// refused here, with its messages. Every answer carries the workspace's `slug`, its id
// (`tenant`) and its keys, so pacts can build paths and headers from them.
import { nowIso } from "../../core/clock.js";
import { DomainError, isDomainError } from "../../core/domain-errors.js";
import { fieldsAt, type Fields } from "../../core/provider-states.js";
import type { ProviderStateContext, ProviderStateHandler, ProviderStateValues } from "../../core/simulator.js";
import { createCustomer } from "./customers.js";
import { workspacesInOrder, type PlaneModel } from "./model.js";
import { WRITE_FIELDS } from "./schemas.js";
import { serializeCustomer } from "./serialize.js";

type Ctx = ProviderStateContext<PlaneModel>;

const CUSTOMER_FIELDS: readonly string[] = WRITE_FIELDS;

interface Target {
  tenant: string;
  slug: string;
  /** the owner's API key */
  token: string;
  /** the member-role user's API key (403 cases) */
  memberToken: string;
  /** the owner's OAuth token with `customers:read` only */
  readOnlyToken: string;
  ownerId: string;
}

function firstTenant(model: PlaneModel): Target {
  const ws = workspacesInOrder(model)[0];
  const keys = ws ? Object.values(model.doc.apiKeys).filter((k) => k.workspace_id === ws.id) : [];
  const full = keys.find((k) => k.kind === "full");
  const member = keys.find((k) => k.kind === "member");
  const oauth = ws ? Object.values(model.doc.oauthTokens).find((t) => t.workspace_id === ws.id && t.kind === "read-only") : undefined;
  // Seeded state always has them: this is a broken state file, not bad params.
  if (!ws || !full || !member || !oauth) throw new TypeError("Plane's first fixture workspace or its credentials are missing.");
  return { tenant: ws.id, slug: ws.slug, token: full.token, memberToken: member.token, readOnlyToken: oauth.token, ownerId: full.user_id };
}

function answer(t: Target): ProviderStateValues {
  return { token: t.token, memberToken: t.memberToken, readOnlyToken: t.readOnlyToken, tenant: t.tenant, slug: t.slug, userId: t.ownerId };
}

/** Creates one customer as POST customers/ would (a missing name gets a drawn one). */
function create(ctx: Ctx, target: Target, fields: Fields, where: string[]): { id: string; set: Fields } {
  const rnd = ctx.random();
  const id = rnd.uuid4();
  const value: Fields = Object.hasOwn(fields, "name") ? fields : { ...fields, name: `Customer ${rnd.hex(8)}` };
  let plan;
  try {
    plan = createCustomer(ctx.model, target.tenant, value, target.ownerId, () => id, nowIso(ctx.clock, 6));
  } catch (err) {
    throw underParams(err, where);
  }
  const wire = serializeCustomer(plan.row) as Record<string, unknown>;
  const set: Fields = {};
  for (const key of Object.keys(value)) set[key] = Object.hasOwn(wire, key) ? wire[key] : value[key];
  return { id: plan.row.id, set };
}

/** The API's field errors addressed at the state's params (`params.first.name`). */
function underParams(err: unknown, where: string[]): unknown {
  if (!isDomainError(err)) return err;
  if (!err.details.issues) return new DomainError(err.kind, { issues: [{ loc: where, type: "invalid", message: String(err.details.detail ?? err.kind) }] });
  return new DomainError(err.kind, { ...err.details, issues: err.details.issues.map((i) => ({ ...i, loc: [...where, ...i.loc] })) });
}

export const planeStates: Record<string, ProviderStateHandler<PlaneModel>> = {
  /** params: any writable customer fields; a missing name is generated. */
  "a customer exists": (ctx) => {
    const target = firstTenant(ctx.model);
    const { id, set } = create(ctx, target, fieldsAt(ctx.params, ["params"], CUSTOMER_FIELDS), ["params"]);
    return { id, ...set, ...answer(target) };
  },

  /** `{ id }`: a well-formed UUID that no customer of any workspace has. */
  "no customer exists": (ctx) => {
    const target = firstTenant(ctx.model);
    fieldsAt(ctx.params, ["params"], []);
    let id = ctx.random().uuid4();
    while (Object.hasOwn(ctx.model.doc.customers, id)) id = ctx.random().uuid4();
    return { id, ...answer(target) };
  },

  /** params `first`, `second`: field sets; `{ id, otherId, name, otherName }` for conflict cases. */
  "two customers exist": (ctx) => {
    const target = firstTenant(ctx.model);
    const params = fieldsAt(ctx.params, ["params"], ["first", "second"]);
    const first = create(ctx, target, fieldsAt(params.first, ["params", "first"], CUSTOMER_FIELDS), ["params", "first"]);
    const second = create(ctx, target, fieldsAt(params.second, ["params", "second"], CUSTOMER_FIELDS), ["params", "second"]);
    return { id: first.id, otherId: second.id, name: first.set.name, otherName: second.set.name, ...answer(target) };
  },
};
