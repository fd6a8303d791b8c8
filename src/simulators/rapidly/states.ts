// Rapidly's Pact provider states (spec: simulator.md#pact), for POST /__admin/provider-states.
// The runtime resets Rapidly to its seeded state before a handler runs and commits after it.
// Customers are made in the first fixture workspace (the first of /__admin/fixtures), so its
// full-access token reaches them, and through the API's own create path (the create schema,
// then the business rules): params the API would refuse are refused here, with its messages.
import { nowIso } from "../../core/clock.js";
import { asStored, fieldsAt, relocate, type Fields } from "../../core/provider-states.js";
import type { ProviderStateContext, ProviderStateHandler, ProviderStateValues } from "../../core/simulator.js";
import { planCustomerCreate, putWrite } from "./customers.js";
import { workspacesInOrder, type RapidlyModel } from "./model.js";
import { CUSTOMER_CREATE_FIELDS } from "./schemas.js";
import { serializeCustomer } from "./serialize.js";
import { recordCustomerEvents } from "./webhooks/events.js";
import { WEBHOOK_EVENT_TYPES, type EndpointRow, type WebhookEventType } from "./webhooks/model.js";
import { SECRET_PREFIX } from "./webhooks/signing.js";

type Ctx = ProviderStateContext<RapidlyModel>;

const CUSTOMER_FIELDS: readonly string[] = CUSTOMER_CREATE_FIELDS;

/** Where the state's customers go: the first fixture workspace and its full-access token. */
interface Target {
  tenant: string;
  token: string;
  /** The workspace's read-only token (for pacts of 403 on writes). */
  readOnlyToken: string;
}

function firstTenant(model: RapidlyModel): Target {
  const workspace = workspacesInOrder(model)[0];
  const tokens = workspace ? Object.values(model.doc.tokens).filter((t) => t.workspace_id === workspace.id) : [];
  const token = tokens.find((t) => t.kind === "full");
  const readOnly = tokens.find((t) => t.kind === "read-only");
  // Seeded state always has them: this is a broken state file, not bad params.
  if (!workspace || !token || !readOnly) throw new TypeError("Rapidly's first fixture workspace or its tokens are missing.");
  return { tenant: workspace.id, token: token.token, readOnlyToken: readOnly.token };
}

/** What every state answers about its workspace: tokens without `Bearer `, and its id. */
function answer(target: Target): ProviderStateValues {
  return { token: target.token, readOnlyToken: target.readOnlyToken, tenant: target.tenant };
}

/**
 * Every seeded value a state may need, drawn in a fixed order from one source, whatever the
 * params: the same state and params after a reset give the same ids.
 */
type Drawn = ReturnType<typeof draw>;

function draw(ctx: Ctx) {
  const rnd = ctx.random();
  return {
    customerId: rnd.uuid4(),
    ownerId: rnd.uuid4(),
    email: `customer.${rnd.hex(10)}@example.com`,
    externalId: `ext_${rnd.base62(12)}`,
  };
}

/**
 * Creates one customer as POST /api/customers/ would (a missing email gets the drawn one) and
 * returns its id and the fields that were set, as stored.
 */
function createCustomer(ctx: Ctx, target: Target, fields: Fields, where: string[], drawn: Drawn = draw(ctx)): { id: string; set: Fields } {
  const value: Fields = Object.hasOwn(fields, "email") ? fields : { ...fields, email: drawn.email };
  const now = nowIso(ctx.clock, 6);
  let plan;
  try {
    plan = planCustomerCreate(ctx.model, target.tenant, { present: true, value }, () => ({ customerId: drawn.customerId, ownerId: drawn.ownerId }), now);
  } catch (err) {
    throw relocate(err, where);
  }
  putWrite(ctx.model, plan);
  return { id: plan.customer.id, set: asStored(value, serializeCustomer(plan.customer, plan.members)) };
}

/** One customer from the params, over the state's defaults. */
function oneCustomer(ctx: Ctx, fieldsOf: (params: Fields, drawn: Drawn) => Fields = (params) => params): ProviderStateValues {
  const target = firstTenant(ctx.model);
  const drawn = draw(ctx);
  const fields = fieldsOf(fieldsAt(ctx.params, ["params"], CUSTOMER_FIELDS), drawn);
  const { id, set } = createCustomer(ctx, target, fields, ["params"], drawn);
  return { id, ...set, ...answer(target) };
}

