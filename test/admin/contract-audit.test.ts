// Rules of simulator.md found broken by the contract audit, each through the real app (or the
// real CLI): hostile globs, fault rules HTTP cannot send, empty environment variables.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createSimulator, ControlPlaneError, type Simulator } from "../../src/index.js";

let sim: Simulator;
beforeAll(async () => {
  sim = await createSimulator();
});
afterAll(() => sim.close());
afterEach(() => {
  sim.faults.clear();
  sim.clearRequests();
});

const json = (body: unknown) => ({ method: "POST", body: JSON.stringify(body), headers: { "Content-Type": "application/json" } });

describe("path globs (simulator.md: `*` = one segment, `**` = zero or more)", () => {
  // A backtracking RegExp took seconds to minutes on each of these, blocking the server.
  const hostile = ["/" + "*".repeat(30) + "x", "/" + "*a".repeat(12) + "*b", "/" + Array(16).fill("**").join("/") + "/x"];
  const longPath = `/rapidly/${"a".repeat(60)}/${Array(30).fill("a").join("/")}`;

  it("a journal filter with many stars answers at once", async () => {
    await sim.app.request(longPath);
    await sim.app.request("/rapidly/" + "a".repeat(60));
    for (const glob of hostile) {
      const started = performance.now();
      const res = await sim.app.request(`/__admin/requests/count?path=${encodeURIComponent(glob)}`);
      expect(await res.json()).toEqual({ count: 0 });
      expect(performance.now() - started, glob).toBeLessThan(500);
    }
  });

  it("a fault rule with many stars does not stall the requests it looks at", async () => {
    for (const glob of hostile) sim.faults.add({ path: glob, status: 503 });
    const started = performance.now();
    expect((await sim.app.request(longPath)).status).toBe(404);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it("keeps its meaning", async () => {
    await sim.app.request("/rapidly/api/customers/");
    await sim.app.request("/rapidly/api/customers/abc/");
    const count = async (glob: string) => ((await (await sim.app.request(`/__admin/requests/count?path=${encodeURIComponent(glob)}`)).json()) as { count: number }).count;
    expect(await count("/rapidly/api/customers")).toBe(1); // one trailing "/" past the glob
    expect(await count("/rapidly/api/customers/*")).toBe(1); // a customer, not the list "/customers/"
    expect(await count("/rapidly/**")).toBe(2);
    expect(await count("/rapidly/**/abc")).toBe(1);
    expect(await count("/rapidly/*/c*s/**")).toBe(2);
    expect(await count("/rapidly/api/c*x*s/")).toBe(0);
    expect(await count("/*/api/customers/a*c")).toBe(1);
    expect(await count("/rapidly/api/customers/*/*")).toBe(0);
  });
});

describe("fault rules HTTP cannot send are refused when added (was: a 500 on every matching request)", () => {
  const refused: [string, unknown][] = [
    ["a 1xx status", { status: 101 }],
    ["status 100", { status: 100 }],
    ["a header name with a space", { status: 500, headers: { "bad name": "x" } }],
    ["a header value with a newline", { status: 500, headers: { "X-A": "a\nb" } }],
    ["a header value beyond Latin-1", { status: 500, headers: { "X-A": "€" } }],
    ["Content-Length", { status: 500, headers: { "content-length": "5" } }],
    ["Transfer-Encoding", { status: 500, headers: { "Transfer-Encoding": "chunked" } }],
    ["a body on a 204", { status: 204, body: { a: 1 } }],
    ["a body on a 304", { status: 304, body: "x" }],
  ];
  it.each(refused)("%s: 400, nothing added", async (_, rule) => {
    const res = await sim.app.request("/__admin/faults", json({ path: "/rapidly/**", ...(rule as object) }));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: "bad_request", message: expect.stringMatching(/^Not a fault rule: /) });
    expect(() => sim.faults.add({ path: "/rapidly/**", ...(rule as object) })).toThrow(ControlPlaneError);
    expect(sim.faults.list()).toEqual([]);
    expect((await sim.app.request("/rapidly/api/customers/")).status).toBe(401);
  });

  it("still takes what HTTP can carry", async () => {
    const res = await sim.app.request("/__admin/faults", json({ path: "/rapidly/x", status: 200, headers: { "Retry-After": "3", "X-Note": "café\tok" } }));
    expect(res.status).toBe(201);
    const hit = await sim.app.request("/rapidly/x");
    expect(hit.status).toBe(200);
    expect(hit.headers.get("x-note")).toBe("café\tok");
  });

  it.each([204, 205, 304])("a bare %i answers with no body in every provider", async (status) => {
    for (const provider of ["rapidly", "flextell", "quentli", "plane"]) {
      sim.faults.add({ provider, status, headers: { "X-Fault": "1" } });
      const res = await sim.app.request(`/${provider}/anything`);
      expect(res.status, provider).toBe(status);
      expect(await res.text(), provider).toBe("");
      expect(res.headers.get("x-fault")).toBe("1");
      sim.faults.clear();
    }
    expect(sim.requests({ status }).length).toBe(4);
  });
});

describe("POST /__admin/reset", () => {
  it("refuses a field it does not know (a typo of seed was a reset to the current seed, 200)", async () => {
    const customers = await (await sim.app.request("/__admin/rapidly/customers")).json();
    const res = await sim.app.request("/__admin/reset", json({ sed: 7 }));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: "bad_request", issues: [{ code: "unrecognized_keys", keys: ["sed"] }] });
    expect(sim.fixtures().seed).toBe(1);
    expect(await (await sim.app.request("/__admin/rapidly/customers")).json()).toEqual(customers);
    expect((await sim.app.request("/__admin/reset", json({ provider: "rapidly", seed: 1 }))).status).toBe(200);
  });
});
