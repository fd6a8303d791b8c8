import { describe, expect, it } from "vitest";
import { BASE, NOT_FOUND, start } from "./_helpers.js";

const INVALID_DESC = "The access token provided is expired, revoked, malformed, or invalid for other reasons.";

describe("rapidly auth", () => {
  it("no Authorization header → 401 Unauthorized with WWW-Authenticate", async () => {
    const ctx = await start();
    const res = await ctx.req(`${BASE}/`);
    expect(res.status).toBe(401);
    expect(await res.json() as any).toEqual({ error: "Unauthorized", detail: "Unauthorized" });
    expect(res.headers.get("www-authenticate")).toBe('Bearer realm="rapidly"');
    expect(res.headers.get("cache-control")).toBe("private, no-store");
  });

  it("a non-Bearer scheme or an empty token → 401 Unauthorized", async () => {
    const ctx = await start();
    const token = ctx.full.Authorization!.slice("Bearer ".length);
    for (const value of [`Basic ${token}`, token, "Bearer ", "Bearer"]) {
      const res = await ctx.req(`${BASE}/`, { headers: { Authorization: value } });
      expect(res.status, value).toBe(401);
      expect(await res.json() as any).toEqual({ error: "Unauthorized", detail: "Unauthorized" });
    }
  });

  it("the scheme is case-insensitive", async () => {
    const ctx = await start();
    const token = ctx.full.Authorization!.slice("Bearer ".length);
    const res = await ctx.req(`${BASE}/`, { headers: { Authorization: `bearer ${token}` } });
    expect(res.status).toBe(200);
  });

  it("an unknown token → 401 invalid_token with the OAuth header", async () => {
    const ctx = await start();
    const res = await ctx.req(`${BASE}/`, { headers: { Authorization: "Bearer rapidly_oat_" + "x".repeat(43) } });
    expect(res.status).toBe(401);
    expect(await res.json() as any).toEqual({ error: "invalid_token", error_description: INVALID_DESC });
    expect(res.headers.get("www-authenticate")).toBe(`Bearer realm="rapidly", error="invalid_token", error_description="${INVALID_DESC}"`);
    expect(res.headers.get("cache-control")).toBe("private, no-store");
  });

  it("tokens look like rapidly_oat_ + 43 base62 characters", async () => {
    const ctx = await start();
    for (const t of ctx.tenants) {
      for (const c of t.credentials) expect(c.headers.Authorization).toMatch(/^Bearer rapidly_oat_[0-9A-Za-z]{43}$/);
    }
  });

  it("a read-only token can read but not write: 403 insufficient_scope", async () => {
    const ctx = await start();
    const id = ctx.tenants[0]!.customerIds[0]!;
    expect((await ctx.req(`${BASE}/`, { headers: ctx.readOnly })).status).toBe(200);
    expect((await ctx.req(`${BASE}/${id}`, { headers: ctx.readOnly })).status).toBe(200);
    const forbidden = { error: "insufficient_scope", error_description: "The request requires higher privileges than provided by the access token." };
    const attempts = [
      ctx.send("POST", `${BASE}/`, { email: "new@example.com" }, ctx.readOnly),
      ctx.send("PATCH", `${BASE}/${id}`, { name: "x" }, ctx.readOnly),
      ctx.req(`${BASE}/${id}`, { method: "DELETE", headers: ctx.readOnly }),
      ctx.send("PATCH", `${BASE}/external/whatever`, { name: "x" }, ctx.readOnly),
      ctx.req(`${BASE}/external/whatever`, { method: "DELETE", headers: ctx.readOnly }),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(403);
      expect(await res.json() as any).toEqual(forbidden);
      expect(res.headers.get("cache-control")).toBe("private, no-store");
    }
    // nothing changed
    expect((await ctx.getJson(`${BASE}/${id}`)).body.deleted_at).toBeNull();
  });

  it("auth comes before path validation: a bad id without a token is a 401", async () => {
    const ctx = await start();
    const res = await ctx.req(`${BASE}/not-a-uuid`);
    expect(res.status).toBe(401);
  });

  it("scope comes before path and body validation", async () => {
    const ctx = await start();
    const res = await ctx.send("PATCH", `${BASE}/not-a-uuid`, { email: "bad" }, ctx.readOnly);
    expect(res.status).toBe(403);
  });
});

