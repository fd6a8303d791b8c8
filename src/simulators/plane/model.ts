// Plane's persisted document (plain JSON) and the in-memory model built over it.
// Customers live in a tenant-scoped Table (tenant = workspace id); the name is unique among a
// workspace's live customers through the table's index. Users hold a role per workspace; API
// keys belong to users, OAuth tokens to a user in one workspace (spec: plane.md#auth).
import type { SeededRandom } from "../../core/ids.js";
import { byCreatedThenId } from "../../core/list.js";
import { Table } from "../../core/table.js";

export type Role = "owner" | "admin" | "member" | "guest";

export const READ_SCOPE = "customers:read";
export const WRITE_SCOPE = "customers:write";

export interface WorkspaceRow {
  id: string;
  slug: string;
  name: string;
  created_at: string;
  /** made with POST /__admin/plane/tenants (may be deleted); absent on fixture workspaces */
  made?: true;
}

export interface UserRow {
  id: string;
  email: string;
  display_name: string;
  /** the workspace this user was made for (its data goes with it) */
  home_workspace_id: string;
}

export interface MembershipRow {
  workspace_id: string;
  user_id: string;
  role: Role;
}

export interface ApiKeyRow {
  /** `plane_api_<32 hex>` */
  token: string;
  user_id: string;
  /** what /__admin/fixtures calls it, and which workspace lists it */
  kind: "full" | "member";
  workspace_id: string;
}

export interface OAuthTokenRow {
  token: string;
  user_id: string;
  workspace_id: string;
  scopes: string[];
  kind: "read-only" | "full";
}

export interface CustomerRow {
  id: string;
  workspace_id: string;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
  created_by: string | null;
  updated_by: string | null;
  name: string;
  description: unknown;
  description_html: string | null;
  email: string | null;
  website_url: string | null;
  logo_props: unknown;
  logo_asset: string | null;
  domain: string | null;
  employees: number | null;
  stage: string | null;
  contract_status: string | null;
  revenue: string | null;
  archived_at: string | null;
  external_source: string | null;
  external_id: string | null;
}

export interface PlaneDoc {
  workspaces: Record<string, WorkspaceRow>;
  users: Record<string, UserRow>;
  /** key `${workspace_id}:${user_id}` */
  memberships: Record<string, MembershipRow>;
  apiKeys: Record<string, ApiKeyRow>;
  oauthTokens: Record<string, OAuthTokenRow>;
  customers: Record<string, CustomerRow>;
}

export interface PlaneModel {
  doc: PlaneDoc;
  bySlug: Map<string, WorkspaceRow>;
  customers: Table<CustomerRow>;
}

const membershipKey = (workspaceId: string, userId: string): string => `${workspaceId}:${userId}`;
const refKey = (source: string, id: string): string => `${source}\u0000${id}`;

export function openModel(doc: PlaneDoc): PlaneModel {
  doc.workspaces ??= {};
  doc.users ??= {};
  doc.memberships ??= {};
  doc.apiKeys ??= {};
  doc.oauthTokens ??= {};
  doc.customers ??= {};
  const bySlug = new Map<string, WorkspaceRow>();
  for (const ws of Object.values(doc.workspaces)) bySlug.set(ws.slug, ws);
  const customers = new Table<CustomerRow>(doc.customers, {
    tenantOf: (c) => c.workspace_id,
    // spec: plane.md#validation-and-rules — name unique among the workspace's live customers (case-sensitive)
    unique: { name: (c) => (c.deleted_at === null ? c.name : null) },
    // spec: plane.md#pagination — newest first: a list page reads O(page) from this index
    sorted: { created_at: (c) => c.created_at },
    listed: (c) => c.deleted_at === null,
    // spec: plane.md#create (a match on external_source + external_id first) and #routes (DELETE
    // by external reference): live customers by that pair
    grouped: { externalRef: (c) => (c.deleted_at !== null || c.external_source === null || c.external_id === null ? null : refKey(c.external_source, c.external_id)) },
  });
  return { doc, bySlug, customers };
}

/** Inserts or replaces a customer (the name index refuses a taken name: UniqueViolation). */
export function putCustomer(model: PlaneModel, row: CustomerRow): void {
  model.customers.put(row, row.workspace_id);
}

/** Live customers of the workspace with this external reference, oldest first. */
export function byExternalRef(model: PlaneModel, workspaceId: string, source: string, id: string): CustomerRow[] {
  return model.customers.scope(workspaceId).findAll("externalRef", refKey(source, id)).sort(byCreatedThenId);
}

export function roleOf(model: PlaneModel, workspaceId: string, userId: string): Role | null {
  const key = membershipKey(workspaceId, userId);
  return Object.hasOwn(model.doc.memberships, key) ? model.doc.memberships[key]!.role : null;
}

