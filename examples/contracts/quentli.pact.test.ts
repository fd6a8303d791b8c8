// A consumer's contract with Quentli: an organization API key as a bearer token, the bare
// customer object on reads, `{ input: ... }` request bodies. The team's own client against
// Pact's mock server; `customer-sim contracts verify pacts/` checks the pact against the
// simulator, with the key and ids from its provider states (simulator.md#pact).
import { MatchersV3, PactV4 } from "@pact-foundation/pact";
import { describe, expect, it } from "vitest";

const { eachLike, fromProviderState, like, regex } = MatchersV3;

// ---- the consumer's client (replace with yours) ---------------------------------------------
class QuentliClient {
  constructor(private baseUrl: string, private apiKey: string) {}
  private async call(method: string, path: string, body?: unknown) {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { Authorization: `Bearer ${this.apiKey}`, ...(body ? { "Content-Type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: await res.json() };
  }
  listCustomers() { return this.call("GET", "/v1/customers?skip=0&take=20"); }
  getCustomer(id: string) { return this.call("GET", `/v1/customers/${id}`); }
  createCustomer(input: { name: string; email?: string; phoneNumber?: string }) { return this.call("POST", "/v1/customers", { input }); }
  updateCustomer(id: string, data: Record<string, unknown>) { return this.call("PATCH", `/v1/customers/${id}`, { input: { data } }); }
}

// ---- the contract ---------------------------------------------------------------------------
const pact = new PactV4({ consumer: "example-app", provider: "quentli-api", dir: process.env.PACT_DIR ?? "pacts", logLevel: "warn" });

const KEY = "sk_tAzxrrtd3DgTmjQU52cmQNgfReQq5tCMRahQKkjV";
const ID = "cus_1234567890abcdefghij";
const CUSTOMER_ID = "^cus_[A-Za-z0-9]{20}$";
const auth = { Authorization: fromProviderState("Bearer ${token}", `Bearer ${KEY}`) };
const JUAN = { name: "Juan Pérez", email: "juan@example.com", phoneNumber: "+525512345678" };

describe("Quentli customers (consumer: example-app)", () => {
  it("lists customers", () =>
    pact
      .addInteraction()
      .given("a customer exists", JUAN)
      .uponReceiving("a request to list customers")
      .withRequest("GET", "/v1/customers", (b) => b.query({ skip: "0", take: "20" }).headers(auth))
      .willRespondWith(200, (b) => b.jsonBody(eachLike({ id: regex(CUSTOMER_ID, ID), name: like("Juan Pérez") })))
      .executeTest(async (mock) => {
        const res = await new QuentliClient(mock.url, KEY).listCustomers();
        expect(res.body[0].name).toBe("Juan Pérez");
      }));

  it("gets a customer", () =>
    pact
      .addInteraction()
      .given("a customer exists", JUAN)
      .uponReceiving("a request to get a customer")
      .withRequest("GET", fromProviderState("/v1/customers/${id}", `/v1/customers/${ID}`), (b) => b.headers(auth))
      .willRespondWith(200, (b) => b.jsonBody({ id: fromProviderState("${id}", ID), ...JUAN }))
      .executeTest(async (mock) => {
        expect((await new QuentliClient(mock.url, KEY).getCustomer(ID)).body).toMatchObject(JUAN);
      }));

  it("creates a customer", () =>
    pact
      .addInteraction()
      .given("no customer exists")
      .uponReceiving("a request to create a customer")
      .withRequest("POST", "/v1/customers", (b) => b.headers({ ...auth, "Content-Type": "application/json" }).jsonBody({ input: { name: "Nuevo Cliente", email: "nuevo@example.com" } }))
      .willRespondWith(201, (b) => b.jsonBody({ customer: { id: regex(CUSTOMER_ID, ID), name: "Nuevo Cliente", email: "nuevo@example.com" } }))
      .executeTest(async (mock) => {
        expect((await new QuentliClient(mock.url, KEY).createCustomer({ name: "Nuevo Cliente", email: "nuevo@example.com" })).status).toBe(201);
      }));

  it("gets Quentli's 404 for an update of a customer that does not exist", () =>
    pact
      .addInteraction()
      .given("no customer exists")
      .uponReceiving("a request to update a customer that does not exist")
      .withRequest("PATCH", fromProviderState("/v1/customers/${id}", `/v1/customers/${ID}`), (b) => b.headers({ ...auth, "Content-Type": "application/json" }).jsonBody({ input: { data: { name: "Nobody" } } }))
      .willRespondWith(404, (b) => b.jsonBody({ error: { code: "NOT_FOUND", message: like("Customer not found") } }))
      .executeTest(async (mock) => {
        expect((await new QuentliClient(mock.url, KEY).updateCustomer(ID, { name: "Nobody" })).status).toBe(404);
      }));
});
