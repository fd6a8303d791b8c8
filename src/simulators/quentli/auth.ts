// Quentli reads `Authorization: Bearer sk_...`, an organization API key (spec: quentli.md#auth).
// A key belongs to one organization and reaches all of its customers.
import { DomainError } from "../../core/domain-errors.js";
import type { RequestView, SimContext } from "../../core/simulator.js";
import type { KeyRow, QuentliModel } from "./model.js";

/** The key of a `Bearer` header (scheme case-insensitive), or null. */
function bearer(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^bearer\s+(\S+)\s*$/i.exec(header);
  return m ? m[1]! : null;
}

/** The key row of the request, or 401 (no header, another scheme, unknown key). */
// spec: quentli.md#rate-limits — none documented: nothing is counted
export function authorize(c: SimContext, model: QuentliModel): KeyRow {
  const key = bearer(c.req.header("authorization"));
  const row = key === null ? undefined : model.keys.get(key);
  if (!row) throw new DomainError(key === null ? "unauthenticated" : "invalid_credentials");
  return row;
}

/** The organization of the request's key, or null (no side effects). */
export function organizationOf(model: QuentliModel, req: RequestView): string | null {
  const key = bearer(req.header("authorization"));
  return (key !== null && model.keys.get(key)?.organizationId) || null;
}
