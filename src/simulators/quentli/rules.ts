// Quentli's business rules as plain functions: current state + validated input → the row to
// write, or a DomainError. No HTTP here, and nothing is written: the caller puts the row.
import { DomainError, type InputIssue } from "../../core/domain-errors.js";
import { caseKey, type CustomerRow } from "./model.js";
import type { CustomerData } from "./schemas.js";

/** What the rules may ask of the caller's organization. */
export interface OrganizationLookup {
  byEmail(key: string): CustomerRow | undefined;
  byPhoneNumber(phone: string): CustomerRow | undefined;
  byUsername(key: string): CustomerRow | undefined;
  isUser(id: string): boolean;
}

/**
 * spec: quentli.md#patch-rules — `assigneeId` must be a user of the organization. Read from the
 * raw data so that it is listed with the schema's issues (every failing path in one 400).
 */
export function assigneeIssue(data: unknown, where: (string | number)[], lookup: OrganizationLookup): InputIssue | null {
  if (typeof data !== "object" || data === null || Array.isArray(data)) return null;
  const id = (data as Record<string, unknown>).assigneeId;
  if (typeof id !== "string" || lookup.isUser(id)) return null;
  return { loc: [...where, "assigneeId"], type: "custom", message: "Assignee must be a user of the organization" };
}

const TAKEN = [
  { field: "email", code: "EMAIL_TAKEN", message: "A customer with this email already exists", find: (l: OrganizationLookup, v: string) => l.byEmail(caseKey(v)) },
  { field: "phoneNumber", code: "PHONE_TAKEN", message: "A customer with this phone number already exists", find: (l: OrganizationLookup, v: string) => l.byPhoneNumber(v) },
  { field: "username", code: "USERNAME_TAKEN", message: "A customer with this username already exists", find: (l: OrganizationLookup, v: string) => l.byUsername(caseKey(v)) },
] as const;

/**
 * spec: quentli.md#patch-rules — unique within the organization (email and username
 * case-insensitively); the first of email, phoneNumber, username taken by another customer
 * is reported.
 */
function checkUnique(data: CustomerData, self: string | null, lookup: OrganizationLookup): void {
  for (const t of TAKEN) {
    const value = data[t.field];
    if (value === undefined || value === null) continue;
    const holder = t.find(lookup, value);
    if (holder && holder.id !== self) {
      throw new DomainError("conflict", {
        code: t.code,
        message: t.message,
        field: t.field,
        value,
        conflictingCustomer: { id: holder.id, name: holder.name },
      });
    }
  }
}

/** The fields of `data` put on `row` (`meta` is never stored; write-only fields act). */
function apply(row: CustomerRow, data: CustomerData, now: string): CustomerRow {
  const next: CustomerRow = { ...row };
  const copy = [
    "name", "email", "phoneNumber", "secondaryPhoneNumber", "username", "tags", "tosIp",
    "acceptedServiceAgreement", "skipTaxInvoice", "assigneeId", "optedOutWhatsappAt",
    "hasChangedPassword", "phoneNumberVerified", "emailVerified", "replyWithAssistant", "metadata",
  ] as const;
  for (const key of copy) {
    if (data[key] !== undefined) (next as unknown as Record<string, unknown>)[key] = data[key];
  }
  // spec: quentli.md#patch-rules — `password` sets hasChangedPassword (the password itself is
  // not kept: nothing in the simulator logs a customer in)
  if (data.password !== undefined) next.hasChangedPassword = true;
  // spec: quentli.md#patch-rules — `signature` sets signatureAcceptedAt = now
  if (data.signature !== undefined) {
    next.signature = data.signature;
    next.signatureAcceptedAt = now;
  }
  return next;
}

/** PATCH /v1/customers/{id}: only the fields in `data` change; updatedAt = now. */
export function planUpdate(current: CustomerRow, data: CustomerData, lookup: OrganizationLookup, now: string): CustomerRow {
  checkUnique(data, current.id, lookup);
  return apply({ ...current, updatedAt: now }, data, now);
}

/** POST /v1/customers: defaults, then the fields sent. The id is drawn only when it will be written. */
export function planCreate(organizationId: string, data: CustomerData & { name: string }, lookup: OrganizationLookup, newId: () => string, now: string): CustomerRow {
  checkUnique(data, null, lookup);
  const blank: CustomerRow = {
    id: newId(),
    organizationId,
    createdAt: now,
    updatedAt: now,
    name: data.name,
    username: null,
    email: null,
    phoneNumber: null,
    secondaryPhoneNumber: null,
    acceptedServiceAgreement: false,
    skipTaxInvoice: false,
    emailVerified: false,
    phoneNumberVerified: false,
    hasChangedPassword: false,
    archivedAt: null,
    archivedById: null,
    signatureAcceptedAt: null,
    optedOutWhatsappAt: null,
    optedInWhatsappAt: null,
    startedWhatsappAt: null,
    replyWithAssistant: false,
    tags: [],
    metadata: [],
    assigneeId: null,
    tosIp: null,
    signature: null,
  };
  return apply(blank, data, now);
}
