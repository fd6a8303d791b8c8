// Hostile input at every provider's create, update and list: thousands of generated bodies
// and query strings → always a 2xx or 4xx in the provider's JSON shape, never a 5xx; and
// afterwards every stored customer still reads back whole.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { newSim } from "../helpers.js";
import { FIELD_NAMES, QUERY_NAMES, handle, profile, providers } from "./_providers.js";

const scalar = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.emailAddress(),
  fc.constantFrom("", " ", "a@b", "ÄÖ@example.com", "x".repeat(300), "\u0000", "null", "1e309", "-0", "🙂"),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);
const value = fc.oneof(
  { weight: 4, arbitrary: scalar },
  { weight: 1, arbitrary: fc.dictionary(fc.constantFrom("a", "b", "line1", "country", "__proto__", "x".repeat(50)), scalar, { maxKeys: 4 }) },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 3 }) },
);
const fields = fc.dictionary(fc.constantFrom(...FIELD_NAMES), value, { maxKeys: 6 });
const body = (wrap: (f: Record<string, unknown>) => unknown) => fc.oneof(
  { weight: 8, arbitrary: fields.map((o) => JSON.stringify(wrap(o))) },
  { weight: 2, arbitrary: fields.map((o) => JSON.stringify(o)) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
);
const query = fc
  .array(fc.tuple(fc.constantFrom(...QUERY_NAMES), fc.oneof(fc.string({ maxLength: 12 }), fc.integer({ min: -5, max: 1e6 }).map(String), fc.constantFrom("-created_at", "email", "name", "0", "", "1e3"))), { maxLength: 5 })
  .map((pairs) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&"));

const RUNS = Number(process.env.FUZZ_RUNS ?? 200);

async function isJson(res: Response): Promise<boolean> {
  const text = await res.text();
  if (res.status === 204 || text === "") return res.status === 204;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe.each(providers)("%s: generated bodies and queries never get a 5xx", (name) => {
  it("create, update, list", async () => {
    const sim = await newSim({ provider: undefined });
    const p = await handle(sim, name);
    const headers = { ...p.headers(0), "Content-Type": "application/json" };
    const target = p.customerIds(0)[0]!;
    const bad: string[] = [];
    const check = async (method: string, path: string, text?: string) => {
      const res = await sim.app.request(path, { method, headers, ...(text === undefined ? {} : { body: text }) });
      const json = await isJson(res.clone());
      if (res.status >= 500 || res.status < 200 || !json) bad.push(`${method} ${path} ${text ?? ""} → ${res.status} ${await res.text()}`);
      return res.status;
    };
    await fc.assert(
      fc.asyncProperty(body(profile(name).createBody), body(profile(name).updateBody), query, async (create, update, q) => {
        await check("POST", p.listPath(0), create);
        await check("PATCH", p.itemPath(0, target), update);
        await check("GET", `${p.listPath(0)}?${q}`);
        return bad.length === 0;
      }),
      { numRuns: RUNS },
    );
    expect(bad.slice(0, 5)).toEqual([]);
    // Every stored customer still reads back whole (a JSON object with its id).
    const ids = (await handle(sim, name)).customerIds(0);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) {
      const res = await sim.app.request(p.itemPath(0, id), { headers });
      expect(res.status, `${id}`).toBe(200);
      expect(JSON.stringify(await res.json())).toContain(id);
    }
  }, 60_000);
});
