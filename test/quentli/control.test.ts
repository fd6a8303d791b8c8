import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { seedQuentli } from "../../src/fixtures/quentli.js";
import { json } from "../helpers.js";
import { allCustomers, BASE, start } from "./_helpers.js";

describe("errors every route shares", () => {
  it("a body over 1 MB → 413 PAYLOAD_TOO_LARGE, nothing stored", async () => {
    const ctx = await start();
    const big = JSON.stringify({ input: { name: "x".repeat(1_048_600) } });
    const res = await ctx.req(BASE, { method: "POST", body: big, headers: { ...ctx.full, "Content-Type": "application/json" } });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: { code: "PAYLOAD_TOO_LARGE", message: "Request body too large" } });
    expect(await allCustomers(ctx)).toHaveLength(25);
  });

  it("an unknown path → 404 and a known path with another method → 405 with Allow, in the error shape; no delete route", async () => {
    const ctx = await start();
    const nf = await ctx.req("/quentli/v1/invoices", { headers: ctx.full });
    expect(nf.status).toBe(404);
    expect(await nf.json()).toEqual({ error: { code: "NOT_FOUND", message: "Route not found" } });
    const del = await ctx.req(`${BASE}/${ctx.tenants[0]!.customerIds[0]}`, { method: "DELETE", headers: ctx.full });
    expect(del.status).toBe(405);
    expect(del.headers.get("allow")).toBe("GET, PATCH");
    expect(await del.json()).toEqual({ error: { code: "METHOD_NOT_ALLOWED", message: "Method DELETE not allowed" } });
    const put = await ctx.req(BASE, { method: "PUT", headers: ctx.full });
    expect(put.status).toBe(405);
    expect(put.headers.get("allow")).toBe("GET, POST");
    expect(await allCustomers(ctx)).toHaveLength(25);
  });

  it("fault rules with only a status answer in Quentli's shape", async () => {
    const ctx = await start();
    const expected: Record<number, unknown> = {
      401: { error: { code: "UNAUTHORIZED", message: "Invalid or missing API key" } },
      404: { error: { code: "NOT_FOUND", message: "Not found" } },
      429: { error: { code: "RATE_LIMITED", message: "Too many requests" } },
      500: { error: { code: "INTERNAL_SERVER_ERROR", message: "Internal server error" } },
      503: { error: { code: "SERVICE_UNAVAILABLE", message: "Service Unavailable" } },
    };
    for (const [status, body] of Object.entries(expected)) {
      const added = await ctx.req("/__admin/faults", json({ provider: "quentli", status: Number(status), times: 1 }));
      expect(added.status).toBe(201);
      const res = await ctx.req(BASE, { headers: ctx.full });
      expect(res.status).toBe(Number(status));
      expect(await res.json()).toEqual(body);
      if (status === "429") expect(res.headers.get("retry-after")).toBe("60");
    }
    expect((await ctx.req(BASE, { headers: ctx.full })).status).toBe(200);
  });

  it("no rate limit is documented: none with --rate-limits real", async () => {
    const ctx = await start({ rateLimits: "real" });
    for (let i = 0; i < 120; i++) expect((await ctx.req(`${BASE}?take=1`, { headers: ctx.full })).status).toBe(200);
  });
});

