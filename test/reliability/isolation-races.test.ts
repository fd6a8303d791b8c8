// Tenancy and uniqueness, for every provider: another tenant's customer is not found (or
// forbidden) whatever the method; N concurrent claims of one unique value by different
// customers → exactly one wins.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { newSim } from "../helpers.js";
import { handle, profile, providers } from "./_providers.js";

describe.each(providers)("%s: isolation", (name) => {
  it("a credential never reaches another tenant's customer (generated matrix)", async () => {
    const sim = await newSim();
    const p = await handle(sim, name);
    expect(p.tenants.length).toBeGreaterThanOrEqual(2);
    const before = JSON.stringify(sim.runtime.simulator(name)!.rawCustomers(sim.runtime.model(name)));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(0, 1),
        fc.nat(24),
        fc.constantFrom("GET", "PATCH", "PUT", "DELETE"),
        async (caller, index, method) => {
          const other = 1 - caller;
          const ids = p.customerIds(other);
          const id = ids[index % ids.length]!;
          const cred = p.tenants[caller]!.credentials.find((c) => c.kind === "full")!;
          const res = await sim.app.request(p.itemPath(other, id).replace(p.listPath(other), p.listPath(caller)), {
            method,
            headers: { ...cred.headers, "Content-Type": "application/json" },
            ...(method === "PATCH" || method === "PUT" ? { body: JSON.stringify(profile(name).updateBody({ name: "Intruder" })) } : {}),
          });
          // Not found / forbidden (or 405 for a method the route does not have) — never success.
          const text = await res.text();
          expect(profile(name).hidden(res.status, text), `${method} → ${res.status} ${text.slice(0, 120)}`).toBe(true);
        },
      ),
      { numRuns: 120 },
    );
    expect(JSON.stringify(sim.runtime.simulator(name)!.rawCustomers(sim.runtime.model(name)))).toBe(before);
  }, 30_000);
});

describe.each(providers)("%s: races", (name) => {
  it("N concurrent claims of one unique value by different customers: exactly one wins", async () => {
    const sim = await newSim();
    const p = await handle(sim, name);
    const headers = { ...p.headers(0), "Content-Type": "application/json" };
    const ids = p.customerIds(0).slice(0, 8);
    const { field, value } = profile(name).unique;
    const body = JSON.stringify(profile(name).updateBody({ [field]: value }));
    const results = await Promise.all(ids.map((id) => sim.app.request(p.itemPath(0, id), { method: "PATCH", headers, body })));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s >= 200 && s < 300)).toHaveLength(1);
    expect(statuses.every((s) => (s >= 200 && s < 300) || (s >= 400 && s < 500))).toBe(true);
    // And the store agrees: one customer holds it.
    const holders = (sim.runtime.simulator(name)!.rawCustomers(sim.runtime.model(name)) as Record<string, unknown>[]).filter(
      (c) => c[field] === value,
    );
    expect(holders).toHaveLength(1);
  });
});
