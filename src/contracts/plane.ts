// Plane's contract (spec: simulator.md#pact, plane.md): success and error cases of every route,
// for `customer-sim contracts export` (pact `<consumer>-plane-api.json`). Keys, the workspace
// slug and ids come from provider states (src/simulators/plane/states.ts) through ProviderState
// generators, so the pact verifies against any seed. Paths are below Plane's base URL (`/plane`
// on the simulator).
import { datetime, eachLike, fromState, integer, ISO_MICROS, like, regex, UUID } from "./matchers.js";
import type { ContractInteraction, Matcher } from "./types.js";

// Example values (what a consumer's mock server would see); the verifier uses the state's.
const EX_KEY = "plane_api_0123456789abcdef0123456789abcdef";
const EX_MEMBER_KEY = "plane_api_fedcba9876543210fedcba9876543210";
const EX_OAUTH = "pln_oat_0123456789ABCDEFGHIJabcdefghij0123456789";
const EX_SLUG = "acme-1a2b";
const EX_ID = "76585915-ed59-4dac-839b-f95c08654f49";
const EX_OTHER_ID = "bb0d4f6b-d384-4ce4-b34b-3dbe2d1c2aae";
const EX_TENANT = "596485d1-0ce2-44b0-951f-d6e7055f7b99";
const EX_USER = "1c0b7a4e-2f1d-4a59-9a35-0d3c3c1e6f11";
const EX_TIME = "2025-01-06T09:00:00.000000Z";

const uuid = (example: string): Matcher => regex(UUID, example);
const time = (): Matcher => datetime(ISO_MICROS, EX_TIME);

const listPath = fromState("/api/v1/workspaces/${slug}/customers/", `/api/v1/workspaces/${EX_SLUG}/customers/`);
const detailPath = (name = "id", example = EX_ID): Matcher =>
  fromState(`/api/v1/workspaces/\${slug}/customers/\${${name}}/`, `/api/v1/workspaces/${EX_SLUG}/customers/${example}/`);

const key = (name = "token", example = EX_KEY) => ({ "X-API-Key": fromState(`\${${name}}`, example) });
const jsonRequest = (name = "token", example = EX_KEY) => ({ ...key(name, example), "Content-Type": "application/json" });
const JSON_HEADERS = { "Content-Type": regex("^application/json", "application/json") };

interface Fields {
  name: string | Matcher;
  email?: string | null;
  external_source?: string | null;
  external_id?: string | null;
  stage?: string | null;
}

/** A customer as the API answers it, made by the state's owner in the state's workspace. */
function customer(f: Fields, id: Matcher = fromState("${id}", EX_ID, { match: "regex", regex: UUID })): Record<string, unknown> {
  return {
    id,
    customer_request_count: 0,
    logo_url: null,
    created_at: time(),
    updated_at: time(),
    deleted_at: null,
    name: f.name,
    description: {},
    description_html: "<p></p>",
    description_stripped: null,
    description_binary: null,
    email: f.email ?? null,
    website_url: null,
    logo_props: {},
    domain: null,
    employees: null,
    stage: f.stage ?? null,
    contract_status: null,
    revenue: null,
    archived_at: null,
    external_source: f.external_source ?? null,
    external_id: f.external_id ?? null,
    created_by: fromState("${userId}", EX_USER, { match: "regex", regex: UUID }),
    updated_by: fromState("${userId}", EX_USER, { match: "regex", regex: UUID }),
    workspace: fromState("${tenant}", EX_TENANT, { match: "regex", regex: UUID }),
    logo_asset: null,
  };
}

const ALICE = { name: "Alice Corp", email: "alice@example.com" };
const EXTERNAL = { name: "Erin Corp", external_source: "crm", external_id: "erin-1" };
const NOT_FOUND = { error: "The requested resource does not exist." };

