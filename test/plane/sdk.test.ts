// End to end: Plane's official Node SDK, unchanged, against a listening simulator.
import sdk from "@makeplane/plane-node-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSimulator, type Simulator } from "../../src/index.js";
import { fixtures } from "../helpers.js";

const { PlaneClient, HttpError } = sdk;

let sim: Simulator;
let baseUrl: string;
let slug: string;
let apiKey: string;

beforeAll(async () => {
  sim = await createSimulator();
  const { port } = await sim.listen(0);
  baseUrl = `http://127.0.0.1:${port}/plane`;
  const tenant = (await fixtures(sim)).providers.plane!.tenants[0]!;
  slug = tenant.slug!;
  apiKey = tenant.credentials.find((c) => c.kind === "full")!.headers["X-API-Key"]!;
});
afterAll(() => sim.close());

describe("@makeplane/plane-node-sdk against the simulator", () => {
  it("creates, retrieves, updates, lists, deletes, and deletes by external id", async () => {
    const client = new PlaneClient({ baseUrl, apiKey });

    const created = await client.customers.create(slug, { name: "SDK Customer", email: "sdk@example.com", external_source: "crm", external_id: "sdk-1" });
    expect(created).toMatchObject({ name: "SDK Customer", email: "sdk@example.com", customer_request_count: 0, deleted_at: null });
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);

    // the upsert: the same external reference updates the same customer
    const again = await client.customers.create(slug, { name: "SDK Customer Renamed", external_source: "crm", external_id: "sdk-1" });
    expect(again.id).toBe(created.id);
    expect(again.name).toBe("SDK Customer Renamed");

    const got = await client.customers.retrieve(slug, created.id);
    expect(got).toEqual(again);

    const updated = await client.customers.update(slug, created.id, { stage: "lead", employees: 42 });
    expect(updated).toMatchObject({ id: created.id, stage: "lead", employees: 42, name: "SDK Customer Renamed" });

    const page = (await client.customers.list(slug)) as any;
    expect(page.total_count).toBe(26);
    expect(page.results[0].id).toBe(created.id); // newest first
    expect(page.next_cursor).toBe("100:1:0");

    await client.customers.delete(slug, created.id);
    await expect(client.customers.retrieve(slug, created.id)).rejects.toMatchObject({ statusCode: 404, response: { error: "The requested resource does not exist." } });

    const other = await client.customers.create(slug, { name: "SDK External", external_source: "crm", external_id: "sdk-2" });
    await client.customers.deleteByExternalId(slug, "crm", "sdk-2");
    await expect(client.customers.retrieve(slug, other.id)).rejects.toMatchObject({ statusCode: 404 });
    // nothing matches: still a success
    await expect(client.customers.deleteByExternalId(slug, "crm", "nobody")).resolves.toBeUndefined();
  });

  it("an unknown API key surfaces as the SDK's HttpError with status 403", async () => {
    const client = new PlaneClient({ baseUrl, apiKey: "plane_api_" + "0".repeat(32) });
    const err = await client.customers.list(slug).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect(err).toMatchObject({ statusCode: 403, response: { detail: "Given API token is not valid" } });
  });

  it("a validation failure surfaces as a 400 with DRF's field errors", async () => {
    const client = new PlaneClient({ baseUrl, apiKey });
    const err = await client.customers.create(slug, { email: "not-an-email" }).catch((e: unknown) => e);
    expect(err).toMatchObject({ statusCode: 400, response: { name: ["This field is required."], email: ["Enter a valid email address."] } });
  });
});
