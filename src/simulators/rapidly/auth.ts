// Rapidly reads `Authorization: Bearer <workspace access token>`; a token belongs to one
// workspace and carries scopes (spec: rapidly.md#auth).
import type { Context } from "hono";
import { DomainError } from "../../core/domain-errors.js";
import type { SimulatorContext } from "../../core/simulator.js";
import { READ_SCOPE, WRITE_SCOPE, type RapidlyModel, type TokenRow } from "./model.js";

export type Access = "read" | "write";

export const TOKEN_PREFIX = "rapidly_oat_";

/** "read" = customers:read or customers:write; "write" = customers:write. */
function allows(token: TokenRow, access: Access): boolean {
  if (token.scopes.includes(WRITE_SCOPE)) return true;
  return access === "read" && token.scopes.includes(READ_SCOPE);
}

/**
 * Authenticates the request, counts it against the workspace's rate limit, then checks the
 * scope. Throws the matching DomainError; returns the token row.
 */
export function authorize(c: Context, ctx: SimulatorContext<RapidlyModel>, model: RapidlyModel, access: Access): TokenRow {
  const header = c.req.header("authorization");
  if (!header) throw new DomainError("unauthenticated");
  // Starlette's get_authorization_scheme_param: split at the first space
  const space = header.indexOf(" ");
  const scheme = space === -1 ? header : header.slice(0, space);
  const credentials = space === -1 ? "" : header.slice(space + 1);
  if (scheme.toLowerCase() !== "bearer" || credentials === "") throw new DomainError("unauthenticated");
  const token = model.tokens.get(credentials);
  if (!token) throw new DomainError("invalid_credentials");
  if (ctx.limiter) {
    const decision = ctx.limiter.hit(token.workspace_id);
    if (!decision.allowed) throw new DomainError("rate_limited", { retryAfter: decision.retryAfter });
  }
  if (!allows(token, access)) throw new DomainError("forbidden");
  return token;
}
