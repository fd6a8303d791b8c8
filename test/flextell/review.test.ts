// Spec-compliance review: hostile input, the list's order and cost, state across restarts
// (spec: flextell.md#update, #list; simulator.md#state).
import { describe, expect, it } from "vitest";
import { BASE, start, type Ctx } from "./_helpers.js";

async function unchanged(ctx: Ctx, run: () => Promise<Response>): Promise<Response> {
  const before = JSON.stringify(await ctx.raw());
  const res = await run();
  expect(JSON.stringify(await ctx.raw())).toBe(before);
  return res;
}

const MALFORMED = { message: "Malformed JSON body." };

describe("flextell hostile input", () => {
  it("numbers out of range get Laravel's integer message; an int64 that is no id is 'invalid'", async () => {
    const ctx = await start();
    const id = ctx.tenants[0]!.customerIds[0]!;
    const res = await unchanged(ctx, () => ctx.send("PUT", `${BASE}/${id}`, '{"country_id":1e400,"default_channel_id":99999999999999999999,"user_id":1152921504606846976}'));
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({
      message: "The country id field must be an integer. (and 2 more errors)",
      errors: {
        country_id: ["The country id field must be an integer."],
        default_channel_id: ["The default channel id field must be an integer."],
        user_id: ["The selected user id is invalid."],
      },
    });
    const list = await ctx.getJson(`${BASE}?per_page=1e400&page=99999999999999999999`);
    expect(list.status).toBe(422);
    expect(list.body.errors).toEqual({ per_page: ["The per page field must be an integer."], page: ["The page field must be an integer."] });
  });

  it("a body that is not UTF-8 (raw bytes, an unpaired surrogate escape, %FF in a form) → 400, nothing stored", async () => {
    const ctx = await start();
    const id = ctx.tenants[0]!.customerIds[0]!;
    const enc = new TextEncoder();
    const bytes = new Uint8Array([...enc.encode('{"first_name":"a'), 0xff, 0xfe, ...enc.encode('"}')]);
    const bodies: [string, RequestInit["body"], string][] = [
      ["PUT", bytes, "application/json"],
      ["PATCH", '{"first_name":"a\\ud800b"}', "application/json"],
      ["PUT", '{"job":"x","\\udc00":1}', "application/json"],
      ["PATCH", "first_name=%FF%FE", "application/x-www-form-urlencoded"],
    ];
    for (const [method, body, type] of bodies) {
      const res = await unchanged(ctx, () => ctx.req(`${BASE}/${id}`, { method, body, headers: { ...ctx.full, "Content-Type": type } }));
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual(MALFORMED);
    }
    const post = await unchanged(ctx, () => ctx.req(BASE, { method: "POST", body: bytes, headers: { ...ctx.full, "Content-Type": "application/json" } }));
    expect(post.status).toBe(400);
    // valid non-ASCII text (and a surrogate pair) is kept as sent
    const ok = await ctx.send("PATCH", `${BASE}/${id}`, { first_name: "Zoë 😀 名前" });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as any).data.first_name).toBe("Zoë 😀 名前");
  });

  it("wrong JSON types in every field: all reported at once, never a 5xx, nothing stored", async () => {
    const ctx = await start();
    const id = ctx.tenants[0]!.customerIds[0]!;
    const values = [true, 1.5, -1, [], [1], {}, { a: 1 }, "x".repeat(5000), "\u0000"];
    const fields = ["first_name", "last_name", "phone_number", "email", "date_of_birth", "gender", "country_id", "identity_number", "job", "address", "default_channel_id", "user_id"];
    for (const v of values) {
      const body = Object.fromEntries(fields.map((f) => [f, v]));
      for (const method of ["PUT", "PATCH", "POST"]) {
        const res = await unchanged(ctx, () => ctx.send(method, method === "POST" ? BASE : `${BASE}/${id}`, body));
        expect(res.status, `${method} ${JSON.stringify(v).slice(0, 20)}`).toBe(422);
        const json = (await res.json()) as any;
        const n = Object.values(json.errors).flat().length;
        expect(json.message.endsWith(n === 1 ? "" : n === 2 ? " (and 1 more error)" : ` (and ${n - 1} more errors)`)).toBe(true);
      }
    }
  });

  it("form fields `name[x]` are arrays, as PHP's parse_str makes them: 422, nothing stored", async () => {
    const ctx = await start();
    const id = ctx.tenants[0]!.customerIds[0]!;
    const res = await unchanged(ctx, () =>
      ctx.req(`${BASE}/${id}`, { method: "PATCH", body: "first_name[x]=a&job[]=b&country_id[0][1]=840", headers: { ...ctx.full, "Content-Type": "application/x-www-form-urlencoded" } }),
    );
    expect(res.status).toBe(422);
    expect(((await res.json()) as any).errors).toEqual({
      first_name: ["The first name field must be a string."],
      country_id: ["The country id field must be an integer."],
      job: ["The job field must be a string."],
    });
  });
});

