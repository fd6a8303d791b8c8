// Rapidly's contract (spec: simulator.md#pact, rapidly.md): success and error cases of every
// route, for `customer-sim contracts export` (pact `<consumer>-rapidly-api.json`). Every
// interaction that needs a token or an id takes it from a provider state
// (src/simulators/rapidly/states.ts) through a ProviderState generator, so the pact verifies
// against any seed. Paths are below Rapidly's base URL (`/rapidly` on the simulator).
import { datetime, eachLike, fromState, integer, ISO_MICROS, like, regex, UUID } from "./matchers.js";
import type { ContractInteraction, Matcher } from "./types.js";

// Example values (what a consumer's mock server would see); the verifier uses the state's.
const EX_TOKEN = "rapidly_oat_0tKRGe94wl08ldr0k2VhJuOEdTHmyEp4F1u7lF6Xie3";
const EX_READ_ONLY = "rapidly_oat_tsDaSnbBcxNqiHJmS9ZFZDclLqJplK8S2wW9iZA11iI";
const EX_ID = "76585915-ed59-4dac-839b-f95c08654f49";
const EX_OTHER_ID = "bb0d4f6b-d384-4ce4-b34b-3dbe2d1c2aae";
const EX_TENANT = "596485d1-0ce2-44b0-951f-d6e7055f7b99";
const EX_TIME = "2025-01-06T09:00:00.000000Z";

const uuid = (example: string): Matcher => regex(UUID, example);
const time = (): Matcher => datetime(ISO_MICROS, EX_TIME);
const idFromState = (name = "id", example = EX_ID): Matcher => fromState(`\${${name}}`, example, { match: "regex", regex: UUID });
const customerPath = (name = "id", example = EX_ID): Matcher => fromState(`/api/customers/\${${name}}`, `/api/customers/${example}`);

const bearer = (name = "token", example = EX_TOKEN) => ({ Authorization: fromState(`Bearer \${${name}}`, `Bearer ${example}`) });
const jsonRequest = (name = "token", example = EX_TOKEN) => ({ ...bearer(name, example), "Content-Type": "application/json" });

/**
 * Pact splits the actual Cache-Control header on commas: the expected values are listed the same
 * way (WWW-Authenticate is not split: it is one value).
 */
const NO_STORE = ["private", "no-store"];
/** Every Rapidly response: JSON, never cached. */
const JSON_HEADERS = { "Content-Type": regex("^application/json", "application/json"), "Cache-Control": NO_STORE };

interface CustomerFields {
  email: string | Matcher;
  name?: string | null | Matcher;
  external_id?: string | null | Matcher;
  type?: "individual" | "team";
  modified?: boolean;
}

/** A customer as GET /api/customers/{id} answers it (one owner member, the customer's email). */
function customer(f: CustomerFields, id: Matcher = idFromState()): Record<string, unknown> {
  const name = f.name ?? null;
  const externalId = f.external_id ?? null;
  return {
    id,
    created_at: time(),
    modified_at: f.modified ? time() : null,
    metadata: {},
    external_id: externalId,
    email: f.email,
    email_verified: false,
    name,
    billing_address: null,
    workspace_id: idFromState("tenant", EX_TENANT),
    deleted_at: null,
    avatar_url: regex("^https://www\\.gravatar\\.com/avatar/[0-9a-f]{64}\\?d=404$", "https://www.gravatar.com/avatar/ff8d9819fc0e12bf0d24892e45987e249a28dce836a85cad60e28eaaa8c6d976?d=404"),
    type: f.type ?? "individual",
    members: eachLike({
      id: uuid("49c36ef7-b1b4-4c78-ae49-ad528f03f90c"),
      created_at: time(),
      customer_id: uuid(EX_ID),
      email: like(typeof f.email === "string" ? f.email : "customer@example.com"),
      role: "owner",
    }),
  };
}

/** FastAPI-style validation error with one item. */
function validationError(error: "RequestValidationError" | "RapidlyRequestValidationError", item: Record<string, unknown>) {
  return { error, detail: [item] };
}

const ALICE = { email: "alice@example.com", name: "Alice" };
const EXTERNAL = { email: "erin@example.com", name: "Erin", external_id: "usr_contract_1" };
const externalPath = fromState("/api/customers/external/${external_id}", "/api/customers/external/usr_contract_1");

