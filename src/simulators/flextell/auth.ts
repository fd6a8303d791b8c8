// Flextell reads `Authorization: Bearer <Passport access token>`; a token belongs to a user,
// a user to one or more tenants, and `X-Tenant` picks one of them (spec: flextell.md#auth).
import { DomainError } from "../../core/domain-errors.js";
import type { RequestView, SimContext, SimulatorContext } from "../../core/simulator.js";
import { tenantById, userById, type FlextellModel, type TokenRow, type UserRow } from "./model.js";

export interface Caller {
  token: TokenRow;
  user: UserRow;
  /** the tenant the request works in */
  tenantId: number;
}

/** Laravel's `$request->bearerToken()`: after the last "Bearer " (any case), up to a comma. */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const position = header.toLowerCase().lastIndexOf("bearer ");
  if (position === -1) return null;
  const rest = header.slice(position + 7);
  const comma = rest.indexOf(",");
  const token = comma === -1 ? rest : rest.slice(0, comma);
  return token === "" ? null : token;
}

/**
 * The tenant `X-Tenant` selects for `user`: without it (or empty), the lowest tenant the
 * user belongs to; null when it is not a number or not one of the user's tenants.
 */
export function selectTenant(model: FlextellModel, user: UserRow, header: string | undefined): number | null {
  const value = header?.trim() ?? "";
  if (value === "") return user.tenant_ids.length ? Math.min(...user.tenant_ids) : null;
  if (!/^[0-9]+$/.test(value)) return null;
  const id = Number(value);
  return user.tenant_ids.includes(id) && tenantById(model, id) ? id : null;
}

/**
 * Authenticates the request (401), counts it against the token's rate limit, then resolves
 * the tenant (403). Throws the matching DomainError.
 */
export function authorize(c: SimContext, ctx: SimulatorContext<FlextellModel>, model: FlextellModel): Caller {
  const credentials = bearerToken(c.req.header("authorization"));
  const token = credentials === null ? undefined : model.tokens.get(credentials);
  // spec: flextell.md#auth — no, unknown or expired token
  if (!token || token.expires_at * 1_000_000 <= ctx.clock.nowMicros()) throw new DomainError("unauthenticated");
  const user = userById(model, token.user_id);
  if (!user) throw new DomainError("unauthenticated");
  // spec: flextell.md#rate-limits — 60/min per token
  ctx.countRequest(c, token.token);
  // spec: flextell.md#auth — X-Tenant not a number, or not one of the user's tenants: 403
  const tenantId = selectTenant(model, user, c.req.header("x-tenant"));
  if (tenantId === null) throw new DomainError("forbidden");
  return { token, user, tenantId };
}

/** The tenant the request's token and X-Tenant select (as a string), or null; no side effects. */
export function tenantOf(model: FlextellModel, req: RequestView): string | null {
  const credentials = bearerToken(req.header("authorization"));
  const token = credentials === null ? undefined : model.tokens.get(credentials);
  const user = token ? userById(model, token.user_id) : undefined;
  if (!user) return null;
  const id = selectTenant(model, user, req.header("x-tenant"));
  return id === null ? null : String(id);
}
