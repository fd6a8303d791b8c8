// Stored rows → Rapidly's wire objects (spec: rapidly.md#the-customer-object).
import { createHash } from "node:crypto";
import { boundedMemo, jsonTextCache } from "../../core/serialize.js";
import { membersOf, type CustomerRow, type MemberRow, type RapidlyModel } from "./model.js";

/** Gravatar URL of the lower-cased email, computed locally (never fetched). */
const gravatar = boundedMemo((key) => `https://www.gravatar.com/avatar/${createHash("sha256").update(key).digest("hex")}?d=404`);

export function avatarUrl(email: string | null): string | null {
  return email ? gravatar(email.toLowerCase()) : null;
}

export function serializeMember(m: MemberRow) {
  return {
    id: m.id,
    created_at: m.created_at,
    modified_at: m.modified_at,
    customer_id: m.customer_id,
    email: m.email,
    name: m.name,
    external_id: m.external_id,
    role: m.role,
  };
}

export function serializeCustomer(c: CustomerRow, members: readonly MemberRow[]) {
  return {
    id: c.id,
    created_at: c.created_at,
    modified_at: c.modified_at,
    metadata: c.metadata,
    external_id: c.external_id,
    email: c.email,
    email_verified: c.email_verified,
    name: c.name,
    billing_address: c.billing_address,
    workspace_id: c.workspace_id,
    deleted_at: c.deleted_at,
    avatar_url: avatarUrl(c.email),
    type: c.type,
    members: members.filter((m) => m.deleted_at === null || c.deleted_at !== null).map(serializeMember),
  };
}

/** The customer as the API shows it, members included. */
export function customerBody(model: RapidlyModel, c: CustomerRow) {
  return serializeCustomer(c, membersOf(model, c.id));
}

// Every write that touches a customer's members puts a new customer row too (rules.ts), so
// the cached text of a row cannot go stale. One cache per model: a reset opens a new one.
const caches = new WeakMap<RapidlyModel, (row: CustomerRow) => string>();

/** The customer's JSON as served, cached per row. */
export function customerJsonText(model: RapidlyModel, c: CustomerRow): string {
  let text = caches.get(model);
  if (!text) caches.set(model, (text = jsonTextCache((row: CustomerRow) => customerBody(model, row))));
  return text(c);
}
