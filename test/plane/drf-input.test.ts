// DRF's reading of odd request data (spec: plane.md#validation-and-rules): a JSON null body,
// and CharField's trimming, which is Python's str.strip() and not JavaScript's trim().
import { describe, expect, it } from "vitest";
import { raw, start } from "./_helpers.js";

describe("plane: DRF's handling of odd request data", () => {
  it("a JSON null body → 400 {non_field_errors: [No data provided]} on POST and PATCH; nothing stored", async () => {
    const ctx = await start();
    const id = ctx.tenants[0]!.customerIds[0]!;
    const before = JSON.stringify(await raw(ctx));
    for (const [method, path] of [["POST", `${ctx.base}/`], ["PATCH", `${ctx.base}/${id}/`]] as const) {
      const res = await ctx.send(method, path, "null");
      expect(res.status, method).toBe(400);
      expect(await res.json()).toEqual({ non_field_errors: ["No data provided"] });
    }
    expect(JSON.stringify(await raw(ctx))).toBe(before);
  });

  it("char fields are stripped as Python strips: U+001C–U+001F and U+0085 are whitespace, U+FEFF is not", async () => {
    const ctx = await start();
    const blank = await ctx.send("POST", `${ctx.base}/`, { name: "\u001c\u001d\u001e\u001f" });
    expect(blank.status).toBe(400);
    expect(await blank.json()).toEqual({ name: ["This field may not be blank."] });

    const bom = await ctx.send("POST", `${ctx.base}/`, { name: "\ufeff" });
    expect(bom.status).toBe(201);
    expect(((await bom.json()) as any).name).toBe("\ufeff");

    const mixed = await ctx.send("POST", `${ctx.base}/`, { name: "\u001f\u0085 Acme \u3000\u001e", domain: "\ufeffacme.io\ufeff" });
    expect(mixed.status).toBe(201);
    expect(await mixed.json()).toMatchObject({ name: "Acme", domain: "\ufeffacme.io\ufeff" });
  });

  it("a long run of inner whitespace is stripped in linear time", async () => {
    const ctx = await start();
    const name = `a${" ".repeat(100_000)}b`;
    const started = Date.now();
    const res = await ctx.send("POST", `${ctx.base}/`, { name: ` ${name} `, description_html: `x${"\u001f".repeat(100_000)}y` });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ name: ["Ensure this field has no more than 255 characters."] });
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
