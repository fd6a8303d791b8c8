// Plane authenticates `X-API-Key: plane_api_...` (a user's key) or an OAuth bearer token (a
// user in one workspace, with scopes), then checks the user's role in the path's workspace
// (spec: plane.md#auth). Only owners and admins may touch customers.
import { DomainError } from "../../core/domain-errors.js";
import type { RequestView, SimContext, SimulatorContext } from "../../core/simulator.js";
import { NO_PERMISSION } from "./errors.js";
import { READ_SCOPE, roleOf, WRITE_SCOPE, type PlaneModel, type WorkspaceRow } from "./model.js";

/** The verb of the 403 message: view, create, edit or delete. */
export type Action = "view" | "create" | "edit" | "delete";

export interface Caller {
  userId: string;
  workspace: WorkspaceRow;
}

interface Credential {
  token: string;
  userId: string;
  /** the workspace the key or token was issued in (the tenant it belongs to) */
  issuedIn: string;
  /** OAuth only: the workspace it was granted in, and its scopes */
  oauth?: { workspaceId: string; scopes: string[] };
}

/**
 * Which credential the request carries: an `X-API-Key` wins over `Authorization`. Throws 401
 * when there is none, 403 for an unknown API key; an unknown bearer token is no credential
 * (django-oauth-toolkit's authentication then yields nobody: 401).
 */
function credentialOf(model: PlaneModel, header: (name: string) => string | undefined): Credential {
  const key = header("x-api-key");
  if (key) {
    const row = Object.hasOwn(model.doc.apiKeys, key) ? model.doc.apiKeys[key]! : undefined;
    if (!row) throw new DomainError("invalid_credentials");
    return { token: key, userId: row.user_id, issuedIn: row.workspace_id };
  }
  const bearer = bearerOf(header("authorization"));
  const row = bearer !== null && Object.hasOwn(model.doc.oauthTokens, bearer) ? model.doc.oauthTokens[bearer]! : undefined;
  if (!row) throw new DomainError("unauthenticated");
  return { token: bearer!, userId: row.user_id, issuedIn: row.workspace_id, oauth: { workspaceId: row.workspace_id, scopes: row.scopes } };
}

function bearerOf(header: string | undefined): string | null {
  if (!header) return null;
  const [scheme, token, ...rest] = header.trim().split(/\s+/);
  return scheme?.toLowerCase() === "bearer" && token && rest.length === 0 ? token : null;
}

const ROLE_OK = new Set(["owner", "admin"]);

/**
 * Authenticates, counts the request against the key's rate limit, finds the workspace of the
 * slug (404), checks the caller's role there (403 with the action's verb), then an OAuth
 * token's scope (403). Returns the caller.
 */
export function authorize(c: SimContext, ctx: SimulatorContext<PlaneModel>, model: PlaneModel, action: Action): Caller {
  const cred = authenticate(c, ctx, model);
  const workspace = model.bySlug.get(c.req.param("slug") ?? "");
  if (!workspace) throw new DomainError("not_found");
  const role = roleOf(model, workspace.id, cred.userId);
  const inWorkspace = !cred.oauth || cred.oauth.workspaceId === workspace.id;
  if (!role || !ROLE_OK.has(role) || !inWorkspace) {
    throw new DomainError("forbidden", { detail: `You don't have permission to ${action} this customer` });
  }
  if (cred.oauth) {
    // Plane's required_alternate_scopes: the global scope or the customers one, per method
    const needed = action === "view" ? [READ_SCOPE, "read"] : [WRITE_SCOPE, "write"];
    if (!needed.some((s) => cred.oauth!.scopes.includes(s))) throw new DomainError("forbidden", { detail: NO_PERMISSION });
  }
  return { userId: cred.userId, workspace };
}

/**
 * DRF's `initial()`: the credential (401/403) and the key's rate limit (429), which come before
 * the handler — and so before a method's 405 (APIView.dispatch finds the handler after them).
 */
export function authenticate(c: SimContext, ctx: SimulatorContext<PlaneModel>, model: PlaneModel): Credential {
  const cred = credentialOf(model, (name) => c.req.header(name));
  // spec: plane.md#rate-limits — per API key
  ctx.countRequest(c, cred.token);
  return cred;
}

const SLUG_IN_PATH = /^\/api\/v1\/workspaces\/([^/]+)(?:\/|$)/;

/**
 * spec: simulator.md#parallel-suites — the tenant whose credential the request carries: the
 * path's workspace when the credential reaches it (a user may belong to several), else the
 * workspace the key or token was issued in (also on a 403 elsewhere, an unknown slug or a path
 * without one); null without a known credential. No side effects.
 */
export function workspaceOf(model: PlaneModel, req: RequestView): string | null {
  let cred: Credential;
  try {
    cred = credentialOf(model, (name) => req.header(name));
  } catch {
    return null;
  }
  const slug = SLUG_IN_PATH.exec(req.path)?.[1];
  const workspace = slug === undefined ? undefined : model.bySlug.get(decodeURIComponentSafe(slug));
  const reaches = workspace !== undefined && roleOf(model, workspace.id, cred.userId) !== null && (!cred.oauth || cred.oauth.workspaceId === workspace.id);
  return reaches ? workspace.id : cred.issuedIn;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
