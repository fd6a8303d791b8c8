import { describe, expect, it } from "vitest";
import { customerEnvelopeSchema } from "../../src/simulators/quentli/schemas.js";
import { allCustomers, BASE, refused, start, T0, type Ctx } from "./_helpers.js";

/** The documented request (source-docs/quentli-update-customer.txt), byte for byte. */
const DOCUMENTED = {
  input: {
    data: {
      name: "Juan Perez",
      email: "juan@example.com",
      phoneNumber: "+525512345678",
      password: "S3curePassw0rd!",
      username: "juan_perez_01",
      tags: ["VIP", "Colegiatura"],
      tosIp: "189.203.12.45",
      secondaryPhoneNumber: "+525598765432",
      acceptedServiceAgreement: true,
      skipTaxInvoice: false,
      signature: "signed-by-customer",
      assigneeId: "cmab12cd3000x1a2b3c4d5e6f",
      optedOutWhatsappAt: "2025-01-15T10:30:00.000Z",
      hasChangedPassword: true,
      phoneNumberVerified: true,
      emailVerified: true,
      replyWithAssistant: false,
      metadata: [{ key: "studentId", value: "A-1029" }],
      meta: { grade: "5A" },
    },
    otp: "123456",
  },
};

async function firstCustomer(ctx: Ctx, pred: (c: any) => boolean = () => true): Promise<any> {
  const found = (await allCustomers(ctx)).find(pred);
  if (!found) throw new Error("no fixture customer matches");
  return found;
}

const patch = (ctx: Ctx, id: string, body: unknown, headers?: Record<string, string>) => ctx.send("PATCH", `${BASE}/${id}`, body, headers);

