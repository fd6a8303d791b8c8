// Routing and transport-level errors: slashes, unknown paths, methods, bodies, limits.
import { describe, expect, it } from "vitest";
import { PAGE_NOT_FOUND, raw, start } from "./_helpers.js";

describe("plane HTTP (spec: plane.md#routes, simulator.md#limits-every-provider-shares)", () => {
  it("a path without its trailing slash → 301 to the slashed path, the query string kept", async () => {
    const ctx = await start();
    const id = ctx.tenants[0]!.customerIds[0]!;
    const list = await ctx.req(`${ctx.base}?query=a&per_page=5`, { headers: ctx.full });
    expect(list.status).toBe(301);
    expect(list.headers.get("location")).toBe(`${ctx.base}/?query=a&per_page=5`);
    const detail = await ctx.req(`${ctx.base}/${id}`, { method: "PATCH", headers: ctx.full });
    expect(detail.status).toBe(301);
    expect(detail.headers.get("location")).toBe(`${ctx.base}/${id}/`);
    expect((await ctx.req(`${ctx.base}/not-a-uuid`, { headers: ctx.full })).status).toBe(404);
  });

  it("unknown paths → Django's 404 {error: Page not found.}", async () => {
    const ctx = await start();
    for (const path of ["/plane/api/v1/nothing/", `${ctx.base}/x/y/`, "/plane/"]) {
      const res = await ctx.req(path, { headers: ctx.full });
      expect(res.status, path).toBe(404);
      expect(await res.json()).toEqual(PAGE_NOT_FOUND);
    }
  });

  it("another method on a known path → 405 DRF's detail and Allow", async () => {
    const ctx = await start();
    const res = await ctx.send("PUT", `${ctx.base}/`, { name: "x" });
    expect(res.status).toBe(405);
    expect(await res.json()).toEqual({ detail: 'Method "PUT" not allowed.' });
    expect(res.headers.get("allow")).toBe("GET, POST, DELETE");
    const detail = await ctx.send("POST", `${ctx.base}/${ctx.tenants[0]!.customerIds[0]}/`, { name: "x" });
    expect(detail.status).toBe(405);
    expect(await detail.json()).toEqual({ detail: 'Method "POST" not allowed.' });
    expect(detail.headers.get("allow")).toBe("GET, PATCH, DELETE");
  });

  it("another method is answered after DRF's authentication and throttling: 401/403 without a good credential, 405 with one (any workspace, any role)", async () => {
    const ctx = await start();
    const id = ctx.tenants[0]!.customerIds[0]!;
    for (const [method, path] of [["PUT", `${ctx.base}/`], ["POST", `${ctx.base}/${id}/`], ["PROPFIND", `${ctx.base}/`]] as const) {
      const none = await ctx.req(path, { method });
      expect(none.status, `${method} ${path}`).toBe(401);
      expect(await none.json()).toEqual({ detail: "Authentication credentials were not provided." });
      const unknown = await ctx.req(path, { method, headers: { "X-API-Key": `plane_api_${"0".repeat(32)}` } });
      expect(unknown.status).toBe(403);
      expect(await unknown.json()).toEqual({ detail: "Given API token is not valid" });
      // (the workspace and the role are the handler's checks: a 405 comes before them)
      for (const headers of [ctx.full, ctx.member, ctx.other, ctx.readOnly]) {
        const res = await ctx.req(path, { method, headers });
        expect(res.status).toBe(405);
        expect(await res.json()).toEqual({ detail: `Method "${method}" not allowed.` });
      }
    }
  });

  it("the simulator's own /openapi.json and /docs (not DRF views) answer another method 405 without a key, counting nothing", async () => {
    const ctx = await start({ rateLimits: "real" });
    for (const [method, path] of [["PUT", "/plane/openapi.json"], ["POST", "/plane/docs"], ["DELETE", "/plane/docs/assets/x.css"]] as const) {
      const res = await ctx.req(path, { method });
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(await res.json()).toEqual({ detail: `Method "${method}" not allowed.` });
    }
    const keyed = await ctx.req("/plane/openapi.json", { method: "PUT", headers: ctx.full });
    expect(keyed.status).toBe(405);
    expect(keyed.headers.get("x-ratelimit-remaining")).toBe(null);
    expect((await ctx.req(`${ctx.base}/`, { headers: ctx.full })).headers.get("x-ratelimit-remaining")).toBe("59");
  });

  it("--rate-limits real: a 405 counts against the key and carries X-RateLimit-*; past the limit it is the 429", async () => {
    const ctx = await start({ rateLimits: "real" });
    const first = await ctx.req(`${ctx.base}/`, { method: "PUT", headers: ctx.full });
    expect(first.status).toBe(405);
    expect(first.headers.get("x-ratelimit-remaining")).toBe("59");
    for (let i = 0; i < 59; i++) expect((await ctx.req(`${ctx.base}/`, { headers: ctx.full })).status).toBe(200);
    const blocked = await ctx.req(`${ctx.base}/`, { method: "PUT", headers: ctx.full });
    expect(blocked.status).toBe(429);
    expect(await blocked.json()).toEqual({ error_code: 5900, error_message: "RATE_LIMIT_EXCEEDED" });
  });

  it("malformed JSON → 400 JSON parse error with CPython's message; nothing stored", async () => {
    const ctx = await start();
    const before = await raw(ctx);
    const id = ctx.tenants[0]!.customerIds[0]!;
    const cases: [string, string][] = [
      ["nope", "Expecting value: line 1 column 1 (char 0)"],
      ['{"name": "x",}', "Illegal trailing comma before end of object: line 1 column 13 (char 12)"],
      ['{"name":\n "x" "y"}', "Expecting ',' delimiter: line 2 column 6 (char 14)"],
    ];
    for (const [text, reason] of cases) {
      for (const res of [await ctx.send("POST", `${ctx.base}/`, text), await ctx.send("PATCH", `${ctx.base}/${id}/`, text)]) {
        expect(res.status).toBe(400);
        expect(await res.json()).toEqual({ detail: `JSON parse error - ${reason}` });
      }
    }
    expect(await raw(ctx)).toEqual(before);
  });

  it("no Content-Type is DRF's empty data; another media type → 415", async () => {
    const ctx = await start();
    // (bytes: fetch gives a string body a text/plain type)
    const none = await ctx.req(`${ctx.base}/`, { method: "POST", body: new TextEncoder().encode('{"name":"x"}'), headers: ctx.full });
    expect(none.status).toBe(400);
    expect(await none.json()).toEqual({ name: ["This field is required."] });
    const text = await ctx.req(`${ctx.base}/`, { method: "POST", body: "name=x", headers: { ...ctx.full, "Content-Type": "text/plain" } });
    expect(text.status).toBe(415);
    expect(await text.json()).toEqual({ detail: 'Unsupported media type "text/plain" in request.' });
  });

  it("a body over 1 MB → 413 {detail: Request body too large.}", async () => {
    const ctx = await start();
    const res = await ctx.send("POST", `${ctx.base}/`, { name: "x".repeat(1_100_000) });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ detail: "Request body too large." });
  });

  it("status-only faults answer with Plane's bodies", async () => {
    const ctx = await start();
    const expected: Record<number, unknown> = {
      401: { detail: "Authentication credentials were not provided." },
      404: { error: "The requested resource does not exist." },
      429: { error_code: 5900, error_message: "RATE_LIMIT_EXCEEDED" },
      500: { error: "Something went wrong please try again later" },
      503: { detail: "Service temporarily unavailable, try again later." },
    };
    for (const [status, body] of Object.entries(expected)) {
      await ctx.req("/__admin/faults", { method: "DELETE" });
      await ctx.req("/__admin/faults", { method: "POST", body: JSON.stringify({ provider: "plane", status: Number(status) }), headers: { "Content-Type": "application/json" } });
      const res = await ctx.req(`${ctx.base}/`, { headers: ctx.full });
      expect(res.status).toBe(Number(status));
      expect(await res.json()).toEqual(body);
    }
  });

  it("openapi.json is OpenAPI 3.1 with the X-API-Key scheme; /docs serves a page", async () => {
    const ctx = await start();
    const doc = (await ctx.getJson("/plane/openapi.json", {})).body;
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.components.securitySchemes.api_key).toEqual(expect.objectContaining({ type: "apiKey", in: "header", name: "X-API-Key" }));
    expect(Object.keys(doc.paths)).toEqual(["/api/v1/workspaces/{slug}/customers/", "/api/v1/workspaces/{slug}/customers/{pk}/"]);
    expect(doc.components.schemas.CustomerWrite.properties.name).toMatchObject({ type: "string", maxLength: 255 });
    const page = await ctx.req("/plane/docs");
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Plane");
  });
});
