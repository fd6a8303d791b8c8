// Hostile input (spec: plane.md#validation-and-rules): every wrong JSON type in every field,
// DRF's char-field validators, integer edge cases, concurrent writes claiming one name.
import { describe, expect, it } from "vitest";
import { raw, start } from "./_helpers.js";

const FIELDS = [
  "name", "description", "description_html", "email", "website_url", "logo_props", "domain", "employees", "stage", "contract_status",
  "revenue", "archived_at", "external_source", "external_id", "created_by", "logo_asset", "updated_by", "id", "workspace",
];
const VALUES: unknown[] = [
  null, true, false, 0, -1, 1.5, 2 ** 31, -(2 ** 63), 1e300, "", " ", "\u0000", "\ud800", "x".repeat(300), [], [1, "a"], {}, { a: { b: [null] } },
  "2024-13-45T99:99:99Z", "00000000-0000-0000-0000-000000000000", "été 😀", "<script>alert(1)</script>",
];

describe("plane hostile input", () => {
  it("every wrong type in every field, on POST and PATCH: a Plane 2xx/4xx, never a 5xx; a refused write changes nothing", async () => {
    const ctx = await start();
    const id = ctx.tenants[0]!.customerIds[0]!;
    for (const field of FIELDS) {
      for (const value of VALUES) {
        const label = `${field}=${JSON.stringify(value).slice(0, 40)}`;
        const post = field === "name" ? { name: value } : { name: `Hostile ${field}`, [field]: value };
        for (const [method, path, body] of [["POST", `${ctx.base}/`, post], ["PATCH", `${ctx.base}/${id}/`, { [field]: value }]] as const) {
          const before = JSON.stringify(await raw(ctx));
          const res = await ctx.send(method, path, body);
          expect(res.status, `${method} ${label}`).toBeLessThan(500);
          const json = (await res.json()) as Record<string, unknown>;
          if (res.status < 300) continue;
          expect(res.status, `${method} ${label}`).toBe(400);
          // DRF's field errors: every value a list of strings
          for (const messages of Object.values(json)) expect(Array.isArray(messages) && messages.every((m) => typeof m === "string"), label).toBe(true);
          expect(JSON.stringify(await raw(ctx)), `${method} ${label}: nothing stored changed`).toBe(before);
        }
      }
    }
    // still serving, and the list is sound
    expect((await ctx.getJson(`${ctx.base}/?per_page=1000`)).status).toBe(200);
  }, 120_000);

  it("null characters and lone surrogates in text fields → DRF's messages; nothing stored", async () => {
    const ctx = await start();
    const before = await raw(ctx);
    const res = await ctx.send("POST", `${ctx.base}/`, {
      name: "a\u0000b", description_html: "<p>\u0000</p>", email: "a\u0000@x.com", domain: "x\ud800y", stage: "\udc01", external_id: "ok\u0000",
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      name: ["Null characters are not allowed."],
      description_html: ["Null characters are not allowed."],
      email: ["Null characters are not allowed.", "Enter a valid email address."],
      domain: ["Surrogate characters are not allowed: U+D800."],
      stage: ["Surrogate characters are not allowed: U+DC01."],
      external_id: ["Null characters are not allowed."],
    });
    // an escaped pair is one character, not a surrogate
    const ok = await ctx.send("POST", `${ctx.base}/`, '{"name":"smile \\ud83d\\ude00"}');
    expect(ok.status).toBe(201);
    expect(((await ok.json()) as any).name).toBe("smile 😀");
    const id = ctx.tenants[0]!.customerIds[0]!;
    const patch = await ctx.send("PATCH", `${ctx.base}/${id}/`, '{"revenue":"\\u0000"}');
    expect(patch.status).toBe(400);
    expect(await patch.json()).toEqual({ revenue: ["Null characters are not allowed."] });
    expect((await raw(ctx)).filter((r) => before.every((b) => b.id !== r.id)).map((r) => r.name)).toEqual(["smile 😀"]);
  });

  it("description_html is a DRF CharField: numbers become strings, whitespace is trimmed", async () => {
    const ctx = await start();
    const a = await ctx.send("POST", `${ctx.base}/`, { name: "Html A", description_html: 123 });
    expect(a.status).toBe(201);
    expect(await a.json()).toMatchObject({ description_html: "123", description_stripped: "123" });
    const b = await ctx.send("POST", `${ctx.base}/`, { name: "Html B", description_html: "  <p>x</p>\n" });
    expect(await b.json()).toMatchObject({ description_html: "<p>x</p>", description_stripped: "x" });
  });

  it("employees: DRF IntegerField — '1_000', huge integers only out of range, strings over 1000 characters", async () => {
    const ctx = await start();
    const cases: [string, number | Record<string, string[]>][] = [
      ['"1_000"', 1000],
      ['" -12.000 "', -12],
      ["2147483647", 2147483647],
      ["12345678901234567890", { employees: ["Ensure this value is less than or equal to 2147483647."] }],
      ["-12345678901234567890123", { employees: ["Ensure this value is greater than or equal to -2147483648."] }],
      ['"99999999999999999999"', { employees: ["Ensure this value is less than or equal to 2147483647."] }],
      [`"${"9".repeat(1001)}"`, { employees: ["String value too large."] }],
      ['"1e3"', { employees: ["A valid integer is required."] }],
      ["1e400", { employees: ["A valid integer is required."] }],
    ];
    for (const [i, [text, expected]] of cases.entries()) {
      const res = await ctx.send("POST", `${ctx.base}/`, `{"name":"Emp ${i}","employees":${text}}`);
      const body = (await res.json()) as any;
      if (typeof expected === "number") {
        expect(res.status, text).toBe(201);
        expect(body.employees, text).toBe(expected);
      } else {
        expect(res.status, text).toBe(400);
        expect(body, text).toEqual(expected);
      }
    }
  });

  it("N concurrent creates, or PATCHes, claiming one name: exactly one wins, the rest get the name rule's 400", async () => {
    const ctx = await start();
    const creates = await Promise.all(Array.from({ length: 20 }, (_, i) => ctx.send("POST", `${ctx.base}/`, { name: "Race Co", stage: `s${i}` })));
    // the first creates it; the others match it by name (the upsert) and update it: one customer
    expect(creates.filter((r) => r.status === 201)).toHaveLength(1);
    expect(creates.filter((r) => r.status === 200)).toHaveLength(19);
    expect((await ctx.getJson(`${ctx.base}/?query=Race Co`)).body.total_count).toBe(1);

    const ids = ctx.tenants[0]!.customerIds.slice(0, 20);
    const patches = await Promise.all(ids.map((id) => ctx.send("PATCH", `${ctx.base}/${id}/`, { name: "Patch Race" })));
    expect(patches.filter((r) => r.status === 200)).toHaveLength(1);
    for (const r of patches.filter((r) => r.status !== 200)) {
      expect(r.status).toBe(400);
      expect(await r.json()).toEqual({ name: ["Customer with this name already exists in workspace"] });
    }
    const live = (await raw(ctx)).filter((r) => r.deleted_at === null && r.name === "Patch Race");
    expect(live).toHaveLength(1);
  });
});

