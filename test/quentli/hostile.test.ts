// Hostile input and concurrency: whatever a client sends, Quentli answers in its own
// `{"error":{code,message}}` shape with a 4xx (never a 5xx), and a refused write changes nothing.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TEXT_MESSAGE } from "../../src/simulators/quentli/schemas.js";
import { BASE, refused, start } from "./_helpers.js";

const FIELDS = [
  "name", "email", "phoneNumber", "password", "username", "tags", "tosIp", "secondaryPhoneNumber",
  "acceptedServiceAgreement", "skipTaxInvoice", "signature", "assigneeId", "optedOutWhatsappAt",
  "hasChangedPassword", "phoneNumberVerified", "emailVerified", "replyWithAssistant", "metadata", "meta",
];

describe("hostile input", () => {
  it("a NUL character or an unpaired surrogate in any stored string → 400 at its path, nothing stored (decision)", async () => {
    const ctx = await start();
    const id = ctx.tenants[0]!.customerIds[0]!;
    const bad = {
      name: "Ana\u0000López",
      username: "ana\ud800",
      password: "p\u0000",
      signature: "\udc00signed",
      tags: ["ok", "V\u0000IP"],
      metadata: [{ key: "k\u0000", value: "v" }, { key: "k2", value: "\ud83d" }],
    };
    const expected = [
      { path: ["input", "data", "name"], message: TEXT_MESSAGE },
      { path: ["input", "data", "password"], message: TEXT_MESSAGE },
      { path: ["input", "data", "username"], message: TEXT_MESSAGE },
      { path: ["input", "data", "tags", 1], message: TEXT_MESSAGE },
      { path: ["input", "data", "signature"], message: TEXT_MESSAGE },
      { path: ["input", "data", "metadata", 0, "key"], message: TEXT_MESSAGE },
      { path: ["input", "data", "metadata", 1, "value"], message: TEXT_MESSAGE },
    ];
    const patch = await refused(ctx, "PATCH", `${BASE}/${id}`, { input: { data: bad } }, 400);
    expect(patch.error.code).toBe("VALIDATION_ERROR");
    expect(patch.error.issues).toEqual(expect.arrayContaining(expected));
    expect(patch.error.issues).toHaveLength(expected.length);
    const create = await refused(ctx, "POST", BASE, { input: bad }, 400);
    expect(create.error.issues.map((i: any) => i.path)).toEqual(expect.arrayContaining([["input", "name"], ["input", "tags", 1]]));
    // a paired surrogate (an emoji) and other unicode are text
    const ok = await ctx.send("POST", BASE, { input: { name: "Ana López 😀 名前", tags: ["ñ"], metadata: [{ key: "ключ", value: "😀" }] } });
    expect(ok.status).toBe(201);
    expect(((await ok.json()) as any).customer).toMatchObject({ name: "Ana López 😀 名前", meta: { ключ: "😀" } });
  });

  it("invalid UTF-8 bytes are decoded with replacement characters, as express.json() does (no 5xx)", async () => {
    const ctx = await start();
    const body = Buffer.concat([Buffer.from('{"input":{"name":"A'), Buffer.from([0xff, 0xc3]), Buffer.from('"}}')]);
    const res = await ctx.req(BASE, { method: "POST", body, headers: { ...ctx.full, "Content-Type": "application/json" } });
    expect(res.status).toBe(201);
    expect(((await res.json()) as any).customer.name).toBe("A\ufffd\ufffd");
  });

  it("deeply nested JSON: beyond 1,000 levels INVALID_JSON; an ignored deep field is dropped", async () => {
    const ctx = await start();
    const deep = await refused(ctx, "POST", BASE, `${"[".repeat(5000)}${"]".repeat(5000)}`, 400);
    expect(deep.error).toEqual({ code: "INVALID_JSON", message: "Request body is nested too deeply" });
    const ignored = await ctx.send("POST", BASE, `{"input":{"name":"Deep","x":${"[".repeat(500)}${"]".repeat(500)}}}`);
    expect(ignored.status).toBe(201);
  });

  it("generated bodies of every JSON type at every field: a 2xx, or a 4xx in Quentli's shape that changes nothing", async () => {
    const ctx = await start();
    const id = ctx.tenants[0]!.customerIds[0]!;
    const value = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.string({ unit: "binary", maxLength: 40 }),
      fc.constantFrom("\u0000", "\ud800", "+525512345678", "juan@example.com", "::1", "2025-01-01T00:00:00Z", [{ key: "a", value: "b" }], [{ key: "__proto__", value: "x" }], { __proto__: 1 }),
    );
    const data = fc.dictionary(fc.oneof(fc.constantFrom(...FIELDS), fc.string({ maxLength: 8 })), value, { maxKeys: 6 });
    const envelope = fc.oneof(
      data.map((d) => ({ create: true, body: { input: d } as unknown })),
      fc.tuple(data, fc.option(value)).map(([d, otp]) => ({ create: false, body: { input: { data: d, ...(otp === null ? {} : { otp }) } } as unknown })),
      fc.tuple(fc.boolean(), fc.jsonValue({ maxDepth: 2 })).map(([create, v]) => ({ create, body: v as unknown })),
    );
    await fc.assert(
      fc.asyncProperty(envelope, async ({ create, body }) => {
        const before = JSON.stringify(await ctx.raw());
        const res = await ctx.send(create ? "POST" : "PATCH", create ? BASE : `${BASE}/${id}`, JSON.stringify(body));
        const json = (await res.json()) as any;
        expect(res.status, JSON.stringify(body)).toBeLessThan(500);
        if (res.status >= 400) {
          expect([400, 409]).toContain(res.status);
          expect(typeof json.error.code).toBe("string");
          expect(typeof json.error.message).toBe("string");
          expect(JSON.stringify(await ctx.raw())).toBe(before);
        }
      }),
      { numRuns: 300, seed: 7 },
    );
    // every stored customer still reads back
    expect((await ctx.getJson(`${BASE}?take=100`)).status).toBe(200);
  });
});

