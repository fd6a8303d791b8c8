// spec: simulator.md#parallel-suites — for every provider served (src/app.ts lists them): a made
// tenant is journaled as itself, gets its own faults, and is gone with its credential once deleted.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { providerNames } from "../../src/app.js";
import type { FixtureTenant, Simulator } from "../../src/index.js";
import { json, newSim } from "../helpers.js";

let sim: Simulator;
beforeAll(async () => {
  sim = await newSim();
});
afterAll(async () => sim?.close());

const full = (t: FixtureTenant) => t.credentials.find((c) => c.kind === "full")!.headers;
/** The same credential with its secret changed: one the provider never issued. */
const garbled = (headers: Record<string, string>) =>
  Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, /^(authorization|x-api-key)$/i.test(k) ? `${v.slice(0, -4)}${v.endsWith("zzzz") ? "yyyy" : "zzzz"}` : v]));

describe.each(providerNames())("%s", (provider) => {
  const listUrl = (t: FixtureTenant) => `/${provider}${sim.runtime.simulator(provider)!.listPath(t)}`;

  it("journals a made tenant's requests as its own, fires its faults only for it, and deletes it", async () => {
    const made = await sim.createTenant(provider);
    const fixture = sim.fixtures().providers[provider]!.tenants[0]!;
    expect((await sim.app.request(listUrl(made), { headers: full(made) })).status).toBe(200);
    expect(sim.requests({ tenant: made.id, provider }).map((e) => [e.tenant, e.status, e.path])).toEqual([[made.id, 200, listUrl(made)]]);

    const rule = await (await sim.app.request("/__admin/faults", json({ provider, tenant: made.id, status: 503 }))).json() as { id: string };
    expect((await sim.app.request(listUrl(made), { headers: full(made) })).status).toBe(503);
    expect((await sim.app.request(listUrl(fixture), { headers: full(fixture) })).status).toBe(200);
    expect(sim.requestCount({ tenant: fixture.id, provider, status: 200 })).toBe(1);
    expect(sim.requestCount({ tenant: made.id, status: 503 })).toBe(1);

    const del = await sim.app.request(`/__admin/${provider}/tenants/${made.id}`, { method: "DELETE" });
    expect(del.status).toBe(204);
    expect(sim.faults.list().some((r) => r.id === rule.id)).toBe(false);
    // Its credential is unknown now: the provider's own refusal, as for one never issued.
    const refused = await sim.app.request(listUrl(made), { headers: full(made) });
    const never = await sim.app.request(listUrl(made), { headers: garbled(full(made)) });
    expect([401, 403]).toContain(refused.status);
    expect(refused.status).toBe(never.status);
    expect(await refused.text()).toBe(await never.text());
    expect(sim.requests({ provider }).at(-2)!.tenant).toBeNull();

    const fixtureDelete = await sim.app.request(`/__admin/${provider}/tenants/${fixture.id}`, { method: "DELETE" });
    expect(fixtureDelete.status).toBe(409);
    expect((await sim.app.request(listUrl(fixture), { headers: full(fixture) })).status).toBe(200);
    expect((await sim.app.request(`/__admin/${provider}/tenants/${made.id}`, { method: "DELETE" })).status).toBe(404);
  });
});
