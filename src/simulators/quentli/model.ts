// Quentli's persisted document (plain JSON) and the in-memory model built over it.
// Customers live in a tenant-scoped Table keyed by organization: every read goes through the
// caller's organization, and uniqueness (email, phone number, username) is enforced by the
// table's indexes (spec: quentli.md#patch-rules).
import type { SeededRandom } from "../../core/ids.js";
import { byCreatedThenId } from "../../core/list.js";
import { Table } from "../../core/table.js";

export interface MetadataEntry {
  key: string;
  value: string;
}

export interface OrganizationRow {
  id: string;
  name: string;
  createdAt: string;
  /** made with POST /__admin/quentli/tenants (may be deleted); absent on fixture organizations */
  made?: true;
}

/** An organization API key (`sk_...`): full access to its organization's customers. */
export interface KeyRow {
  key: string;
  organizationId: string;
}

/** A dashboard user of an organization (what `assigneeId` points at). */
export interface UserRow {
  id: string;
  organizationId: string;
  name: string;
  email: string;
}

export interface CustomerRow {
  id: string;
  organizationId: string;
  createdAt: string;
  updatedAt: string;
  name: string;
  username: string | null;
  email: string | null;
  phoneNumber: string | null;
  secondaryPhoneNumber: string | null;
  acceptedServiceAgreement: boolean;
  skipTaxInvoice: boolean;
  emailVerified: boolean;
  phoneNumberVerified: boolean;
  hasChangedPassword: boolean;
  archivedAt: string | null;
  archivedById: string | null;
  signatureAcceptedAt: string | null;
  optedOutWhatsappAt: string | null;
  optedInWhatsappAt: string | null;
  startedWhatsappAt: string | null;
  replyWithAssistant: boolean;
  tags: string[];
  metadata: MetadataEntry[];
  /** stored, never returned (spec: quentli.md#the-customer-object) */
  assigneeId: string | null;
  /** stored, never returned: not a field of the documented customer object */
  tosIp: string | null;
  /** the last accepted signature (write-only, never returned) */
  signature: string | null;
}

/** What is persisted: plain JSON, saved with JSON.stringify and reloaded with JSON.parse. */
export interface QuentliDoc {
  organizations: Record<string, OrganizationRow>;
  keys: Record<string, KeyRow>;
  users: Record<string, UserRow>;
  customers: Record<string, CustomerRow>;
}

export interface QuentliModel {
  doc: QuentliDoc;
  /** key string → key row (O(1) auth) */
  keys: Map<string, KeyRow>;
  customers: Table<CustomerRow>;
}

/** Email and username compare case-insensitively (spec: quentli.md#patch-rules). */
export const caseKey = (value: string): string => value.toLowerCase();

export function openModel(doc: QuentliDoc): QuentliModel {
  doc.organizations ??= {};
  doc.keys ??= {};
  doc.users ??= {};
  doc.customers ??= {};
  const keys = new Map<string, KeyRow>();
  for (const k of Object.values(doc.keys)) keys.set(k.key, k);
  const customers = new Table<CustomerRow>(doc.customers, {
    tenantOf: (c) => c.organizationId,
    unique: {
      // spec: quentli.md#patch-rules — unique within the organization, email and username
      // case-insensitively
      email: (c) => (c.email === null ? null : caseKey(c.email)),
      phoneNumber: (c) => c.phoneNumber,
      username: (c) => (c.username === null ? null : caseKey(c.username)),
    },
    // spec: quentli.md#list — the orderBy fields: a page reads O(page) without a filter
    sorted: {
      createdAt: (c) => c.createdAt,
      updatedAt: (c) => c.updatedAt,
      name: (c) => c.name,
      email: (c) => c.email,
      username: (c) => c.username,
    },
  });
  return { doc, keys, customers };
}

/** Is `userId` a user of the organization? */
export function isUserOf(model: QuentliModel, organizationId: string, userId: string): boolean {
  const user = Object.hasOwn(model.doc.users, userId) ? model.doc.users[userId] : undefined;
  return user !== undefined && user.organizationId === organizationId;
}

export function usersOf(model: QuentliModel, organizationId: string): UserRow[] {
  return Object.values(model.doc.users).filter((u) => u.organizationId === organizationId);
}

export function addOrganization(model: QuentliModel, org: OrganizationRow, keys: KeyRow[], users: UserRow[]): void {
  model.doc.organizations[org.id] = org;
  for (const k of keys) {
    model.doc.keys[k.key] = k;
    model.keys.set(k.key, k);
  }
  for (const u of users) model.doc.users[u.id] = u;
}

/** Removes an organization, its keys, users and customers. */
export function removeOrganization(model: QuentliModel, id: string): void {
  model.customers.removeTenant(id);
  for (const k of Object.values(model.doc.keys)) {
    if (k.organizationId !== id) continue;
    delete model.doc.keys[k.key];
    model.keys.delete(k.key);
  }
  for (const u of Object.values(model.doc.users)) if (u.organizationId === id) delete model.doc.users[u.id];
  delete model.doc.organizations[id];
}

/** Organizations oldest first (the order of /__admin/fixtures). */
export function organizationsInOrder(model: QuentliModel): OrganizationRow[] {
  return Object.values(model.doc.organizations).sort((a, b) => byCreatedThenId({ id: a.id, created_at: a.createdAt }, { id: b.id, created_at: b.createdAt }));
}

/** Quentli's ids: a prefix and 20 lower-case alphanumerics (`cus_1234567890abcdefghij`). */
const ALNUM = "0123456789abcdefghijklmnopqrstuvwxyz";
export const customerId = (random: SeededRandom): string => `cus_${random.chars(ALNUM, 20)}`;
export const organizationId = (random: SeededRandom): string => `org_${random.chars(ALNUM, 20)}`;
/** Users have Prisma cuids (`c` + 24), like the documented `assigneeId` example. */
export const userId = (random: SeededRandom): string => `c${random.chars(ALNUM, 24)}`;
/** An organization API key: `sk_` + 40 base62 characters. */
export const apiKey = (random: SeededRandom): string => `sk_${random.base62(40)}`;

/** A new organization with its key and users (no customers). */
export function makeOrganization(
  random: SeededRandom,
  name: string,
  createdAt: string,
  users: { name: string; email: string; id?: string }[],
): { organization: OrganizationRow; keys: KeyRow[]; users: UserRow[] } {
  const organization: OrganizationRow = { id: organizationId(random), name, createdAt };
  const keys: KeyRow[] = [{ key: apiKey(random), organizationId: organization.id }];
  const rows = users.map((u) => ({ id: u.id ?? userId(random), organizationId: organization.id, name: u.name, email: u.email }));
  return { organization, keys, users: rows };
}
