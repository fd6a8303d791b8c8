// A consumer's contract with Flextell (Laravel + Passport): bearer token and the X-Tenant
// header, answers wrapped in `{ success, data }`. The team's own client against Pact's mock
// server; `customer-sim contracts verify pacts/` checks the pact against the simulator, with
// the token, tenant and ids from its provider states (simulator.md#pact).
import { MatchersV3, PactV4 } from "@pact-foundation/pact";
import { describe, expect, it } from "vitest";

const { eachLike, fromProviderState, integer, like } = MatchersV3;

// ---- the consumer's client (replace with yours) ---------------------------------------------
class FlextellClient {
  constructor(private baseUrl: string, private token: string, private tenant: string) {}
  private async call(method: string, path: string, body?: unknown) {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { Authorization: `Bearer ${this.token}`, "X-Tenant": this.tenant, Accept: "application/json", ...(body ? { "Content-Type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: await res.json() };
  }
  listCustomers() { return this.call("GET", "/api/v1/customers?per_page=10"); }
  getCustomer(id: number) { return this.call("GET", `/api/v1/customers/${id}`); }
  createCustomer(input: { first_name: string; last_name?: string; email?: string }) { return this.call("POST", "/api/v1/customers", input); }
}

// ---- the contract ---------------------------------------------------------------------------
const pact = new PactV4({ consumer: "example-app", provider: "flextell-api", dir: process.env.PACT_DIR ?? "pacts", logLevel: "warn" });

const TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiIxIiwic3ViIjoiMSJ9.c2lnbmF0dXJl";
const TENANT = "1";
const ID = 51;
const auth = { Authorization: fromProviderState("Bearer ${token}", `Bearer ${TOKEN}`), "X-Tenant": fromProviderState("${tenant}", TENANT), Accept: "application/json" };
const ALICE = { first_name: "Alice", last_name: "Smith", email: "alice@example.com" };

describe("Flextell customers (consumer: example-app)", () => {
  it("lists customers", () =>
    pact
      .addInteraction()
      .given("a customer exists", ALICE)
      .uponReceiving("a request to list customers")
      .withRequest("GET", "/api/v1/customers", (b) => b.query({ per_page: "10" }).headers(auth))
      // (a list is Laravel's paginator, not the { success, data } envelope of single customers)
      .willRespondWith(200, (b) => b.jsonBody({ data: eachLike({ id: integer(ID), first_name: like("Alice") }), meta: { current_page: 1, per_page: 10, total: integer(26) } }))
      .executeTest(async (mock) => {
        const res = await new FlextellClient(mock.url, TOKEN, TENANT).listCustomers();
        expect(res.status).toBe(200);
      }));

  it("gets a customer", () =>
    pact
      .addInteraction()
      .given("a customer exists", ALICE)
      .uponReceiving("a request to get a customer")
      .withRequest("GET", fromProviderState("/api/v1/customers/${id}", `/api/v1/customers/${ID}`), (b) => b.headers(auth))
      .willRespondWith(200, (b) => b.jsonBody({ success: like("Customer retrieved successfully"), data: { id: fromProviderState("${id}", ID), ...ALICE } }))
      .executeTest(async (mock) => {
        const res = await new FlextellClient(mock.url, TOKEN, TENANT).getCustomer(ID);
        expect(res.body.data).toMatchObject(ALICE);
      }));

  it("creates a customer", () =>
    pact
      .addInteraction()
      .given("no customer exists")
      .uponReceiving("a request to create a customer")
      .withRequest("POST", "/api/v1/customers", (b) => b.headers({ ...auth, "Content-Type": "application/json" }).jsonBody({ first_name: "New", email: "new@example.com" }))
      .willRespondWith(201, (b) => b.jsonBody({ success: like("Customer created successfully"), data: { id: integer(ID), first_name: "New", email: "new@example.com" } }))
      .executeTest(async (mock) => {
        const res = await new FlextellClient(mock.url, TOKEN, TENANT).createCustomer({ first_name: "New", email: "new@example.com" });
        expect(res.status).toBe(201);
      }));

  it("gets Flextell's 404 for a customer that does not exist", () =>
    pact
      .addInteraction()
      .given("no customer exists")
      .uponReceiving("a request to get a customer that does not exist")
      .withRequest("GET", fromProviderState("/api/v1/customers/${id}", `/api/v1/customers/${ID}`), (b) => b.headers(auth))
      .willRespondWith(404, (b) => b.jsonBody({ message: like(`No query results for model [App\\Models\\Customer] ${ID}`) }))
      .executeTest(async (mock) => {
        expect((await new FlextellClient(mock.url, TOKEN, TENANT).getCustomer(ID)).status).toBe(404);
      }));
});
