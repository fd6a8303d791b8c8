// Per-worker helpers: a fresh tenant in every provider the simulator serves, the control plane
// calls a test needs (tenant-scoped faults, the tenant's own journal), and clean-up.
import { afterAll, beforeAll, inject } from "vitest";

export interface Credential { kind: string; headers: Record<string, string> }
export interface Tenant { id: string; slug?: string; name: string; credentials: Credential[] }
export interface WorkerTenant { provider: string; tenant: Tenant; headers: Record<string, string>; listUrl: string }
export interface JournalEntry { method: string; path: string; status: number; tenant: string | null }

export const simulatorUrl = () => inject("simulatorUrl");

async function admin<T>(path: string, init?: RequestInit): Promise<T> {
  const res = await fetch(`${simulatorUrl()}/__admin${path}`, {
    ...init,
    headers: { "Content-Type": "application/json", ...init?.headers },
  });
  if (!res.ok) throw new Error(`${init?.method ?? "GET"} /__admin${path}: ${res.status} ${await res.text()}`);
  return (res.status === 204 ? undefined : await res.json()) as T;
}

/** Each provider's customer list, below its mount (the providers' real paths). */
const LIST_PATHS: Record<string, (t: Tenant) => string> = {
  rapidly: () => "/api/customers/",
  flextell: () => "/api/v1/customers",
  quentli: () => "/v1/customers",
  plane: (t) => `/api/v1/workspaces/${t.slug}/customers/`,
};

/**
 * A fresh tenant per provider for this test file's worker, made before its tests and deleted
 * after them (with its data and its fault rules). Reads the served providers from the health
 * route, so the suite follows the simulator.
 */
export function useTenants(): WorkerTenant[] {
  const tenants: WorkerTenant[] = [];
  beforeAll(async () => {
    const { providers } = await admin<{ providers: string[] }>("/health");
    for (const provider of providers) {
      const tenant = await admin<Tenant>(`/${provider}/tenants`, { method: "POST" });
      // The credential, and which worker sent the request (only to show the workers in the journal).
      const headers = { ...tenant.credentials.find((c) => c.kind === "full")!.headers, "X-Test-Worker": String(process.env.VITEST_POOL_ID) };
      const path = LIST_PATHS[provider];
      if (!path) throw new Error(`No list path for provider "${provider}": add it to LIST_PATHS`);
      tenants.push({ provider, tenant, headers, listUrl: `${simulatorUrl()}/${provider}${path(tenant)}` });
    }
  });
  afterAll(async () => {
    for (const { provider, tenant } of tenants) await admin(`/${provider}/tenants/${tenant.id}`, { method: "DELETE" });
  });
  return tenants;
}

/** A fault rule that fires only for this tenant's requests. */
export function addTenantFault(t: WorkerTenant, rule: Record<string, unknown>): Promise<{ id: string }> {
  return admin("/faults", { method: "POST", body: JSON.stringify({ provider: t.provider, tenant: t.tenant.id, ...rule }) });
}

/** This tenant's requests, oldest first: no other worker's requests are in it. */
export async function journalOf(t: WorkerTenant): Promise<JournalEntry[]> {
  return (await admin<{ requests: JournalEntry[] }>(`/requests?tenant=${encodeURIComponent(t.tenant.id)}`)).requests;
}
