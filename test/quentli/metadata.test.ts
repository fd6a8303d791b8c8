// spec: quentli.md#patch-rules — metadata: `{key, value}` strings, keys unique. Any string is a
// key, the empty one included; `meta` follows.
import { describe, expect, it } from "vitest";
import { BASE, start } from "./_helpers.js";

describe("metadata keys are any strings", () => {
  it("an empty key or value is stored and derived into meta; a repeated one is still refused", async () => {
    const ctx = await start();
    const id = ctx.tenants[0]!.customerIds[0]!;
    const res = await ctx.send("PATCH", `${BASE}/${id}`, { input: { data: { metadata: [{ key: "", value: "" }, { key: " ", value: "x" }] } } });
    expect(res.status).toBe(200);
    const customer = ((await res.json()) as any).customer;
    expect(customer.metadata).toEqual([{ key: "", value: "" }, { key: " ", value: "x" }]);
    expect(customer.meta).toEqual({ "": "", " ": "x" });

    const created = await ctx.send("POST", BASE, { input: { name: "Empty key", metadata: [{ key: "", value: "v" }] } });
    expect(created.status).toBe(201);
    expect(((await created.json()) as any).customer.meta).toEqual({ "": "v" });

    const twice = await ctx.send("PATCH", `${BASE}/${id}`, { input: { data: { metadata: [{ key: "", value: "1" }, { key: "", value: "2" }] } } });
    expect(twice.status).toBe(400);
    expect(((await twice.json()) as any).error.issues).toEqual([{ path: ["input", "data", "metadata", 1, "key"], message: "Duplicate metadata key ''" }]);
  });
});
