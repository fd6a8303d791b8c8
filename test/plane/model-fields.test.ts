// The customer fields as Plane's model declares them (spec: plane.md#the-customer-object;
// ee/models/customer.py): logo_props is NOT NULL (default {}), revenue a string of any length,
// email a Django EmailField (max 254).
import { describe, expect, it } from "vitest";
import { raw, start } from "./_helpers.js";

describe("plane: field limits of the customer model", () => {
  it("logo_props: null → 400 This field may not be null.; any other JSON is stored", async () => {
    const ctx = await start();
    const id = ctx.tenants[0]!.customerIds[0]!;
    const before = JSON.stringify(await raw(ctx));
    const post = await ctx.send("POST", `${ctx.base}/`, { name: "Null logo", logo_props: null });
    expect(post.status).toBe(400);
    expect(await post.json()).toEqual({ logo_props: ["This field may not be null."] });
    const patch = await ctx.send("PATCH", `${ctx.base}/${id}/`, { logo_props: null });
    expect(patch.status).toBe(400);
    expect(await patch.json()).toEqual({ logo_props: ["This field may not be null."] });
    expect(JSON.stringify(await raw(ctx))).toBe(before);
    const ok = await ctx.send("PATCH", `${ctx.base}/${id}/`, { logo_props: { in_use: "emoji", emoji: { value: "128512" } } });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as any).logo_props).toEqual({ in_use: "emoji", emoji: { value: "128512" } });
  });

  it("revenue has no max length; stage and contract_status keep 255", async () => {
    const ctx = await start();
    const revenue = "9".repeat(1000);
    const res = await ctx.send("POST", `${ctx.base}/`, { name: "Big revenue", revenue });
    expect(res.status).toBe(201);
    expect(((await res.json()) as any).revenue).toBe(revenue);
    const bad = await ctx.send("POST", `${ctx.base}/`, { name: "Long stage", stage: "s".repeat(256), contract_status: "c".repeat(256) });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      stage: ["Ensure this field has no more than 255 characters."],
      contract_status: ["Ensure this field has no more than 255 characters."],
    });
  });

  it("email: at most 254 characters (Django's EmailField)", async () => {
    const ctx = await start();
    const at254 = `${"a".repeat(64)}@${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(58)}.io`;
    expect(at254).toHaveLength(254);
    expect((await ctx.send("POST", `${ctx.base}/`, { name: "Mail 254", email: at254 })).status).toBe(201);
    const at255 = `${"a".repeat(64)}@${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(59)}.io`;
    const res = await ctx.send("POST", `${ctx.base}/`, { name: "Mail 255", email: at255 });
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).email[0]).toBe("Ensure this field has no more than 254 characters.");
  });
});
