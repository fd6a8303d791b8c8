// A consumer's contract with Rapidly, written as a consumer team would: the team's own client
// (here a few lines of fetch; use yours) against Pact's mock server, which records the pact.
// The provider states are the simulator's (simulator.md#pact), so `customer-sim contracts
// verify pacts/` checks the pact against the simulator; ids and the token come from the states.
import { MatchersV3, PactV4 } from "@pact-foundation/pact";
import { describe, expect, it } from "vitest";

const { datetime, eachLike, fromProviderState, integer, like, regex } = MatchersV3;

// ---- the consumer's client (replace with yours) ---------------------------------------------
class RapidlyClient {
  constructor(private baseUrl: string, private token: string) {}
  private async call(method: string, path: string, body?: unknown) {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { Authorization: `Bearer ${this.token}`, ...(body ? { "Content-Type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: res.status === 204 ? null : await res.json() };
  }
  listCustomers() { return this.call("GET", "/api/customers/?page=1&limit=10"); }
  getCustomer(id: string) { return this.call("GET", `/api/customers/${id}`); }
  createCustomer(input: { email: string; name?: string }) { return this.call("POST", "/api/customers/", input); }
}

// ---- the contract ---------------------------------------------------------------------------
const pact = new PactV4({ consumer: "example-app", provider: "rapidly-api", dir: process.env.PACT_DIR ?? "pacts", logLevel: "warn" });

const TOKEN = "rapidly_oat_0tKRGe94wl08ldr0k2VhJuOEdTHmyEp4F1u7lF6Xie3";
const ID = "76585915-ed59-4dac-839b-f95c08654f49";
const UUID = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$";
const auth = { Authorization: fromProviderState("Bearer ${token}", `Bearer ${TOKEN}`) };

describe("Rapidly customers (consumer: example-app)", () => {
  it("lists customers", () =>
    pact
      .addInteraction()
      .given("a customer exists", { email: "alice@example.com", name: "Alice" })
      .uponReceiving("a request to list customers")
      .withRequest("GET", "/api/customers/", (b) => b.query({ page: "1", limit: "10" }).headers(auth))
      .willRespondWith(200, (b) =>
        b.jsonBody({
          items: eachLike({ id: regex(UUID, ID), email: like("alice@example.com"), created_at: datetime("yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX", "2025-01-06T09:00:00.000000Z") }),
          pagination: { total_count: integer(1), max_page: integer(1) },
        }),
      )
      .executeTest(async (mock) => {
        const res = await new RapidlyClient(mock.url, TOKEN).listCustomers();
        expect(res.status).toBe(200);
        expect(res.body.items[0].email).toBe("alice@example.com");
      }));

  it("gets a customer", () =>
    pact
      .addInteraction()
      .given("a customer exists", { email: "alice@example.com", name: "Alice" })
      .uponReceiving("a request to get a customer")
      .withRequest("GET", fromProviderState("/api/customers/${id}", `/api/customers/${ID}`), (b) => b.headers(auth))
      .willRespondWith(200, (b) => b.jsonBody({ id: fromProviderState("${id}", ID), email: "alice@example.com", name: "Alice", type: "individual" }))
      .executeTest(async (mock) => {
        const res = await new RapidlyClient(mock.url, TOKEN).getCustomer(ID);
        expect(res.body).toMatchObject({ id: ID, email: "alice@example.com" });
      }));

  it("creates a customer", () =>
    pact
      .addInteraction()
      .given("no customer exists")
      .uponReceiving("a request to create a customer")
      .withRequest("POST", "/api/customers/", (b) => b.headers({ ...auth, "Content-Type": "application/json" }).jsonBody({ email: "new@example.com", name: "New" }))
      .willRespondWith(201, (b) => b.jsonBody({ id: regex(UUID, ID), email: "new@example.com", name: "New" }))
      .executeTest(async (mock) => {
        const res = await new RapidlyClient(mock.url, TOKEN).createCustomer({ email: "new@example.com", name: "New" });
        expect(res.status).toBe(201);
      }));

  it("gets Rapidly's 404 for a customer that does not exist", () =>
    pact
      .addInteraction()
      .given("no customer exists")
      .uponReceiving("a request to get a customer that does not exist")
      .withRequest("GET", fromProviderState("/api/customers/${id}", `/api/customers/${ID}`), (b) => b.headers(auth))
      .willRespondWith(404, (b) => b.jsonBody({ error: "ResourceNotFound", detail: like("Not found") }))
      .executeTest(async (mock) => {
        const res = await new RapidlyClient(mock.url, TOKEN).getCustomer(ID);
        expect(res.status).toBe(404);
      }));
});