describe("PATCH /v1/customers/{id}", () => {
  it("the documented example succeeds against a fixture customer, as documented", async () => {
    const ctx = await start();
    const target = await firstCustomer(ctx, (c) => c.optedInWhatsappAt !== null && c.optedOutWhatsappAt === null);
    const res = await patch(ctx, target.id, DOCUMENTED);
    expect(res.status, await res.clone().text()).toBe(200);
    const body = (await res.json()) as any;
    expect(customerEnvelopeSchema().safeParse(body).success).toBe(true);
    expect(body).toEqual({
      customer: {
        ...target,
        updatedAt: T0,
        name: "Juan Perez",
        username: "juan_perez_01",
        acceptedServiceAgreement: true,
        skipTaxInvoice: false,
        emailVerified: true,
        phoneNumberVerified: true,
        hasChangedPassword: true,
        email: "juan@example.com",
        phoneNumber: "+525512345678",
        secondaryPhoneNumber: "+525598765432",
        signatureAcceptedAt: T0,
        optedOutWhatsappAt: "2025-01-15T10:30:00.000Z",
        replyWithAssistant: false,
        tags: ["VIP", "Colegiatura"],
        metadata: [{ key: "studentId", value: "A-1029" }],
        // derived from metadata: the input `meta` is not stored
        meta: { studentId: "A-1029" },
      },
    });
    // write-only and unreturned fields never show
    for (const key of ["password", "signature", "assigneeId", "tosIp", "otp"]) expect(body.customer).not.toHaveProperty(key);
    // and it is stored: GET answers the same object
    expect((await ctx.getJson(`${BASE}/${target.id}`)).body).toEqual(body.customer);
    const raw = (await ctx.raw()).find((c: any) => c.id === target.id) as any;
    expect(raw).toMatchObject({ assigneeId: "cmab12cd3000x1a2b3c4d5e6f", tosIp: "189.203.12.45", signature: "signed-by-customer" });
    expect(JSON.stringify(raw)).not.toContain("S3curePassw0rd!");
  });

  it("is partial: only the fields in input.data change; otp is optional", async () => {
    const ctx = await start();
    const target = await firstCustomer(ctx, (c) => c.metadata.length > 0 && c.tags.length > 0);
    ctx.clock.advance(1234);
    const res = await patch(ctx, target.id, { input: { data: { skipTaxInvoice: !target.skipTaxInvoice } } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).customer).toEqual({ ...target, skipTaxInvoice: !target.skipTaxInvoice, updatedAt: "2025-06-01T12:00:01.234Z" });
  });

  it("password sets hasChangedPassword; signature sets signatureAcceptedAt = now", async () => {
    const ctx = await start();
    const target = await firstCustomer(ctx, (c) => !c.hasChangedPassword && c.signatureAcceptedAt === null);
    const res = await patch(ctx, target.id, { input: { data: { password: "another-secret" } } });
    const c1 = ((await res.json()) as any).customer;
    expect(c1.hasChangedPassword).toBe(true);
    expect(c1.signatureAcceptedAt).toBeNull();
    ctx.clock.advance(60_000);
    const c2 = ((await (await patch(ctx, target.id, { input: { data: { signature: "s" } } })).json()) as any).customer;
    expect(c2.signatureAcceptedAt).toBe("2025-06-01T12:01:00.000Z");
    expect(c2.updatedAt).toBe("2025-06-01T12:01:00.000Z");
  });

  it("meta is always derived from metadata; an input meta alone changes nothing but updatedAt", async () => {
    const ctx = await start();
    const target = await firstCustomer(ctx, (c) => c.metadata.length > 0);
    const only = ((await (await patch(ctx, target.id, { input: { data: { meta: { grade: "9Z" } } } })).json()) as any).customer;
    expect(only.meta).toEqual(target.meta);
    expect(only.metadata).toEqual(target.metadata);
    const both = ((await (await patch(ctx, target.id, { input: { data: { metadata: [{ key: "a", value: "1" }, { key: "__proto__", value: "x" }], meta: { b: "2" } } } })).json()) as any).customer;
    expect(both.metadata).toEqual([{ key: "a", value: "1" }, { key: "__proto__", value: "x" }]);
    expect(both.meta).toEqual(JSON.parse('{"a":"1","__proto__":"x"}'));
  });

  it("optedOutWhatsappAt is stored as sent (null clears it); an offset is given back in UTC with milliseconds", async () => {
    const ctx = await start();
    const target = await firstCustomer(ctx, (c) => c.optedOutWhatsappAt !== null);
    const cleared = ((await (await patch(ctx, target.id, { input: { data: { optedOutWhatsappAt: null } } })).json()) as any).customer;
    expect(cleared.optedOutWhatsappAt).toBeNull();
    const offset = ((await (await patch(ctx, target.id, { input: { data: { optedOutWhatsappAt: "2025-02-01T08:00:00-06:00" } } })).json()) as any).customer;
    expect(offset.optedOutWhatsappAt).toBe("2025-02-01T14:00:00.000Z");
  });

  it("unknown id → 404 NOT_FOUND, nothing stored", async () => {
    const ctx = await start();
    const body = await refused(ctx, "PATCH", `${BASE}/cus_00000000000000000000`, { input: { data: { name: "Nobody" } } }, 404);
    expect(body).toEqual({ error: { code: "NOT_FOUND", message: "Customer not found" } });
  });

  it("validation comes before the lookup: an unknown id with a bad body → 400", async () => {
    const ctx = await start();
    const body = await refused(ctx, "PATCH", `${BASE}/cus_00000000000000000000`, { input: { data: { email: "nope" } } }, 400);
    expect(body.error.code).toBe("VALIDATION_ERROR");
  });
});

