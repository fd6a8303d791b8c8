// spec: flextell.md#update — PUT and PATCH, partial; Laravel's 422 shape; nothing stored on failure.
import { describe, expect, it } from "vitest";
import { BASE, getCustomer, notFound, start, T0_LARAVEL, type Ctx } from "./_helpers.js";

async function unchanged(ctx: Ctx, run: () => Promise<Response>): Promise<Response> {
  const before = JSON.stringify(await ctx.raw());
  const res = await run();
  expect(JSON.stringify(await ctx.raw())).toBe(before);
  return res;
}

describe("flextell update", () => {
  it("the source doc's PUT example succeeds against a fixture customer", async () => {
    const ctx = await start();
    const id = ctx.tenants[0]!.customerIds[0]!;
    const [channel] = ctx.tenants[0]!.refs.channelIds as number[];
    const [user] = ctx.tenants[0]!.refs.userIds as number[];
    const res = await ctx.send("PUT", `${BASE}/${id}`, {
      first_name: "<string>",
      last_name: "<string>",
      phone_number: "<string>",
      email: "jsmith@example.com",
      date_of_birth: "2023-11-07T05:31:56Z",
      gender: "male",
      country_id: 840,
      identity_number: "<string>",
      job: "<string>",
      address: "<string>",
      default_channel_id: channel,
      user_id: user,
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body.success).toBe("Customer updated successfully");
    expect(body.data).toMatchObject({
      id: Number(id),
      first_name: "<string>",
      email: "jsmith@example.com",
      date_of_birth: "2023-11-07T00:00:00.000000Z",
      gender: "male",
      country_name: "United States",
      default_channel_id: channel,
      related_user: { id: user, name: expect.any(String) },
      updated_at: T0_LARAVEL,
      deleted_at: null,
    });
    expect(await getCustomer(ctx, id)).toEqual(body.data);
  });

  it("PATCH and PUT change only the fields sent; the rest stays", async () => {
    const ctx = await start();
    const id = ctx.tenants[0]!.customerIds[2]!;
    const before = await getCustomer(ctx, id);
    for (const method of ["PATCH", "PUT"]) {
      const res = await ctx.send(method, `${BASE}/${id}`, { job: `Job via ${method}` });
      expect(res.status).toBe(200);
    }
    const after = await getCustomer(ctx, id);
    expect(after).toEqual({ ...before, job: "Job via PUT", updated_at: T0_LARAVEL });
  });

  it("nullable fields can be cleared; strings are trimmed and empty strings become null", async () => {
    const ctx = await start();
    const id = ctx.tenants[0]!.customerIds[0]!;
    const res = await ctx.send("PATCH", `${BASE}/${id}`, { email: null, country_id: null, job: "  Chef  ", address: "" });
    const data = ((await res.json()) as any).data;
    expect(data).toMatchObject({ email: null, country_name: null, job: "Chef", address: null });
  });

  it("an update that changes nothing keeps updated_at (Eloquent saves only dirty models)", async () => {
    const ctx = await start();
    const id = ctx.tenants[0]!.customerIds[3]!;
    const before = await getCustomer(ctx, id);
    const res = await unchanged(ctx, () => ctx.send("PUT", `${BASE}/${id}`, { first_name: before.first_name }));
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).data).toEqual(before);
  });

  it("422: every failing field at once, in Laravel's words, with the (and N more errors) summary", async () => {
    const ctx = await start();
    const id = ctx.tenants[0]!.customerIds[0]!;
    const res = await unchanged(ctx, () =>
      ctx.send("PUT", `${BASE}/${id}`, {
        first_name: 12,
        last_name: "x".repeat(256),
        phone_number: "1".repeat(21),
        email: "not-an-email",
        date_of_birth: "yesterday-ish",
        gender: "unknown",
        country_id: "abc",
        identity_number: ["x"],
        job: true,
        address: "a".repeat(1001),
        default_channel_id: 1.5,
        user_id: 999999,
      }),
    );
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({
      message: "The first name field must be a string. (and 11 more errors)",
      errors: {
        first_name: ["The first name field must be a string."],
        last_name: ["The last name field must not be greater than 255 characters."],
        phone_number: ["The phone number field must not be greater than 20 characters."],
        email: ["The email field must be a valid email address."],
        date_of_birth: ["The date of birth field must be a valid date."],
        gender: ["The selected gender is invalid."],
        country_id: ["The country id field must be an integer."],
        identity_number: ["The identity number field must be a string."],
        job: ["The job field must be a string."],
        address: ["The address field must not be greater than 1000 characters."],
        default_channel_id: ["The default channel id field must be an integer."],
        user_id: ["The selected user id is invalid."],
      },
    });
  });

  it("one error has no suffix; two say (and 1 more error)", async () => {
    const ctx = await start();
    const id = ctx.tenants[0]!.customerIds[0]!;
    const one = await ctx.send("PATCH", `${BASE}/${id}`, { gender: "x" });
    expect(await one.json()).toEqual({ message: "The selected gender is invalid.", errors: { gender: ["The selected gender is invalid."] } });
    const two = await ctx.send("PATCH", `${BASE}/${id}`, { gender: "x", email: "y" });
    expect(((await two.json()) as any).message).toBe("The email field must be a valid email address. (and 1 more error)");
  });

  it("max lengths count characters (mb_strlen), not UTF-16 units", async () => {
    const ctx = await start();
    const id = ctx.tenants[0]!.customerIds[0]!;
    expect((await ctx.send("PATCH", `${BASE}/${id}`, { phone_number: "😀".repeat(20) })).status).toBe(200);
    expect((await ctx.send("PATCH", `${BASE}/${id}`, { phone_number: "😀".repeat(21) })).status).toBe(422);
  });

  it("first_name, last_name and phone_number are not nullable on update", async () => {
    const ctx = await start();
    const id = ctx.tenants[0]!.customerIds[0]!;
    const res = await unchanged(ctx, () => ctx.send("PATCH", `${BASE}/${id}`, { first_name: null, phone_number: "" }));
    expect(((await res.json()) as any).errors).toEqual({
      first_name: ["The first name field must be a string."],
      phone_number: ["The phone number field must be a string."],
    });
  });

  it("date_of_birth must be before today, today from the simulator clock", async () => {
    const ctx = await start(); // clock: 2025-06-01T12:00Z
    const id = ctx.tenants[0]!.customerIds[0]!;
    const today = await ctx.send("PATCH", `${BASE}/${id}`, { date_of_birth: "2025-06-01" });
    expect(await today.json()).toEqual({ message: "The date of birth field must be a date before today.", errors: { date_of_birth: ["The date of birth field must be a date before today."] } });
    expect((await ctx.send("PATCH", `${BASE}/${id}`, { date_of_birth: "2025-05-31T23:59:59Z" })).status).toBe(200);
    expect((await ctx.send("PATCH", `${BASE}/${id}`, { date_of_birth: "2025-02-30" })).status).toBe(422);
    ctx.clock.set("2030-01-02T00:00:00Z");
    expect((await ctx.send("PATCH", `${BASE}/${id}`, { date_of_birth: "2030-01-01" })).status).toBe(200);
  });

  it("email unique among the tenant's non-deleted customers, case-insensitively; free in another tenant and after a delete", async () => {
    const ctx = await start();
    const [a, b] = ctx.tenants[0]!.customerIds;
    const taken = (await getCustomer(ctx, a!)).email as string;
    const res = await unchanged(ctx, () => ctx.send("PATCH", `${BASE}/${b}`, { email: taken.toUpperCase() }));
    expect(await res.json()).toEqual({ message: "The email has already been taken.", errors: { email: ["The email has already been taken."] } });
    // its own email is no conflict
    expect((await ctx.send("PATCH", `${BASE}/${a}`, { email: taken })).status).toBe(200);
    // another tenant may hold the same email
    const other = ctx.tenants[1]!.customerIds[0]!;
    expect((await ctx.send("PATCH", `${BASE}/${other}`, { email: taken }, ctx.other)).status).toBe(200);
    // deleted customers free it
    expect((await ctx.req(`${BASE}/${a}`, { method: "DELETE", headers: ctx.full })).status).toBe(200);
    expect((await ctx.send("PATCH", `${BASE}/${b}`, { email: taken })).status).toBe(200);
  });

  it("country_id, default_channel_id and user_id must exist (the tenant's channels and users)", async () => {
    const ctx = await start();
    const id = ctx.tenants[0]!.customerIds[0]!;
    const foreignChannel = (ctx.tenants[1]!.refs.channelIds as number[])[0];
    const foreignUser = (ctx.tenants[1]!.refs.userIds as number[])[0];
    const res = await unchanged(ctx, () => ctx.send("PATCH", `${BASE}/${id}`, { country_id: 999, default_channel_id: foreignChannel, user_id: foreignUser }));
    expect(((await res.json()) as any).errors).toEqual({
      country_id: ["The selected country id is invalid."],
      default_channel_id: ["The selected default channel id is invalid."],
      user_id: ["The selected user id is invalid."],
    });
    const ok = await ctx.send("PATCH", `${BASE}/${id}`, { country_id: "484", user_id: (ctx.tenants[0]!.refs.userIds as number[])[1] });
    expect(((await ok.json()) as any).data).toMatchObject({ country_name: "Mexico", related_user: { id: (ctx.tenants[0]!.refs.userIds as number[])[1] } });
  });

  it("malformed JSON → 400, a JSON body that is not an object → 400, another media type → 415; nothing changes", async () => {
    const ctx = await start();
    const id = ctx.tenants[0]!.customerIds[0]!;
    for (const body of ['{"first_name": ', "[1,2]", '"text"']) {
      const res = await unchanged(ctx, () => ctx.send("PUT", `${BASE}/${id}`, body));
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ message: "Malformed JSON body." });
    }
    const text = await unchanged(ctx, () => ctx.req(`${BASE}/${id}`, { method: "PATCH", body: "first_name=x", headers: { ...ctx.full, "Content-Type": "text/plain" } }));
    expect(text.status).toBe(415);
    expect(await text.json()).toEqual({ message: "Unsupported Media Type." });
  });

  it("form-urlencoded bodies are read like Laravel reads them", async () => {
    const ctx = await start();
    const id = ctx.tenants[0]!.customerIds[0]!;
    const res = await ctx.req(`${BASE}/${id}`, { method: "PATCH", body: "job=Baker&country_id=250", headers: { ...ctx.full, "Content-Type": "application/x-www-form-urlencoded" } });
    expect(((await res.json()) as any).data).toMatchObject({ job: "Baker", country_name: "France" });
  });

  it("404 with the model message: no such id, not an integer, a deleted customer — checked before the body", async () => {
    const ctx = await start();
    expect(await (await ctx.send("PUT", `${BASE}/999999`, { first_name: "x" })).json()).toEqual(notFound(999999));
    expect(await (await ctx.send("PATCH", `${BASE}/abc`, { first_name: "x" })).json()).toEqual(notFound("abc"));
    const id = ctx.tenants[0]!.customerIds[4]!;
    await ctx.req(`${BASE}/${id}`, { method: "DELETE", headers: ctx.full });
    const res = await ctx.send("PATCH", `${BASE}/${id}`, "{bad json");
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual(notFound(id));
  });
});
