// Quentli's customer operations, called by the routes and by the Pact provider states: each
// takes the model and the request body, validates it (schemas.ts), applies the rules
// (rules.ts) and returns the row to put. The callers put and commit.
import { DomainError } from "../../core/domain-errors.js";
import { isUserOf, type CustomerRow, type QuentliModel } from "./model.js";
import { invalid } from "./request.js";
import { assigneeIssue, planCreate, planUpdate, type OrganizationLookup } from "./rules.js";
import { customerCreateSchema, customerUpdateSchema, validate } from "./schemas.js";

export function lookupIn(model: QuentliModel, organizationId: string): OrganizationLookup {
  const scope = model.customers.scope(organizationId);
  return {
    byEmail: (key) => scope.findBy("email", key),
    byPhoneNumber: (phone) => scope.findBy("phoneNumber", phone),
    byUsername: (key) => scope.findBy("username", key),
    isUser: (id) => isUserOf(model, organizationId, id),
  };
}

/** The organization's customer `id`, or undefined (another organization's does not exist). */
export function findCustomer(model: QuentliModel, organizationId: string, id: string): CustomerRow | undefined {
  return model.customers.scope(organizationId).get(id);
}

function pick(value: unknown, ...path: string[]): unknown {
  let v = value;
  for (const key of path) {
    if (typeof v !== "object" || v === null || Array.isArray(v) || !Object.hasOwn(v, key)) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

/** POST /v1/customers after auth → the row to put; 400 (every issue) or 409. */
export function planCustomerCreate(model: QuentliModel, organizationId: string, body: unknown, newId: () => string, now: string): CustomerRow {
  const lookup = lookupIn(model, organizationId);
  const parsed = validate(customerCreateSchema(), body);
  const issues = parsed.ok ? [] : [...parsed.issues];
  const assignee = assigneeIssue(pick(body, "input"), ["input"], lookup);
  if (assignee) issues.push(assignee);
  if (!parsed.ok || issues.length) throw invalid(issues);
  return planCreate(organizationId, parsed.data.input, lookup, newId, now);
}

/** PATCH /v1/customers/{id} after auth → the row to put; 400, then 404, then 409. */
export function planCustomerUpdate(model: QuentliModel, organizationId: string, id: string, body: unknown, now: string): CustomerRow {
  const lookup = lookupIn(model, organizationId);
  const parsed = validate(customerUpdateSchema(), body);
  const issues = parsed.ok ? [] : [...parsed.issues];
  const assignee = assigneeIssue(pick(body, "input", "data"), ["input", "data"], lookup);
  if (assignee) issues.push(assignee);
  if (!parsed.ok || issues.length) throw invalid(issues);
  const current = findCustomer(model, organizationId, id);
  if (!current) throw new DomainError("not_found");
  return planUpdate(current, parsed.data.input.data, lookup, now);
}
