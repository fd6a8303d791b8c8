// Express routing is not strict (docs/providers/quentli.md): a trailing slash reaches the same
// route on every path, the customer's own included.
import { describe, expect, it } from "vitest";
import { BASE, start } from "./_helpers.js";

describe("a trailing slash on /v1/customers/{id}/", () => {
  it("GET and PATCH reach the customer routes; another method is their 405", async () => {
    const ctx = await start();
    const id = ctx.tenants[0]!.customerIds[0]!;
    const plain = await ctx.getJson(`${BASE}/${id}`);
    const slashed = await ctx.getJson(`${BASE}/${id}/`);
    expect(slashed.status).toBe(200);
    expect(slashed.body).toEqual(plain.body);
    expect((await ctx.getJson(`${BASE}/cus_00000000000000000000/`)).body).toBeNull();

    const patched = await ctx.send("PATCH", `${BASE}/${id}/`, { input: { data: { name: "Slashed" } } });
    expect(patched.status).toBe(200);
    expect(((await patched.json()) as any).customer).toMatchObject({ id, name: "Slashed" });
    expect((await ctx.getJson(`${BASE}/${id}`)).body.name).toBe("Slashed");

    const missing = await ctx.send("PATCH", `${BASE}/cus_00000000000000000000/`, { input: { data: { name: "x" } } });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: { code: "NOT_FOUND", message: "Customer not found" } });

    const del = await ctx.req(`${BASE}/${id}/`, { method: "DELETE", headers: ctx.full });
    expect(del.status).toBe(405);
    expect(await del.json()).toEqual({ error: { code: "METHOD_NOT_ALLOWED", message: "Method DELETE not allowed" } });
  });
});
