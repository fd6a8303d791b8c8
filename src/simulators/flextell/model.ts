// Flextell's persisted document (plain JSON) and the in-memory model built over it.
// Customers live in a tenant-scoped Table: every read goes through the caller's tenant, and
// the email rule (unique among the tenant's non-deleted customers) is the table's index.
import { Table } from "../../core/table.js";

export type Gender = "male" | "female" | "other";

export interface TenantRow {
  id: number;
  name: string;
  created_at: string;
  /** made with POST /__admin/flextell/tenants (may be deleted); absent on fixture tenants */
  made?: true;
}

export interface UserRow {
  id: number;
  name: string;
  email: string;
  /** the tenants the user belongs to, ascending */
  tenant_ids: number[];
}

export interface TokenRow {
  /** the bearer token itself (a Passport access token, a JWT) */
  token: string;
  user_id: number;
  /** epoch seconds (the JWT's `exp`) */
  expires_at: number;
  /** how /__admin/fixtures lists it, and on which tenant */
  kind: "full" | "multi-tenant";
  tenant_id: number;
}

export interface ChannelRow {
  id: number;
  tenant_id: number;
  name: string;
  type: string;
}

export interface TagRow {
  id: number;
  tenant_id: number;
  name: string;
}

export interface CustomerRow {
  id: number;
  tenant_id: number;
  first_name: string | null;
  last_name: string | null;
  phone_number: string | null;
  email: string | null;
  /** the `date` cast: YYYY-MM-DD */
  date_of_birth: string | null;
  gender: Gender | null;
  country_id: number | null;
  identity_number: string | null;
  job: string | null;
  address: string | null;
  default_channel_id: number | null;
  avatar_url: string | null;
  user_id: number | null;
  tag_ids: number[];
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

/** Auto-increment counters: one per table, independent of tenants (MySQL's AUTO_INCREMENT). */
export interface Sequences {
  tenants: number;
  users: number;
  channels: number;
  tags: number;
  customers: number;
}

/** What is persisted: plain JSON, saved with JSON.stringify and reloaded with JSON.parse. */
export interface FlextellDoc {
  tenants: Record<string, TenantRow>;
  users: Record<string, UserRow>;
  tokens: Record<string, TokenRow>;
  channels: Record<string, ChannelRow>;
  tags: Record<string, TagRow>;
  customers: Record<string, CustomerRow>;
  /** the last id handed out per table */
  sequences: Sequences;
}

export interface FlextellModel {
  doc: FlextellDoc;
  /** token string → token row (O(1) auth) */
  tokens: Map<string, TokenRow>;
  customers: Table<CustomerRow>;
}

/** MySQL's default collation compares case-insensitively. */
export const emailKey = (email: string): string => email.toLowerCase();

/**
 * A text column's ORDER BY key: case-folded (MySQL's default collation is case-insensitive),
 * and NULL as "" so it sorts first ascending and last descending, as MySQL does (input never
 * stores "": ConvertEmptyStringsToNull).
 */
const orderKey = (v: string | null): string => (v === null ? "" : v.toLowerCase());

export function openModel(doc: FlextellDoc): FlextellModel {
  doc.tenants ??= {};
  doc.users ??= {};
  doc.tokens ??= {};
  doc.channels ??= {};
  doc.tags ??= {};
  doc.customers ??= {};
  doc.sequences ??= { tenants: 0, users: 0, channels: 0, tags: 0, customers: 0 };
  const tokens = new Map<string, TokenRow>();
  for (const t of Object.values(doc.tokens)) tokens.set(t.token, t);
  const customers = new Table<CustomerRow>(doc.customers, {
    tenantOf: (c) => String(c.tenant_id),
    unique: {
      // spec: flextell.md#update — email unique among the tenant's non-deleted customers
      email: (c) => (c.deleted_at !== null || c.email === null ? null : emailKey(c.email)),
    },
    // spec: flextell.md#list — one ordered index per sort_by field over the live customers,
    // so a page reads O(page) without sorting the tenant. Ties break by id in the sort's
    // direction (decision): newest first under the default created_at desc, and a page never
    // re-sorts a run of equal values (e.g. one gender).
    sorted: {
      created_at: (c) => c.created_at,
      updated_at: (c) => c.updated_at,
      first_name: (c) => orderKey(c.first_name),
      last_name: (c) => orderKey(c.last_name),
      date_of_birth: (c) => c.date_of_birth ?? "",
      gender: (c) => c.gender ?? "",
    },
    listed: (c) => c.deleted_at === null,
    tiesFollowOrder: true,
  });
  return { doc, tokens, customers };
}

/** The next id of a table's sequence (written to the document: it survives restarts). */
export function nextId(doc: FlextellDoc, table: keyof Sequences): number {
  doc.sequences[table] += 1;
  return doc.sequences[table];
}

export function tenantById(model: FlextellModel, id: number): TenantRow | undefined {
  return Object.hasOwn(model.doc.tenants, String(id)) ? model.doc.tenants[String(id)] : undefined;
}

export function userById(model: FlextellModel, id: number): UserRow | undefined {
  return Object.hasOwn(model.doc.users, String(id)) ? model.doc.users[String(id)] : undefined;
}

export function channelById(model: FlextellModel, id: number): ChannelRow | undefined {
  return Object.hasOwn(model.doc.channels, String(id)) ? model.doc.channels[String(id)] : undefined;
}

export function tagById(model: FlextellModel, id: number): TagRow | undefined {
  return Object.hasOwn(model.doc.tags, String(id)) ? model.doc.tags[String(id)] : undefined;
}

export function tenantsInOrder(model: FlextellModel): TenantRow[] {
  return Object.values(model.doc.tenants).sort((a, b) => a.id - b.id);
}

export function usersOf(model: FlextellModel, tenantId: number): UserRow[] {
  return Object.values(model.doc.users).filter((u) => u.tenant_ids.includes(tenantId)).sort((a, b) => a.id - b.id);
}

export function channelsOf(model: FlextellModel, tenantId: number): ChannelRow[] {
  return Object.values(model.doc.channels).filter((c) => c.tenant_id === tenantId).sort((a, b) => a.id - b.id);
}

export function tagsOf(model: FlextellModel, tenantId: number): TagRow[] {
  return Object.values(model.doc.tags).filter((t) => t.tenant_id === tenantId).sort((a, b) => a.id - b.id);
}

export function addToken(model: FlextellModel, token: TokenRow): void {
  model.doc.tokens[token.token] = token;
  model.tokens.set(token.token, token);
}

/**
 * Removes a tenant, its customers, channels and tags, its users that belong to no other
 * tenant, and their tokens.
 */
export function removeTenant(model: FlextellModel, id: number): void {
  model.customers.removeTenant(String(id));
  for (const c of channelsOf(model, id)) delete model.doc.channels[String(c.id)];
  for (const t of tagsOf(model, id)) delete model.doc.tags[String(t.id)];
  const gone = new Set<number>();
  for (const u of usersOf(model, id)) {
    const rest = u.tenant_ids.filter((t) => t !== id);
    if (rest.length === 0) {
      delete model.doc.users[String(u.id)];
      gone.add(u.id);
    } else {
      model.doc.users[String(u.id)] = { ...u, tenant_ids: rest };
    }
  }
  for (const t of Object.values(model.doc.tokens)) {
    if (!gone.has(t.user_id)) continue;
    delete model.doc.tokens[t.token];
    model.tokens.delete(t.token);
  }
  delete model.doc.tenants[String(id)];
}
