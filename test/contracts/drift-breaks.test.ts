// The drift guard can fail: a document broken on purpose (a response schema, a path, a status,
// an error body, the document's own structure) or a route answering off its document is caught
// by the same machinery drift.test.ts runs for every provider. Proven once, on Rapidly.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toV4Pact } from "../../src/contracts/export.js";
import type { V4Interaction } from "../../src/contracts/types.js";
import { createSimulator, type Simulator } from "../../src/index.js";
import { fixtures, json } from "../helpers.js";
import { checkDocument, probes, replay, responseChecker, routeDrift, runProbe, type Observed } from "./drift-guard.js";

type Doc = Record<string, any>;

let sim: Simulator;
let doc: Doc;
let interactions: V4Interaction[];
beforeAll(async () => {
  sim = await createSimulator();
  doc = (await (await sim.app.request("/rapidly/openapi.json")).json()) as Doc;
  const rapidly = sim.runtime.simulator("rapidly")!;
  interactions = toV4Pact("c", "rapidly-api", await rapidly.interactions()).interactions;
});
afterAll(() => sim?.close());

const byDescription = (d: string) => interactions.find((i) => i.description === d)!;

async function replayAll(broken: Doc): Promise<string[]> {
  const check = responseChecker(broken);
  const problems: string[] = [];
  for (const i of interactions) problems.push(...check((await replay(sim, "rapidly", i)).observed));
  return problems;
}

describe("the drift guard fails on drift", () => {
  it("passes Rapidly's document as served (the baseline)", async () => {
    expect(await replayAll(doc)).toEqual([]);
  });

  it("a response schema that no longer matches (Customer.email an integer) fails the interactions that return a customer", async () => {
    const broken = structuredClone(doc);
    broken.components.schemas.Customer.properties.email = { type: "integer" };
    const problems = await replayAll(broken);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join("\n")).toMatch(/GET \/api\/customers\/[0-9a-f-]{36} → 200: body\/email must be integer/);
  });

  it("a required field the simulator does not send fails", async () => {
    const broken = structuredClone(doc);
    broken.components.schemas.Customer.required.push("tax_id");
    const { observed } = await replay(sim, "rapidly", byDescription("a request to get a customer"));
    expect(responseChecker(broken)(observed).join("\n")).toMatch(/must have required property 'tax_id'/);
  });

  it("an error body that is not the documented one fails (Error needs a `message`)", async () => {
    const broken = structuredClone(doc);
    broken.components.schemas.Error.required = ["message"];
    const { observed } = await replay(sim, "rapidly", byDescription("a request to list customers without a token"));
    expect(observed.status).toBe(401);
    expect(responseChecker(broken)(observed).join("\n")).toMatch(/401: body must have required property 'message'/);
  });

  it("a path or a status missing from the document fails", async () => {
    const noPath = structuredClone(doc);
    delete noPath.paths["/api/customers/external/{external_id}"];
    const { observed } = await replay(sim, "rapidly", byDescription("a request to get a customer by external id"));
    expect(responseChecker(noPath)(observed)).toEqual([expect.stringMatching(/no path of the document matches \/api\/customers\/external\/usr_contract_1/)]);

    const no404 = structuredClone(doc);
    delete no404.paths["/api/customers/{id}"].get.responses["404"];
    const missing = await replay(sim, "rapidly", byDescription("a request to get a customer that does not exist"));
    expect(responseChecker(no404)(missing.observed)).toEqual([expect.stringMatching(/status 404 is not documented for GET \/api\/customers\/\{id\}/)]);

    const noMethod = structuredClone(doc);
    delete noMethod.paths["/api/customers/{id}"].patch;
    const patch = await replay(sim, "rapidly", byDescription("a request to update a customer"));
    expect(responseChecker(noMethod)(patch.observed)).toEqual([expect.stringMatching(/has no PATCH operation/)]);
  });

  it("a body where the document has none, none where it has one, or another content type fails", () => {
    const check = responseChecker(doc);
    const base: Observed = { method: "DELETE", path: "/api/customers/76585915-ed59-4dac-839b-f95c08654f49", status: 204, contentType: "application/json", text: "{}" };
    expect(check(base)).toEqual([expect.stringMatching(/declares no body for 204/)]);
    expect(check({ ...base, method: "GET", status: 200, text: "" })).toEqual([expect.stringMatching(/declares a application\/json body for 200, the simulator sent none/)]);
    expect(check({ ...base, method: "GET", status: 200, contentType: "text/html", text: "<p>" })).toEqual([expect.stringMatching(/content type text\/html is not one the document declares/)]);
  });

  it("a route answering off its document fails the probes (a fault rule makes GET answer 418 and a wrong body)", async () => {
    const tenant = (await fixtures(sim)).providers.rapidly!.tenants[0]!;
    const list = probes(doc, tenant as never, "/api/customers/");
    const get = list.find((p) => p.name === "GET /api/customers/{id}: full credential")!;
    const check = responseChecker(doc);
    expect(check(await runProbe(sim, "rapidly", get))).toEqual([]);
    const rule = await sim.app.request("/__admin/faults", json({ provider: "rapidly", method: "GET", path: "/rapidly/api/customers/*", status: 200, body: { id: 1, email: null } }));
    expect(rule.status).toBe(201);
    try {
      expect((await check(await runProbe(sim, "rapidly", get))).join("\n")).toMatch(/200: body\/id must be string/);
      await sim.app.request("/__admin/faults", { method: "DELETE" });
      await sim.app.request("/__admin/faults", json({ provider: "rapidly", method: "GET", path: "/rapidly/api/customers/*", status: 418 }));
      expect(check(await runProbe(sim, "rapidly", get))).toEqual([expect.stringMatching(/status 418 is not documented/)]);
    } finally {
      await sim.app.request("/__admin/faults", { method: "DELETE" });
    }
  });

  it("a registered route missing from the document, or a documented one not served, fails", () => {
    const routes = [
      { method: "GET", path: "/api/customers/" },
      { method: "GET", path: "/api/customers" },
      { method: "GET", path: "/api/customers/:id" },
      { method: "POST", path: "/api/customers/:id/merge" },
    ];
    const drift = routeDrift(doc, routes);
    expect(drift.undocumented).toEqual(["POST /api/customers/{}/merge"]);
    expect(drift.unserved).toContain("DELETE /api/customers/{}");
  });

  it("a document that is not valid OpenAPI 3.1 fails the document check", async () => {
    expect(await checkDocument(doc)).toEqual([]);
    const broken = structuredClone(doc);
    delete broken.info;
    broken.paths["/api/customers/"].get.responses = "none";
    expect((await checkDocument(broken)).length).toBeGreaterThan(0);
  });
});