describe("PATCH validation (400 VALIDATION_ERROR, every failing path)", () => {
  it("the documented shape, with every failing field listed, and nothing stored", async () => {
    const ctx = await start();
    const target = await firstCustomer(ctx);
    const body = await refused(ctx, "PATCH", `${BASE}/${target.id}`, {
      input: {
        data: {
          email: "not-an-email",
          phoneNumber: "5512345678",
          secondaryPhoneNumber: "+52 55 1234 5678",
          tosIp: "999.1.1.1",
          assigneeId: "cnot0a0user0000000000000",
          tags: ["ok", 3],
          metadata: [{ key: "a", value: "1" }, { key: "a", value: "2" }, { key: "b", value: 2 }],
          optedOutWhatsappAt: "yesterday",
          acceptedServiceAgreement: "yes",
          name: "",
        },
        otp: "12345",
      },
    }, 400);
    expect(body.error.code).toBe("VALIDATION_ERROR");
    expect(body.error.message).toBe("Invalid request body");
    expect(body.error.issues).toContainEqual({ path: ["input", "data", "email"], message: "Invalid email" });
    const paths = body.error.issues.map((i: any) => JSON.stringify(i.path)).sort();
    expect(paths).toEqual([
      ["input", "data", "acceptedServiceAgreement"],
      ["input", "data", "assigneeId"],
      ["input", "data", "email"],
      ["input", "data", "metadata", 1, "key"],
      ["input", "data", "metadata", 2, "value"],
      ["input", "data", "name"],
      ["input", "data", "optedOutWhatsappAt"],
      ["input", "data", "phoneNumber"],
      ["input", "data", "secondaryPhoneNumber"],
      ["input", "data", "tags", 1],
      ["input", "data", "tosIp"],
      ["input", "otp"],
    ].map((p) => JSON.stringify(p)).sort());
    for (const issue of body.error.issues) expect(typeof issue.message).toBe("string");
  });

  it("E.164 phones: + and 8–15 digits", async () => {
    const ctx = await start();
    const target = await firstCustomer(ctx);
    for (const bad of ["+1234567", "+1234567890123456", "525512345678", "+52-55-1234-5678", "+٥١٢٣٤٥٦٧٨", "+12345678\n", ""]) {
      const body = await refused(ctx, "PATCH", `${BASE}/${target.id}`, { input: { data: { phoneNumber: bad } } }, 400);
      expect(body.error.issues, bad).toEqual([{ path: ["input", "data", "phoneNumber"], message: expect.stringContaining("E.164") }]);
    }
    // spec: quentli.md#patch-rules — "+ and 8–15 digits": a leading 0 is digits too
    for (const good of ["+12345678", "+123456789012345", "+14155550100", "+0512345678", "+00000000"]) {
      expect((await patch(ctx, target.id, { input: { data: { phoneNumber: good } } })).status, good).toBe(200);
    }
  });

  it("tosIp: an IPv4 or IPv6 address", async () => {
    const ctx = await start();
    const target = await firstCustomer(ctx);
    for (const good of ["10.0.0.1", "2001:db8::1", "::1"]) expect((await patch(ctx, target.id, { input: { data: { tosIp: good } } })).status, good).toBe(200);
    for (const bad of ["10.0.0", "localhost", "2001:db8:::1", "256.0.0.1"]) {
      const body = await refused(ctx, "PATCH", `${BASE}/${target.id}`, { input: { data: { tosIp: bad } } }, 400);
      expect(body.error.issues).toEqual([{ path: ["input", "data", "tosIp"], message: "Invalid IP address" }]);
    }
  });

  it("assigneeId must be a user of the organization (refs.userIds); another organization's user is refused", async () => {
    const ctx = await start();
    const target = await firstCustomer(ctx);
    for (const userId of ctx.tenants[0]!.refs.userIds! as string[]) {
      expect((await patch(ctx, target.id, { input: { data: { assigneeId: userId } } })).status).toBe(200);
    }
    const foreign = ctx.tenants[1]!.refs.userIds![0] as string;
    const body = await refused(ctx, "PATCH", `${BASE}/${target.id}`, { input: { data: { assigneeId: foreign } } }, 400);
    expect(body.error.issues).toEqual([{ path: ["input", "data", "assigneeId"], message: "Assignee must be a user of the organization" }]);
    // null un-assigns
    expect((await patch(ctx, target.id, { input: { data: { assigneeId: null } } })).status).toBe(200);
    expect(((await ctx.raw()).find((c: any) => c.id === target.id) as any).assigneeId).toBeNull();
  });

  it("otp: six digits when present", async () => {
    const ctx = await start();
    const target = await firstCustomer(ctx);
    for (const bad of ["12345", "1234567", "abcdef", 123456]) {
      const body = await refused(ctx, "PATCH", `${BASE}/${target.id}`, { input: { data: {}, otp: bad } }, 400);
      expect(body.error.issues).toEqual([{ path: ["input", "otp"], message: typeof bad === "number" ? "Expected string, received number" : "OTP must be 6 digits" }]);
    }
    expect((await patch(ctx, target.id, { input: { data: {}, otp: "000000" } })).status).toBe(200);
  });

  it("a missing or wrongly typed envelope is listed at its path", async () => {
    const ctx = await start();
    const target = await firstCustomer(ctx);
    const url = `${BASE}/${target.id}`;
    expect((await refused(ctx, "PATCH", url, {}, 400)).error.issues).toEqual([{ path: ["input"], message: "Required" }]);
    expect((await refused(ctx, "PATCH", url, { input: {} }, 400)).error.issues).toEqual([{ path: ["input", "data"], message: "Required" }]);
    expect((await refused(ctx, "PATCH", url, { input: { data: [] } }, 400)).error.issues).toEqual([{ path: ["input", "data"], message: "Expected object, received array" }]);
    expect((await refused(ctx, "PATCH", url, [1], 400)).error.issues).toEqual([{ path: [], message: "Expected object, received array" }]);
    // express.json() is strict: a body that is not an object or an array is a syntax error
    expect((await refused(ctx, "PATCH", url, "null", 400)).error).toEqual({ code: "INVALID_JSON", message: `Unexpected token 'n', "null" is not valid JSON` });
    expect((await refused(ctx, "PATCH", url, ' \n"x"', 400)).error).toEqual({ code: "INVALID_JSON", message: `Unexpected token '"', " \n"x"" is not valid JSON` });
    expect((await refused(ctx, "PATCH", url, "42", 400)).error.code).toBe("INVALID_JSON");
    // a byte order mark is dropped first, as iconv-lite does
    expect((await ctx.send("PATCH", url, '\ufeff{"input":{"data":{}}}')).status).toBe(200);
    // no body at all, or a body that is not JSON by its Content-Type: as express.json() leaves it
    const empty = await ctx.req(url, { method: "PATCH", headers: ctx.full });
    expect(((await empty.json()) as any).error.issues).toEqual([{ path: ["input"], message: "Required" }]);
    const text = await ctx.req(url, { method: "PATCH", body: "name=x", headers: { ...ctx.full, "Content-Type": "text/plain" } });
    expect(text.status).toBe(400);
    expect(((await text.json()) as any).error.code).toBe("VALIDATION_ERROR");
  });

  it("a JSON body in a charset body-parser does not decode → 415 in its words, before auth; UTF charsets are read", async () => {
    const ctx = await start();
    const target = await firstCustomer(ctx);
    const url = `${BASE}/${target.id}`;
    const body = await refused(ctx, "PATCH", url, { input: { data: { name: "Latin" } } }, 415, { ...ctx.full, "Content-Type": "application/json; charset=latin1" });
    expect(body.error).toEqual({ code: "UNSUPPORTED_MEDIA_TYPE", message: 'unsupported charset "LATIN1"' });
    const noKey = await ctx.req(url, { method: "PATCH", body: "{}", headers: { "Content-Type": "application/json; charset=ISO-8859-1" } });
    expect(noKey.status).toBe(415);
    const utf8 = await ctx.req(url, { method: "PATCH", body: JSON.stringify({ input: { data: { name: "Utf" } } }), headers: { ...ctx.full, "Content-Type": 'application/json; charset="UTF-8"' } });
    expect(utf8.status).toBe(200);
  });

  it("malformed JSON → 400 INVALID_JSON, before auth; nothing stored", async () => {
    const ctx = await start();
    const target = await firstCustomer(ctx);
    for (const text of ['{"input": ', "{'input': 1}", '{"input": {}} x', "NaN"]) {
      const body = await refused(ctx, "PATCH", `${BASE}/${target.id}`, text, 400);
      expect(body.error.code, text).toBe("INVALID_JSON");
      expect(typeof body.error.message).toBe("string");
      expect(Object.keys(body.error)).toEqual(["code", "message"]);
    }
    const noAuth = await ctx.req(`${BASE}/${target.id}`, { method: "PATCH", body: "{", headers: { "Content-Type": "application/json" } });
    expect(noAuth.status).toBe(400);
    expect(((await noAuth.json()) as any).error.code).toBe("INVALID_JSON");
    const deep = "[".repeat(5000) + "]".repeat(5000);
    expect((await refused(ctx, "PATCH", `${BASE}/${target.id}`, deep, 400)).error.code).toBe("INVALID_JSON");
  });
});

