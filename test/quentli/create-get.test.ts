import { describe, expect, it } from "vitest";
import { customerEnvelopeSchema, customerSchema } from "../../src/simulators/quentli/schemas.js";
import { allCustomers, BASE, refused, start, T0 } from "./_helpers.js";

describe("POST /v1/customers", () => {
  it("201 {customer}: defaults, an id cus_ + 20, timestamps with milliseconds, stored", async () => {
    const ctx = await start();
    const res = await ctx.send("POST", BASE, { input: { name: "Ana López" } });
    expect(res.status).toBe(201);
    const body = (await res.json()) as any;
    expect(customerEnvelopeSchema().safeParse(body).success).toBe(true);
    expect(body.customer).toEqual({
      id: expect.stringMatching(/^cus_[a-z0-9]{20}$/),
      createdAt: T0,
      updatedAt: T0,
      name: "Ana López",
      username: null,
      organizationId: ctx.tenants[0]!.id,
      acceptedServiceAgreement: false,
      skipTaxInvoice: false,
      emailVerified: false,
      phoneNumberVerified: false,
      hasChangedPassword: false,
      email: null,
      phoneNumber: null,
      secondaryPhoneNumber: null,
      archivedAt: null,
      archivedById: null,
      signatureAcceptedAt: null,
      optedOutWhatsappAt: null,
      optedInWhatsappAt: null,
      startedWhatsappAt: null,
      replyWithAssistant: false,
      tags: [],
      metadata: [],
      meta: {},
    });
    expect((await ctx.getJson(`${BASE}/${body.customer.id}`)).body).toEqual(body.customer);
    expect(await allCustomers(ctx)).toHaveLength(26);
  });

  it("takes every writable field; write-only ones act and are not returned", async () => {
    const ctx = await start();
    const res = await ctx.send("POST", BASE, {
      input: {
        name: "Luis Gómez",
        email: "Luis.Gomez@Example.com",
        phoneNumber: "+525511112222",
        secondaryPhoneNumber: "+525533334444",
        username: "Luis_G",
        password: "pw",
        signature: "sig",
        tags: ["VIP"],
        tosIp: "2001:db8::7",
        assigneeId: ctx.tenants[0]!.refs.userIds![1],
        metadata: [{ key: "studentId", value: "B-1" }],
        meta: { ignored: "yes" },
        replyWithAssistant: true,
      },
    });
    expect(res.status).toBe(201);
    const c = ((await res.json()) as any).customer;
    expect(c).toMatchObject({
      email: "Luis.Gomez@Example.com",
      username: "Luis_G",
      hasChangedPassword: true,
      signatureAcceptedAt: T0,
      tags: ["VIP"],
      metadata: [{ key: "studentId", value: "B-1" }],
      meta: { studentId: "B-1" },
      replyWithAssistant: true,
    });
    for (const key of ["password", "signature", "assigneeId", "tosIp"]) expect(c).not.toHaveProperty(key);
  });

  it("name is required (decision); input is flat, every failing path is listed, nothing stored", async () => {
    const ctx = await start();
    const body = await refused(ctx, "POST", BASE, { input: { email: "bad", phoneNumber: "123" } }, 400);
    expect(body).toEqual({
      error: {
        code: "VALIDATION_ERROR",
        message: "Invalid request body",
        issues: expect.arrayContaining([
          { path: ["input", "name"], message: "Required" },
          { path: ["input", "email"], message: "Invalid email" },
          { path: ["input", "phoneNumber"], message: expect.stringContaining("E.164") },
        ]),
      },
    });
    expect(body.error.issues).toHaveLength(3);
    expect((await refused(ctx, "POST", BASE, { input: { name: "   " } }, 400)).error.issues).toEqual([{ path: ["input", "name"], message: "String must contain at least 1 character(s)" }]);
    expect((await refused(ctx, "POST", BASE, { input: { name: "A", assigneeId: "nobody" } }, 400)).error.issues).toEqual([{ path: ["input", "assigneeId"], message: "Assignee must be a user of the organization" }]);
    expect((await refused(ctx, "POST", BASE, { name: "flat, without input" }, 400)).error.issues).toEqual([{ path: ["input"], message: "Required" }]);
  });

  it("uniqueness on create: 409 with the first of email, phone, username; nothing stored; no id used up", async () => {
    const ctx = await start();
    const holder = (await allCustomers(ctx)).find((c) => c.username !== null);
    const email = await refused(ctx, "POST", BASE, { input: { name: "Dup", email: holder.email.toUpperCase(), phoneNumber: holder.phoneNumber } }, 409);
    expect(email.error).toEqual({ code: "EMAIL_TAKEN", message: expect.any(String), conflictingCustomer: { id: holder.id, name: holder.name }, email: holder.email.toUpperCase() });
    const phone = await refused(ctx, "POST", BASE, { input: { name: "Dup", phoneNumber: holder.phoneNumber, username: holder.username } }, 409);
    expect(phone.error.code).toBe("PHONE_TAKEN");
    const user = await refused(ctx, "POST", BASE, { input: { name: "Dup", username: ` ${holder.username.toUpperCase()} ` } }, 409);
    expect(user.error).toMatchObject({ code: "USERNAME_TAKEN", username: holder.username.toUpperCase() });
  });

  it("ids come from the seed: the same requests after a reset give the same ids", async () => {
    const ctx = await start();
    const make = async () => ((await (await ctx.send("POST", BASE, { input: { name: "Seeded" } })).json()) as any).customer.id;
    const first = [await make(), await make()];
    expect(first[0]).not.toBe(first[1]);
    await ctx.req("/__admin/reset", { method: "POST" });
    // refused creates (400, 409) use up no id
    expect((await ctx.send("POST", BASE, { input: {} })).status).toBe(400);
    expect((await ctx.send("POST", BASE, { input: { name: "Dup", email: (await allCustomers(ctx))[0].email } })).status).toBe(409);
    expect([await make(), await make()]).toEqual(first);
  });
});

describe("GET /v1/customers/{id}", () => {
  it("the bare customer object", async () => {
    const ctx = await start();
    const id = ctx.tenants[0]!.customerIds[3]!;
    const res = await ctx.getJson(`${BASE}/${id}`);
    expect(res.status).toBe(200);
    expect(customerSchema().safeParse(res.body).success).toBe(true);
    expect(res.body.id).toBe(id);
  });

  it("200 null when it does not exist (as documented), whatever the id looks like", async () => {
    const ctx = await start();
    for (const id of ["cus_00000000000000000000", "nope", ctx.tenants[1]!.customerIds[0]!]) {
      const res = await ctx.req(`${BASE}/${encodeURIComponent(id)}`, { headers: ctx.full });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      expect(await res.text()).toBe("null");
    }
  });
});