describe("rapidly tenant isolation", () => {
  it("a customer of another workspace is a 404 on every route, never a 403", async () => {
    const ctx = await start();
    const theirs = ctx.tenants[1]!.customerIds[0]!;
    const get = await ctx.req(`${BASE}/${theirs}`, { headers: ctx.full });
    expect(get.status).toBe(404);
    expect(await get.json() as any).toEqual(NOT_FOUND);
    const patch = await ctx.send("PATCH", `${BASE}/${theirs}`, { name: "hijack" });
    expect(patch.status).toBe(404);
    const del = await ctx.req(`${BASE}/${theirs}`, { method: "DELETE", headers: ctx.full });
    expect(del.status).toBe(404);
    // still intact for its owner
    const own = await ctx.getJson(`${BASE}/${theirs}`, ctx.other);
    expect(own.status).toBe(200);
    expect(own.body.name).not.toBe("hijack");
    expect(own.body.deleted_at).toBeNull();
  });

  it("lists only the token's workspace", async () => {
    const ctx = await start();
    const mine = await ctx.getJson(`${BASE}/?limit=100`);
    const theirs = await ctx.getJson(`${BASE}/?limit=100`, ctx.other);
    expect(mine.body.pagination.total_count).toBe(25);
    expect(theirs.body.pagination.total_count).toBe(25);
    const ws0 = ctx.tenants[0]!.id;
    expect(mine.body.items.every((c: any) => c.workspace_id === ws0)).toBe(true);
    const mineIds = new Set(mine.body.items.map((c: any) => c.id));
    expect(theirs.body.items.some((c: any) => mineIds.has(c.id))).toBe(false);
    // email filter across workspaces finds nothing
    const email = theirs.body.items[0].email;
    expect((await ctx.getJson(`${BASE}/?email=${encodeURIComponent(email)}`)).body.items).toEqual([]);
  });

  it("external id routes are scoped too", async () => {
    const ctx = await start();
    const theirs = (await ctx.getJson(`${BASE}/?limit=100`, ctx.other)).body.items.find((c: any) => c.external_id);
    const path = `${BASE}/external/${encodeURIComponent(theirs.external_id)}`;
    expect((await ctx.req(path, { headers: ctx.full })).status).toBe(404);
    expect((await ctx.send("PATCH", path, { name: "x" })).status).toBe(404);
    expect((await ctx.req(path, { method: "DELETE", headers: ctx.full })).status).toBe(404);
    expect((await ctx.req(path, { headers: ctx.other })).status).toBe(200);
  });

  it("email and external id uniqueness is per workspace", async () => {
    const ctx = await start();
    const theirs = (await ctx.getJson(`${BASE}/?limit=100`, ctx.other)).body.items.find((c: any) => c.external_id);
    const res = await ctx.send("POST", `${BASE}/`, { email: theirs.email, external_id: theirs.external_id });
    expect(res.status).toBe(201);
  });
});