describe("concurrency", () => {
  it("N concurrent claims of one email, phone number or username (any case): exactly one wins, over HTTP with --data", async () => {
    const dir = await mkdtemp(join(tmpdir(), "quentli-race-"));
    try {
      const ctx = await start({ data: join(dir, "state.json") });
      const { url } = await ctx.sim.listen(0);
      const id = ctx.tenants[0]!.customerIds;
      const claims: [string, string, string][] = [
        ["email", "race@example.com", "patch.race@example.com"],
        ["phoneNumber", "+525500001111", "+525500002222"],
        ["username", "racer", "patch_racer"],
      ];
      for (const [field, value, patchValue] of claims) {
        const creates = Array.from({ length: 12 }, (_, i) => fetch(`${url}${BASE}`, {
          method: "POST",
          headers: { ...ctx.full, "Content-Type": "application/json" },
          body: JSON.stringify({ input: { name: `Racer ${i}`, [field]: i % 2 && field !== "phoneNumber" ? value.toUpperCase() : value } }),
        }));
        const patches = id.slice(0, 12).map((cid, i) => fetch(`${url}${BASE}/${cid}`, {
          method: "PATCH",
          headers: { ...ctx.full, "Content-Type": "application/json" },
          body: JSON.stringify({ input: { data: { [field]: i % 2 && field !== "phoneNumber" ? patchValue.toUpperCase() : patchValue } } }),
        }));
        const created = await Promise.all(creates.map(async (p) => (await p).status));
        const patched = await Promise.all(patches.map(async (p) => (await p).status));
        expect(created.filter((s) => s === 201), field).toHaveLength(1);
        expect(created.filter((s) => s === 409), field).toHaveLength(11);
        expect(patched.filter((s) => s === 200), field).toHaveLength(1);
        expect(patched.filter((s) => s === 409), field).toHaveLength(11);
      }
      const raw = (await ctx.raw()) as any[];
      for (const [field, value, patchValue] of claims) {
        expect(raw.filter((c) => String(c[field]).toLowerCase() === patchValue.toLowerCase()), field).toHaveLength(1);
        expect(raw.filter((c) => String(c[field]).toLowerCase() === value.toLowerCase()), field).toHaveLength(1);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