export function addMembership(doc: PlaneDoc, m: MembershipRow): void {
  doc.memberships[membershipKey(m.workspace_id, m.user_id)] = m;
}

export function addWorkspace(model: PlaneModel, workspace: WorkspaceRow): void {
  model.doc.workspaces[workspace.id] = workspace;
  model.bySlug.set(workspace.slug, workspace);
}

/** Removes a workspace, its memberships, the users made for it, their keys, tokens and customers. */
export function removeWorkspace(model: PlaneModel, id: string): void {
  const doc = model.doc;
  model.customers.removeTenant(id);
  const users = new Set(Object.values(doc.users).filter((u) => u.home_workspace_id === id).map((u) => u.id));
  for (const [key, m] of Object.entries(doc.memberships)) if (m.workspace_id === id || users.has(m.user_id)) delete doc.memberships[key];
  for (const [key, k] of Object.entries(doc.apiKeys)) if (k.workspace_id === id || users.has(k.user_id)) delete doc.apiKeys[key];
  for (const [key, t] of Object.entries(doc.oauthTokens)) if (t.workspace_id === id || users.has(t.user_id)) delete doc.oauthTokens[key];
  for (const u of users) delete doc.users[u];
  const ws = doc.workspaces[id];
  if (ws) model.bySlug.delete(ws.slug);
  delete doc.workspaces[id];
}

/** Workspaces oldest first (the order of /__admin/fixtures). */
export function workspacesInOrder(model: PlaneModel): WorkspaceRow[] {
  return Object.values(model.doc.workspaces).sort(byCreatedThenId);
}

const ROLE_RANK: Record<Role, number> = { owner: 0, admin: 1, member: 2, guest: 3 };

/** Users of a workspace (any role): owners first, then admins, members, guests; by id within a role. */
export function userIdsOf(model: PlaneModel, workspaceId: string): string[] {
  return Object.values(model.doc.memberships)
    .filter((m) => m.workspace_id === workspaceId)
    .sort((a, b) => ROLE_RANK[a.role] - ROLE_RANK[b.role] || (a.user_id < b.user_id ? -1 : a.user_id > b.user_id ? 1 : 0))
    .map((m) => m.user_id);
}

export const API_KEY_PREFIX = "plane_api_";

/** spec: plane.md#auth — `plane_api_<32 lowercase hex>` */
export const planeApiKey = (random: SeededRandom): string => API_KEY_PREFIX + random.hex(32);
/** OAuth access tokens: `pln_oat_` + 40 base62 (decision: Plane's token format is not public). */
export const planeOAuthToken = (random: SeededRandom): string => `pln_oat_${random.base62(40)}`;

export function slugify(text: string): string {
  return text.toLowerCase().normalize("NFKD").replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40) || "workspace";
}

/**
 * A workspace with its admin user (owner role) and that user's API key; with `extra`, also a
 * member-role user with its key and a read-only OAuth token of the owner.
 */
export function makeWorkspace(
  random: SeededRandom,
  name: string,
  createdAt: string,
  owner: { email: string; display_name: string },
  extra?: { member: { email: string; display_name: string } },
): { workspace: WorkspaceRow; users: UserRow[]; memberships: MembershipRow[]; apiKeys: ApiKeyRow[]; oauthTokens: OAuthTokenRow[] } {
  const id = random.uuid4();
  const workspace: WorkspaceRow = { id, slug: `${slugify(name)}-${random.hex(4)}`, name, created_at: createdAt };
  const admin: UserRow = { id: random.uuid4(), ...owner, home_workspace_id: id };
  const users = [admin];
  const memberships: MembershipRow[] = [{ workspace_id: id, user_id: admin.id, role: "owner" }];
  const apiKeys: ApiKeyRow[] = [{ token: planeApiKey(random), user_id: admin.id, kind: "full", workspace_id: id }];
  const oauthTokens: OAuthTokenRow[] = [];
  if (extra) {
    const member: UserRow = { id: random.uuid4(), ...extra.member, home_workspace_id: id };
    users.push(member);
    memberships.push({ workspace_id: id, user_id: member.id, role: "member" });
    apiKeys.push({ token: planeApiKey(random), user_id: member.id, kind: "member", workspace_id: id });
    oauthTokens.push({ token: planeOAuthToken(random), user_id: admin.id, workspace_id: id, scopes: [READ_SCOPE], kind: "read-only" });
  }
  return { workspace, users, memberships, apiKeys, oauthTokens };
}

export function addWorkspaceRows(model: PlaneModel, rows: ReturnType<typeof makeWorkspace>): void {
  addWorkspace(model, rows.workspace);
  for (const u of rows.users) model.doc.users[u.id] = u;
  for (const m of rows.memberships) addMembership(model.doc, m);
  for (const k of rows.apiKeys) model.doc.apiKeys[k.token] = k;
  for (const t of rows.oauthTokens) model.doc.oauthTokens[t.token] = t;
}
