// Rapidly's customer operations, called by the routes and by the Pact provider states: each
// takes the model and validated input, applies the rules (rules.ts) and puts the rows. The
// callers commit.
import { DomainError } from "../../core/domain-errors.js";
import { canonicalUuid } from "./uuid.js";
import { membersOf, putMember, type CustomerRow, type RapidlyModel } from "./model.js";
import { bodyIssues, invalid, present, type Body } from "./request.js";
import { planCreate, type CustomerLookup, type CustomerWrite, type NewIds } from "./rules.js";
import { customerCreateSchema, type CustomerCreateInput } from "./schemas.js";

export function lookupIn(model: RapidlyModel, workspaceId: string): CustomerLookup {
  const scope = model.customers.scope(workspaceId);
  return {
    byEmail: (key) => scope.findBy("email", key),
    byExternalId: (id) => scope.findBy("external_id", id),
  };
}

/** The live customer `id` of the workspace, or 404. */
export function liveById(model: RapidlyModel, workspaceId: string, id: string): CustomerRow {
  const customer = model.customers.scope(workspaceId).get(canonicalUuid(id));
  if (!customer || customer.deleted_at !== null) throw new DomainError("not_found");
  return customer;
}

export function liveByExternalId(model: RapidlyModel, workspaceId: string, externalId: string): CustomerRow {
  const customer = model.customers.scope(workspaceId).findBy("external_id", externalId);
  if (!customer || customer.deleted_at !== null) throw new DomainError("not_found");
  return customer;
}

/** Puts a plan's rows; the caller commits. */
export function putWrite(model: RapidlyModel, plan: CustomerWrite): void {
  model.customers.put(plan.customer, plan.customer.workspace_id);
  for (const m of plan.members) putMember(model, m);
}

/**
 * POST /api/customers/ after auth: the create schema, then the business rules → the rows to
 * write. Throws the route's DomainErrors ("invalid", "rule_violation"); writes nothing, and
 * draws ids only for a create that will be written.
 */
export function planCustomerCreate(model: RapidlyModel, workspaceId: string, body: Body, ids: () => NewIds, now: string): CustomerWrite {
  const { data, raw, issues } = bodyIssues<CustomerCreateInput>(body, customerCreateSchema());
  if (issues.length || !data) throw invalid(issues);
  const input = { ...present(data, raw), email: data.email };
  return planCreate(workspaceId, input, lookupIn(model, workspaceId), ids, now);
}

export { membersOf };
