// Quentli's contract (spec: simulator.md#pact, quentli.md): success and error cases of every
// route, for `customer-sim contracts export` (pact `<consumer>-quentli-api.json`). Every
// interaction that needs a key or an id takes it from a provider state
// (src/simulators/quentli/states.ts) through a ProviderState generator, so the pact verifies
// against any seed. Paths are below Quentli's base URL (`/quentli` on the simulator).
import { datetime, eachLike, fromState, like, regex } from "./matchers.js";
import type { ContractInteraction, Matcher } from "./types.js";

// Example values (what a consumer's mock server would see); the verifier uses the state's.
const EX_KEY = "sk_tAzxrrtd3DgTmjQU52cmQNgfReQq5tCMRahQKkjV";
const EX_ID = "cus_1234567890abcdefghij";
const EX_OTHER_ID = "cus_abcdefghij1234567890";
const EX_ORG = "org_1234567890abcdefghij";
const EX_TIME = "2025-01-10T12:00:00.000Z";

const CUSTOMER_ID = "^cus_[A-Za-z0-9]{20}$";
/** Pact datetime format of `2025-01-10T12:00:00.000Z` (milliseconds, `Z` for UTC). */
const ISO_MILLIS = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX";

const time = (): Matcher => datetime(ISO_MILLIS, EX_TIME);
const idFromState = (name = "id", example = EX_ID): Matcher => fromState(`\${${name}}`, example, { match: "regex", regex: CUSTOMER_ID });
const customerPath = (name = "id", example = EX_ID): Matcher => fromState(`/v1/customers/\${${name}}`, `/v1/customers/${example}`);
const bearer = () => ({ Authorization: fromState("Bearer ${token}", `Bearer ${EX_KEY}`) });
const jsonRequest = () => ({ ...bearer(), "Content-Type": "application/json" });
const JSON_HEADERS = { "Content-Type": regex("^application/json", "application/json") };

interface CustomerFields {
  name: string | Matcher;
  email?: string | null | Matcher;
  phoneNumber?: string | null | Matcher;
  username?: string | null | Matcher;
  tags?: string[];
  metadata?: { key: string; value: string }[];
  hasChangedPassword?: boolean;
  signed?: boolean;
}

/** A customer as the API answers it (made by a provider state or a create). */
function customer(f: CustomerFields, id: Matcher = idFromState()): Record<string, unknown> {
  const metadata = f.metadata ?? [];
  return {
    id,
    createdAt: time(),
    updatedAt: time(),
    name: f.name,
    username: f.username ?? null,
    organizationId: fromState("${tenant}", EX_ORG, { match: "regex", regex: "^org_[A-Za-z0-9]{20}$" }),
    acceptedServiceAgreement: false,
    skipTaxInvoice: false,
    emailVerified: false,
    phoneNumberVerified: false,
    hasChangedPassword: f.hasChangedPassword ?? false,
    email: f.email ?? null,
    phoneNumber: f.phoneNumber ?? null,
    secondaryPhoneNumber: null,
    archivedAt: null,
    archivedById: null,
    signatureAcceptedAt: f.signed ? time() : null,
    optedOutWhatsappAt: null,
    optedInWhatsappAt: null,
    startedWhatsappAt: null,
    replyWithAssistant: false,
    tags: f.tags ?? [],
    metadata,
    meta: Object.fromEntries(metadata.map((m) => [m.key, m.value])),
  };
}

const error = (code: string, message: string | Matcher, extra: Record<string, unknown> = {}) => ({ error: { code, message, ...extra } });

const JUAN = { name: "Juan Pérez", email: "juan@example.com", phoneNumber: "+525512345678", username: "juan_perez_01" };
const OTHER = { name: "Ana Ruiz", email: "ana@example.com", phoneNumber: "+525598765432", username: "ana_ruiz" };
const TWO = { name: "two customers exist", params: { first: JUAN, second: OTHER } };