describe("plane bodies DRF's JSONParser refuses", () => {
  const bytes = (...parts: (string | number[])[]) =>
    Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "utf8") : Buffer.from(p))));

  it("invalid UTF-8 → 400 JSON parse error with CPython's codec message; an incomplete last sequence is dropped as the stream reader does", async () => {
    const ctx = await start();
    const before = await raw(ctx);
    const cases: [Buffer, string][] = [
      [bytes('{"name":"', [0xff], '"}'), "'utf-8' codec can't decode byte 0xff in position 9: invalid start byte"],
      [bytes('{"name":"', [0xc3, 0x28], '"}'), "'utf-8' codec can't decode byte 0xc3 in position 9: invalid continuation byte"],
      [bytes('{"name":"', [0xe2, 0x82, 0x28], '"}'), "'utf-8' codec can't decode bytes in position 9-10: invalid continuation byte"],
      [bytes('{"name":"', [0xed, 0xa0, 0x80], '"}'), "'utf-8' codec can't decode byte 0xed in position 9: invalid continuation byte"],
      [bytes('{"name":"é', [0x80], '"}'), "'utf-8' codec can't decode byte 0x80 in position 11: invalid start byte"],
      [bytes('{"name":"x', [0xe2, 0x82]), "Unterminated string starting at: line 1 column 9 (char 8)"],
    ];
    for (const [body, reason] of cases) {
      const res = await ctx.req(`${ctx.base}/`, { method: "POST", body, headers: { ...ctx.full, "Content-Type": "application/json" } });
      expect(res.status, reason).toBe(400);
      expect(await res.json()).toEqual({ detail: `JSON parse error - ${reason}` });
    }
    const id = ctx.tenants[0]!.customerIds[0]!;
    const patch = await ctx.req(`${ctx.base}/${id}/`, { method: "PATCH", body: bytes('{"stage":"', [0xfe], '"}'), headers: { ...ctx.full, "Content-Type": "application/json" } });
    expect(await patch.json()).toEqual({ detail: "JSON parse error - 'utf-8' codec can't decode byte 0xfe in position 10: invalid start byte" });
    expect(await raw(ctx)).toEqual(before);
    // a cut-off sequence after the JSON is dropped: the object is read
    const tail = await ctx.req(`${ctx.base}/`, { method: "POST", body: bytes('{"name":"Tail"}', [0xf0, 0x9f]), headers: { ...ctx.full, "Content-Type": "application/json" } });
    expect(tail.status).toBe(201);
  });

  it("NaN and ±Infinity → DRF's strict-JSON message", async () => {
    const ctx = await start();
    for (const k of ["NaN", "Infinity", "-Infinity"]) {
      const res = await ctx.send("POST", `${ctx.base}/`, `{"name": "x", "employees": ${k}}`);
      expect(res.status, k).toBe(400);
      expect(await res.json()).toEqual({ detail: `JSON parse error - Out of range float values are not JSON compliant: '${k}'` });
    }
  });
});
