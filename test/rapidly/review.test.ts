// Regressions found by the spec-compliance review.
import { describe, expect, it } from "vitest";
import { BASE, findCustomer, start } from "./_helpers.js";

describe("review regressions", () => {
  it("a refused create leaves the state untouched, the seeded id sequence included", async () => {
    const taken = await (async () => {
      const ctx = await start();
      return (await findCustomer(ctx, () => true)).email as string;
    })();
    const refusedFirst = await start();
    const refused = await refusedFirst.send("POST", `${BASE}/`, { email: taken });
    expect(refused.status).toBe(422);
    const a = await (await refusedFirst.send("POST", `${BASE}/`, { email: "fresh@example.com" })).json() as any;
    const direct = await start();
    const b = await (await direct.send("POST", `${BASE}/`, { email: "fresh@example.com" })).json() as any;
    expect(a.id).toBe(b.id);
    expect(a.members[0].id).toBe(b.members[0].id);
  });
});
