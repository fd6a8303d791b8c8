// Stored rows → Flextell's CustomerResource (spec: flextell.md#the-customer-object).
import { jsonTextCache } from "../../core/serialize.js";
import { ISO_NUMERIC_COUNTRIES } from "../../fixtures/countries-numeric.js";
import { userById, type CustomerRow, type FlextellModel } from "./model.js";

/** The `date` cast serialises as a midnight UTC timestamp. */
export const dateOut = (day: string | null): string | null => (day === null ? null : `${day}T00:00:00.000000Z`);

export function countryName(id: number | null): string | null {
  return id === null ? null : (ISO_NUMERIC_COUNTRIES.get(id) ?? null);
}

export function serializeCustomer(model: FlextellModel, c: CustomerRow) {
  const user = c.user_id === null ? undefined : userById(model, c.user_id);
  return {
    id: c.id,
    first_name: c.first_name,
    last_name: c.last_name,
    phone_number: c.phone_number,
    email: c.email,
    date_of_birth: dateOut(c.date_of_birth),
    gender: c.gender,
    country_name: countryName(c.country_id),
    identity_number: c.identity_number,
    job: c.job,
    address: c.address,
    default_channel_id: c.default_channel_id,
    avatar_url: c.avatar_url,
    related_user: user ? { id: user.id, name: user.name } : null,
    created_at: c.created_at,
    updated_at: c.updated_at,
    deleted_at: c.deleted_at,
  };
}

// Users are never renamed, so a row's text cannot go stale. One cache per model: a reset
// opens a new one.
const caches = new WeakMap<FlextellModel, (row: CustomerRow) => string>();

/** The resource's JSON as served, cached per row. */
export function customerJsonText(model: FlextellModel, c: CustomerRow): string {
  let text = caches.get(model);
  if (!text) caches.set(model, (text = jsonTextCache((row: CustomerRow) => serializeCustomer(model, row))));
  return text(c);
}

/** `{"success": ..., "data": <resource>}` as text. */
export function envelopeText(success: string, data: string): string {
  return `{"success":${JSON.stringify(success)},"data":${data}}`;
}
