// Rapidly's persisted document (plain JSON) and the in-memory model built over it.
// Customers and members live in tenant-scoped Tables: every read goes through the caller's
// workspace, and uniqueness (email, external_id) is enforced by the table's indexes.
import type { SeededRandom } from "../../core/ids.js";
import { byCreatedThenId } from "../../core/list.js";
import { Table } from "../../core/table.js";
import { openWebhooks, removeWorkspaceWebhooks, type WebhookDoc, type WebhookTables } from "./webhooks/model.js";

export type CustomerType = "individual" | "team";
export type MemberRole = "owner" | "billing_manager" | "member";
export type MetadataValue = string | number | boolean;
/** Built with Object.fromEntries, so keys such as `__proto__` stay ordinary own keys. */
export type Metadata = Record<string, MetadataValue>;

export const READ_SCOPE = "customers:read";
export const WRITE_SCOPE = "customers:write";
// spec: rapidly-webhooks.md#endpoints-api
export const WEBHOOKS_READ_SCOPE = "webhooks:read";
export const WEBHOOKS_WRITE_SCOPE = "webhooks:write";

export interface Address {
  line1: string | null;
  line2: string | null;
  postal_code: string | null;
  city: string | null;
  state: string | null;
  country: string;
}

export interface WorkspaceRow {
  id: string;
  slug: string;
  name: string;
  created_at: string;
  /** made with POST /__admin/rapidly/tenants (may be deleted); absent on fixture workspaces */
  made?: true;
}

export interface TokenRow {
  /** the bearer token itself (`rapidly_oat_...`) */
  token: string;
  workspace_id: string;
  scopes: string[];
  kind: "full" | "read-only";
}

export interface CustomerRow {
  id: string;
  workspace_id: string;
  created_at: string;
  modified_at: string | null;
  metadata: Metadata;
  external_id: string | null;
  email: string;
  email_verified: boolean;
  name: string | null;
  billing_address: Address | null;
  deleted_at: string | null;
  type: CustomerType | null;
}

export interface MemberRow {
  id: string;
  workspace_id: string;
  customer_id: string;
  created_at: string;
  modified_at: string | null;
  deleted_at: string | null;
  email: string;
  name: string | null;
  external_id: string | null;
  role: MemberRole;
}

/** What is persisted: plain JSON, saved with JSON.stringify and reloaded with JSON.parse. */
export interface RapidlyDoc extends WebhookDoc {
  workspaces: Record<string, WorkspaceRow>;
  tokens: Record<string, TokenRow>;
  customers: Record<string, CustomerRow>;
  members: Record<string, MemberRow>;
}

export interface RapidlyModel {
  doc: RapidlyDoc;
  /** token string → token row (O(1) auth) */
  tokens: Map<string, TokenRow>;
  customers: Table<CustomerRow>;
  members: Table<MemberRow>;
  /** customer id → its members (all, deleted included) */
  membersByCustomer: Map<string, Map<string, MemberRow>>;
  /** Webhook endpoints, events, deliveries and the outgoing queue (webhooks/). */
  webhooks: WebhookTables;
}

export const emailKey = (email: string): string => email.toLowerCase();

export function openModel(doc: RapidlyDoc): RapidlyModel {
  doc.workspaces ??= {};
  doc.tokens ??= {};
  doc.customers ??= {};
  doc.members ??= {};
  const tokens = new Map<string, TokenRow>();
  for (const t of Object.values(doc.tokens)) tokens.set(t.token, t);
  const customers = new Table<CustomerRow>(doc.customers, {
    tenantOf: (c) => c.workspace_id,
    unique: {
      // spec: rapidly.md#patch-rules — email unique case-insensitively among non-deleted customers
      email: (c) => (c.deleted_at ? null : emailKey(c.email)),
      // spec: rapidly.md#patch-rules — external_id unique within the workspace (freed on delete)
      external_id: (c) => (c.deleted_at || c.external_id === null ? null : c.external_id),
    },
    // spec: rapidly.md#list — the sort fields, over live customers: a page reads O(page)
    sorted: { created_at: (c) => c.created_at, email: (c) => c.email, name: (c) => c.name },
    listed: (c) => c.deleted_at === null,
  });
  const members = new Table<MemberRow>(doc.members, {
    tenantOf: (m) => m.workspace_id,
    unique: {
      // one live member per email within a customer
      customer_email: (m) => (m.deleted_at ? null : `${m.customer_id}\u0000${emailKey(m.email)}`),
    },
  });
  const membersByCustomer = new Map<string, Map<string, MemberRow>>();
  for (const m of members.all()) indexMember(membersByCustomer, m);
  return { doc, tokens, customers, members, membersByCustomer, webhooks: openWebhooks(doc) };
}

