// Flextell's Pact provider states (spec: simulator.md#pact), for POST /__admin/provider-states.
// The runtime resets Flextell to its seeded state before a handler runs and commits after it.
// Customers are made in the first fixture tenant (the first of /__admin/fixtures), so its
// full-access token reaches them, through the API's own create path (input cleaning, the
// FormRequest rules): params the API would refuse are refused here, with its messages.
import { asStored, fieldsAt, relocate, type Fields } from "../../core/provider-states.js";
import type { ProviderStateContext, ProviderStateHandler, ProviderStateValues } from "../../core/simulator.js";
import { createCustomer } from "./customers.js";
import { tenantsInOrder, type FlextellModel } from "./model.js";
import { cleanInput, type Input } from "./request.js";
import { CUSTOMER_FIELDS } from "./schemas.js";
import { serializeCustomer } from "./serialize.js";

type Ctx = ProviderStateContext<FlextellModel>;

const KNOWN: readonly string[] = [...CUSTOMER_FIELDS, "tags"];

interface Target {
  tenantId: number;
  token: string;
}

function firstTenant(model: FlextellModel): Target {
  const tenant = tenantsInOrder(model)[0];
  const token = tenant ? Object.values(model.doc.tokens).find((t) => t.kind === "full" && t.tenant_id === tenant.id) : undefined;
  // Seeded state always has them: this is a broken state file, not bad params.
  if (!tenant || !token) throw new TypeError("Flextell's first fixture tenant or its token is missing.");
  return { tenantId: tenant.id, token: token.token };
}

/** What every state answers: the token (without `Bearer `) and the tenant id (X-Tenant). */
const answer = (target: Target): ProviderStateValues => ({ token: target.token, tenant: String(target.tenantId) });

/** One customer as POST /api/v1/customers would make it; defaults for first_name and email. */
function createOne(ctx: Ctx, target: Target, fields: Fields, where: string[]): { id: number; set: Fields } {
  const rnd = ctx.random();
  const value: Fields = { first_name: "Customer", email: `customer.${rnd.hex(10)}@example.com`, ...fields };
  let row;
  try {
    row = createCustomer(ctx.model, target.tenantId, cleanInput(value) as Input, ctx.clock);
  } catch (err) {
    throw relocate(err, where);
  }
  return { id: row.id, set: asStored(value, serializeCustomer(ctx.model, row)) };
}

export const flextellStates: Record<string, ProviderStateHandler<FlextellModel>> = {
  /** params: any fields of POST /api/v1/customers; `{ id, ...fields as stored, token, tenant }`. */
  "a customer exists": (ctx) => {
    const target = firstTenant(ctx.model);
    const { id, set } = createOne(ctx, target, fieldsAt(ctx.params, ["params"], KNOWN), ["params"]);
    return { id, ...set, ...answer(target) };
  },

  /** `{ id }`: an integer id no customer of any tenant has (far past the sequence). */
  "no customer exists": (ctx) => {
    const target = firstTenant(ctx.model);
    fieldsAt(ctx.params, ["params"], []);
    return { id: ctx.model.doc.sequences.customers + 100_000, ...answer(target) };
  },

  /** params `first`, `second`: field sets; `{ id, otherId, email, otherEmail }` for conflict cases. */
  "two customers exist": (ctx) => {
    const target = firstTenant(ctx.model);
    const params = fieldsAt(ctx.params, ["params"], ["first", "second"]);
    const first = createOne(ctx, target, fieldsAt(params.first, ["params", "first"], KNOWN), ["params", "first"]);
    const second = createOne(ctx, target, fieldsAt(params.second, ["params", "second"], KNOWN), ["params", "second"]);
    return { id: first.id, otherId: second.id, email: first.set.email, otherEmail: second.set.email, ...answer(target) };
  },
};
