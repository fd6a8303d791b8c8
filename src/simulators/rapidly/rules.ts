// Rapidly's business rules as plain functions: current state + validated input → the rows to
// write, or a DomainError("rule_violation") holding every violation. No HTTP here, and
// nothing is written: the caller puts the returned rows only when the whole plan succeeded.
import { DomainError, type InputIssue } from "../../core/domain-errors.js";
import {
  emailKey,
  type CustomerRow,
  type MemberRow,
  type Metadata,
} from "./model.js";
import type { CustomerCreateInput, CustomerUpdateExternalInput, CustomerUpdateInput } from "./schemas.js";

/** What the rules may ask of the workspace's live (non-deleted) customers. */
export interface CustomerLookup {
  byEmail(emailKey: string): CustomerRow | undefined;
  byExternalId(externalId: string): CustomerRow | undefined;
}

export interface CustomerWrite {
  customer: CustomerRow;
  /** member rows to put alongside (new owner, synced owner, deleted members) */
  members: MemberRow[];
}

const EMAIL_TAKEN = "A customer with this email address already exists.";
const EXTERNAL_ID_TAKEN = "A customer with this external ID already exists.";
const EXTERNAL_ID_IMMUTABLE = "Customer external ID cannot be updated.";
const BILLING_ADDRESS_RESET = "Customer billing address cannot be reset to null once set.";
const TYPE_DOWNGRADE = "Customer type cannot be downgraded from 'team' to 'individual'.";

function violation(loc: string, message: string, input: unknown): InputIssue {
  return { type: "value_error", loc: ["body", loc], message, input };
}

/** Present = the key was in the request body (Pydantic's model_fields_set). */
type Present<T> = { [K in keyof T]?: T[K] };

/**
 * PATCH /api/customers/{id} and /api/customers/external/{external_id}.
 * `input` holds only the fields present in the body.
 */
export function planUpdate(
  current: CustomerRow,
  members: readonly MemberRow[],
  input: Present<CustomerUpdateInput> | Present<CustomerUpdateExternalInput>,
  lookup: CustomerLookup,
  now: string,
): CustomerWrite {
  const issues: InputIssue[] = [];
  const next: CustomerRow = { ...current, modified_at: now };
  let ownerEmail: string | null = null;

  // spec: rapidly.md#patch-rules (email) — acts only when non-null and different
  // case-insensitively; a change of case alone changes nothing; `email: null` is ignored.
  if (input.email !== undefined && input.email !== null && emailKey(input.email) !== emailKey(current.email)) {
    const holder = lookup.byEmail(emailKey(input.email));
    if (holder && holder.id !== current.id) {
      issues.push(violation("email", EMAIL_TAKEN, input.email));
    } else {
      next.email = input.email;
      // spec: rapidly.md#patch-rules — a successful change un-verifies the address
      next.email_verified = false;
      // spec: rapidly.md#the-customer-object — an individual's email change goes to its owner member
      if (current.type !== "team") ownerEmail = input.email;
    }
  }

  // spec: rapidly.md#patch-rules (billing_address) — null is refused whatever the current value
  if ("billing_address" in input && input.billing_address !== undefined) {
    if (input.billing_address === null) issues.push(violation("billing_address", BILLING_ADDRESS_RESET, null));
    else next.billing_address = input.billing_address;
  }

  // spec: rapidly.md#patch-rules (external_id) — immutable once set (null and "" included),
  // unique in the workspace; resending the same value is a no-op.
  if ("external_id" in input && input.external_id !== undefined && input.external_id !== current.external_id) {
    if (current.external_id !== null) {
      issues.push(violation("external_id", EXTERNAL_ID_IMMUTABLE, input.external_id));
    } else if (input.external_id !== null) {
      const holder = lookup.byExternalId(input.external_id);
      if (holder && holder.id !== current.id) issues.push(violation("external_id", EXTERNAL_ID_TAKEN, input.external_id));
      else next.external_id = input.external_id;
    }
  }

  // spec: rapidly.md#patch-rules (type) — no downgrade from team (null current = individual).
  // decision: `type: null` on a non-team customer keeps the current type.
  if ("type" in input && input.type !== undefined) {
    if (current.type === "team") {
      if (input.type !== "team") issues.push({ type: "value_error", loc: ["body", "type"], message: TYPE_DOWNGRADE, input: input.type });
    } else if (input.type !== null) {
      next.type = input.type;
    }
  }

  if (issues.length) throw new DomainError("rule_violation", { issues });

  // spec: rapidly.md#patch-rules (write) — metadata replaces the whole map; name stripped, "" → null
  if (input.metadata !== undefined) next.metadata = input.metadata;
  if ("name" in input && input.name !== undefined) next.name = input.name;

  const memberWrites: MemberRow[] = [];
  if (ownerEmail !== null) {
    const live = members.filter((m) => m.deleted_at === null);
    const owner = live.find((m) => m.role === "owner");
    const clash = live.some((m) => m !== owner && emailKey(m.email) === emailKey(ownerEmail!));
    if (owner && !clash && owner.email !== ownerEmail) memberWrites.push({ ...owner, email: ownerEmail, modified_at: now });
  }
  return { customer: next, members: memberWrites };
}