export const planeInteractions: ContractInteraction[] = [
  // ---- success ------------------------------------------------------------------------------
  {
    description: "a request to list customers",
    states: [{ name: "a customer exists", params: ALICE }],
    request: { method: "GET", path: listPath, query: { per_page: "10" }, headers: key() },
    response: {
      status: 200,
      headers: JSON_HEADERS,
      body: {
        grouped_by: null,
        sub_grouped_by: null,
        total_count: integer(26),
        next_cursor: "10:1:0",
        prev_cursor: "10:-1:1",
        next_page_results: true,
        prev_page_results: false,
        count: integer(10),
        total_pages: integer(3),
        total_results: integer(26),
        extra_stats: null,
        results: eachLike({ id: uuid(EX_ID), name: like(ALICE.name), created_at: time(), deleted_at: null, customer_request_count: 0 }),
      },
    },
  },
  {
    description: "a request to create a customer",
    states: [{ name: "no customer exists" }],
    request: { method: "POST", path: listPath, headers: jsonRequest(), body: { name: "New Customer", email: "new@example.com" } },
    response: { status: 201, headers: JSON_HEADERS, body: customer({ name: "New Customer", email: "new@example.com" }, uuid(EX_OTHER_ID)) },
  },
  {
    description: "a request to create a customer whose external reference exists",
    states: [{ name: "a customer exists", params: EXTERNAL }],
    request: { method: "POST", path: listPath, headers: jsonRequest(), body: { ...EXTERNAL, stage: "lead" } },
    response: { status: 200, headers: JSON_HEADERS, body: customer({ ...EXTERNAL, stage: "lead" }) },
  },
  {
    description: "a request to get a customer",
    states: [{ name: "a customer exists", params: ALICE }],
    request: { method: "GET", path: detailPath(), headers: key() },
    response: { status: 200, headers: JSON_HEADERS, body: customer(ALICE) },
  },
  {
    description: "a request to update a customer",
    states: [{ name: "a customer exists", params: ALICE }],
    request: { method: "PATCH", path: detailPath(), headers: jsonRequest(), body: { stage: "lead" } },
    response: { status: 200, headers: JSON_HEADERS, body: customer({ ...ALICE, stage: "lead" }) },
  },
  {
    description: "a request to delete a customer",
    states: [{ name: "a customer exists", params: ALICE }],
    request: { method: "DELETE", path: detailPath(), headers: key() },
    response: { status: 204 },
  },
  {
    description: "a request to delete a customer by external reference",
    states: [{ name: "a customer exists", params: EXTERNAL }],
    request: { method: "DELETE", path: listPath, query: { external_source: "crm", external_id: "erin-1" }, headers: key() },
    response: { status: 204 },
  },
  {
    description: "a request to delete by an external reference that matches nothing",
    states: [{ name: "no customer exists" }],
    request: { method: "DELETE", path: listPath, query: { external_source: "crm", external_id: "nobody" }, headers: key() },
    response: { status: 204 },
  },

  // ---- auth ---------------------------------------------------------------------------------
  {
    description: "a request to list customers without a key",
    states: [{ name: "no customer exists" }],
    request: { method: "GET", path: listPath },
    response: { status: 401, headers: JSON_HEADERS, body: { detail: "Authentication credentials were not provided." } },
  },
  {
    description: "a request to list customers with an unknown key",
    states: [{ name: "no customer exists" }],
    request: { method: "GET", path: listPath, headers: { "X-API-Key": "plane_api_00000000000000000000000000000000" } },
    response: { status: 403, headers: JSON_HEADERS, body: { detail: "Given API token is not valid" } },
  },
  {
    description: "a request to create a customer with a member's key",
    states: [{ name: "no customer exists" }],
    request: { method: "POST", path: listPath, headers: jsonRequest("memberToken", EX_MEMBER_KEY), body: { name: "Member Made" } },
    response: { status: 403, headers: JSON_HEADERS, body: { detail: "You don't have permission to create this customer" } },
  },
  {
    description: "a request to update a customer with a read-only OAuth token",
    states: [{ name: "a customer exists", params: ALICE }],
    request: {
      method: "PATCH",
      path: detailPath(),
      headers: { Authorization: fromState("Bearer ${readOnlyToken}", `Bearer ${EX_OAUTH}`), "Content-Type": "application/json" },
      body: { stage: "lead" },
    },
    response: { status: 403, headers: JSON_HEADERS, body: { detail: "You do not have permission to perform this action." } },
  },
  {
    description: "a request to list the customers of a workspace that does not exist",
    states: [{ name: "no customer exists" }],
    request: { method: "GET", path: "/api/v1/workspaces/no-such-workspace/customers/", headers: key() },
    response: { status: 404, headers: JSON_HEADERS, body: NOT_FOUND },
  },

  // ---- lookups ------------------------------------------------------------------------------
  {
    description: "a request to get a customer that does not exist",
    states: [{ name: "no customer exists" }],
    request: { method: "GET", path: detailPath(), headers: key() },
    response: { status: 404, headers: JSON_HEADERS, body: NOT_FOUND },
  },
  {
    description: "a request to update a customer that does not exist",
    states: [{ name: "no customer exists" }],
    request: { method: "PATCH", path: detailPath(), headers: jsonRequest(), body: { stage: "lead" } },
    response: { status: 404, headers: JSON_HEADERS, body: NOT_FOUND },
  },
  {
    description: "a request to delete a customer that does not exist",
    states: [{ name: "no customer exists" }],
    request: { method: "DELETE", path: detailPath(), headers: key() },
    response: { status: 404, headers: JSON_HEADERS, body: NOT_FOUND },
  },
  {
    description: "a request to get a customer with an id that is not a UUID",
    states: [{ name: "no customer exists" }],
    request: { method: "GET", path: fromState("/api/v1/workspaces/${slug}/customers/not-a-uuid/", `/api/v1/workspaces/${EX_SLUG}/customers/not-a-uuid/`), headers: key() },
    response: { status: 404, headers: JSON_HEADERS, body: { error: "Page not found." } },
  },

  // ---- validation and rules -----------------------------------------------------------------
  {
    description: "a request to create a customer without a name and with an invalid email",
    states: [{ name: "no customer exists" }],
    request: { method: "POST", path: listPath, headers: jsonRequest(), body: { email: "not-an-email" } },
    response: { status: 400, headers: JSON_HEADERS, body: { name: ["This field is required."], email: ["Enter a valid email address."] } },
  },
  {
    description: "a request to rename a customer to another customer's name",
    states: [{ name: "two customers exist", params: { first: { name: "Taken Corp" }, second: { name: "Other Corp" } } }],
    request: { method: "PATCH", path: detailPath("otherId", EX_OTHER_ID), headers: jsonRequest(), body: { name: "Taken Corp" } },
    response: { status: 400, headers: JSON_HEADERS, body: { name: ["Customer with this name already exists in workspace"] } },
  },
  {
    description: "a request to create a customer with an empty body",
    states: [{ name: "no customer exists" }],
    request: { method: "POST", path: listPath, headers: jsonRequest(), body: undefined },
    response: { status: 400, headers: JSON_HEADERS, body: { name: ["This field is required."] } },
  },
  {
    description: "a request to list customers with a per_page over 1000",
    states: [{ name: "no customer exists" }],
    request: { method: "GET", path: listPath, query: { per_page: "1001" }, headers: key() },
    response: { status: 400, headers: JSON_HEADERS, body: { detail: "Invalid per_page value. Cannot exceed 1000." } },
  },
  {
    description: "a request to delete by external reference without external_id",
    states: [{ name: "no customer exists" }],
    request: { method: "DELETE", path: listPath, query: { external_source: "crm" }, headers: key() },
    response: { status: 400, headers: JSON_HEADERS, body: { detail: "external_source and external_id query parameters are required." } },
  },
  {
    description: "a request to replace the customer list",
    states: [{ name: "no customer exists" }],
    request: { method: "PUT", path: listPath, headers: jsonRequest(), body: { name: "x" } },
    response: { status: 405, headers: JSON_HEADERS, body: { detail: 'Method "PUT" not allowed.' } },
  },
];
