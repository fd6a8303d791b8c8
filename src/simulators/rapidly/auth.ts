// Rapidly reads `Authorization: Bearer <workspace access token>`; a token belongs to one
// workspace and carries scopes (spec: rapidly.md#auth).
import { DomainError } from "../../core/domain-errors.js";
import type { RequestView, SimContext, SimulatorContext } from "../../core/simulator.js";
import { READ_SCOPE, WEBHOOKS_READ_SCOPE, WEBHOOKS_WRITE_SCOPE, WRITE_SCOPE, type RapidlyModel, type TokenRow } from "./model.js";

export type Access = "read" | "write";

/** A resource's read and write scopes. */
export interface Scopes {
  read: string;
  write: string;
}

export const CUSTOMER_SCOPES: Scopes = { read: READ_SCOPE, write: WRITE_SCOPE };
// spec: rapidly-webhooks.md#endpoints-api
export const WEBHOOK_SCOPES: Scopes = { read: WEBHOOKS_READ_SCOPE, write: WEBHOOKS_WRITE_SCOPE };

/** "read" = the read or the write scope; "write" = the write scope. */
function allows(token: TokenRow, access: Access, scopes: Scopes): boolean {
  if (token.scopes.includes(scopes.write)) return true;
  return access === "read" && token.scopes.includes(scopes.read);
}

/**
 * Authenticates the request, counts it against the workspace's rate limit, then checks the
 * scope. Throws the matching DomainError; returns the token row.
 */
export function authorize(
  c: SimContext,
  ctx: SimulatorContext<RapidlyModel>,
  model: RapidlyModel,
  access: Access,
  scopes: Scopes = CUSTOMER_SCOPES,
): TokenRow {
  const credentials = bearer(c.req.header("authorization"));
  if (credentials === null) throw new DomainError("unauthenticated");
  const token = model.tokens.get(credentials);
  if (!token) throw new DomainError("invalid_credentials");
  // the journal's tenant (workspaceOf below): found here, not looked up again
  c.set("tenant", token.workspace_id);
  // spec: rapidly.md#rate-limits — per workspace
  ctx.countRequest(c, token.workspace_id);
  if (!allows(token, access, scopes)) throw new DomainError("forbidden");
  return token;
}

/** Starlette's get_authorization_scheme_param: split at the first space; null unless Bearer. */
function bearer(header: string | undefined): string | null {
  if (!header) return null;
  const space = header.indexOf(" ");
  // no space: no credentials; "Bearer" in any case, compared without lower-casing a copy
  // (no other character lower-cases to one of its letters)
  if (space !== 6 || !isBearer(header)) return null;
  const credentials = header.slice(space + 1);
  return credentials === "" ? null : credentials;
}

const BEARER = "bearer";
function isBearer(header: string): boolean {
  for (let i = 0; i < 6; i++) if ((header.charCodeAt(i) | 0x20) !== BEARER.charCodeAt(i)) return false;
  return true;
}

/** The workspace of the request's token, or null (no side effects). */
export function workspaceOf(model: RapidlyModel, req: RequestView): string | null {
  const credentials = bearer(req.header("authorization"));
  return (credentials !== null && model.tokens.get(credentials)?.workspace_id) || null;
}