describe("flextell big bodies", () => {
  it("a form body of 200,000 `x[]` fields is read in linear time (201, not a hang)", async () => {
    const ctx = await start();
    const body = `first_name=A&${"x[]=&".repeat(200_000)}`;
    const t0 = Date.now();
    const res = await ctx.req(BASE, { method: "POST", body, headers: { ...ctx.full, "Content-Type": "application/x-www-form-urlencoded" } });
    expect(res.status).toBe(201);
    expect(Date.now() - t0).toBeLessThan(15_000);
  });

  it("200,000 `tags[]` in a JSON body: every element reported (tags.N), nothing stored", async () => {
    const ctx = await start();
    const res = await unchanged(ctx, () => ctx.send("POST", BASE, `{"first_name":"A","tags":[${Array(200_000).fill('"x"').join(",")}]}`));
    expect(res.status).toBe(422);
    const json = (await res.json()) as any;
    expect(json.errors["tags.199999"]).toEqual(["The tags.199999 field must be an integer."]);
    expect(json.message).toBe("The tags.0 field must be an integer. (and 199999 more errors)");
  });

  it("a non-UTF-8 body of another media type is still a 415", async () => {
    const ctx = await start();
    const res = await ctx.req(`${BASE}/${ctx.tenants[0]!.customerIds[0]}`, { method: "PUT", body: new Uint8Array([0x61, 0xff]), headers: { ...ctx.full, "Content-Type": "text/plain" } });
    expect(res.status).toBe(415);
  });
});

describe("flextell date_of_birth", () => {
  it("takes years 1–99 as themselves, any fraction of a second, and ±HH zones; year 0 is no date", async () => {
    const ctx = await start();
    const id = ctx.tenants[0]!.customerIds[0]!;
    const cases: [string, string | null][] = [
      ["0001-01-01", "0001-01-01T00:00:00.000000Z"],
      ["0099-12-31T23:59:59Z", "0099-12-31T00:00:00.000000Z"],
      ["2023-11-07T05:31:56.123456789Z", "2023-11-07T00:00:00.000000Z"],
      ["2023-11-07T05:31:56+02", "2023-11-07T00:00:00.000000Z"],
      ["0000-01-01", null],
      ["2023-02-29", null],
    ];
    for (const [sent, shown] of cases) {
      const res = await ctx.send("PATCH", `${BASE}/${id}`, { date_of_birth: sent });
      const body = (await res.json()) as any;
      if (shown === null) expect(body, sent).toEqual({ message: "The date of birth field must be a valid date.", errors: { date_of_birth: ["The date of birth field must be a valid date."] } });
      else expect(body.data?.date_of_birth, sent).toBe(shown);
    }
  });
});