export interface NewIds {
  customerId: string;
  ownerId: string;
}

/** POST /api/customers/: same validation; duplicate email or external_id → the PATCH items. */
export function planCreate(
  workspaceId: string,
  input: Present<CustomerCreateInput> & { email: string },
  lookup: CustomerLookup,
  ids: NewIds | (() => NewIds),
  now: string,
): CustomerWrite {
  const issues: InputIssue[] = [];
  // spec: rapidly.md#create — email unique case-insensitively among live customers
  if (lookup.byEmail(emailKey(input.email))) issues.push(violation("email", EMAIL_TAKEN, input.email));
  const externalId = input.external_id ?? null;
  // spec: rapidly.md#create — external_id unique within the workspace
  if (externalId !== null && lookup.byExternalId(externalId)) issues.push(violation("external_id", EXTERNAL_ID_TAKEN, externalId));
  if (issues.length) throw new DomainError("rule_violation", { issues });
  // ids are drawn only for a create that will be written: a refused one leaves the seeded
  // id sequence (state) untouched
  const { customerId, ownerId } = typeof ids === "function" ? ids() : ids;

  const name = input.name ?? null;
  const metadata: Metadata = input.metadata ?? {};
  const customer: CustomerRow = {
    id: customerId,
    workspace_id: workspaceId,
    created_at: now,
    modified_at: null,
    metadata,
    external_id: externalId,
    email: input.email,
    email_verified: false,
    name,
    billing_address: input.billing_address ?? null,
    deleted_at: null,
    // decision: absent or null type → individual (Polar's default)
    type: input.type ?? "individual",
  };
  // spec: rapidly.md#the-customer-object — the owner member comes from `owner` or the customer
  const owner = input.owner ?? null;
  const member: MemberRow = {
    id: ownerId,
    workspace_id: workspaceId,
    customer_id: customerId,
    created_at: now,
    modified_at: null,
    deleted_at: null,
    email: owner?.email ?? input.email,
    name: owner?.name ?? name,
    external_id: owner?.external_id ?? externalId,
    role: "owner",
  };
  return { customer, members: [member] };
}

/**
 * DELETE: a soft delete. spec: rapidly.md#delete — sets deleted_at, frees email and
 * external_id (the external id is kept in metadata["__external_id"]), deletes the members.
 */
export function planDelete(current: CustomerRow, members: readonly MemberRow[], now: string): CustomerWrite {
  const customer: CustomerRow = { ...current, deleted_at: now, modified_at: now };
  if (current.external_id !== null) {
    customer.metadata = Object.fromEntries([...Object.entries(current.metadata), ["__external_id", current.external_id]]);
    customer.external_id = null;
  }
  const deleted = members.filter((m) => m.deleted_at === null).map((m) => ({ ...m, deleted_at: now, modified_at: now }));
  return { customer, members: deleted };
}
