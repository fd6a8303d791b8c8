// Tenants made through the control plane (POST /__admin/<provider>/tenants) carry `made: true`;
// the seeded ones do not, and only made ones may be deleted (simulator.md#parallel-suites).
import type { TenantDeletion } from "./simulator.js";

export interface MadeMark {
  /** made with POST /__admin/<provider>/tenants (may be deleted); absent on fixture tenants */
  made?: true;
}

/** The row of `id` in a document's collection, or undefined (own keys only). */
export function rowOf<T>(rows: Record<string, T>, id: string): T | undefined {
  return Object.hasOwn(rows, id) ? rows[id] : undefined;
}

/** Deletes a made tenant with `remove`; a fixture or unknown tenant is left as it is. */
export function deleteMadeTenant(tenant: MadeMark | undefined, remove: () => void): TenantDeletion {
  if (!tenant) return "unknown";
  if (!tenant.made) return "fixture";
  remove();
  return "deleted";
}
