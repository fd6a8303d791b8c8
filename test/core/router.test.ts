// core/router.ts: RegExp matching for paths Hono's RegExpRouter refuses together, with the
// answers Hono's default (trie) router gives.
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { GroupedRegExpRouter } from "../../src/core/router.js";

function routes(app: Hono, log: string[]): Hono {
  app.use("/c/*", async (_c, next) => {
    log.push("mw");
    await next();
  });
  app.get("/c/external/:ref", (c) => c.json({ route: "external", ref: c.req.param("ref") }));
  app.get("/c/:id", (c) => c.json({ route: "id", id: c.req.param("id") }));
  app.patch("/c/:id", (c) => c.json({ route: "patch", id: c.req.param("id") }));
  app.get("/c/:id/notes/:note", (c) => c.json({ route: "note", ...c.req.param() }));
  app.all("/c/:id/notes/:note", (c) => c.json({ route: "any-note", ...c.req.param() }));
  app.get("/plain", (c) => c.text("plain"));
  return app;
}

const requests: [string, string][] = [
  ["GET", "/c/external/x%20y"],
  ["GET", "/c/external"],
  ["GET", "/c/abc"],
  ["PATCH", "/c/abc"],
  ["DELETE", "/c/abc"],
  ["GET", "/c/abc/notes/7"],
  ["POST", "/c/abc/notes/7"],
  ["GET", "/plain"],
  ["GET", "/nothing"],
];

describe("GroupedRegExpRouter", () => {
  it("answers what Hono's default router answers, middleware order included, for routes RegExpRouter alone refuses", async () => {
    const grouped = new GroupedRegExpRouter<any>();
    const logA: string[] = [];
    const logB: string[] = [];
    const a = routes(new Hono({ router: grouped }), logA);
    const b = routes(new Hono(), logB);
    for (const [method, path] of requests) {
      const ra = await a.request(path, { method });
      const rb = await b.request(path, { method });
      // (parsed: the order of c.req.param()'s keys is the router's own)
      const body = async (r: Response) => (r.headers.get("content-type")?.includes("json") ? r.json() : r.text());
      expect([method, path, ra.status, await body(ra)]).toEqual([method, path, rb.status, await body(rb)]);
    }
    expect(logA).toEqual(logB);
    expect(logA.length).toBeGreaterThan(0);
  });

  it("matches with regular expressions only (no trie router behind it)", () => {
    const router = new GroupedRegExpRouter<string>();
    router.add("GET", "/c/external/:ref", "external");
    router.add("GET", "/c/:id", "id");
    const [handlers, stash] = router.match("GET", "/c/42");
    expect(handlers.map((h) => h[0])).toEqual(["id"]);
    expect(stash).toBeDefined(); // RegExpRouter's own result (parameters by index), not a trie's
  });
});
