import { afterEach, describe, expect, it } from "vitest";
import type { Simulator } from "../../src/index.js";
import { credential, fixtures, json, newSim } from "../helpers.js";

let sim: Simulator;
afterEach(async () => sim?.close());

const UUID4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

type Values = Record<string, unknown> & { id: string; token: string; tenant: string };

async function change(body: unknown, provider = "rapidly", headers: Record<string, string> = {}): Promise<Response> {
  return sim.app.request(`/__admin/provider-states?provider=${provider}`, json(body, headers));
}

async function setup(state: string, params?: unknown): Promise<Values> {
  const res = await change({ state, params, action: "setup" });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Values;
}

const auth = (v: Values) => ({ Authorization: `Bearer ${v.token}` });

async function getCustomer(v: Values, id = v.id) {
  const res = await sim.app.request(`/rapidly/api/customers/${id}`, { headers: auth(v) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe("POST /__admin/provider-states (Rapidly)", () => {
  it("takes the Pact provider name (rapidly-api) as well as the simulator's", async () => {
    sim = await newSim();
    const res = await change({ state: "no customer exists", action: "setup" }, "rapidly-api");
    expect(res.status).toBe(200);
    expect(((await res.json()) as Values).id).toMatch(UUID4);
  });

  it("'a customer exists' makes the customer in the first fixture tenant, reachable with the returned token", async () => {
    sim = await newSim();
    const first = (await fixtures(sim)).providers.rapidly!.tenants[0]!;
    const params = { email: "pact.one@example.com", name: "  Pat Act ", external_id: "pact_1", metadata: { plan: "pro", seats: 3 }, billing_address: { country: "FR", city: "Paris" } };
    const v = await setup("a customer exists", params);
    expect(v.id).toMatch(UUID4);
    expect(v.tenant).toBe(first.id);
    expect(`Bearer ${v.token}`).toBe(first.credentials.find((c) => c.kind === "full")!.headers.Authorization);
    // what was set, as stored (name stripped as the API does)
    expect(v).toMatchObject({ email: "pact.one@example.com", name: "Pat Act", external_id: "pact_1", metadata: { plan: "pro", seats: 3 } });
    expect(v.billing_address).toMatchObject({ country: "FR", city: "Paris" });
    expect(Object.keys(v).sort()).toEqual(["billing_address", "email", "external_id", "id", "metadata", "name", "readOnlyToken", "tenant", "token"]);

    const got = await getCustomer(v);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ id: v.id, email: "pact.one@example.com", name: "Pat Act", external_id: "pact_1", workspace_id: first.id, type: "individual", metadata: { plan: "pro", seats: 3 } });
    const byExternal = await sim.app.request("/rapidly/api/customers/external/pact_1", { headers: auth(v) });
    expect(byExternal.status).toBe(200);
    // the seeded customers are all still there, plus this one
    expect((await fixtures(sim)).providers.rapidly!.tenants[0]!.customerIds).toHaveLength(26);
  });

  it("generates a deterministic email when none is given, and works with no params at all", async () => {
    sim = await newSim();
    const a = await setup("a customer exists");
    expect(a.email).toMatch(/^customer\.[0-9a-f]{10}@example\.com$/);
    expect((await getCustomer(a)).body.email).toBe(a.email);
    const b = await setup("a customer exists", {});
    expect(b).toEqual(a);
  });

  it("'no customer exists' gives a well-formed UUID v4 that is found nowhere", async () => {
    sim = await newSim();
    const v = await setup("no customer exists");
    expect(v.id).toMatch(UUID4);
    const got = await getCustomer(v);
    expect(got.status).toBe(404);
    expect(got.body).toEqual({ error: "ResourceNotFound", detail: "Not found" });
    const raw = (await (await sim.app.request("/__admin/rapidly/customers")).json()) as { customers: { id: string }[] };
    expect(raw.customers.map((c) => c.id)).not.toContain(v.id);
    expect((await sim.app.request(`/rapidly/api/customers/${v.id}`, { method: "DELETE", headers: auth(v) })).status).toBe(404);
  });

  it("'two customers exist' makes both; PATCHing the first with the second's email is the duplicate-email 422", async () => {
    sim = await newSim();
    const v = await setup("two customers exist", { first: { email: "first@example.com", name: "First" }, second: { email: "second@example.com" } });
    expect(v.id).toMatch(UUID4);
    expect(v.otherId).toMatch(UUID4);
    expect(v.otherId).not.toBe(v.id);
    expect(v).toMatchObject({ email: "first@example.com", otherEmail: "second@example.com" });
    expect((await getCustomer(v)).body).toMatchObject({ email: "first@example.com", name: "First" });
    expect((await getCustomer(v, v.otherId as string)).body).toMatchObject({ email: "second@example.com" });

    const res = await sim.app.request(`/rapidly/api/customers/${v.id}`, json({ email: "second@example.com" }, auth(v), "PATCH"));
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({
      error: "RapidlyRequestValidationError",
      detail: [{ type: "value_error", loc: ["body", "email"], msg: "A customer with this email address already exists.", input: "second@example.com" }],
    });
  });

  it("'two customers exist' without params generates two distinct emails; a shared email is refused", async () => {
    sim = await newSim();
    const v = await setup("two customers exist");
    expect(v.email).not.toBe(v.otherEmail);
    expect((await getCustomer(v, v.otherId as string)).status).toBe(200);

    const res = await change({ state: "two customers exist", params: { first: { email: "same@example.com" }, second: { email: "SAME@example.com" } } });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; message: string };
    expect(body.error).toBe("bad_request");
    expect(body.message).toBe("params.second.email: A customer with this email address already exists.");
    // a refused setup leaves the seeded state, not half of it
    expect((await fixtures(sim)).providers.rapidly!.tenants[0]!.customerIds).toHaveLength(25);
  });

  it("'a team customer exists' is a team customer; params override fields", async () => {
    sim = await newSim();
    const v = await setup("a team customer exists", { name: "Acme Team" });
    expect(v).toMatchObject({ type: "team", name: "Acme Team" });
    const got = await getCustomer(v);
    expect(got.body).toMatchObject({ type: "team", name: "Acme Team", email: v.email });
    expect(got.body.members).toEqual([expect.objectContaining({ role: "owner", email: v.email })]);
    // a team cannot be downgraded, as the API says
    const res = await sim.app.request(`/rapidly/api/customers/${v.id}`, json({ type: "individual" }, auth(v), "PATCH"));
    expect(res.status).toBe(422);
  });

  it("'a customer with an external id exists' generates one, or takes the param's", async () => {
    sim = await newSim();
    const v = await setup("a customer with an external id exists");
    expect(v.external_id).toMatch(/^ext_[0-9A-Za-z]{12}$/);
    const res = await sim.app.request(`/rapidly/api/customers/external/${v.external_id as string}`, { headers: auth(v) });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { id: string }).id).toBe(v.id);

    const given = await setup("a customer with an external id exists", { external_id: "crm-42", email: "crm@example.com" });
    expect(given).toMatchObject({ external_id: "crm-42", email: "crm@example.com" });
    expect((await getCustomer(given)).body).toMatchObject({ external_id: "crm-42" });
    const nulled = await setup("a customer with an external id exists", { external_id: null });
    expect(nulled.external_id).toMatch(/^ext_/);
  });

  it("every setup first resets the provider: a customer created before it is gone", async () => {
    sim = await newSim();
    const headers = await credential(sim, "rapidly");
    const before: string[] = [];
    for (const email of ["before@example.com", "other.before@example.com"]) {
      const created = await sim.app.request("/rapidly/api/customers/", json({ email }, headers));
      expect(created.status).toBe(201);
      before.push(((await created.json()) as { id: string }).id);
    }
    // without the reset this email would be a conflict
    const v = await setup("a customer exists", { email: "before@example.com" });
    expect((await getCustomer(v)).body.email).toBe("before@example.com");
    // (a reset restarts the id sequence: the state's customer takes the first id made after it)
    expect(v.id).toBe(before[0]);
    expect((await getCustomer(v, before[1])).status).toBe(404);
    const list = (await (await sim.app.request("/rapidly/api/customers/?query=before", { headers: auth(v) })).json()) as { items: { id: string }[] };
    expect(list.items.map((i) => i.id)).toEqual([v.id]);
    expect((await fixtures(sim)).providers.rapidly!.tenants[0]!.customerIds).toHaveLength(26);
    // and a second setup removes the first state's customer
    const w = await setup("no customer exists");
    expect((await getCustomer(w, v.id)).status).toBe(404);
    expect((await fixtures(sim)).providers.rapidly!.tenants[0]!.customerIds).toHaveLength(25);
  });

  it("is deterministic: the same state and params give the same values, also in a new simulator", async () => {
    sim = await newSim();
    for (const [state, params] of [
      ["a customer exists", { name: "Same" }],
      ["no customer exists", undefined],
      ["two customers exist", {}],
      ["a team customer exists", undefined],
      ["a customer with an external id exists", undefined],
    ] as const) {
      const a = await setup(state, params);
      const b = await setup(state, params);
      expect(b, state).toEqual(a);
    }
    const a = await setup("a customer exists", { name: "Same" });
    await sim.close();
    sim = await newSim();
    expect(await setup("a customer exists", { name: "Same" })).toEqual(a);
  });

  it("answers teardown and an empty or absent state with {} and changes nothing", async () => {
    sim = await newSim();
    const v = await setup("a customer exists");
    for (const body of [
      { state: "a customer exists", action: "teardown" },
      { state: "no such state", params: { x: 1 }, action: "teardown" },
      { state: "" },
      { state: null, action: "setup" },
      {},
    ]) {
      const res = await change(body);
      expect(res.status, JSON.stringify(body)).toBe(200);
      expect(await res.json()).toEqual({});
    }
    const empty = await sim.app.request("/__admin/provider-states?provider=rapidly", { method: "POST" });
    expect(empty.status).toBe(200);
    expect(await empty.json()).toEqual({});
    expect((await getCustomer(v)).status).toBe(200);
  });

  it("refuses unknown providers, unknown states, bad actions, bad JSON and bad params with 404/400", async () => {
    sim = await newSim();
    const v = await setup("a customer exists", { email: "kept@example.com" });

    let res = await change({ state: "a customer exists" }, "nope");
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: "not_found", message: expect.stringContaining('Unknown provider "nope"') });
    res = await sim.app.request("/__admin/provider-states", json({ state: "a customer exists" }));
    expect(res.status).toBe(404);

    res = await change({ state: "a unicorn exists" });
    expect(res.status).toBe(400);
    const unknown = (await res.json()) as { error: string; message: string };
    expect(unknown.error).toBe("bad_request");
    for (const s of ["a customer exists", "no customer exists", "two customers exist", "a team customer exists", "a customer with an external id exists"]) {
      expect(unknown.message).toContain(`"${s}"`);
    }

    res = await sim.app.request("/__admin/provider-states?provider=rapidly", { method: "POST", body: "{oops", headers: { "Content-Type": "application/json" } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe("bad_request");
    expect((await change({ state: "a customer exists", action: "verify" })).status).toBe(400);
    expect((await change({ state: "a customer exists", params: [1, 2] })).status).toBe(400);
    expect((await change([1])).status).toBe(400);

    // params the API would refuse, with the API's (Pydantic) messages
    res = await change({ state: "a customer exists", params: { email: "not-an-email" } });
    expect(res.status).toBe(400);
    let body = (await res.json()) as { message: string; issues: { loc: string[]; type: string }[] };
    expect(body.message).toMatch(/^params\.email: value is not a valid email address: /);
    expect(body.issues[0]).toMatchObject({ loc: ["params", "email"], type: "value_error" });

    res = await change({ state: "a customer exists", params: { type: "company", name: 5 } });
    expect(res.status).toBe(400);
    body = (await res.json()) as { message: string; issues: { loc: string[]; type: string }[] };
    expect(body.message).toContain("params.name: Input should be a valid string");
    expect(body.message).toContain("params.type: Input should be 'individual' or 'team'");

    // an email of a seeded customer of that tenant is a conflict
    const seeded = (await fixtures(sim)).providers.rapidly!.tenants[0]!.customerIds[0]!;
    const taken = (await getCustomer(v, seeded)).body.email as string;
    res = await change({ state: "a customer exists", params: { email: taken.toUpperCase() } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toBe("params.email: A customer with this email address already exists.");

    // fields the customer does not have
    res = await change({ state: "a customer exists", params: { id: "x", emial: "a@example.com" } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(/unknown fields "id", "emial"/);
    expect((await change({ state: "two customers exist", params: { first: "x" } })).status).toBe(400);
    expect((await change({ state: "no customer exists", params: { email: "a@example.com" } })).status).toBe(400);

    // unknown state/provider changed nothing; refused params left the seeded state
    const f = (await fixtures(sim)).providers.rapidly!.tenants[0]!;
    expect(f.customerIds).toHaveLength(25);
    expect(f.customerIds).not.toContain(v.id);
  });

  it("is behind the admin token when one is set", async () => {
    sim = await newSim({ adminToken: "s3cret" });
    expect((await change({ state: "a customer exists" })).status).toBe(401);
    expect((await change({ state: "a customer exists" }, "rapidly", { Authorization: "Bearer nope" })).status).toBe(401);
    const res = await change({ state: "a customer exists" }, "rapidly", { Authorization: "Bearer s3cret" });
    expect(res.status).toBe(200);
    const v = (await res.json()) as Values;
    expect((await getCustomer(v)).status).toBe(200);
  });

  it("is also a runtime method for in-process use", async () => {
    sim = await newSim();
    const v = (await sim.runtime.applyState("rapidly", "a customer exists", { email: "lib@example.com" })) as Values;
    expect((await getCustomer(v)).body.email).toBe("lib@example.com");
    await expect(sim.runtime.applyState("rapidly", "nope")).rejects.toMatchObject({ name: "ProviderStateError", status: 400 });
    await expect(sim.runtime.applyState("nope", "a customer exists")).rejects.toMatchObject({ status: 404 });
  });
});