describe("rapidly headers and fallbacks", () => {
  it("Cache-Control: private, no-store on success, 204, 404, 405, 413, 422", async () => {
    const ctx = await start();
    const id = ctx.tenants[0]!.customerIds[0]!;
    const responses = [
      await ctx.req(`${BASE}/${id}`, { headers: ctx.full }),
      await ctx.req(`${BASE}/${id}`, { method: "DELETE", headers: ctx.full }),
      await ctx.req(`/rapidly/api/nothing-here`, { headers: ctx.full }),
      await ctx.req(`${BASE}/${id}`, { method: "PUT", headers: ctx.full }),
      await ctx.send("POST", `${BASE}/`, JSON.stringify({ name: "x".repeat(1_048_577) })),
      await ctx.send("POST", `${BASE}/`, { email: "nope" }),
    ];
    expect(responses.map((r) => r.status)).toEqual([200, 204, 404, 405, 413, 422]);
    for (const r of responses) expect(r.headers.get("cache-control")).toBe("private, no-store");
  });

  it("an unknown path under /rapidly is Starlette's 404", async () => {
    const ctx = await start();
    const res = await ctx.req(`/rapidly/api/nothing-here`, { headers: ctx.full });
    expect(await res.json() as any).toEqual({ detail: "Not Found" });
  });

  it("a known path with an unknown method is a 405 with Allow", async () => {
    const ctx = await start();
    const res = await ctx.req(`${BASE}/`, { method: "PUT", headers: ctx.full });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, POST");
    expect(await res.json() as any).toEqual({ detail: "Method Not Allowed" });
  });

  it("HEAD on a GET route is a 405 with Allow, as FastAPI (no HEAD routes); /openapi.json and /docs answer HEAD", async () => {
    const ctx = await start();
    const id = ((await ctx.getJson(`${BASE}/?limit=1`)).body as { items: { id: string }[] }).items[0]!.id;
    for (const [path, allow] of [[`${BASE}/`, "GET, POST"], [`${BASE}/${id}`, "GET, PATCH, DELETE"]] as const) {
      const res = await ctx.req(path, { method: "HEAD", headers: ctx.full });
      expect(res.status, path).toBe(405);
      expect(res.headers.get("allow"), path).toBe(allow);
      expect(res.headers.get("cache-control")).toBe("private, no-store");
      expect(await res.text()).toBe("");
    }
    const missing = await ctx.req(`${BASE}/`, { method: "HEAD" }); // routing comes before auth
    expect(missing.status).toBe(405);
    for (const path of ["/rapidly/openapi.json", "/rapidly/docs"]) expect((await ctx.req(path, { method: "HEAD" })).status, path).toBe(200);
    expect((await ctx.req(`${BASE}/${id}`, { headers: ctx.full })).status).toBe(200);
  });

  it("a body over 1 MB → 413 in Rapidly's shape, nothing stored", async () => {
    const ctx = await start();
    const res = await ctx.send("POST", `${BASE}/`, { email: "big@example.com", name: "x".repeat(1_048_576) });
    expect(res.status).toBe(413);
    expect(await res.json() as any).toEqual({ error: "RequestEntityTooLarge", detail: "Request body too large" });
    expect((await ctx.getJson(`${BASE}/?email=big@example.com`)).body.items).toEqual([]);
  });
});

describe("rapidly rate limits", () => {
  it("are off by default", async () => {
    const ctx = await start();
    for (let i = 0; i < 520; i++) {
      const res = await ctx.req(`${BASE}/?limit=1`, { headers: ctx.full });
      if (res.status !== 200) throw new Error(`request ${i}: ${res.status}`);
    }
  });

  it("when real: 500/min per workspace, then 429 with an empty body and retry-after only", async () => {
    const ctx = await start({ rateLimits: "real" });
    const id = ctx.tenants[0]!.customerIds[0]!;
    for (let i = 0; i < 500; i++) {
      const res = await ctx.req(`${BASE}/${id}`, { headers: i % 2 ? ctx.full : ctx.readOnly });
      if (res.status !== 200) throw new Error(`request ${i}: ${res.status}`);
    }
    const blocked = await ctx.req(`${BASE}/${id}`, { headers: ctx.full });
    expect(blocked.status).toBe(429);
    expect(await blocked.text()).toBe("");
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(Number(blocked.headers.get("retry-after"))).toBeLessThanOrEqual(60);
    expect(blocked.headers.get("cache-control")).toBe("private, no-store");
    for (const name of blocked.headers.keys()) expect(name.toLowerCase()).not.toMatch(/ratelimit/);
    // the other workspace has its own budget
    expect((await ctx.req(`${BASE}/`, { headers: ctx.other })).status).toBe(200);
    // the window slides
    ctx.clock.advance(61_000);
    expect((await ctx.req(`${BASE}/${id}`, { headers: ctx.full })).status).toBe(200);
  });
});
