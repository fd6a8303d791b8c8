// What the reliability tests need of each provider, derived from the ProviderSimulator and
// its fixtures: its list path, the item path of a customer, how it updates. A provider added
// to providerEntries (src/app.ts) is picked up here; `updateMethods` lists the methods tried.
import { providerEntries } from "../../src/app.js";
import type { FixturesBody } from "../helpers.js";
import type { Simulator } from "../../src/index.js";

export const providers = providerEntries.map((p) => p.name);

export interface ProviderHandle {
  name: string;
  base: string;
  listPath(tenant: number): string;
  itemPath(tenant: number, id: string): string;
  headers(tenant: number, kind?: string): Record<string, string>;
  customerIds(tenant: number): string[];
  tenants: FixturesBody["providers"][string]["tenants"];
}

export async function handle(sim: Simulator, name: string): Promise<ProviderHandle> {
  const f = (await (await sim.app.request("/__admin/fixtures")).json()) as FixturesBody;
  const p = f.providers[name]!;
  const simulator = sim.runtime.simulator(name)!;
  const listPath = (t: number) => `${p.basePath}${simulator.listPath(p.tenants[t] as never)}`;
  // The item path: the list path + id, with or without a trailing slash — whichever the
  // provider answers for its first customer.
  const bare = (t: number, id: string) => `${listPath(t).replace(/\/$/, "")}/${encodeURIComponent(id)}`;
  const first = p.tenants[0]!.customerIds[0]!;
  const full = p.tenants[0]!.credentials.find((c) => c.kind === "full")!.headers;
  const slash = (await sim.app.request(bare(0, first), { headers: full })).status !== 200;
  return {
    name,
    base: p.basePath,
    tenants: p.tenants,
    listPath,
    itemPath: (t, id) => (slash ? `${bare(t, id)}/` : bare(t, id)),
    headers: (t, kind = "full") => p.tenants[t]!.credentials.find((c) => c.kind === kind)!.headers,
    customerIds: (t) => p.tenants[t]!.customerIds,
  };
}

/** Field names any of the providers uses for a customer (generated bodies pick from these). */
export const FIELD_NAMES = [
  "email", "name", "external_id", "metadata", "type", "billing_address", "phone", "phoneNumber", "phone_number",
  "username", "first_name", "last_name", "firstName", "lastName", "display_name", "company", "tags", "channel_id",
  "assigneeId", "user_id", "notes", "address", "country", "website_url", "domain", "email_verified", "deleted_at",
  "id", "workspace_id", "created_at", "__proto__", "constructor", "",
];

/** Query parameter names any of the providers reads on its list. */
export const QUERY_NAMES = [
  "page", "limit", "per_page", "perPage", "pageSize", "cursor", "offset", "sorting", "sort", "order_by", "order",
  "query", "q", "search", "email", "name", "external_id", "metadata[a]", "filter[email]", "expand", "include", "status",
];

/**
 * What differs per provider beyond its fixtures (from its spec): the body envelope of create
 * and update, the unique field among customers, and what "not yours" looks like.
 */
export interface Profile {
  createBody(fields: Record<string, unknown>): unknown;
  updateBody(fields: Record<string, unknown>): unknown;
  unique: { field: string; value: string };
  /** another tenant's customer, as the caller sees it */
  hidden(status: number, text: string): boolean;
}

const notFoundOrForbidden = (status: number) => status === 403 || status === 404 || status === 405;

const PROFILES: Record<string, Partial<Profile>> = {
  // spec: plane.md — name is unique among the workspace's customers (email is not)
  plane: { unique: { field: "name", value: "Race Holder" } },
  // spec: quentli.md#routes — {"input":{...}} / {"input":{"data":{...},"otp"}}; a customer of
  // another organization "does not exist": GET answers 200 null
  quentli: {
    createBody: (f) => ({ input: f }),
    updateBody: (f) => ({ input: { data: f, otp: "123456" } }),
    hidden: (status, text) => notFoundOrForbidden(status) || (status === 200 && text.trim() === "null"),
  },
};

export function profile(name: string): Profile {
  return {
    createBody: (f) => f,
    updateBody: (f) => f,
    unique: { field: "email", value: "race@example.com" },
    hidden: (status) => notFoundOrForbidden(status),
    ...PROFILES[name],
  };
}
