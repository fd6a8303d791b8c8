import { describe, expect, it } from "vitest";
import { raw, RESOURCE_MISSING, start, T0_ISO } from "./_helpers.js";

const DT_FORMAT = "Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].";

describe("plane create (spec: plane.md#create, #the-customer-object)", () => {
  it("201 with the whole object: derived fields, updated_by = caller, microsecond timestamps", async () => {
    const ctx = await start();
    const asset = "0b6a5c43-5c1e-4c3d-9a3b-1e2f3a4b5c6d";
    const res = await ctx.send("POST", `${ctx.base}/`, {
      name: "  Initech  ", description_html: "<p>Hello <b>there</b></p>", email: "ops@initech.com", website_url: "https://initech.com",
      logo_asset: asset, employees: "120", revenue: 5000, archived_at: "2024-01-01T10:30:00+02:00", id: "ignored", workspace: "ignored",
      description_stripped: "ignored", customer_request_count: 9, whatever: 1,
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as any;
    expect(Object.keys(body)).toEqual([
      "id", "customer_request_count", "logo_url", "created_at", "updated_at", "deleted_at", "name", "description", "description_html",
      "description_stripped", "description_binary", "email", "website_url", "logo_props", "domain", "employees", "stage", "contract_status",
      "revenue", "archived_at", "external_source", "external_id", "created_by", "updated_by", "workspace", "logo_asset",
    ]);
    expect(body).toMatchObject({
      name: "Initech", customer_request_count: 0, description_stripped: "Hello there", description_binary: null,
      logo_url: `/api/assets/v2/static/${asset}/`, employees: 120, revenue: "5000", archived_at: "2024-01-01T08:30:00Z",
      created_at: T0_ISO, updated_at: T0_ISO, deleted_at: null, workspace: ctx.tenants[0]!.id, logo_props: {}, description: {},
    });
    expect(body.id).not.toBe("ignored");
    expect(body.updated_by).toBe(ctx.userIds[0]); // the owner, whose key made the call
    expect(body.created_by).toBe(body.updated_by);
    expect((await ctx.getJson(`${ctx.base}/${body.id}/`)).body).toEqual(body);
  });

  it("every failing field at once, with DRF's messages; nothing stored", async () => {
    const ctx = await start();
    const before = await raw(ctx);
    const res = await ctx.send("POST", `${ctx.base}/`, {
      email: "nope", website_url: "ftp//x", employees: 1.5, archived_at: "yesterday", created_by: "not-a-uuid", domain: "d".repeat(256),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      name: ["This field is required."],
      email: ["Enter a valid email address."],
      website_url: ["Enter a valid URL."],
      domain: ["Ensure this field has no more than 255 characters."],
      employees: ["A valid integer is required."],
      archived_at: [DT_FORMAT],
      created_by: ["\u201cnot-a-uuid\u201d is not a valid UUID."],
    });
    expect(await raw(ctx)).toEqual(before);
  });

  it("name: blank, null, too long; website_url too long; employees out of 32-bit range", async () => {
    const ctx = await start();
    const cases: [unknown, Record<string, string[]>][] = [
      [{ name: "   " }, { name: ["This field may not be blank."] }],
      [{ name: null }, { name: ["This field may not be null."] }],
      [{ name: "n".repeat(256) }, { name: ["Ensure this field has no more than 255 characters."] }],
      [{ name: "ok", website_url: `https://example.com/${"a".repeat(190)}` }, { website_url: ["Ensure this field has no more than 200 characters."] }],
      [{ name: "ok", employees: 2 ** 31 }, { employees: ["Ensure this value is less than or equal to 2147483647."] }],
      [{ name: "ok", employees: true }, { employees: ["A valid integer is required."] }],
      [{ name: "ok", archived_at: "2024-02-30T00:00:00Z" }, { archived_at: [DT_FORMAT] }],
      [["not", "an", "object"], { non_field_errors: ["Invalid data. Expected a dictionary, but got list."] }],
    ];
    for (const [body, errors] of cases) {
      const res = await ctx.send("POST", `${ctx.base}/`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(await res.json()).toEqual(errors);
    }
  });

  it("created_by must be a user of the workspace", async () => {
    const ctx = await start();
    const stranger = ctx.tenants[1]!.refs.userIds![0] as string;
    const bad = await ctx.send("POST", `${ctx.base}/`, { name: "X", created_by: stranger });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ created_by: [`Invalid pk "${stranger}" - object does not exist.`] });
    const member = ctx.userIds[1]!;
    const ok = await ctx.send("POST", `${ctx.base}/`, { name: "X", created_by: member });
    expect(ok.status).toBe(201);
    expect(((await ok.json()) as any).created_by).toBe(member);
  });

  it("upsert: an existing name → 200 and the same customer, updated with the sent fields", async () => {
    const ctx = await start();
    const first = (await (await ctx.send("POST", `${ctx.base}/`, { name: "Globex", email: "a@globex.com" })).json()) as any;
    ctx.clock.advance(1000);
    const res = await ctx.send("POST", `${ctx.base}/`, { name: "Globex", stage: "lead" });
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body).toMatchObject({ id: first.id, email: "a@globex.com", stage: "lead", created_at: first.created_at });
    expect(body.updated_at).not.toBe(first.updated_at);
    expect((await ctx.getJson(`${ctx.base}/?query=globex`)).body.total_count).toBe(1);
  });

  it("upsert: the external reference wins over the name; it may rename the customer", async () => {
    const ctx = await start();
    const a = (await (await ctx.send("POST", `${ctx.base}/`, { name: "A Co", external_source: "crm", external_id: "1" })).json()) as any;
    await ctx.send("POST", `${ctx.base}/`, { name: "B Co" });
    const renamed = await ctx.send("POST", `${ctx.base}/`, { name: "A Renamed", external_source: "crm", external_id: "1" });
    expect(renamed.status).toBe(200);
    expect(((await renamed.json()) as any).id).toBe(a.id);
    // matched by reference, but the name belongs to another customer: the uniqueness rule
    const clash = await ctx.send("POST", `${ctx.base}/`, { name: "B Co", external_source: "crm", external_id: "1" });
    expect(clash.status).toBe(400);
    expect(await clash.json()).toEqual({ name: ["Customer with this name already exists in workspace"] });
    // a reference that matches nothing, with a new name: created
    const fresh = await ctx.send("POST", `${ctx.base}/`, { name: "C Co", external_source: "crm", external_id: "2" });
    expect(fresh.status).toBe(201);
  });

  it("names are unique per workspace, case-sensitively, among live customers only", async () => {
    const ctx = await start();
    const name = (await ctx.getJson(`${ctx.base}/${ctx.tenants[0]!.customerIds[0]}/`)).body.name as string;
    expect((await ctx.send("POST", `${ctx.base}/`, { name: name.toUpperCase() })).status).toBe(201);
    expect((await ctx.send("POST", `${ctx.otherBase}/`, { name }, ctx.other)).status).toBe(201);
    const b = (await (await ctx.send("POST", `${ctx.base}/`, { name: "Second" })).json()) as any;
    const patch = await ctx.send("PATCH", `${ctx.base}/${b.id}/`, { name });
    expect(patch.status).toBe(400);
    expect(await patch.json()).toEqual({ name: ["Customer with this name already exists in workspace"] });
    // the holder is deleted: the name is free
    expect((await ctx.req(`${ctx.base}/${ctx.tenants[0]!.customerIds[0]}/`, { method: "DELETE", headers: ctx.full })).status).toBe(204);
    expect((await ctx.send("PATCH", `${ctx.base}/${b.id}/`, { name })).status).toBe(200);
  });
});