export const rapidlyStates: Record<string, ProviderStateHandler<RapidlyModel>> = {
  /** params: any customer fields of POST /api/customers/; a missing email is generated. */
  "a customer exists": (ctx) => oneCustomer(ctx),

  /** `{ id }`: a well-formed UUID v4 that no customer (of any workspace) or member has. */
  "no customer exists": (ctx) => {
    const target = firstTenant(ctx.model);
    fieldsAt(ctx.params, ["params"], []);
    let id = draw(ctx).customerId;
    while (Object.hasOwn(ctx.model.doc.customers, id) || Object.hasOwn(ctx.model.doc.members, id)) id = draw(ctx).customerId;
    return { id, ...answer(target) };
  },

  /** params `first`, `second`: field sets; `{ id, otherId, email, otherEmail }` for conflict cases. */
  "two customers exist": (ctx) => {
    const target = firstTenant(ctx.model);
    const params = fieldsAt(ctx.params, ["params"], ["first", "second"]);
    const first = createCustomer(ctx, target, fieldsAt(params.first, ["params", "first"], CUSTOMER_FIELDS), ["params", "first"]);
    const second = createCustomer(ctx, target, fieldsAt(params.second, ["params", "second"], CUSTOMER_FIELDS), ["params", "second"]);
    return { id: first.id, otherId: second.id, email: first.set.email, otherEmail: second.set.email, ...answer(target) };
  },

  /** "a customer exists" with `type: "team"` (params may override any field). */
  "a team customer exists": (ctx) => oneCustomer(ctx, (params) => ({ type: "team", ...params })),

  /** "a customer exists" with an `external_id`: the param's, or `ext_` + 12 seeded characters. */
  // (an `external_id: null` param would mean none: it gets a generated one too)
  "a customer with an external id exists": (ctx) =>
    oneCustomer(ctx, (params, drawn) => ({ ...params, external_id: params.external_id ?? drawn.externalId })),
  "a webhook endpoint exists": webhookEndpointState,
  "a webhook event exists": webhookEventState,
};

// ---- webhooks (spec: rapidly-webhooks.md#endpoints-api)

/** An endpoint of the first workspace; params: `url`, `name`, `format`, `events`, `enabled`. */
function makeEndpoint(ctx: Ctx, target: Target): EndpointRow {
  const params = fieldsAt(ctx.params, ["params"], ["url", "name", "format", "events", "enabled"]);
  const rnd = ctx.random();
  const endpoint: EndpointRow = {
    id: rnd.uuid4(),
    created_at: nowIso(ctx.clock, 6),
    modified_at: null,
    url: typeof params.url === "string" ? params.url : "http://127.0.0.1:9/webhooks",
    name: typeof params.name === "string" ? params.name : null,
    format: params.format === "discord" || params.format === "slack" ? params.format : "raw",
    secret: SECRET_PREFIX + rnd.base62(43),
    workspace_id: target.tenant,
    events: Array.isArray(params.events) ? (params.events as WebhookEventType[]) : [...WEBHOOK_EVENT_TYPES],
    enabled: params.enabled !== false,
    failed_streak: 0,
    deleted_at: null,
  };
  ctx.model.webhooks.endpoints.put(endpoint, endpoint.workspace_id);
  return endpoint;
}

/** `{ endpointId, secret }` of a new endpoint (by default every customer event, to a closed local port). */
function webhookEndpointState(ctx: Ctx): ProviderStateValues {
  const target = firstTenant(ctx.model);
  const endpoint = makeEndpoint(ctx, target);
  return { endpointId: endpoint.id, secret: endpoint.secret, ...answer(target) };
}

/**
 * `{ eventId, endpointId }`: a `customer.created` event of a new customer, recorded for a
 * disabled endpoint (so nothing is sent: the event is `skipped`).
 */
function webhookEventState(ctx: Ctx): ProviderStateValues {
    const target = firstTenant(ctx.model);
    const endpoint = makeEndpoint({ ...ctx, params: { events: ["customer.created"], enabled: false } }, target);
    const { id } = createCustomer(ctx, target, {}, ["params"]);
    const customer = ctx.model.customers.scope(target.tenant).get(id)!;
    recordCustomerEvents(ctx.model, "customer.created", customer, ctx.clock.nowMicros(), ctx.random);
    const event = ctx.model.webhooks.events.scope(target.tenant).list().find((e) => e.endpoint_id === endpoint.id)!;
    return { eventId: event.id, endpointId: endpoint.id, ...answer(target) };
}
