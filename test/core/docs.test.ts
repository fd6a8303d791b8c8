import { afterEach, describe, expect, it } from "vitest";
import { createSimulator, type Simulator } from "../../src/index.js";

let sim: Simulator;
afterEach(async () => sim?.close());

describe("provider docs", () => {
  it("serves an OpenAPI 3.1 document generated from the schemas", async () => {
    sim = await createSimulator();
    const res = await sim.app.request("/rapidly/openapi.json");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/api/customers/", "/api/customers/{id}", "/api/customers/external/{external_id}"]));
    expect(Object.keys(doc.paths["/api/customers/{id}"]!)).toEqual(expect.arrayContaining(["get", "patch", "delete"]));
  });

  it("serves an interactive page that needs nothing from the network", async () => {
    sim = await createSimulator();
    const res = await sim.app.request("/rapidly/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain("Rapidly API");
    expect(html).toContain('fetch("openapi.json")');
    // no script, style, font or image from elsewhere
    expect(html).not.toMatch(/(src|href)=["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/@import|url\(/i);
  });
});