describe("plane retrieve, update, delete", () => {
  it("PATCH changes only the sent fields, updated_by = caller, keeps its own name", async () => {
    const ctx = await start();
    const id = ctx.tenants[0]!.customerIds[3]!;
    const before = (await ctx.getJson(`${ctx.base}/${id}/`)).body;
    const res = await ctx.send("PATCH", `${ctx.base}/${id}/`, { name: before.name, description_html: "", contract_status: "signed", logo_asset: null });
    expect(res.status).toBe(200);
    const after = (await res.json()) as any;
    expect(after).toEqual({ ...before, contract_status: "signed", description_html: "", description_stripped: null, updated_at: T0_ISO });
  });

  it("PATCH with bad fields → 400, the customer unchanged", async () => {
    const ctx = await start();
    const id = ctx.tenants[0]!.customerIds[3]!;
    const before = (await ctx.getJson(`${ctx.base}/${id}/`)).body;
    const res = await ctx.send("PATCH", `${ctx.base}/${id}/`, { email: "x", employees: "many", name: "" });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ name: ["This field may not be blank."], email: ["Enter a valid email address."], employees: ["A valid integer is required."] });
    expect((await ctx.getJson(`${ctx.base}/${id}/`)).body).toEqual(before);
  });

  it("unknown and deleted customers → 404 The requested resource does not exist.", async () => {
    const ctx = await start();
    const id = ctx.tenants[0]!.customerIds[0]!;
    const missing = "00000000-0000-4000-8000-000000000000";
    for (const res of await Promise.all([
      ctx.req(`${ctx.base}/${missing}/`, { headers: ctx.full }),
      ctx.send("PATCH", `${ctx.base}/${missing}/`, { name: "x" }),
      ctx.req(`${ctx.base}/${missing}/`, { method: "DELETE", headers: ctx.full }),
      ctx.req(`${ctx.otherBase}/${id}/`, { headers: ctx.other }),
    ])) {
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual(RESOURCE_MISSING);
    }
  });

  it("DELETE is soft: 204 empty, gone from the API, kept with deleted_at in raw state", async () => {
    const ctx = await start();
    const id = ctx.tenants[0]!.customerIds[0]!;
    const res = await ctx.req(`${ctx.base}/${id}/`, { method: "DELETE", headers: ctx.full });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe("");
    expect((await ctx.getJson(`${ctx.base}/${id}/`)).status).toBe(404);
    expect((await ctx.req(`${ctx.base}/${id}/`, { method: "DELETE", headers: ctx.full })).status).toBe(404);
    const row = (await raw(ctx)).find((c) => c.id === id);
    expect(row.deleted_at).toBe(T0_ISO);
    expect((await ctx.getJson(`${ctx.base}/`)).body.total_count).toBe(24);
  });

  it("DELETE by external_source + external_id: 204, also when nothing matches; both required", async () => {
    const ctx = await start();
    const c = (await (await ctx.send("POST", `${ctx.base}/`, { name: "Ext", external_source: "hubspot", external_id: "42" })).json()) as any;
    const none = await ctx.req(`${ctx.base}/?external_source=hubspot&external_id=nope`, { method: "DELETE", headers: ctx.full });
    expect(none.status).toBe(204);
    expect((await ctx.getJson(`${ctx.base}/${c.id}/`)).status).toBe(200);
    const res = await ctx.req(`${ctx.base}/?external_source=hubspot&external_id=42`, { method: "DELETE", headers: ctx.full });
    expect(res.status).toBe(204);
    expect((await ctx.getJson(`${ctx.base}/${c.id}/`)).status).toBe(404);
    const missing = await ctx.req(`${ctx.base}/?external_source=hubspot`, { method: "DELETE", headers: ctx.full });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({ detail: "external_source and external_id query parameters are required." });
    expect((await ctx.getJson(`${ctx.base}/`)).body.total_count).toBe(25);
  });
});