// ---- webhooks (spec: rapidly-webhooks.md#endpoints-api)
const EX_ENDPOINT = "3f0c5a55-5d0e-4d6b-9a43-2f4f6a1f3c11";
const EX_EVENT = "9a1d2c3b-4e5f-4a6b-8c7d-0e1f2a3b4c5d";
const SECRET = regex("^rapidly_whs_[0-9A-Za-z]{43}$", "rapidly_whs_0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklm");
const endpointPath = (suffix = "") => fromState(`/api/webhooks/endpoints/\${endpointId}${suffix}`, `/api/webhooks/endpoints/${EX_ENDPOINT}${suffix}`);
const ALL_EVENTS = ["customer.created", "customer.updated", "customer.deleted", "customer.state_changed"];

function endpoint(fields: { url?: string | Matcher; name?: string | null | Matcher; events?: unknown; modified?: boolean; id?: Matcher } = {}): Record<string, unknown> {
  return {
    id: fields.id ?? idFromState("endpointId", EX_ENDPOINT),
    created_at: time(),
    modified_at: fields.modified ? time() : null,
    url: fields.url ?? like("http://127.0.0.1:9/webhooks"),
    name: fields.name ?? null,
    format: "raw",
    secret: SECRET,
    workspace_id: idFromState("tenant", EX_TENANT),
    events: fields.events ?? ALL_EVENTS,
    enabled: true,
  };
}

