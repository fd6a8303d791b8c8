import { afterEach, describe, expect, it } from "vitest";
import { createSimulator, type Simulator } from "../../src/index.js";
import { fixtures } from "../helpers.js";

const open: Simulator[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});
async function start(seed?: number): Promise<Simulator> {
  const sim = await createSimulator(seed === undefined ? {} : { seed });
  open.push(sim);
  return sim;
}

async function snapshot(sim: Simulator): Promise<string> {
  const f = await fixtures(sim);
  const bodies: string[] = [];
  for (const tenant of f.providers.rapidly!.tenants) {
    const headers = tenant.credentials.find((c) => c.kind === "full")!.headers;
    for (const id of tenant.customerIds) bodies.push(await (await sim.app.request(`/rapidly/api/customers/${id}`, { headers })).text());
  }
  const raw = await (await sim.app.request("/__admin/rapidly/customers")).text();
  return JSON.stringify(f) + "\n" + bodies.join("\n") + "\n" + raw;
}

describe("seeded fixtures", () => {
  it("the same seed gives the same fixtures, ids, tokens and bodies, byte for byte", async () => {
    const a = await snapshot(await start(11));
    const b = await snapshot(await start(11));
    expect(a).toBe(b);
  });

  it("the default seed is 1", async () => {
    expect(await snapshot(await start())).toBe(await snapshot(await start(1)));
  });

  it("a different seed gives different fixtures", async () => {
    const a = await snapshot(await start(1));
    const b = await snapshot(await start(2));
    expect(a).not.toBe(b);
    const fa = await fixtures(await start(1));
    const fb = await fixtures(await start(2));
    expect(fa.providers.rapidly!.tenants[0]!.customerIds[0]).not.toBe(fb.providers.rapidly!.tenants[0]!.customerIds[0]);
    expect(fa.providers.rapidly!.tenants[0]!.credentials[0]!.headers).not.toEqual(fb.providers.rapidly!.tenants[0]!.credentials[0]!.headers);
  });

  it("reset with the same seed reproduces a fresh start", async () => {
    const fresh = await snapshot(await start(4));
    const sim = await start(1);
    await sim.reset({ seed: 4 });
    expect(await snapshot(sim)).toBe(fresh);
  });
});