/** A 409 for PATCHing the second customer with the first's value. */
function conflict(description: string, data: Record<string, unknown>, code: string, field: string, value: unknown): ContractInteraction {
  return {
    description,
    states: [TWO],
    request: { method: "PATCH", path: customerPath("otherId", EX_OTHER_ID), headers: jsonRequest(), body: { input: { data } } },
    response: {
      status: 409,
      headers: JSON_HEADERS,
      body: error(code, like("A customer with this value already exists"), { conflictingCustomer: { id: idFromState(), name: JUAN.name }, [field]: value }),
    },
  };
}

export const quentliInteractions: ContractInteraction[] = [
  // ---- success ------------------------------------------------------------------------------
  {
    description: "a request to list customers",
    states: [{ name: "a customer exists", params: JUAN }],
    request: { method: "GET", path: "/v1/customers", query: { skip: "0", take: "20" }, headers: bearer() },
    response: {
      status: 200,
      headers: JSON_HEADERS,
      body: eachLike({ id: regex(CUSTOMER_ID, EX_ID), createdAt: time(), name: like("Juan Pérez"), organizationId: like(EX_ORG), tags: like([]), metadata: like([]), meta: like({}) }),
    },
  },
  {
    description: "a request to list customers filtered by email",
    states: [{ name: "a customer exists", params: JUAN }],
    request: { method: "GET", path: "/v1/customers", query: { "filter[email][equals]": "juan@example.com" }, headers: bearer() },
    response: { status: 200, headers: JSON_HEADERS, body: [customer(JUAN)] },
  },
  {
    description: "a request to create a customer",
    states: [{ name: "no customer exists" }],
    request: {
      method: "POST",
      path: "/v1/customers",
      headers: jsonRequest(),
      body: { input: { name: "Nuevo Cliente", email: "nuevo@example.com", phoneNumber: "+525511223344", tags: ["VIP"], metadata: [{ key: "studentId", value: "A-1" }] } },
    },
    response: {
      status: 201,
      headers: JSON_HEADERS,
      body: { customer: customer({ name: "Nuevo Cliente", email: "nuevo@example.com", phoneNumber: "+525511223344", tags: ["VIP"], metadata: [{ key: "studentId", value: "A-1" }] }, regex(CUSTOMER_ID, EX_OTHER_ID)) },
    },
  },
  {
    description: "a request to get a customer",
    states: [{ name: "a customer exists", params: JUAN }],
    request: { method: "GET", path: customerPath(), headers: bearer() },
    response: { status: 200, headers: JSON_HEADERS, body: customer(JUAN) },
  },
  {
    description: "a request to update a customer",
    states: [{ name: "a customer exists", params: JUAN }],
    request: {
      method: "PATCH",
      path: customerPath(),
      headers: jsonRequest(),
      body: { input: { data: { name: "Juan Perez", password: "S3curePassw0rd!", signature: "signed-by-customer", metadata: [{ key: "studentId", value: "A-1029" }], meta: { grade: "5A" } }, otp: "123456" } },
    },
    response: {
      status: 200,
      headers: JSON_HEADERS,
      body: { customer: customer({ ...JUAN, name: "Juan Perez", hasChangedPassword: true, signed: true, metadata: [{ key: "studentId", value: "A-1029" }] }) },
    },
  },

  // ---- not found ----------------------------------------------------------------------------
  {
    description: "a request to get a customer that does not exist",
    states: [{ name: "no customer exists" }],
    request: { method: "GET", path: customerPath(), headers: bearer() },
    response: { status: 200, headers: JSON_HEADERS, body: null },
  },
  {
    description: "a request to update a customer that does not exist",
    states: [{ name: "no customer exists" }],
    request: { method: "PATCH", path: customerPath(), headers: jsonRequest(), body: { input: { data: { name: "Nobody" } } } },
    response: { status: 404, headers: JSON_HEADERS, body: error("NOT_FOUND", "Customer not found") },
  },

  // ---- auth ---------------------------------------------------------------------------------
  {
    description: "a request to list customers without an API key",
    request: { method: "GET", path: "/v1/customers" },
    response: { status: 401, headers: JSON_HEADERS, body: error("UNAUTHORIZED", "Invalid or missing API key") },
  },
  {
    description: "a request to create a customer with an unknown API key",
    request: { method: "POST", path: "/v1/customers", headers: { Authorization: "Bearer sk_not_a_real_key", "Content-Type": "application/json" }, body: { input: { name: "X" } } },
    response: { status: 401, headers: JSON_HEADERS, body: error("UNAUTHORIZED", "Invalid or missing API key") },
  },

  // ---- validation ---------------------------------------------------------------------------
  {
    description: "a request to create a customer without a name and with an invalid email",
    states: [{ name: "no customer exists" }],
    request: { method: "POST", path: "/v1/customers", headers: jsonRequest(), body: { input: { email: "not-an-email" } } },
    response: {
      status: 400,
      headers: JSON_HEADERS,
      body: error("VALIDATION_ERROR", "Invalid request body", {
        issues: [
          { path: ["input", "name"], message: "Required" },
          { path: ["input", "email"], message: "Invalid email" },
        ],
      }),
    },
  },
  {
    description: "a request to update a customer with a phone number that is not E.164",
    states: [{ name: "a customer exists", params: JUAN }],
    request: { method: "PATCH", path: customerPath(), headers: jsonRequest(), body: { input: { data: { phoneNumber: "5512345678" } } } },
    response: {
      status: 400,
      headers: JSON_HEADERS,
      body: error("VALIDATION_ERROR", "Invalid request body", { issues: [{ path: ["input", "data", "phoneNumber"], message: like("Invalid phone number: expected E.164 (+ and 8 to 15 digits)") }] }),
    },
  },
  {
    description: "a request to update a customer with an otp that is not six digits",
    states: [{ name: "a customer exists", params: JUAN }],
    request: { method: "PATCH", path: customerPath(), headers: jsonRequest(), body: { input: { data: { name: "Juan" }, otp: "12" } } },
    response: {
      status: 400,
      headers: JSON_HEADERS,
      body: error("VALIDATION_ERROR", "Invalid request body", { issues: [{ path: ["input", "otp"], message: like("OTP must be 6 digits") }] }),
    },
  },
  {
    description: "a request to list customers with take over 100",
    states: [{ name: "no customer exists" }],
    request: { method: "GET", path: "/v1/customers", query: { take: "101" }, headers: bearer() },
    response: {
      status: 400,
      headers: JSON_HEADERS,
      body: error("VALIDATION_ERROR", "Invalid request body", { issues: [{ path: ["take"], message: like("Number must be less than or equal to 100") }] }),
    },
  },

  // ---- uniqueness ---------------------------------------------------------------------------
  {
    description: "a request to create a customer with an email another customer has",
    states: [{ name: "a customer exists", params: JUAN }],
    request: { method: "POST", path: "/v1/customers", headers: jsonRequest(), body: { input: { name: "Otro Juan", email: "JUAN@example.com" } } },
    response: {
      status: 409,
      headers: JSON_HEADERS,
      body: error("EMAIL_TAKEN", like("A customer with this email already exists"), { conflictingCustomer: { id: idFromState(), name: JUAN.name }, email: "JUAN@example.com" }),
    },
  },
  conflict("a request to update a customer's email to another customer's", { email: JUAN.email }, "EMAIL_TAKEN", "email", JUAN.email),
  conflict("a request to update a customer's phone number to another customer's", { phoneNumber: JUAN.phoneNumber }, "PHONE_TAKEN", "phoneNumber", JUAN.phoneNumber),
  conflict("a request to update a customer's username to another customer's", { username: JUAN.username }, "USERNAME_TAKEN", "username", JUAN.username),
];