describe("flextell list order and cost", () => {
  it("sorts text case-insensitively, NULLs first ascending and last descending (MySQL), ties by id the same way", async () => {
    const ctx = await start();
    const tenant = (await (await ctx.req("/__admin/flextell/tenants", { method: "POST" })).json()) as any;
    const headers = tenant.credentials[0].headers;
    const names = ["bob", "Alice", null, "alice", "Carol", "ángel", "Bob"];
    const ids: number[] = [];
    for (const last of names) {
      const res = await ctx.send("POST", BASE, last === null ? { first_name: "F" } : { first_name: "F", last_name: last }, headers);
      ids.push(((await res.json()) as any).data.id);
    }
    const order = async (q: string) => ((await ctx.getJson(`${BASE}?${q}`, headers)).body.data as any[]).map((c) => c.last_name);
    expect(await order("sort_by=last_name&sort_order=asc")).toEqual([null, "Alice", "alice", "bob", "Bob", "Carol", "ángel"]);
    expect(await order("sort_by=last_name&sort_order=desc")).toEqual(["ángel", "Carol", "Bob", "bob", "alice", "Alice", null]);
    // the default created_at desc: created in the same second, the newest (highest id) first
    expect(((await ctx.getJson(BASE, headers)).body.data as any[]).map((c) => c.id)).toEqual([...ids].reverse());
    // a deleted customer leaves the order; an update moves one
    await ctx.req(`${BASE}/${ids[0]}`, { method: "DELETE", headers });
    await ctx.send("PATCH", `${BASE}/${ids[4]}`, { last_name: "aaron" }, headers);
    expect(await order("sort_by=last_name&sort_order=asc&per_page=3&page=1")).toEqual([null, "aaron", "Alice"]);
    expect(await order("sort_by=last_name&sort_order=asc&per_page=3&page=2")).toEqual(["alice", "Bob", "ángel"]);
    expect((await ctx.getJson(`${BASE}?sort_by=last_name&search=B`, headers)).body.meta.total).toBe(1);
  });

  it("a page reads the table's ordered index: after its first use, no request sorts the tenant's customers", async () => {
    const ctx = await start();
    const tenant = (await (await ctx.req("/__admin/flextell/tenants", { method: "POST" })).json()) as any;
    const headers = tenant.credentials[0].headers;
    const N = 1500;
    const make = async (i: number) => {
      const res = await ctx.send("POST", BASE, { first_name: `N${(i * 7919) % N}`, gender: i % 2 ? "male" : null }, headers);
      expect(res.status).toBe(201);
      return ((await res.json()) as any).data.id as number;
    };
    for (let i = 0; i < N; i++) await make(i);
    const queries = ["", "sort_by=first_name&sort_order=asc&page=40", "sort_by=gender&page=60&per_page=20", "sort_by=updated_at&sort_order=asc&page=7"];
    const run = async (total: number) => {
      for (const q of queries) {
        const res = await ctx.sim.app.request(`${BASE}?${q}`, { headers });
        expect(res.status).toBe(200);
        expect(((await res.json()) as any).meta.total).toBe(total);
      }
    };
    await run(N); // an index may be built (one sort) the first time a field is listed
    // writes keep the indexes in order: an update, a delete and a create
    const extra = await make(N);
    await ctx.send("PATCH", `${BASE}/${extra}`, { first_name: "Zed" }, headers);
    await ctx.req(`${BASE}/${extra - 1}`, { method: "DELETE", headers });
    await make(N + 1);
    const sort = Array.prototype.sort;
    let largest = 0;
    Array.prototype.sort = function (this: unknown[], ...args: any[]) {
      largest = Math.max(largest, this.length);
      return sort.apply(this, args as any) as any;
    };
    try {
      await run(N + 1);
    } finally {
      Array.prototype.sort = sort;
    }
    expect(largest).toBeLessThan(100);
  });
});

describe("flextell restart", () => {
  it("--data keeps updates, soft deletes (list, 404, freed email) and the id sequence across tenants", async () => {
    const { mkdtemp, rm } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const dir = await mkdtemp(join(tmpdir(), "flextell-review-"));
    try {
      const file = join(dir, "state.json");
      const ctx = await start({ data: file });
      const a = ((await (await ctx.send("POST", BASE, { first_name: "Aaa", email: "Keep@Example.com" })).json()) as any).data;
      const b = ((await (await ctx.send("POST", BASE, { first_name: "Bbb", email: "gone@example.com" }, ctx.other)).json()) as any).data;
      await ctx.send("PATCH", `${BASE}/${a.id}`, { job: "Kept job" });
      await ctx.req(`${BASE}/${b.id}`, { method: "DELETE", headers: ctx.other });
      await ctx.sim.close();

      const again = await start({ data: file });
      expect((await again.getJson(`${BASE}/${a.id}`, ctx.full)).body.data.job).toBe("Kept job");
      expect((await again.getJson(`${BASE}/${b.id}`, ctx.other)).status).toBe(404);
      const list = await again.getJson(`${BASE}?sort_by=first_name&sort_order=asc&per_page=100`, ctx.other);
      expect(list.body.data.some((c: any) => c.id === b.id)).toBe(false);
      expect(list.body.meta.total).toBe(25);
      // the email is still taken in tenant 1 (any case), freed in tenant 2
      const dup = await again.send("POST", BASE, { first_name: "X", email: "keep@EXAMPLE.com" }, ctx.full);
      expect(dup.status).toBe(422);
      const reuse = await again.send("POST", BASE, { first_name: "Y", email: "gone@example.com" }, ctx.other);
      expect(reuse.status).toBe(201);
      expect(((await reuse.json()) as any).data.id).toBe(b.id + 1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