describe("PATCH uniqueness within the organization (409)", () => {
  async function pair(ctx: Ctx) {
    const all = await allCustomers(ctx);
    const holder = all.find((c) => c.username !== null)!;
    const other = all.find((c) => c.id !== holder.id)!;
    return { holder, other };
  }

  it("email, case-insensitively → EMAIL_TAKEN with conflictingCustomer and the email", async () => {
    const ctx = await start();
    const { holder, other } = await pair(ctx);
    const sent = holder.email.toUpperCase();
    const body = await refused(ctx, "PATCH", `${BASE}/${other.id}`, { input: { data: { email: sent } } }, 409);
    expect(body).toEqual({ error: { code: "EMAIL_TAKEN", message: expect.any(String), conflictingCustomer: { id: holder.id, name: holder.name }, email: sent } });
  });

  it("phoneNumber → PHONE_TAKEN with conflictingCustomer and the phoneNumber", async () => {
    const ctx = await start();
    const { holder, other } = await pair(ctx);
    const body = await refused(ctx, "PATCH", `${BASE}/${other.id}`, { input: { data: { phoneNumber: holder.phoneNumber } } }, 409);
    expect(body).toEqual({ error: { code: "PHONE_TAKEN", message: expect.any(String), conflictingCustomer: { id: holder.id, name: holder.name }, phoneNumber: holder.phoneNumber } });
  });

  it("username, case-insensitively → USERNAME_TAKEN with conflictingCustomer and the username", async () => {
    const ctx = await start();
    const { holder, other } = await pair(ctx);
    const sent = holder.username.toUpperCase();
    const body = await refused(ctx, "PATCH", `${BASE}/${other.id}`, { input: { data: { username: sent } } }, 409);
    expect(body).toEqual({ error: { code: "USERNAME_TAKEN", message: expect.any(String), conflictingCustomer: { id: holder.id, name: holder.name }, username: sent } });
  });

  it("several taken: the first of email, phoneNumber, username is reported", async () => {
    const ctx = await start();
    const all = await allCustomers(ctx);
    const [a, b, c] = all.filter((x) => x.username !== null);
    const other = all.find((x) => ![a.id, b.id, c.id].includes(x.id))!;
    const url = `${BASE}/${other.id}`;
    const all3 = await refused(ctx, "PATCH", url, { input: { data: { username: a.username, phoneNumber: b.phoneNumber, email: c.email } } }, 409);
    expect(all3.error).toMatchObject({ code: "EMAIL_TAKEN", conflictingCustomer: { id: c.id } });
    const two = await refused(ctx, "PATCH", url, { input: { data: { username: a.username, phoneNumber: b.phoneNumber } } }, 409);
    expect(two.error).toMatchObject({ code: "PHONE_TAKEN", conflictingCustomer: { id: b.id } });
  });

  it("a customer's own values are not a conflict (same email in another case, same phone)", async () => {
    const ctx = await start();
    const { holder } = await pair(ctx);
    const res = await patch(ctx, holder.id, { input: { data: { email: holder.email.toUpperCase(), phoneNumber: holder.phoneNumber, username: holder.username } } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).customer.email).toBe(holder.email.toUpperCase());
  });

  it("a freed value can be taken: after A changes email, B may use A's old one", async () => {
    const ctx = await start();
    const { holder, other } = await pair(ctx);
    expect((await patch(ctx, holder.id, { input: { data: { email: "moved@example.com" } } })).status).toBe(200);
    expect((await patch(ctx, other.id, { input: { data: { email: holder.email } } })).status).toBe(200);
    // and the new value is now taken
    const body = await refused(ctx, "PATCH", `${BASE}/${other.id}`, { input: { data: { email: "MOVED@example.com" } } }, 409);
    expect(body.error.conflictingCustomer.id).toBe(holder.id);
  });

  it("a 409 changes nothing, not even the fields that were valid", async () => {
    const ctx = await start();
    const { holder, other } = await pair(ctx);
    await refused(ctx, "PATCH", `${BASE}/${other.id}`, { input: { data: { name: "Changed", tags: ["x"], email: holder.email } } }, 409);
  });
});
