// Flextell's customer operations, called by the routes and by the Pact provider states: each
// takes the model and the request's input, applies the rules (rules.ts) and puts the row.
// The callers commit.
import type { Clock } from "../../core/clock.js";
import { DomainError } from "../../core/domain-errors.js";
import { ISO_NUMERIC_COUNTRIES } from "../../fixtures/countries-numeric.js";
import { channelById, emailKey, nextId, tagById, type CustomerRow, type FlextellModel } from "./model.js";
import type { Input } from "./request.js";
import { planCreate, planDelete, planUpdate, validateCustomer, type RuleEnv } from "./rules.js";
import { laravelNow } from "./time.js";

const DAY_MS = 86_400_000;

export function ruleEnv(model: FlextellModel, tenantId: number, clock: Clock): RuleEnv {
  const scope = model.customers.scope(String(tenantId));
  return {
    countryExists: (id) => ISO_NUMERIC_COUNTRIES.has(id),
    channelExists: (id) => channelById(model, id)?.tenant_id === tenantId,
    userExists: (id) => Object.hasOwn(model.doc.users, String(id)) && model.doc.users[String(id)]!.tenant_ids.includes(tenantId),
    tagExists: (id) => tagById(model, id)?.tenant_id === tenantId,
    emailHolder: (email) => scope.findBy("email", emailKey(email)),
    todayMs: Math.floor(clock.nowMicros() / 1000 / DAY_MS) * DAY_MS,
  };
}

/**
 * Route model binding within the tenant: the live customer `id`, or 404 with Laravel's model
 * message (another tenant's, a deleted one, no such id, not an integer).
 */
export function liveCustomer(model: FlextellModel, tenantId: number, id: string): CustomerRow {
  const customer = /^[0-9]+$/.test(id) ? model.customers.scope(String(tenantId)).get(String(Number(id))) : undefined;
  // spec: flextell.md#auth — 404 with the model's message
  if (!customer || customer.deleted_at !== null) throw new DomainError("not_found", { id });
  return customer;
}

export function createCustomer(model: FlextellModel, tenantId: number, input: Input, clock: Clock): CustomerRow {
  const values = validateCustomer(input, "create", ruleEnv(model, tenantId, clock));
  // the id is drawn only for a create that will be written
  const row = planCreate(tenantId, values, nextId(model.doc, "customers"), laravelNow(clock));
  model.customers.put(row, String(tenantId));
  return row;
}

export function updateCustomer(model: FlextellModel, current: CustomerRow, input: Input, clock: Clock): { row: CustomerRow; changed: boolean } {
  const values = validateCustomer(input, "update", ruleEnv(model, current.tenant_id, clock), current.id);
  const next = planUpdate(current, values, laravelNow(clock));
  if (!next) return { row: current, changed: false };
  model.customers.put(next, String(current.tenant_id));
  return { row: next, changed: true };
}

export function deleteCustomer(model: FlextellModel, current: CustomerRow, clock: Clock): CustomerRow {
  const row = planDelete(current, laravelNow(clock));
  model.customers.put(row, String(current.tenant_id));
  return row;
}