export const rapidlyInteractions: ContractInteraction[] = [
  // ---- success ------------------------------------------------------------------------------
  {
    description: "a request to list customers",
    states: [{ name: "a customer exists", params: ALICE }],
    request: { method: "GET", path: "/api/customers/", query: { page: "1", limit: "10" }, headers: bearer() },
    response: {
      status: 200,
      headers: JSON_HEADERS,
      body: {
        items: eachLike({ id: uuid(EX_ID), created_at: time(), email: like(ALICE.email), workspace_id: idFromState("tenant", EX_TENANT), deleted_at: null }),
        pagination: { total_count: integer(26), max_page: integer(3) },
      },
    },
  },
  {
    description: "a request to create a customer",
    states: [{ name: "no customer exists" }],
    request: { method: "POST", path: "/api/customers/", headers: jsonRequest(), body: { email: "new.customer@example.com", name: "New Customer", external_id: "usr_contract_new" } },
    response: {
      status: 201,
      headers: JSON_HEADERS,
      body: customer({ email: "new.customer@example.com", name: "New Customer", external_id: "usr_contract_new" }, uuid(EX_OTHER_ID)),
    },
  },
  {
    description: "a request to get a customer",
    states: [{ name: "a customer exists", params: ALICE }],
    request: { method: "GET", path: customerPath(), headers: bearer() },
    response: { status: 200, headers: JSON_HEADERS, body: customer(ALICE) },
  },
  {
    description: "a request to update a customer",
    states: [{ name: "a customer exists", params: ALICE }],
    request: { method: "PATCH", path: customerPath(), headers: jsonRequest(), body: { name: "Alice Updated" } },
    response: { status: 200, headers: JSON_HEADERS, body: customer({ ...ALICE, name: "Alice Updated", modified: true }) },
  },
  {
    description: "a request to delete a customer",
    states: [{ name: "a customer exists", params: ALICE }],
    request: { method: "DELETE", path: customerPath(), headers: bearer() },
    response: { status: 204, headers: { "Cache-Control": NO_STORE } },
  },
  {
    description: "a request to get a customer by external id",
    states: [{ name: "a customer with an external id exists", params: EXTERNAL }],
    request: { method: "GET", path: externalPath, headers: bearer() },
    response: { status: 200, headers: JSON_HEADERS, body: customer({ ...EXTERNAL, external_id: fromState("${external_id}", EXTERNAL.external_id) }) },
  },
  {
    description: "a request to update a customer by external id",
    states: [{ name: "a customer with an external id exists", params: EXTERNAL }],
    request: { method: "PATCH", path: externalPath, headers: jsonRequest(), body: { name: "Erin Updated" } },
    response: { status: 200, headers: JSON_HEADERS, body: customer({ ...EXTERNAL, name: "Erin Updated", modified: true }) },
  },
  {
    description: "a request to delete a customer by external id",
    states: [{ name: "a customer with an external id exists", params: EXTERNAL }],
    request: { method: "DELETE", path: externalPath, headers: bearer() },
    response: { status: 204, headers: { "Cache-Control": NO_STORE } },
  },

  // ---- auth ---------------------------------------------------------------------------------
  {
    description: "a request to list customers without a token",
    request: { method: "GET", path: "/api/customers/" },
    response: {
      status: 401,
      headers: { ...JSON_HEADERS, "WWW-Authenticate": regex('^Bearer realm="rapidly"$', 'Bearer realm="rapidly"') },
      body: { error: "Unauthorized", detail: "Unauthorized" },
    },
  },
  {
    description: "a request to list customers with an invalid token",
    request: { method: "GET", path: "/api/customers/", headers: { Authorization: "Bearer rapidly_oat_not-a-valid-token" } },
    response: {
      status: 401,
      headers: { ...JSON_HEADERS, "WWW-Authenticate": 'Bearer realm="rapidly", error="invalid_token", error_description="The access token provided is expired, revoked, malformed, or invalid for other reasons."' },
      body: { error: "invalid_token", error_description: like("The access token provided is expired, revoked, malformed, or invalid for other reasons.") },
    },
  },
  {
    description: "a request to create a customer with a read-only token",
    states: [{ name: "no customer exists" }],
    request: { method: "POST", path: "/api/customers/", headers: jsonRequest("readOnlyToken", EX_READ_ONLY), body: { email: "new.customer@example.com" } },
    response: {
      status: 403,
      headers: JSON_HEADERS,
      body: { error: "insufficient_scope", error_description: like("The request requires higher privileges than provided by the access token.") },
    },
  },

  // ---- lookups ------------------------------------------------------------------------------
  {
    description: "a request to get a customer that does not exist",
    states: [{ name: "no customer exists" }],
    request: { method: "GET", path: customerPath(), headers: bearer() },
    response: { status: 404, headers: JSON_HEADERS, body: { error: "ResourceNotFound", detail: "Not found" } },
  },
  {
    description: "a request to get a customer by an external id that does not exist",
    states: [{ name: "no customer exists" }],
    request: { method: "GET", path: "/api/customers/external/usr_does_not_exist", headers: bearer() },
    response: { status: 404, headers: JSON_HEADERS, body: { error: "ResourceNotFound", detail: "Not found" } },
  },
  {
    description: "a request to get a customer with an id that is not a UUID",
    states: [{ name: "no customer exists" }],
    request: { method: "GET", path: "/api/customers/not-a-uuid", headers: bearer() },
    response: {
      status: 422,
      headers: JSON_HEADERS,
      body: validationError("RequestValidationError", { type: "uuid_parsing", loc: ["path", "id"], msg: like("Input should be a valid UUID, invalid character: found `n` at 1"), input: "not-a-uuid" }),
    },
  },

  // ---- business rules -----------------------------------------------------------------------
  {
    description: "a request to create a customer with an invalid email",
    states: [{ name: "no customer exists" }],
    request: { method: "POST", path: "/api/customers/", headers: jsonRequest(), body: { email: "not-an-email" } },
    response: {
      status: 422,
      headers: JSON_HEADERS,
      body: validationError("RequestValidationError", { type: "value_error", loc: ["body", "email"], msg: like("value is not a valid email address: An email address must have an @-sign."), input: "not-an-email" }),
    },
  },
  {
    description: "a request to create a customer with an email another customer has",
    states: [{ name: "two customers exist", params: { first: { email: "taken@example.com" }, second: { email: "other@example.com" } } }],
    request: { method: "POST", path: "/api/customers/", headers: jsonRequest(), body: { email: "taken@example.com" } },
    response: {
      status: 422,
      headers: JSON_HEADERS,
      body: validationError("RapidlyRequestValidationError", { type: "value_error", loc: ["body", "email"], msg: "A customer with this email address already exists.", input: "taken@example.com" }),
    },
  },
  {
    description: "a request to update a customer's email to another customer's",
    states: [{ name: "two customers exist", params: { first: { email: "taken@example.com" }, second: { email: "other@example.com" } } }],
    request: { method: "PATCH", path: customerPath("otherId", EX_OTHER_ID), headers: jsonRequest(), body: { email: fromState("${email}", "taken@example.com") } },
    response: {
      status: 422,
      headers: JSON_HEADERS,
      body: validationError("RapidlyRequestValidationError", { type: "value_error", loc: ["body", "email"], msg: "A customer with this email address already exists.", input: like("taken@example.com") }),
    },
  },
  {
    description: "a request to downgrade a team customer to individual",
    states: [{ name: "a team customer exists", params: { email: "team@example.com" } }],
    request: { method: "PATCH", path: customerPath(), headers: jsonRequest(), body: { type: "individual" } },
    response: {
      status: 422,
      headers: JSON_HEADERS,
      body: validationError("RapidlyRequestValidationError", { type: "value_error", loc: ["body", "type"], msg: "Customer type cannot be downgraded from 'team' to 'individual'.", input: "individual" }),
    },
  },
  {
    description: "a request to change a customer's external id",
    states: [{ name: "a customer with an external id exists", params: EXTERNAL }],
    request: { method: "PATCH", path: customerPath(), headers: jsonRequest(), body: { external_id: "usr_contract_changed" } },
    response: {
      status: 422,
      headers: JSON_HEADERS,
      body: validationError("RapidlyRequestValidationError", { type: "value_error", loc: ["body", "external_id"], msg: "Customer external ID cannot be updated.", input: "usr_contract_changed" }),
    },
  },

  // ---- webhooks -----------------------------------------------------------------------------
  {
    description: "a request to list webhook endpoints",
    states: [{ name: "a webhook endpoint exists" }],
    request: { method: "GET", path: "/api/webhooks/endpoints", query: { page: "1", limit: "10" }, headers: bearer() },
    response: {
      status: 200,
      headers: JSON_HEADERS,
      body: { items: eachLike(endpoint({ id: uuid(EX_ENDPOINT) })), pagination: { total_count: integer(1), max_page: integer(1) } },
    },
  },
  {
    description: "a request to create a webhook endpoint",
    states: [{ name: "no customer exists" }],
    request: { method: "POST", path: "/api/webhooks/endpoints", headers: jsonRequest(), body: { url: "https://example.com/webhooks", name: "Sync", format: "raw", events: ["customer.created", "customer.updated"] } },
    response: { status: 201, headers: JSON_HEADERS, body: endpoint({ id: uuid(EX_ENDPOINT), url: "https://example.com/webhooks", name: "Sync", events: ["customer.created", "customer.updated"] }) },
  },
  {
    description: "a request to get a webhook endpoint",
    states: [{ name: "a webhook endpoint exists" }],
    request: { method: "GET", path: endpointPath(), headers: bearer() },
    response: { status: 200, headers: JSON_HEADERS, body: endpoint() },
  },
  {
    description: "a request to update a webhook endpoint",
    states: [{ name: "a webhook endpoint exists" }],
    request: { method: "PATCH", path: endpointPath(), headers: jsonRequest(), body: { name: "Renamed", events: ["customer.deleted"] } },
    response: { status: 200, headers: JSON_HEADERS, body: endpoint({ name: "Renamed", events: ["customer.deleted"], modified: true }) },
  },
  {
    description: "a request to reset a webhook endpoint's secret",
    states: [{ name: "a webhook endpoint exists" }],
    request: { method: "PATCH", path: endpointPath("/secret"), headers: bearer() },
    response: { status: 200, headers: JSON_HEADERS, body: endpoint({ modified: true }) },
  },
  {
    description: "a request to delete a webhook endpoint",
    states: [{ name: "a webhook endpoint exists" }],
    request: { method: "DELETE", path: endpointPath(), headers: bearer() },
    response: { status: 204, headers: { "Cache-Control": NO_STORE } },
  },
  {
    description: "a request to list webhook deliveries",
    states: [{ name: "a webhook endpoint exists" }],
    request: { method: "GET", path: "/api/webhooks/deliveries", query: { endpoint_id: idFromState("endpointId", EX_ENDPOINT), succeeded: "true" }, headers: bearer() },
    response: { status: 200, headers: JSON_HEADERS, body: { items: [], pagination: { total_count: 0, max_page: 0 } } },
  },
  {
    description: "a request to redeliver a webhook event",
    states: [{ name: "a webhook event exists" }],
    request: { method: "POST", path: fromState("/api/webhooks/events/${eventId}/redeliver", `/api/webhooks/events/${EX_EVENT}/redeliver`), headers: bearer() },
    response: { status: 202, headers: JSON_HEADERS },
  },
  {
    description: "a request to list webhook endpoints with a read-only token",
    states: [{ name: "a webhook endpoint exists" }],
    request: { method: "GET", path: "/api/webhooks/endpoints", headers: bearer("readOnlyToken", EX_READ_ONLY) },
    response: {
      status: 403,
      headers: JSON_HEADERS,
      body: { error: "insufficient_scope", error_description: like("The request requires higher privileges than provided by the access token.") },
    },
  },
  {
    description: "a request to get a webhook endpoint that does not exist",
    states: [{ name: "no customer exists" }],
    request: { method: "GET", path: fromState("/api/webhooks/endpoints/${id}", `/api/webhooks/endpoints/${EX_ID}`), headers: bearer() },
    response: { status: 404, headers: JSON_HEADERS, body: { error: "ResourceNotFound", detail: "Not found" } },
  },
  {
    description: "a request to create a webhook endpoint with an ftp URL",
    states: [{ name: "no customer exists" }],
    request: { method: "POST", path: "/api/webhooks/endpoints", headers: jsonRequest(), body: { url: "ftp://example.com/webhooks", format: "raw", events: ["customer.created"] } },
    response: {
      status: 422,
      headers: JSON_HEADERS,
      body: validationError("RequestValidationError", { type: "url_scheme", loc: ["body", "url"], msg: "URL scheme should be 'http' or 'https'", input: "ftp://example.com/webhooks" }),
    },
  },
];
