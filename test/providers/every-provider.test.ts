// What every provider promises, run for each entry of src/app.ts's providers list: a new
// provider passes or fails this file without anyone writing a line of it.
import { Validator } from "@seriousme/openapi-schema-validator";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { loadProviders } from "../../src/app.js";
import { DomainError } from "../../src/core/domain-errors.js";
import type { SimEnv } from "../../src/core/env.js";
import type { FixtureTenant, ProviderSimulator } from "../../src/core/simulator.js";
import type { Simulator } from "../../src/index.js";
import { fixtures, json, newSim } from "../helpers.js";

const providers = await loadProviders();

// spec: simulator.md#limits-every-provider-shares — each provider's own 413 body
const TOO_LARGE: Record<string, unknown> = {
  rapidly: { error: "RequestEntityTooLarge", detail: "Request body too large" },
  flextell: { message: "Request body too large." },
  quentli: { error: { code: "PAYLOAD_TOO_LARGE", message: "Request body too large" } },
  plane: { detail: "Request body too large." },
};

/**
 * What the provider's errors.ts answers for `make(c)`, rendered outside the app for a request
 * of the same method and path (messages may quote them).
 */
async function rendered(
  make: (c: Parameters<ProviderSimulator["errors"]["render"]>[0]) => Response,
  at: { path: string; method?: string } = { path: "/probe" },
): Promise<{ status: number; body: unknown; headers: Headers }> {
  const probe = new Hono<SimEnv>();
  probe.all("*", (c) => make(c));
  const res = await probe.request(at.path, { method: at.method ?? "GET" });
  const text = await res.text();
  return { status: res.status, body: text === "" ? null : JSON.parse(text), headers: res.headers };
}

async function answer(res: Response): Promise<{ status: number; body: unknown }> {
  const text = await res.text();
  return { status: res.status, body: text === "" ? null : JSON.parse(text) };
}

interface Setup {
  sim: Simulator;
  tenant: FixtureTenant;
  headers: Record<string, string>;
  /** the tenant's list path, mount included */
  list: string;
}

async function setup(p: ProviderSimulator, seed = 1): Promise<Setup> {
  const sim = await newSim({ seed });
  const tenant = (await fixtures(sim)).providers[p.name]!.tenants[0] as FixtureTenant;
  const headers = tenant.credentials.find((c) => c.kind === "full")!.headers;
  return { sim, tenant, headers, list: `/${p.name}${p.listPath(tenant)}` };
}

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/** Every value of an `id` key anywhere in a JSON answer, as strings. */
function idsIn(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) idsIn(v, out);
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (k === "id" && (typeof v === "string" || typeof v === "number")) out.push(String(v));
      else idsIn(v, out);
    }
  }
  return out;
}

