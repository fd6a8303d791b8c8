import { describe, expect, it } from "vitest";
import { BASE, start } from "./_helpers.js";

// ?query= folds case as Python's str.lower() / JS toLowerCase() do, whatever path the scan takes
// (an ASCII needle is matched without lower-casing each row).
describe("GET /api/customers/?query= case folding", () => {
  it("special characters, regex metacharacters and lower-case expansions", async () => {
    const ctx = await start();
    const made = [
      { email: "kelvin@example.com", name: "Temp 300\u212a" }, // Kelvin sign lowers to "k"
      { email: "tr01@example.com", name: "\u0130stanbul" }, // İ lowers to "i" + U+0307
      { email: "dotted@example.com", name: "a.b*c(d)" },
      { email: "straße@example.com", name: "STRASSE" },
      { email: "plain@example.com", name: "Nothing Here", external_id: "EXT-\u212aey" },
    ];
    for (const body of made) expect((await ctx.send("POST", `${BASE}/`, body)).status).toBe(201);
    const q = async (query: string) =>
      (await ctx.getJson(`${BASE}/?limit=100&sorting=email&query=${encodeURIComponent(query)}`)).body.items.map((c: any) => c.email);
    expect(await q("300K")).toEqual(["kelvin@example.com"]);
    expect(await q("ext-k")).toEqual(["plain@example.com"]); // external_id starts with, Kelvin folded
    expect(await q("ey")).not.toContain("plain@example.com"); // external_id is a prefix match only
    expect(await q("i")).toContain("tr01@example.com"); // İ → "i̇": "i" is in it
    expect(await q("is")).not.toContain("tr01@example.com"); // … followed by U+0307, not "s"
    expect(await q("i\u0307s")).toContain("tr01@example.com");
    expect(await q("A.B*C(")).toEqual(["dotted@example.com"]); // metacharacters are literal
    expect(await q("a.b.c")).toEqual([]);
    expect(await q("strasse")).toEqual(["straße@example.com"]);
    expect(await q("STRAßE")).toEqual(["straße@example.com"]);
  });
});
