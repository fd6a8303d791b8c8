// Stored rows → Plane's wire object (spec: plane.md#the-customer-object), keys in the order of
// DRF's ModelSerializer with `fields = "__all__"`: the pk, the declared fields, the model's
// fields, then its relations.
import { jsonTextCache } from "../../core/serialize.js";
import type { CustomerRow } from "./model.js";

/** Django's strip_tags, simplified: markup removed, entities left as they are. */
function stripTags(html: string): string {
  return html.replace(/<!--[\s\S]*?-->/g, "").replace(/<\/?[A-Za-z!][^<>]*>/g, "");
}

/** spec: plane.md#the-customer-object — recomputed from description_html; null when empty. */
export function descriptionStripped(html: string | null): string | null {
  if (html === null || html === "") return null;
  const text = stripTags(html);
  return text === "" ? null : text;
}

export const logoUrl = (asset: string | null): string | null => (asset === null ? null : `/api/assets/v2/static/${asset}/`);

export function serializeCustomer(c: CustomerRow) {
  return {
    id: c.id,
    // spec: plane.md#the-customer-object — customer requests are not simulated: always 0
    customer_request_count: 0,
    logo_url: logoUrl(c.logo_asset),
    created_at: c.created_at,
    updated_at: c.updated_at,
    deleted_at: c.deleted_at,
    name: c.name,
    description: c.description,
    description_html: c.description_html,
    description_stripped: descriptionStripped(c.description_html),
    description_binary: null,
    email: c.email,
    website_url: c.website_url,
    logo_props: c.logo_props,
    domain: c.domain,
    employees: c.employees,
    stage: c.stage,
    contract_status: c.contract_status,
    revenue: c.revenue,
    archived_at: c.archived_at,
    external_source: c.external_source,
    external_id: c.external_id,
    created_by: c.created_by,
    updated_by: c.updated_by,
    workspace: c.workspace_id,
    logo_asset: c.logo_asset,
  };
}

/** The customer's JSON as served, cached per row (rows are replaced, never mutated). */
export const customerJsonText = jsonTextCache(serializeCustomer);