describe("fixtures and the control plane", () => {
  it("two organizations of 25 customers, users in refs.userIds, one full key each", async () => {
    const ctx = await start();
    expect(ctx.tenants).toHaveLength(2);
    for (const t of ctx.tenants) {
      expect(t.id).toMatch(/^org_[a-z0-9]{20}$/);
      expect(t.customerIds).toHaveLength(25);
      expect(t.credentials).toEqual([{ kind: "full", headers: { Authorization: expect.stringMatching(/^Bearer sk_[A-Za-z0-9]{40}$/) } }]);
      expect(t.refs.userIds!.length).toBeGreaterThanOrEqual(2);
    }
    const customers = await allCustomers(ctx);
    expect(customers.some((c) => c.tags.length > 0)).toBe(true);
    expect(customers.some((c) => c.metadata.length > 0)).toBe(true);
    expect(customers.some((c) => c.optedInWhatsappAt !== null && c.startedWhatsappAt! < c.optedInWhatsappAt)).toBe(true);
    // fixtures obey the API's own rules
    const raw = (await ctx.raw()) as any[];
    for (const c of raw) {
      expect(c.phoneNumber).toMatch(/^\+[1-9]\d{7,14}$/);
      if (c.assigneeId !== null) expect(ctx.tenants.find((t) => t.id === c.organizationId)!.refs.userIds).toContain(c.assigneeId);
    }
  });

  it("deterministic: the same seed gives the same document byte for byte, another seed another", () => {
    expect(JSON.stringify(seedQuentli(1))).toBe(JSON.stringify(seedQuentli(1)));
    expect(JSON.stringify(seedQuentli(2))).not.toBe(JSON.stringify(seedQuentli(1)));
  });

  it("the default seed's credentials are the documented ones", async () => {
    const ctx = await start();
    expect(ctx.tenants.map((t) => [t.name, t.credentials[0]!.headers.Authorization])).toEqual([
      ["Howell - Tromp", "Bearer sk_tAzxrrtd3DgTmjQU52cmQNgfReQq5tCMRahQKkjV"],
      ["Cole LLC", "Bearer sk_6LOjkg9Hgob2aC5pDLeUdb9lTwdfIpvJw4D9mROV"],
    ]);
  });

  it("reset restores the seeded state", async () => {
    const ctx = await start();
    const before = JSON.stringify(await ctx.raw());
    await ctx.send("POST", BASE, { input: { name: "Temp" } });
    await ctx.send("PATCH", `${BASE}/${ctx.tenants[0]!.customerIds[0]}`, { input: { data: { name: "Changed" } } });
    expect(JSON.stringify(await ctx.raw())).not.toBe(before);
    expect((await ctx.req("/__admin/reset", json({ provider: "quentli" }))).status).toBe(200);
    expect(JSON.stringify(await ctx.raw())).toBe(before);
  });

  it("DELETE /__admin/quentli/tenants/{id}: 204 for a made one (its key is then unknown), 409 fixture, 404 unknown", async () => {
    const ctx = await start();
    const tenant = (await (await ctx.req("/__admin/quentli/tenants", { method: "POST" })).json()) as any;
    const headers = tenant.credentials[0].headers;
    expect((await ctx.send("POST", BASE, { input: { name: "Temp" } }, headers)).status).toBe(201);
    expect((await ctx.req(`/__admin/quentli/tenants/${tenant.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await ctx.req(BASE, { headers })).status).toBe(401);
    expect(((await ctx.raw()) as any[]).some((c) => c.organizationId === tenant.id)).toBe(false);
    expect((await ctx.req(`/__admin/quentli/tenants/${ctx.tenants[0]!.id}`, { method: "DELETE" })).status).toBe(409);
    expect((await ctx.req(`/__admin/quentli/tenants/${tenant.id}`, { method: "DELETE" })).status).toBe(404);
  });

  it("the journal records the request's organization and redacts the key", async () => {
    const ctx = await start();
    await ctx.req(BASE, { headers: ctx.full });
    const res = await ctx.req("/__admin/requests?provider=quentli");
    const entries = ((await res.json()) as any).requests;
    const last = entries[entries.length - 1];
    expect(JSON.stringify(last)).not.toContain(ctx.full.Authorization!.slice(7));
    expect(last.tenant).toBe(ctx.tenants[0]!.id);
    expect(last.headers.authorization).toBe("[redacted]");
    await ctx.req(BASE, { headers: { Authorization: "Bearer sk_unknown" } });
    const unknown = ((await (await ctx.req("/__admin/requests?provider=quentli")).json()) as any).requests.at(-1);
    expect(unknown.status).toBe(401);
    expect(unknown.tenant).toBeNull();
  });

  it("--data keeps customers and made organizations across restarts", async () => {
    const dir = await mkdtemp(join(tmpdir(), "quentli-data-"));
    try {
      const data = join(dir, "state.json");
      const first = await start({ data });
      const created = ((await (await first.send("POST", BASE, { input: { name: "Durable", email: "durable@example.com" } })).json()) as any).customer;
      const tenant = (await (await first.req("/__admin/quentli/tenants", { method: "POST" })).json()) as any;
      await first.sim.close();
      const second = await start({ data });
      expect((await second.getJson(`${BASE}/${created.id}`)).body).toEqual(created);
      expect((await second.req(BASE, { headers: tenant.credentials[0].headers })).status).toBe(200);
      // the unique index is rebuilt from the file
      expect((await second.send("POST", BASE, { input: { name: "Again", email: "DURABLE@example.com" } })).status).toBe(409);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("/quentli/openapi.json (OpenAPI 3.1, bearer) and /quentli/docs", async () => {
    const ctx = await start();
    const doc = (await ctx.getJson("/quentli/openapi.json")).body;
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(["/v1/customers", "/v1/customers/{id}"]);
    expect(doc.components.securitySchemes.organization_key).toMatchObject({ type: "http", scheme: "bearer" });
    expect(doc.components.schemas.CustomerUpdate.properties.input.properties.data.properties).toHaveProperty("assigneeId");
    const docs = await ctx.req("/quentli/docs");
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain("Quentli");
  });
});
