// A pact that must FAIL verification: the consumer expects 200 for a customer that does not
// exist, where Rapidly (and the simulator) answers 404. Pact's mock server plays back what the
// consumer wrote, so this consumer test passes; `customer-sim contracts verify` is what catches
// it. Written to $PACT_DIR_FAILING, apart from the pacts that must pass.
import { PactV4, MatchersV3 } from "@pact-foundation/pact";
import { expect, it } from "vitest";

const { fromProviderState } = MatchersV3;
const ID = "76585915-ed59-4dac-839b-f95c08654f49";
const TOKEN = "rapidly_oat_0tKRGe94wl08ldr0k2VhJuOEdTHmyEp4F1u7lF6Xie3";

const pact = new PactV4({ consumer: "wrong-app", provider: "rapidly-api", dir: process.env.PACT_DIR_FAILING ?? "pacts-failing", logLevel: "warn" });

it("expects 200 for a customer that does not exist (wrong on purpose)", () =>
  pact
    .addInteraction()
    .given("no customer exists")
    .uponReceiving("a request to get a customer that does not exist, expecting 200")
    .withRequest("GET", fromProviderState("/api/customers/${id}", `/api/customers/${ID}`), (b) => b.headers({ Authorization: fromProviderState("Bearer ${token}", `Bearer ${TOKEN}`) }))
    .willRespondWith(200, (b) => b.jsonBody({ id: fromProviderState("${id}", ID) }))
    .executeTest(async (mock) => {
      const res = await fetch(`${mock.url}/api/customers/${ID}`, { headers: { Authorization: `Bearer ${TOKEN}` } });
      expect(res.status).toBe(200);
    }));
