import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadProviders } from "../../src/app.js";
const providers = await loadProviders();
import { DEFAULT_CONSUMER, exportPacts, toV4Pact } from "../../src/contracts/export.js";
import { eachLike, fromState, like } from "../../src/contracts/matchers.js";
import type { V4Pact } from "../../src/contracts/types.js";

let dir: string;
let pact: V4Pact;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "customer-sim-pacts-"));
  await exportPacts(providers, { outDir: dir });
  pact = JSON.parse(await readFile(join(dir, `${DEFAULT_CONSUMER}-rapidly-api.json`), "utf8")) as V4Pact;
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("contracts export", () => {
  it("writes one Pact V4 file per provider, named <consumer>-<provider>-api.json", async () => {
    expect((await readdir(dir)).sort()).toEqual(providers.map((p) => `${DEFAULT_CONSUMER}-${p.name}-api.json`).sort());
    expect(pact.consumer).toEqual({ name: DEFAULT_CONSUMER });
    expect(pact.provider).toEqual({ name: "rapidly-api" });
    expect(pact.metadata.pactSpecification).toEqual({ version: "4.0" });
  });

  it("has V4 synchronous HTTP interactions with descriptions, states, request and response", () => {
    const states = Object.keys(providers.find((p) => p.name === "rapidly")!.states);
    const descriptions = new Set<string>();
    for (const i of pact.interactions) {
      expect(i.type).toBe("Synchronous/HTTP");
      expect(i.description).toMatch(/^a request /);
      descriptions.add(i.description);
      expect(i.request.method).toMatch(/^(GET|POST|PATCH|DELETE)$/);
      expect(i.request.path).toMatch(/^\/api\/(customers|webhooks)/);
      expect(typeof i.response.status).toBe("number");
      // every state is one the simulator serves
      for (const s of i.providerStates ?? []) expect(states).toContain(s.name);
      // V4: header and query values are lists; bodies carry their content type
      for (const v of Object.values({ ...i.request.headers, ...i.response.headers, ...i.request.query })) expect(Array.isArray(v)).toBe(true);
      for (const b of [i.request.body, i.response.body]) if (b) expect(b).toMatchObject({ contentType: "application/json", encoded: false });
      // a token from a state is sent through a ProviderState generator
      if (i.providerStates?.length) {
        expect(i.request.generators?.header?.Authorization).toEqual({ type: "ProviderState", expression: expect.stringMatching(/^Bearer \$\{(token|readOnlyToken)\}$/) });
      }
    }
    expect(descriptions.size).toBe(pact.interactions.length);
    // success and error cases of every route
    const seen = pact.interactions.map((i) => `${i.request.method} ${i.response.status}`);
    for (const want of ["GET 200", "POST 201", "PATCH 200", "DELETE 204", "GET 401", "POST 403", "GET 404", "GET 422", "POST 422", "PATCH 422"]) expect(seen).toContain(want);
    expect(pact.interactions.filter((i) => i.request.path.includes("/external/")).map((i) => i.request.method).sort()).toEqual(["DELETE", "GET", "GET", "PATCH"]);
    const stateNames = new Set(pact.interactions.flatMap((i) => (i.providerStates ?? []).map((s) => s.name)));
    expect([...stateNames].sort()).toEqual([...states].sort());
  });

  it("uses type, regex and datetime matchers, and ProviderState generators for ids", () => {
    const get = pact.interactions.find((i) => i.description === "a request to get a customer")!;
    expect(get.providerStates).toEqual([{ name: "a customer exists", params: { email: "alice@example.com", name: "Alice" } }]);
    expect(get.request.generators?.path).toEqual({ type: "ProviderState", expression: "/api/customers/${id}" });
    expect(get.request.matchingRules?.path).toEqual({ combine: "AND", matchers: [{ match: "type" }] });
    const rules = get.response.matchingRules!.body!;
    expect(rules["$.id"]!.matchers[0]).toMatchObject({ match: "regex" });
    expect(rules["$.created_at"]!.matchers[0]).toEqual({ match: "datetime", format: "yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX" });
    expect(rules["$.members"]!.matchers[0]).toEqual({ match: "type", min: 1 });
    expect(rules["$.members[*].id"]!.matchers[0]).toMatchObject({ match: "regex" });
    expect(get.response.generators?.body?.["$.id"]).toEqual({ type: "ProviderState", expression: "${id}" });
    expect(get.response.body!.content).toMatchObject({ email: "alice@example.com", name: "Alice", members: [expect.objectContaining({ role: "owner" })] });

    const dup = pact.interactions.find((i) => i.description === "a request to update a customer's email to another customer's")!;
    expect(dup.request.generators?.body).toEqual({ "$.email": { type: "ProviderState", expression: "${email}" } });
    expect(dup.request.generators?.path).toEqual({ type: "ProviderState", expression: "/api/customers/${otherId}" });
  });

  it("turns nested matchers into JSON paths (quoted when a key is not an identifier)", () => {
    const p = toV4Pact("c", "p", [
      {
        description: "d",
        request: { method: "POST", path: "/x", headers: { "Content-Type": "application/json" }, body: { "odd key": like("a"), list: eachLike({ v: fromState("${v}", "1") }) } },
        response: { status: 200 },
      },
    ]);
    const req = p.interactions[0]!.request;
    expect(req.body!.content).toEqual({ "odd key": "a", list: [{ v: "1" }] });
    expect(Object.keys(req.matchingRules!.body!)).toEqual(["$['odd key']", "$.list", "$.list[*].v"]);
    expect(req.generators!.body).toEqual({ "$.list[*].v": { type: "ProviderState", expression: "${v}" } });
    expect(p.interactions[0]!.providerStates).toBeUndefined();
    expect(p.interactions[0]!.response).toEqual({ status: 200 });
  });

  it("refuses two interactions with the same description and states (Pact would merge them)", () => {
    const i = { description: "same", request: { method: "GET" as const, path: "/" }, response: { status: 200 } };
    expect(() => toV4Pact("c", "p", [i, i])).toThrow(/two interactions "same"/);
  });
});