function indexMember(map: Map<string, Map<string, MemberRow>>, m: MemberRow): void {
  let bucket = map.get(m.customer_id);
  if (!bucket) map.set(m.customer_id, (bucket = new Map()));
  bucket.set(m.id, m);
}

/** Members of one customer, oldest first (owner first on ties). */
export function membersOf(model: RapidlyModel, customerId: string): MemberRow[] {
  const bucket = model.membersByCustomer.get(customerId);
  if (!bucket) return [];
  const list = [...bucket.values()];
  if (list.length > 1) list.sort(compareMembers);
  return list;
}

const ROLE_ORDER: Record<MemberRole, number> = { owner: 0, billing_manager: 1, member: 2 };

function compareMembers(a: MemberRow, b: MemberRow): number {
  if (a.created_at !== b.created_at) return a.created_at < b.created_at ? -1 : 1;
  if (a.role !== b.role) return ROLE_ORDER[a.role] - ROLE_ORDER[b.role];
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function putMember(model: RapidlyModel, member: MemberRow): void {
  model.members.put(member, member.workspace_id);
  indexMember(model.membersByCustomer, member);
}

export function addWorkspace(model: RapidlyModel, workspace: WorkspaceRow, tokens: TokenRow[]): void {
  model.doc.workspaces[workspace.id] = workspace;
  for (const t of tokens) {
    model.doc.tokens[t.token] = t;
    model.tokens.set(t.token, t);
  }
}

/** Removes a workspace, its tokens, customers and members. */
export function removeWorkspace(model: RapidlyModel, id: string): void {
  for (const m of model.members.scope(id).list()) model.membersByCustomer.delete(m.customer_id);
  model.members.removeTenant(id);
  model.customers.removeTenant(id);
  removeWorkspaceWebhooks(model.webhooks, id);
  for (const t of Object.values(model.doc.tokens)) {
    if (t.workspace_id !== id) continue;
    delete model.doc.tokens[t.token];
    model.tokens.delete(t.token);
  }
  delete model.doc.workspaces[id];
}

/** Workspaces oldest first (the order of /__admin/fixtures). */
export function workspacesInOrder(model: RapidlyModel): WorkspaceRow[] {
  return Object.values(model.doc.workspaces).sort(byCreatedThenId);
}

export const RAPIDLY_TOKEN_PREFIX = "rapidly_oat_";

export function rapidlyToken(random: SeededRandom): string {
  return RAPIDLY_TOKEN_PREFIX + random.base62(43);
}

function slugify(text: string): string {
  return text.toLowerCase().normalize("NFKD").replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40) || "workspace";
}

/** A new workspace row with its tokens (full access, then read-only). */
export function makeWorkspace(random: SeededRandom, name: string, createdAt: string, readOnly: boolean): { workspace: WorkspaceRow; tokens: TokenRow[] } {
  const id = random.uuid4();
  const workspace: WorkspaceRow = { id, slug: `${slugify(name)}-${random.hex(4)}`, name, created_at: createdAt };
  const tokens: TokenRow[] = [
    // spec: rapidly-webhooks.md#endpoints-api — full-access tokens also manage webhooks
    { token: rapidlyToken(random), workspace_id: id, scopes: [READ_SCOPE, WRITE_SCOPE, WEBHOOKS_READ_SCOPE, WEBHOOKS_WRITE_SCOPE], kind: "full" },
  ];
  if (readOnly) tokens.push({ token: rapidlyToken(random), workspace_id: id, scopes: ["customers:read"], kind: "read-only" });
  return { workspace, tokens };
}

