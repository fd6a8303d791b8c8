// spec: flextell.md#create, #routes (delete) — ids from one sequence, soft delete.
import { describe, expect, it } from "vitest";
import { BASE, notFound, start, T0_LARAVEL } from "./_helpers.js";

describe("flextell create", () => {
  it("201 with the resource; ids come from one sequence across tenants", async () => {
    const ctx = await start();
    const a = await ctx.send("POST", BASE, { first_name: "Ann", email: "ann@example.com", gender: "female", country_id: 484 });
    expect(a.status).toBe(201);
    const body = (await a.json()) as any;
    expect(body).toEqual({
      success: "Customer created successfully",
      data: {
        id: 51, first_name: "Ann", last_name: null, phone_number: null, email: "ann@example.com", date_of_birth: null,
        gender: "female", country_name: "Mexico", identity_number: null, job: null, address: null, default_channel_id: null,
        avatar_url: null, related_user: null, created_at: T0_LARAVEL, updated_at: T0_LARAVEL, deleted_at: null,
      },
    });
    const b = (await (await ctx.send("POST", BASE, { first_name: "Bob" }, ctx.other)).json()) as any;
    expect(b.data.id).toBe(52);
    const c = (await (await ctx.send("POST", BASE, { first_name: "Cy" })).json()) as any;
    expect(c.data.id).toBe(53);
  });

  it("first_name is required; all errors at once; a refused create uses no id and stores nothing", async () => {
    const ctx = await start();
    const before = JSON.stringify(await ctx.raw());
    const res = await ctx.send("POST", BASE, { first_name: "", email: "bad", tags: "x" });
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({
      message: "The first name field is required. (and 2 more errors)",
      errors: {
        first_name: ["The first name field is required."],
        email: ["The email field must be a valid email address."],
        tags: ["The tags field must be an array."],
      },
    });
    for (const body of [{}, { last_name: "Only" }]) {
      const r = await ctx.send("POST", BASE, body);
      expect(((await r.json()) as any).errors.first_name).toEqual(["The first name field is required."]);
    }
    expect(JSON.stringify(await ctx.raw())).toBe(before);
    const ok = (await (await ctx.send("POST", BASE, { first_name: "Next" })).json()) as any;
    expect(ok.data.id).toBe(51);
  });

  it("tags: the tenant's tag ids (tags.N messages)", async () => {
    const ctx = await start();
    const mine = ctx.tenants[0]!.refs.tagIds as number[];
    const theirs = ctx.tenants[1]!.refs.tagIds as number[];
    const bad = await ctx.send("POST", BASE, { first_name: "T", tags: [mine[0], theirs[0], "x"] });
    expect(((await bad.json()) as any).errors).toEqual({ "tags.1": ["The selected tags.1 is invalid."], "tags.2": ["The tags.2 field must be an integer."] });
    const ok = await ctx.send("POST", BASE, { first_name: "T", tags: mine });
    expect(ok.status).toBe(201);
    const newId = ((await ok.json()) as any).data.id;
    const raw = (await ctx.raw()).find((c: any) => c.id === newId);
    expect(raw.tag_ids).toEqual(mine);
  });

  it("duplicate email in the tenant → 422 taken", async () => {
    const ctx = await start();
    await ctx.send("POST", BASE, { first_name: "A", email: "dup@example.com" });
    const res = await ctx.send("POST", BASE, { first_name: "B", email: "DUP@example.com" });
    expect(await res.json()).toEqual({ message: "The email has already been taken.", errors: { email: ["The email has already been taken."] } });
    expect((await ctx.send("POST", BASE, { first_name: "C", email: "dup@example.com" }, ctx.other)).status).toBe(201);
  });

  it("malformed JSON → 400 {message: Malformed JSON body.}", async () => {
    const ctx = await start();
    const res = await ctx.send("POST", BASE, '{"first_name": "x",}');
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ message: "Malformed JSON body." });
  });
});

describe("flextell delete", () => {
  it("soft delete: 200 with the message; then 404 everywhere; kept in raw state with deleted_at", async () => {
    const ctx = await start();
    const id = ctx.tenants[0]!.customerIds[1]!;
    ctx.clock.advance(5000);
    const res = await ctx.req(`${BASE}/${id}`, { method: "DELETE", headers: ctx.full });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ success: "Customer deleted successfully", data: { message: "Customer deleted successfully" } });
    expect(await (await ctx.req(`${BASE}/${id}`, { headers: ctx.full })).json()).toEqual(notFound(id));
    expect((await ctx.req(`${BASE}/${id}`, { method: "DELETE", headers: ctx.full })).status).toBe(404);
    const list = (await ctx.getJson(`${BASE}?per_page=100`)).body;
    expect(list.meta.total).toBe(24);
    expect(list.data.some((c: any) => String(c.id) === id)).toBe(false);
    const raw = (await ctx.raw()).find((c: any) => String(c.id) === id);
    expect(raw).toMatchObject({ deleted_at: "2025-06-01T12:00:05.000000Z", updated_at: "2025-06-01T12:00:05.000000Z" });
    const f = await (await ctx.req("/__admin/fixtures")).json() as any;
    expect(f.providers.flextell.tenants[0].customerIds).not.toContain(id);
  });
});

describe("flextell state", () => {
  it("persists with --data: customers and the id sequence survive a restart", async () => {
    const { mkdtemp, rm } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const dir = await mkdtemp(join(tmpdir(), "flextell-data-"));
    try {
      const file = join(dir, "state.json");
      const ctx = await start({ data: file });
      const created = (await (await ctx.send("POST", BASE, { first_name: "Kept" })).json()) as any;
      await ctx.sim.close();
      const again = await start({ data: file });
      expect((await again.getJson(`${BASE}/${created.data.id}`, ctx.full)).body.data.first_name).toBe("Kept");
      const next = (await (await again.send("POST", BASE, { first_name: "After" }, ctx.full)).json()) as any;
      expect(next.data.id).toBe(created.data.id + 1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