describe("plane delete is a write (spec: plane.md#the-customer-object — updated_by = caller on every write)", () => {
  it("a soft delete sets updated_by to the caller, and survives a restart with --data, out of the list", async () => {
    const { mkdtemp, readFile, rm, writeFile } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const { createSimulator } = await import("../../src/index.js");
    const dir = await mkdtemp(join(tmpdir(), "plane-del-"));
    const data = join(dir, "state.json");
    try {
      let sim = await createSimulator({ data });
      const f = (await (await sim.app.request("/__admin/fixtures")).json()) as any;
      const t = f.providers.plane.tenants[0];
      const headers = t.credentials[0].headers;
      const id = t.customerIds[0];
      await sim.close();
      // a customer last written by someone else (the member)
      const doc = JSON.parse(await readFile(data, "utf8"));
      const text = JSON.stringify(doc).replace(new RegExp(`("id":"${id}"[^}]*"updated_by":)"[^"]*"`), `$1"${t.refs.userIds[1]}"`);
      await writeFile(data, text);
      sim = await createSimulator({ data });
      const base = `/plane/api/v1/workspaces/${t.slug}/customers/`;
      expect(((await (await sim.app.request(`${base}${id}/`, { headers })).json()) as any).updated_by).toBe(t.refs.userIds[1]);
      expect((await sim.app.request(`${base}${id}/`, { method: "DELETE", headers })).status).toBe(204);
      await sim.close();
      sim = await createSimulator({ data });
      const row = ((await (await sim.app.request("/__admin/plane/customers")).json()) as any).customers.find((c: any) => c.id === id);
      expect(row).toMatchObject({ updated_by: t.refs.userIds[0], deleted_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/) });
      const list = (await (await sim.app.request(base, { headers })).json()) as any;
      expect(list.total_count).toBe(24);
      expect(list.results.map((c: any) => c.id)).not.toContain(id);
      await sim.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
