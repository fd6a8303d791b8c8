// The drift guard: a provider's three descriptions of itself — its behaviour, its Pact
// interactions (src/contracts/<provider>.ts) and its OpenAPI document (/<provider>/openapi.json)
// — must agree. Every response of every shipped interaction (replayed after its provider
// states) and of probes of every documented operation (success and error cases) must be an
// operation, status and body schema of the document; the document must be valid OpenAPI 3.1;
// every route the provider registers must be documented. Runs for every provider in
// providerEntries (src/app.ts) as it lands.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadProviders } from "../../src/app.js";
import { toV4Pact } from "../../src/contracts/export.js";
import type { FixtureTenant, ProviderSimulator } from "../../src/core/simulator.js";
import { createSimulator, type Simulator } from "../../src/index.js";
import { fixtures } from "../helpers.js";
import { checkDocument, probes, replay, responseChecker, routeDrift, runProbe } from "./drift-guard.js";

const providers = await loadProviders();

let sim: Simulator;
beforeAll(async () => {
  sim = await createSimulator({ seed: 1 });
});
afterAll(() => sim?.close());

async function served(name: string): Promise<Record<string, unknown>> {
  const res = await sim.app.request(`/${name}/openapi.json`);
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

async function firstTenant(name: string): Promise<FixtureTenant> {
  return (await fixtures(sim)).providers[name]!.tenants[0]! as FixtureTenant;
}

describe.each(providers.map((p) => [p.name, p] as [string, ProviderSimulator]))("%s: OpenAPI document vs behaviour", (name, provider) => {
  it("is a valid OpenAPI 3.1 document (and is what openapi() returns)", async () => {
    const doc = await served(name);
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(await checkDocument(doc)).toEqual([]);
    expect(doc).toEqual(JSON.parse(JSON.stringify(await provider.openapi())));
  });

  it("documents every route the provider registers, and nothing it does not serve", async () => {
    const routes = provider.routes(sim.runtime.context(provider)).routes;
    const drift = routeDrift(await served(name), routes);
    expect(drift.undocumented, "routes the document lacks").toEqual([]);
    expect(drift.unserved, "documented operations the provider does not serve").toEqual([]);
  });

  it("every response of every shipped Pact interaction is one the document describes", async () => {
    const check = responseChecker(await served(name));
    const pact = toV4Pact("drift-guard", `${name}-api`, await provider.interactions());
    expect(pact.interactions.length).toBeGreaterThan(0);
    const problems: string[] = [];
    for (const i of pact.interactions) {
      const { observed, expectedStatus } = await replay(sim, name, i);
      // the replay reached the state the interaction describes (else it checks the wrong answer)
      if (observed.status !== expectedStatus) problems.push(`"${i.description}": replay answered ${observed.status}, the pact expects ${expectedStatus}: ${observed.text.slice(0, 200)}`);
      problems.push(...check(observed).map((p) => `"${i.description}": ${p}`));
    }
    expect(problems).toEqual([]);
  });

  it("answers to every documented operation — success, no or unknown credential, unknown ids, bad bodies — are what the document describes", async () => {
    await sim.reset({ provider: name });
    const doc = await served(name);
    const check = responseChecker(doc);
    const tenant = await firstTenant(name);
    const list = probes(doc, tenant, provider.listPath(tenant));
    expect(list.length).toBeGreaterThan(0);
    const problems: string[] = [];
    const statuses = new Set<number>();
    for (const p of list) {
      const observed = await runProbe(sim, name, p);
      statuses.add(observed.status);
      const cls = `${String(observed.status)[0]}xx`;
      if (p.expect !== "any" && cls !== p.expect) problems.push(`${p.name}: expected ${p.expect}, got ${observed.status}: ${observed.text.slice(0, 200)}`);
      if (observed.status >= 500) problems.push(`${p.name}: ${observed.status} ${observed.text.slice(0, 200)}`);
      problems.push(...check(observed).map((x) => `${p.name}: ${x}`));
    }
    expect(problems).toEqual([]);
    // the probes did reach successes and errors alike
    expect([...statuses].some((s) => s < 300)).toBe(true);
    expect([...statuses].filter((s) => s >= 400).length).toBeGreaterThanOrEqual(2);
  });
});