describe.each(providers.map((p) => [p.name, p] as const))("%s: what every provider promises", (name, p) => {
  it("lists the first fixture tenant's customers with its full credential", async () => {
    const { sim, headers, list } = await setup(p);
    const res = await sim.app.request(list, { headers });
    expect(res.status, await res.clone().text()).toBe(200);
  });

  it("refuses a body over 1 MB with 413 in its own shape, before anything is stored", async () => {
    const { sim, headers, list } = await setup(p);
    const before = await (await sim.app.request(`/__admin/${name}/customers`)).text();
    const big = JSON.stringify({ name: "x".repeat(1_048_577) });
    const res = await sim.app.request(list, { method: "POST", body: big, headers: { ...headers, "Content-Type": "application/json" } });
    expect(TOO_LARGE[name], `simulator.md names no 413 body for "${name}"`).toBeDefined();
    expect(await answer(res)).toEqual({ status: 413, body: TOO_LARGE[name] });
    expect(await (await sim.app.request(`/__admin/${name}/customers`)).text()).toBe(before);
  });

  it("answers an unknown route with its own 404", async () => {
    const { sim, headers } = await setup(p);
    const res = await sim.app.request(`/${name}/no/such/route`, { headers });
    const expected = await rendered((c) => p.errors.render(c, new DomainError("route_not_found")), { path: `/${name}/no/such/route` });
    expect(await answer(res)).toEqual({ status: 404, body: expected.body });
    expect(expected.status).toBe(404);
  });

  it("answers another method on a known path with its own 405", async () => {
    const { sim, headers, list } = await setup(p);
    const allowed: string[] = [];
    for (const method of METHODS) {
      const res = await sim.app.request(list, { method, headers });
      if (res.status !== 405) allowed.push(method);
    }
    expect(allowed).toContain("GET");
    const method = METHODS.find((m) => !allowed.includes(m))!;
    expect(method, "some method must not be allowed on the list path").toBeDefined();
    const res = await sim.app.request(list, { method, headers });
    const expected = await rendered((c) => p.errors.render(c, new DomainError("method_not_allowed", { allow: allowed, method })), { path: list, method });
    expect(await answer(res)).toEqual({ status: 405, body: expected.body });
  });

  it("answers a method outside the usual set (WebDAV's PROPFIND, which node accepts) on a known path with its own 405", async () => {
    const { sim, headers, list } = await setup(p);
    const allowed: string[] = [];
    for (const method of METHODS) if ((await sim.app.request(list, { method, headers })).status !== 405) allowed.push(method);
    const res = await sim.app.request(list, { method: "PROPFIND", headers });
    const expected = await rendered((c) => p.errors.render(c, new DomainError("method_not_allowed", { allow: allowed, method: "PROPFIND" })), { path: list, method: "PROPFIND" });
    expect(await answer(res)).toEqual({ status: 405, body: expected.body });
  });

  it.each([404, 429, 500, 503])("answers a status-only fault %i with its own body for that status", async (status) => {
    const { sim, headers, list } = await setup(p);
    const added = await sim.app.request("/__admin/faults", json({ provider: name, status, times: 1 }));
    expect(added.status).toBe(201);
    const res = await sim.app.request(list, { headers });
    const expected = await rendered((c) => p.errors.forStatus(c, status), { path: list });
    const got = await answer(res);
    expect(got).toEqual({ status, body: expected.body });
    // the provider's own body, not the simulator's generic one
    expect(JSON.stringify(got.body ?? null)).not.toContain('"fault"');
    for (const [header, value] of Object.entries(p.errors.headers ?? {})) expect(res.headers.get(header)).toBe(value);
    // the fault was used up: the next call is served
    expect((await sim.app.request(list, { headers })).status).toBe(200);
  });

  it("resets to the seeded state: made tenants and state changes are gone", async () => {
    const { sim } = await setup(p);
    const seeded = await fixtures(sim);
    const rawBefore = await (await sim.app.request(`/__admin/${name}/customers`)).text();
    expect((await sim.app.request(`/__admin/${name}/tenants`, { method: "POST" })).status).toBe(201);
    const state = await sim.app.request(`/__admin/provider-states?provider=${name}`, json({ state: "a customer exists", params: {} }));
    expect(state.status, await state.clone().text()).toBe(200);
    expect(await (await sim.app.request(`/__admin/${name}/customers`)).text()).not.toBe(rawBefore);
    expect((await sim.app.request("/__admin/reset", json({ provider: name }))).status).toBe(200);
    expect(await fixtures(sim)).toEqual(seeded);
    expect(await (await sim.app.request(`/__admin/${name}/customers`)).text()).toBe(rawBefore);
  });

  it("is deterministic: the same seed gives the same fixtures byte for byte, another seed others", async () => {
    const dump = async (seed: number) => {
      const { sim } = await setup(p, seed);
      const f = await (await sim.app.request("/__admin/fixtures")).json() as { providers: Record<string, unknown> };
      return JSON.stringify(f.providers[name]) + (await (await sim.app.request(`/__admin/${name}/customers`)).text());
    };
    const a = await dump(1);
    expect(await dump(1)).toBe(a);
    expect(await dump(2)).not.toBe(a);
  });

  it("never shows its credential back in the journal", async () => {
    const { sim, headers, list } = await setup(p);
    await sim.app.request("/__admin/requests", { method: "DELETE" });
    await sim.app.request(list, { headers });
    const journal = await (await sim.app.request("/__admin/requests")).text();
    const entry = (JSON.parse(journal) as { requests: { headers: Record<string, string> }[] }).requests.at(-1)!;
    for (const [header, value] of Object.entries(headers)) {
      const secret = /^(authorization|x-api-key|cookie)$/i.test(header);
      if (secret) {
        expect(entry.headers[header.toLowerCase()]).toBe("[redacted]");
        expect(journal).not.toContain(value.replace(/^Bearer /, ""));
      }
    }
  });

  it("journals each list page exactly as it was served (a page kept as its rows' texts)", async () => {
    const { sim, headers, list } = await setup(p);
    await sim.app.request("/__admin/requests", { method: "DELETE" });
    const served: unknown[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await sim.app.request(list, { headers });
      expect(res.status).toBe(200);
      served.push(JSON.parse(await res.text()));
    }
    const journal = (await (await sim.app.request("/__admin/requests")).json()) as { requests: { responseBody: unknown }[] };
    expect(journal.requests.map((r) => r.responseBody)).toEqual(served);
    expect(JSON.stringify(served[0]).length).toBeGreaterThan(100); // a page with rows, not an empty one
  });

  it("serves a valid OpenAPI 3.1 document and a docs page that needs no network", async () => {
    const { sim } = await setup(p);
    const res = await sim.app.request(`/${name}/openapi.json`);
    expect(res.status).toBe(200);
    const doc = await res.json() as { openapi: string; paths: Record<string, unknown>; components?: { securitySchemes?: Record<string, unknown> } };
    expect(doc.openapi).toMatch(/^3\.1\./);
    const result = await new Validator().validate(doc as never);
    expect(result.errors ?? [], JSON.stringify(result.errors)).toEqual([]);
    expect(result.valid).toBe(true);
    expect(Object.keys(doc.paths).length).toBeGreaterThan(0);
    expect(Object.keys(doc.components?.securitySchemes ?? {}).length).toBeGreaterThan(0);
    const page = await sim.app.request(`/${name}/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    const html = await page.text();
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=["']?(https?:)?\/\//i);
  });

  it("isolates a fresh tenant from the fixture tenants, both ways", async () => {
    const { sim, tenant, headers, list } = await setup(p);
    // a customer made in the fixture tenant (a Pact state: it resets the provider first) …
    const state = await (await sim.app.request(`/__admin/provider-states?provider=${name}`, json({ state: "a customer exists", params: {} }))).json() as { id: string | number };
    const made = await sim.app.request(`/__admin/${name}/tenants`, { method: "POST" });
    expect(made.status).toBe(201);
    const fresh = await made.json() as FixtureTenant;
    expect(fresh.customerIds).toEqual([]);
    expect(fresh.id).not.toBe(tenant.id);
    const freshHeaders = fresh.credentials.find((c) => c.kind === "full")!.headers;
    const freshList = `/${name}${p.listPath(fresh)}`;
    expect((await fixtures(sim)).providers[name]!.tenants[0]!.customerIds.map(String)).toContain(String(state.id));
    expect((await sim.app.request(list, { headers })).status).toBe(200);
    // … is not in the fresh tenant's list, nor any fixture customer
    const res = await sim.app.request(freshList, { headers: freshHeaders });
    expect(res.status).toBe(200);
    const shown = idsIn(await res.json());
    for (const id of [state.id, ...tenant.customerIds]) expect(shown).not.toContain(String(id));
    expect((await fixtures(sim)).providers[name]!.tenants.find((t) => t.id === fresh.id)!.customerIds).toEqual([]);
  });
});
