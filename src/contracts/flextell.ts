// Flextell's contract (spec: simulator.md#pact, flextell.md): success and error cases of every
// route, for `customer-sim contracts export` (pact `<consumer>-flextell-api.json`). Every
// interaction that needs a token, a tenant or an id takes it from a provider state
// (src/simulators/flextell/states.ts) through a ProviderState generator, so the pact verifies
// against any seed. Paths are below Flextell's base URL (`/flextell` on the simulator).
import { datetime, eachLike, fromState, integer, ISO_MICROS, like, regex } from "./matchers.js";
import type { ContractInteraction, Matcher } from "./types.js";

// Example values (what a consumer's mock server would see); the verifier uses the state's.
const EX_TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiIxIiwic3ViIjoiMSJ9.c2lnbmF0dXJl";
const EX_ID = 51;
const EX_OTHER_ID = 52;
const EX_TIME = "2025-01-10T12:00:00.000000Z";

const time = (): Matcher => datetime(ISO_MICROS, EX_TIME);
const idFromState = (name = "id", example = EX_ID): Matcher => ({ "pact:matcher": { match: "integer" }, value: example, generate: `\${${name}}` });
const customerPath = (name = "id", example = EX_ID): Matcher => fromState(`/api/v1/customers/\${${name}}`, `/api/v1/customers/${example}`);

const auth = (tenant = true) => ({
  Authorization: fromState("Bearer ${token}", `Bearer ${EX_TOKEN}`),
  ...(tenant ? { "X-Tenant": fromState("${tenant}", "1") } : {}),
});
const jsonRequest = () => ({ ...auth(), "Content-Type": "application/json" });

/** Pact splits the actual Cache-Control header on commas: the expected values are listed so. */
const JSON_HEADERS = { "Content-Type": regex("^application/json", "application/json"), "Cache-Control": ["no-cache", "private"] };

const ALICE = { first_name: "Alice", last_name: "Smith", email: "alice@example.com" };

interface CustomerFields {
  first_name: string;
  last_name?: string | null;
  email?: string | null | Matcher;
  job?: string | null;
  phone_number?: string | null;
}

/** A customer as the API answers it, made by a provider state or a create. */
function customer(f: CustomerFields, id: Matcher = idFromState()): Record<string, unknown> {
  return {
    id,
    first_name: f.first_name,
    last_name: f.last_name ?? null,
    phone_number: f.phone_number ?? null,
    email: f.email ?? null,
    date_of_birth: null,
    gender: null,
    country_name: null,
    identity_number: null,
    job: f.job ?? null,
    address: null,
    default_channel_id: null,
    avatar_url: null,
    related_user: null,
    created_at: time(),
    updated_at: time(),
    deleted_at: null,
  };
}

const envelope = (success: string, data: unknown) => ({ success, data });
const notFoundBody = (name = "id", example = EX_ID) => ({
  message: fromState(`No query results for model [App\\Models\\Customer] \${${name}}`, `No query results for model [App\\Models\\Customer] ${example}`),
});
const pageUrl = (page: number) => regex(`^https?://.+/api/v1/customers\\?(.*&)?page=${page}$`, `http://127.0.0.1:4010/flextell/api/v1/customers?per_page=10&page=${page}`);

