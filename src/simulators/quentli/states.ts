// Quentli's Pact provider states (spec: simulator.md#pact), for POST /__admin/provider-states.
// The runtime resets Quentli to its seeded state before a handler runs and commits after it.
// Customers are made in the first fixture organization (the first of /__admin/fixtures), so
// its key reaches them, and through the API's own create path (the schema, then the rules):
// params the API would refuse are refused here, with its messages.
import { nowIso } from "../../core/clock.js";
import { isDomainError } from "../../core/domain-errors.js";
import { asStored, fieldsAt, relocate, type Fields } from "../../core/provider-states.js";
import type { ProviderStateContext, ProviderStateHandler, ProviderStateValues } from "../../core/simulator.js";
import { planCustomerCreate } from "./customers.js";
import { customerId, organizationsInOrder, type QuentliModel } from "./model.js";
import { CUSTOMER_FIELDS } from "./schemas.js";
import { serializeCustomer } from "./serialize.js";

type Ctx = ProviderStateContext<QuentliModel>;

interface Target {
  tenant: string;
  token: string;
}

function firstTenant(model: QuentliModel): Target {
  const org = organizationsInOrder(model)[0];
  const key = org ? Object.values(model.doc.keys).find((k) => k.organizationId === org.id) : undefined;
  // Seeded state always has them: this is a broken state file, not bad params.
  if (!org || !key) throw new TypeError("Quentli's first fixture organization or its key is missing.");
  return { tenant: org.id, token: key.key };
}

/** Every seeded value a state may need, drawn in a fixed order from one source. */
function draw(ctx: Ctx) {
  const rnd = ctx.random();
  return { id: customerId(rnd), name: `Customer ${rnd.hex(8)}` };
}

/**
 * Creates one customer as POST /v1/customers would (a missing name gets a drawn one) and
 * returns its id and the fields that were set, as returned (write-only ones as sent).
 */
function createCustomer(ctx: Ctx, target: Target, fields: Fields, where: string[]): { id: string; set: Fields } {
  const drawn = draw(ctx);
  const input: Fields = Object.hasOwn(fields, "name") ? fields : { ...fields, name: drawn.name };
  let row;
  try {
    row = planCustomerCreate(ctx.model, target.tenant, { input }, () => drawn.id, nowIso(ctx.clock, 3));
  } catch (err) {
    // a taken email, phone number or username: refused with the API's message
    if (isDomainError(err) && err.kind === "conflict") throw new Error(`${[...where, String(err.details.field)].join(".")}: ${String(err.details.message)}.`);
    throw relocate(err, where, ["input"]);
  }
  ctx.model.customers.put(row, target.tenant);
  return { id: row.id, set: asStored(input, serializeCustomer(row)) };
}

export const quentliStates: Record<string, ProviderStateHandler<QuentliModel>> = {
  /** params: any POST /v1/customers input fields; a missing name is generated. */
  "a customer exists": (ctx) => {
    const target = firstTenant(ctx.model);
    const { id, set } = createCustomer(ctx, target, fieldsAt(ctx.params, ["params"], CUSTOMER_FIELDS), ["params"]);
    return { id, ...set, token: target.token, tenant: target.tenant };
  },

  /** `{ id }`: a well-formed customer id that no customer of any organization has. */
  "no customer exists": (ctx) => {
    const target = firstTenant(ctx.model);
    fieldsAt(ctx.params, ["params"], []);
    let id = draw(ctx).id;
    while (Object.hasOwn(ctx.model.doc.customers, id)) id = draw(ctx).id;
    return { id, token: target.token, tenant: target.tenant } satisfies ProviderStateValues;
  },

  /**
   * params `first`, `second`: field sets → `{ id, otherId, ...the first's fields,
   * other<Field> for the second's, token, tenant }` (for conflict cases).
   */
  "two customers exist": (ctx) => {
    const target = firstTenant(ctx.model);
    const params = fieldsAt(ctx.params, ["params"], ["first", "second"]);
    const first = createCustomer(ctx, target, fieldsAt(params.first, ["params", "first"], CUSTOMER_FIELDS), ["params", "first"]);
    const second = createCustomer(ctx, target, fieldsAt(params.second, ["params", "second"], CUSTOMER_FIELDS), ["params", "second"]);
    const other = Object.fromEntries(Object.entries(second.set).map(([k, v]) => [`other${k[0]!.toUpperCase()}${k.slice(1)}`, v]));
    return { id: first.id, otherId: second.id, ...first.set, ...other, token: target.token, tenant: target.tenant };
  },
};
