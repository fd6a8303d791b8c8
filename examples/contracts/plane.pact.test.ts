// A consumer's contract with Plane: a workspace user's API key in X-API-Key, customers under
// the workspace's slug. The team's own client against Pact's mock server; `customer-sim
// contracts verify pacts/` checks the pact against the simulator, with the key, the slug and
// ids from its provider states (simulator.md#pact).
import { MatchersV3, PactV4 } from "@pact-foundation/pact";
import { describe, expect, it } from "vitest";

const { eachLike, fromProviderState, integer, like, regex } = MatchersV3;

// ---- the consumer's client (replace with yours, e.g. @makeplane/plane-node-sdk) -------------
class PlaneClient {
  constructor(private baseUrl: string, private apiKey: string, private slug: string) {}
  private async call(method: string, path: string, body?: unknown) {
    const res = await fetch(`${this.baseUrl}/api/v1/workspaces/${this.slug}${path}`, {
      method,
      headers: { "X-API-Key": this.apiKey, ...(body ? { "Content-Type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: res.status === 204 ? null : await res.json() };
  }
  listCustomers() { return this.call("GET", "/customers/?per_page=10"); }
  getCustomer(id: string) { return this.call("GET", `/customers/${id}/`); }
  createCustomer(input: { name: string; email?: string }) { return this.call("POST", "/customers/", input); }
}

// ---- the contract ---------------------------------------------------------------------------
const pact = new PactV4({ consumer: "example-app", provider: "plane-api", dir: process.env.PACT_DIR ?? "pacts", logLevel: "warn" });

const KEY = "plane_api_0123456789abcdef0123456789abcdef";
const SLUG = "acme-1a2b";
const ID = "76585915-ed59-4dac-839b-f95c08654f49";
const UUID = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$";
const key = { "X-API-Key": fromProviderState("${token}", KEY) };
const ALICE = { name: "Alice Corp", email: "alice@example.com" };

describe("Plane customers (consumer: example-app)", () => {
  it("lists customers", () =>
    pact
      .addInteraction()
      .given("a customer exists", ALICE)
      .uponReceiving("a request to list customers")
      .withRequest("GET", fromProviderState("/api/v1/workspaces/${slug}/customers/", `/api/v1/workspaces/${SLUG}/customers/`), (b) => b.query({ per_page: "10" }).headers(key))
      .willRespondWith(200, (b) => b.jsonBody({ results: eachLike({ id: regex(UUID, ID), name: like("Alice Corp") }), total_count: integer(1) }))
      .executeTest(async (mock) => {
        const res = await new PlaneClient(mock.url, KEY, SLUG).listCustomers();
        expect(res.body.results[0].name).toBe("Alice Corp");
      }));

  it("gets a customer", () =>
    pact
      .addInteraction()
      .given("a customer exists", ALICE)
      .uponReceiving("a request to get a customer")
      .withRequest("GET", fromProviderState("/api/v1/workspaces/${slug}/customers/${id}/", `/api/v1/workspaces/${SLUG}/customers/${ID}/`), (b) => b.headers(key))
      .willRespondWith(200, (b) => b.jsonBody({ id: fromProviderState("${id}", ID), ...ALICE }))
      .executeTest(async (mock) => {
        expect((await new PlaneClient(mock.url, KEY, SLUG).getCustomer(ID)).body).toMatchObject(ALICE);
      }));

  it("creates a customer", () =>
    pact
      .addInteraction()
      .given("no customer exists")
      .uponReceiving("a request to create a customer")
      .withRequest("POST", fromProviderState("/api/v1/workspaces/${slug}/customers/", `/api/v1/workspaces/${SLUG}/customers/`), (b) => b.headers({ ...key, "Content-Type": "application/json" }).jsonBody({ name: "New Customer", email: "new@example.com" }))
      .willRespondWith(201, (b) => b.jsonBody({ id: regex(UUID, ID), name: "New Customer", email: "new@example.com" }))
      .executeTest(async (mock) => {
        expect((await new PlaneClient(mock.url, KEY, SLUG).createCustomer({ name: "New Customer", email: "new@example.com" })).status).toBe(201);
      }));

  it("gets Plane's 404 for a customer that does not exist", () =>
    pact
      .addInteraction()
      .given("no customer exists")
      .uponReceiving("a request to get a customer that does not exist")
      .withRequest("GET", fromProviderState("/api/v1/workspaces/${slug}/customers/${id}/", `/api/v1/workspaces/${SLUG}/customers/${ID}/`), (b) => b.headers(key))
      .willRespondWith(404, (b) => b.jsonBody({ error: like("The requested resource does not exist.") }))
      .executeTest(async (mock) => {
        expect((await new PlaneClient(mock.url, KEY, SLUG).getCustomer(ID)).status).toBe(404);
      }));
});