export const flextellInteractions: ContractInteraction[] = [
  // ---- success ------------------------------------------------------------------------------
  {
    description: "a request to list customers",
    states: [{ name: "a customer exists", params: ALICE }],
    request: { method: "GET", path: "/api/v1/customers", query: { per_page: "10" }, headers: auth() },
    response: {
      status: 200,
      headers: JSON_HEADERS,
      body: {
        data: eachLike({ id: integer(EX_ID), first_name: like("Alice"), created_at: time(), updated_at: time(), deleted_at: null }),
        links: { first: pageUrl(1), last: pageUrl(3), prev: null, next: pageUrl(2) },
        meta: {
          current_page: 1,
          from: 1,
          last_page: integer(3),
          links: eachLike({ label: like("&laquo; Previous"), active: like(false) }),
          path: regex("^https?://.+/api/v1/customers$", "http://127.0.0.1:4010/flextell/api/v1/customers"),
          per_page: 10,
          to: 10,
          total: integer(26),
        },
      },
    },
  },
  {
    description: "a request to list customers with the user's first tenant (no X-Tenant)",
    states: [{ name: "a customer exists", params: ALICE }],
    request: { method: "GET", path: "/api/v1/customers", query: { search: "alice@example.com" }, headers: auth(false) },
    response: {
      status: 200,
      headers: JSON_HEADERS,
      body: {
        data: eachLike({ id: integer(EX_ID), first_name: "Alice", email: "alice@example.com" }),
        links: { first: like("http://127.0.0.1:4010/flextell/api/v1/customers?search=alice%40example.com&page=1"), last: like("http://127.0.0.1:4010/flextell/api/v1/customers?search=alice%40example.com&page=1"), prev: null, next: null },
        meta: { current_page: 1, from: 1, last_page: 1, per_page: 15, to: 1, total: 1 },
      },
    },
  },
  {
    description: "a request to create a customer",
    states: [{ name: "no customer exists" }],
    request: { method: "POST", path: "/api/v1/customers", headers: jsonRequest(), body: { first_name: "New", last_name: "Customer", email: "new.customer@example.com", job: "Buyer" } },
    response: {
      status: 201,
      headers: JSON_HEADERS,
      body: envelope("Customer created successfully", customer({ first_name: "New", last_name: "Customer", email: "new.customer@example.com", job: "Buyer" }, integer(EX_OTHER_ID))),
    },
  },
  {
    description: "a request to get a customer",
    states: [{ name: "a customer exists", params: ALICE }],
    request: { method: "GET", path: customerPath(), headers: auth() },
    response: { status: 200, headers: JSON_HEADERS, body: envelope("Customer retrieved successfully", customer(ALICE)) },
  },
  {
    description: "a request to update a customer with PUT",
    states: [{ name: "a customer exists", params: ALICE }],
    request: { method: "PUT", path: customerPath(), headers: jsonRequest(), body: { first_name: "Alicia", job: "Engineer" } },
    response: { status: 200, headers: JSON_HEADERS, body: envelope("Customer updated successfully", customer({ ...ALICE, first_name: "Alicia", job: "Engineer" })) },
  },
  {
    description: "a request to update a customer with PATCH",
    states: [{ name: "a customer exists", params: ALICE }],
    request: { method: "PATCH", path: customerPath(), headers: jsonRequest(), body: { phone_number: "+15550100" } },
    response: { status: 200, headers: JSON_HEADERS, body: envelope("Customer updated successfully", customer({ ...ALICE, phone_number: "+15550100" })) },
  },
  {
    description: "a request to delete a customer",
    states: [{ name: "a customer exists", params: ALICE }],
    request: { method: "DELETE", path: customerPath(), headers: auth() },
    response: { status: 200, headers: JSON_HEADERS, body: envelope("Customer deleted successfully", { message: "Customer deleted successfully" }) },
  },

  // ---- auth and tenants ---------------------------------------------------------------------
  {
    description: "a request to list customers without a token",
    request: { method: "GET", path: "/api/v1/customers" },
    response: { status: 401, headers: JSON_HEADERS, body: { message: "Unauthenticated." } },
  },
  {
    description: "a request to list customers with an unknown token",
    request: { method: "GET", path: "/api/v1/customers", headers: { Authorization: "Bearer not-a-passport-token" } },
    response: { status: 401, headers: JSON_HEADERS, body: { message: "Unauthenticated." } },
  },
  {
    description: "a request to list customers with an X-Tenant that is not a number",
    states: [{ name: "no customer exists" }],
    request: { method: "GET", path: "/api/v1/customers", headers: { ...auth(false), "X-Tenant": "acme" } },
    response: { status: 403, headers: JSON_HEADERS, body: { message: "This action is unauthorized." } },
  },
  {
    description: "a request to list customers of a tenant the user does not belong to",
    states: [{ name: "no customer exists" }],
    request: { method: "GET", path: "/api/v1/customers", headers: { ...auth(false), "X-Tenant": "999999" } },
    response: { status: 403, headers: JSON_HEADERS, body: { message: "This action is unauthorized." } },
  },

  // ---- lookups ------------------------------------------------------------------------------
  {
    description: "a request to get a customer that does not exist",
    states: [{ name: "no customer exists" }],
    request: { method: "GET", path: customerPath(), headers: auth() },
    response: { status: 404, headers: JSON_HEADERS, body: notFoundBody() },
  },
  {
    description: "a request to update a customer that does not exist",
    states: [{ name: "no customer exists" }],
    request: { method: "PUT", path: customerPath(), headers: jsonRequest(), body: { first_name: "Nobody" } },
    response: { status: 404, headers: JSON_HEADERS, body: notFoundBody() },
  },
  {
    description: "a request to delete a customer that does not exist",
    states: [{ name: "no customer exists" }],
    request: { method: "DELETE", path: customerPath(), headers: auth() },
    response: { status: 404, headers: JSON_HEADERS, body: notFoundBody() },
  },

  // ---- validation ---------------------------------------------------------------------------
  {
    description: "a request to create a customer without a first name",
    states: [{ name: "no customer exists" }],
    request: { method: "POST", path: "/api/v1/customers", headers: jsonRequest(), body: { email: "not-an-email" } },
    response: {
      status: 422,
      headers: JSON_HEADERS,
      body: {
        message: "The first name field is required. (and 1 more error)",
        errors: { first_name: ["The first name field is required."], email: ["The email field must be a valid email address."] },
      },
    },
  },
  {
    description: "a request to create a customer with an empty JSON object",
    states: [{ name: "no customer exists" }],
    request: { method: "POST", path: "/api/v1/customers", headers: jsonRequest(), body: {} },
    response: { status: 422, headers: JSON_HEADERS, body: { message: "The first name field is required.", errors: { first_name: ["The first name field is required."] } } },
  },
  {
    description: "a request to update a customer's email to another customer's",
    states: [{ name: "two customers exist", params: { first: { first_name: "Taken", email: "taken@example.com" }, second: { first_name: "Other", email: "other@example.com" } } }],
    request: { method: "PATCH", path: customerPath("otherId", EX_OTHER_ID), headers: jsonRequest(), body: { email: "taken@example.com" } },
    response: { status: 422, headers: JSON_HEADERS, body: { message: "The email has already been taken.", errors: { email: ["The email has already been taken."] } } },
  },
  {
    description: "a request to update a customer with invalid fields",
    states: [{ name: "a customer exists", params: ALICE }],
    request: { method: "PUT", path: customerPath(), headers: jsonRequest(), body: { gender: "unknown", country_id: 1, date_of_birth: "not-a-date" } },
    response: {
      status: 422,
      headers: JSON_HEADERS,
      body: {
        message: "The date of birth field must be a valid date. (and 2 more errors)",
        errors: {
          date_of_birth: ["The date of birth field must be a valid date."],
          gender: ["The selected gender is invalid."],
          country_id: ["The selected country id is invalid."],
        },
      },
    },
  },
  {
    description: "a request to list customers with an invalid page size",
    states: [{ name: "no customer exists" }],
    request: { method: "GET", path: "/api/v1/customers", query: { per_page: "500", sort_by: "email" }, headers: auth() },
    response: {
      status: 422,
      headers: JSON_HEADERS,
      body: {
        message: "The per page field must not be greater than 100. (and 1 more error)",
        errors: { per_page: ["The per page field must not be greater than 100."], sort_by: ["The selected sort by is invalid."] },
      },
    },
  },
];
