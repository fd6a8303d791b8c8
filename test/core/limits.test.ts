import { afterEach, describe, expect, it } from "vitest";
import { createSimulator, type Simulator } from "../../src/index.js";
import { credential, fixtures } from "../helpers.js";

let sim: Simulator;
afterEach(async () => sim?.close());

const TOO_LARGE = { error: "RequestEntityTooLarge", detail: "Request body too large" };

describe("request body limit (1 MB)", () => {
  it("refuses a body over 1,048,576 bytes with 413 in Rapidly's shape, storing nothing", async () => {
    sim = await createSimulator();
    const headers = await credential(sim, "rapidly");
    const before = await fixtures(sim);
    const body = JSON.stringify({ email: "big@example.com", name: "x".repeat(1_048_576) });
    const res = await sim.app.request("/rapidly/api/customers/", { method: "POST", body, headers: { ...headers, "Content-Type": "application/json" } });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual(TOO_LARGE);
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    expect(await fixtures(sim)).toEqual(before);
  });

  it("refuses on the declared length alone, before reading", async () => {
    sim = await createSimulator();
    const res = await sim.app.request("/rapidly/api/customers/", { method: "POST", body: "{}", headers: { "Content-Type": "application/json", "Content-Length": "2000000" } });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual(TOO_LARGE);
  });

  it("counts a streamed body without a length as it arrives", async () => {
    sim = await createSimulator();
    const headers = await credential(sim, "rapidly");
    const chunk = new TextEncoder().encode("x".repeat(64 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 40) return controller.close();
        sent++;
        controller.enqueue(chunk);
      },
    });
    const res = await sim.app.request("/rapidly/api/customers/", {
      method: "POST", body: stream, headers: { ...headers, "Content-Type": "application/json" }, duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual(TOO_LARGE);
    expect(sent).toBeLessThan(40);
  });

  it("accepts a body just under the limit (it is then judged on its content)", async () => {
    sim = await createSimulator();
    const headers = await credential(sim, "rapidly");
    const body = JSON.stringify({ email: "ok@example.com", metadata: { k: "v" }, pad: "x".repeat(1_000_000) });
    const res = await sim.app.request("/rapidly/api/customers/", { method: "POST", body, headers: { ...headers, "Content-Type": "application/json" } });
    expect(res.status).toBe(201);
  });
});
