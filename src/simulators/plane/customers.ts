// Plane's customer operations, called by the routes and by the Pact provider states: each
// takes the model and the parsed input, applies the rules (rules.ts) and puts the rows. The
// callers commit.
import { DomainError } from "../../core/domain-errors.js";
import { UniqueViolation } from "../../core/table.js";
import { byExternalRef, putCustomer, roleOf, type CustomerRow, type PlaneModel } from "./model.js";
import { invalid, parseCustomerWrite } from "./request.js";
import { NAME_TAKEN, planCreate, planDelete, planUpdate, type CreatePlan, type Lookup } from "./rules.js";

export function lookupIn(model: PlaneModel, workspaceId: string): Lookup {
  const scope = model.customers.scope(workspaceId);
  return {
    byName: (name) => scope.findBy("name", name),
    byRef: (source, id) => byExternalRef(model, workspaceId, source, id)[0],
    isUser: (id) => roleOf(model, workspaceId, id) !== null,
  };
}

/** Puts a row; the name index has the last word (a taken name is the rule's 400, never a 500). */
function put(model: PlaneModel, row: CustomerRow): void {
  try {
    putCustomer(model, row);
  } catch (err) {
    if (err instanceof UniqueViolation) throw invalid([{ loc: ["name"], type: "unique", message: NAME_TAKEN }]);
    throw err;
  }
}

/** The live customer `pk` of the workspace, or 404 (Plane's "does not exist"). */
export function liveById(model: PlaneModel, workspaceId: string, pk: string): CustomerRow {
  const customer = model.customers.scope(workspaceId).get(pk);
  if (!customer || customer.deleted_at !== null) throw new DomainError("not_found");
  return customer;
}

/** POST customers/ after auth: validation, then the upsert; puts the row (caller commits). */
export function createCustomer(model: PlaneModel, workspaceId: string, data: unknown, userId: string, newId: () => string, now: string): CreatePlan {
  const { input, issues } = parseCustomerWrite(data);
  const plan = planCreate(workspaceId, input, issues, lookupIn(model, workspaceId), userId, newId, now);
  put(model, plan.row);
  return plan;
}

/** PATCH customers/{pk}/ after auth and lookup; puts the row (caller commits). */
export function updateCustomer(model: PlaneModel, current: CustomerRow, data: unknown, userId: string, now: string): CustomerRow {
  const { input, issues } = parseCustomerWrite(data);
  const row = planUpdate(current, input, issues, lookupIn(model, current.workspace_id), userId, now);
  put(model, row);
  return row;
}

export function deleteCustomer(model: PlaneModel, current: CustomerRow, userId: string, now: string): void {
  put(model, planDelete(current, userId, now));
}

/** Soft-deletes every live customer with this external reference; how many. */
export function deleteByExternalRef(model: PlaneModel, workspaceId: string, source: string, id: string, userId: string, now: string): number {
  const matches = byExternalRef(model, workspaceId, source, id);
  for (const c of matches) deleteCustomer(model, c, userId, now);
  return matches.length;
}
