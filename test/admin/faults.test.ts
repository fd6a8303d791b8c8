import { afterEach, describe, expect, it } from "vitest";
import type { Simulator } from "../../src/index.js";
import { credential, json, newSim } from "../helpers.js";

let sim: Simulator;
afterEach(async () => sim?.close());

describe("fault rules", () => {
  it("answers a given status with the provider's own body, for the given number of times", async () => {
    sim = await newSim();
    const headers = await credential(sim, "rapidly");
    const add = await sim.app.request("/__admin/faults", json({ provider: "rapidly", method: "GET", path: "/rapidly/api/customers/**", status: 404, times: 2 }));
    expect(add.status).toBe(201);
    const rule = (await add.json()) as { id: string; status: number };
    expect(rule).toMatchObject({ status: 404, times: 2 });
    for (let i = 0; i < 2; i++) {
      const res = await sim.app.request("/rapidly/api/customers/", { headers });
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ error: "ResourceNotFound", detail: "Not found" });
    }
    expect((await sim.app.request("/rapidly/api/customers/", { headers })).status).toBe(200);
    expect(await (await sim.app.request("/__admin/faults")).json()).toEqual({ faults: [] });
  });

  it("sends a custom body and headers, matches method and path, and can be removed", async () => {
    sim = await newSim();
    const headers = await credential(sim, "rapidly");
    const rule = (await (await sim.app.request("/__admin/faults", json({ method: "POST", path: "/rapidly/api/customers/", status: 503, body: { oops: true }, headers: { "Retry-After": "3" } }))).json()) as { id: string };
    expect((await sim.app.request("/rapidly/api/customers/", { headers })).status).toBe(200);
    const hit = await sim.app.request("/rapidly/api/customers/", json({ email: "x@example.com" }, headers));
    expect(hit.status).toBe(503);
    expect(hit.headers.get("retry-after")).toBe("3");
    // spec: rapidly.md#auth — every Rapidly response carries Cache-Control, a fault's own body too
    expect(hit.headers.get("cache-control")).toBe("private, no-store");
    expect(await hit.json()).toEqual({ oops: true });
    expect((await sim.app.request(`/__admin/faults/${rule.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await sim.app.request(`/__admin/faults/${rule.id}`, { method: "DELETE" })).status).toBe(404);
    expect((await sim.app.request("/rapidly/api/customers/", json({ email: "x@example.com" }, headers))).status).toBe(201);
  });

  it("delays without changing the answer", async () => {
    sim = await newSim();
    const headers = await credential(sim, "rapidly");
    await sim.app.request("/__admin/faults", json({ path: "/rapidly/**", kind: "delay", delayMs: 150 }));
    const t0 = performance.now();
    const res = await sim.app.request("/rapidly/api/customers/", { headers });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
    expect(res.status).toBe(200);
  });

  it("a probability of 0 never fires; bad rules are refused", async () => {
    sim = await newSim();
    const headers = await credential(sim, "rapidly");
    await sim.app.request("/__admin/faults", json({ status: 500, probability: 0 }));
    expect((await sim.app.request("/rapidly/api/customers/", { headers })).status).toBe(200);
    expect((await sim.app.request("/__admin/faults", json({ status: 99 }))).status).toBe(400);
    expect((await sim.app.request("/__admin/faults", json({ provider: "nope", status: 500 }))).status).toBe(400);
    expect((await sim.app.request("/__admin/faults", json({ kind: "explode" }))).status).toBe(400);
    expect((await sim.app.request("/__admin/faults", { method: "DELETE" })).status).toBe(204);
    expect(await (await sim.app.request("/__admin/faults")).json()).toEqual({ faults: [] });
  });

  it("reset destroys the connection of a real client, once", async () => {
    sim = await newSim();
    const { url } = await sim.listen(0);
    const headers = await credential(sim, "rapidly");
    await sim.app.request("/__admin/faults", json({ path: "/rapidly/api/customers/", kind: "reset", times: 1 }));
    await expect(fetch(`${url}/rapidly/api/customers/`, { headers })).rejects.toThrow();
    const after = await fetch(`${url}/rapidly/api/customers/`, { headers });
    expect(after.status).toBe(200);
  });

  it("a delay rule does not hide the rules added after it", async () => {
    sim = await newSim();
    const headers = await credential(sim, "rapidly");
    await sim.app.request("/__admin/faults", json({ path: "/rapidly/**", delayMs: 100 }));
    await sim.app.request("/__admin/faults", json({ path: "/rapidly/api/customers/", status: 503, times: 1 }));
    const t0 = performance.now();
    const first = await sim.app.request("/rapidly/api/customers/", { headers });
    expect(first.status).toBe(503);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(90);
    expect((await sim.app.request("/rapidly/api/customers/", { headers })).status).toBe(200);
  });
});
