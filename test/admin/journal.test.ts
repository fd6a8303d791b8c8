import { afterEach, describe, expect, it } from "vitest";
import type { Simulator } from "../../src/index.js";
import { credential, json, newSim } from "../helpers.js";

let sim: Simulator;
afterEach(async () => sim?.close());

interface Entry {
  id: number; at: string; method: string; provider: string | null; path: string; query: Record<string, unknown>;
  status: number; durationMs: number; headers: Record<string, string>; requestBody: unknown; responseBody: unknown;
}
const requests = async (query = ""): Promise<Entry[]> =>
  ((await (await sim.app.request(`/__admin/requests${query}`)).json()) as { requests: Entry[] }).requests;

describe("request journal", () => {
  it("records provider calls newest last, with parsed bodies and secrets redacted", async () => {
    sim = await newSim();
    const headers = await credential(sim, "rapidly");
    await sim.app.request("/rapidly/api/customers/?limit=2&sorting=email&sorting=-name", { headers: { ...headers, "X-API-Key": "plane_api_secret" } });
    await sim.app.request("/rapidly/api/customers/", json({ email: "journal@example.com", name: "J" }, headers));
    const all = await requests();
    expect(all).toHaveLength(2);
    const [list, create] = all as [Entry, Entry];
    expect(list.method).toBe("GET");
    expect(list.provider).toBe("rapidly");
    expect(list.path).toBe("/rapidly/api/customers/");
    expect(list.query).toEqual({ limit: "2", sorting: ["email", "-name"] });
    expect(list.status).toBe(200);
    expect(list.headers.authorization).toBe("[redacted]");
    expect(list.headers["x-api-key"]).toBe("[redacted]");
    expect(JSON.stringify(all)).not.toContain(headers.Authorization!.slice(7));
    expect(list.requestBody).toBeNull();
    expect((list.responseBody as { items: unknown[] }).items).toHaveLength(2);
    expect(create.requestBody).toEqual({ email: "journal@example.com", name: "J" });
    expect((create.responseBody as { email: string }).email).toBe("journal@example.com");
    expect(create.status).toBe(201);
    expect(create.id).toBeGreaterThan(list.id);
    expect(typeof create.durationMs).toBe("number");
    expect(Number.isNaN(Date.parse(create.at))).toBe(false);
  });

  it("records error answers and text bodies too, and never the control plane itself", async () => {
    sim = await newSim();
    await sim.app.request("/rapidly/api/customers/", { method: "POST", body: "not json", headers: { "Content-Type": "application/json" } });
    await sim.app.request("/__admin/fixtures");
    const all = await requests();
    expect(all).toHaveLength(1);
    expect(all[0]!.requestBody).toBe("not json");
    expect(all[0]!.status).toBe(422);
    expect(all[0]!.responseBody).toMatchObject({ error: "RequestValidationError" });
  });

  it("filters by provider, method, status and path glob, counts, and clears", async () => {
    sim = await newSim();
    const headers = await credential(sim, "rapidly");
    await sim.app.request("/rapidly/api/customers/", { headers });
    await sim.app.request("/rapidly/api/customers/", { headers: {} });
    await sim.app.request("/rapidly/api/customers/", json({ email: "f@example.com" }, headers));
    await sim.app.request("/elsewhere");
    expect(await requests("?provider=rapidly")).toHaveLength(3);
    expect(await requests("?method=post")).toHaveLength(1);
    expect(await requests("?status=401")).toHaveLength(1);
    expect(await requests("?path=/rapidly/**")).toHaveLength(3);
    expect(await requests("?path=/rapidly/*")).toHaveLength(0);
    expect((await requests("?path=/elsewhere"))[0]!.provider).toBeNull();
    const count = await (await sim.app.request("/__admin/requests/count?provider=rapidly&method=GET")).json();
    expect(count).toEqual({ count: 2 });
    expect((await sim.app.request("/__admin/requests?status=abc")).status).toBe(400);
    expect((await sim.app.request("/__admin/requests", { method: "DELETE" })).status).toBe(204);
    expect(await requests()).toHaveLength(0);
  });

  it("keeps only the newest entries when full", async () => {
    sim = await newSim({ journalSize: 5 });
    const headers = await credential(sim, "rapidly");
    for (let i = 1; i <= 8; i++) await sim.app.request(`/rapidly/api/customers/?page=${i}`, { headers });
    const all = await requests();
    expect(all.map((e) => e.query.page)).toEqual(["4", "5", "6", "7", "8"]);
    expect(await (await sim.app.request("/__admin/requests/count")).json()).toEqual({ count: 5 });
  });
});

describe("request journal over HTTP", () => {
  it("records headers of real requests, secrets redacted", async () => {
    sim = await newSim();
    const { url } = await sim.listen(0);
    const headers = await credential(sim, "rapidly");
    const res = await fetch(`${url}/rapidly/api/customers/?limit=1`, { headers: { ...headers, "X-Trace": "abc" } });
    expect(res.status).toBe(200);
    const [entry] = await requests();
    expect(entry!.headers.authorization).toBe("[redacted]");
    expect(entry!.headers["x-trace"]).toBe("abc");
    expect(entry!.headers.host).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(entry!.path).toBe("/rapidly/api/customers/");
    expect(entry!.query).toEqual({ limit: "1" });
  });
});
