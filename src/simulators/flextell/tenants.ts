// A tenant with what a client needs in it: users (the first holds the tenant's full-access
// token), channels and tags. Used by the fixtures and by POST /__admin/flextell/tenants.
import type { SeededRandom } from "../../core/ids.js";
import { nextId, type FlextellDoc, type TenantRow, type TokenRow, type UserRow } from "./model.js";
import { passportToken } from "./passport.js";

/** A fixture token lives ten years (Passport's personal access tokens: configurable). */
export const TOKEN_LIFETIME_S = 10 * 365 * 24 * 3600;

export interface TenantPlan {
  name: string;
  createdAt: string;
  /** user names and emails; the first user gets the full-access token */
  users: { name: string; email: string }[];
  channels: { name: string; type: string }[];
  tags: string[];
}

export function addTenant(doc: FlextellDoc, random: SeededRandom, plan: TenantPlan, made = false): { tenant: TenantRow; token: TokenRow; users: UserRow[] } {
  const tenant: TenantRow = { id: nextId(doc, "tenants"), name: plan.name, created_at: plan.createdAt, ...(made ? { made: true as const } : {}) };
  doc.tenants[String(tenant.id)] = tenant;
  const users = plan.users.map((u) => {
    const row: UserRow = { id: nextId(doc, "users"), name: u.name, email: u.email, tenant_ids: [tenant.id] };
    doc.users[String(row.id)] = row;
    return row;
  });
  for (const ch of plan.channels) {
    const id = nextId(doc, "channels");
    doc.channels[String(id)] = { id, tenant_id: tenant.id, name: ch.name, type: ch.type };
  }
  for (const name of plan.tags) {
    const id = nextId(doc, "tags");
    doc.tags[String(id)] = { id, tenant_id: tenant.id, name };
  }
  const iat = Math.floor(Date.parse(plan.createdAt) / 1000);
  const token: TokenRow = {
    token: passportToken(random, users[0]!.id, iat, iat + TOKEN_LIFETIME_S),
    user_id: users[0]!.id,
    expires_at: iat + TOKEN_LIFETIME_S,
    kind: "full",
    tenant_id: tenant.id,
  };
  doc.tokens[token.token] = token;
  return { tenant, token, users };
}
