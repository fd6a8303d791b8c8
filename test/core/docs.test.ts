// The docs page: Swagger UI from the installed swagger-ui-dist, served by the simulator itself
// (no URL elsewhere: it works offline), with "try it" against the provider's mount and the
// first fixture tenant's full credential. (Rendering in a real browser:
// scripts/docs-browser-check.mjs, which needs chromium.)
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { providerNames } from "../../src/app.js";
import { createSimulator, type Simulator } from "../../src/index.js";
import { fixtures } from "../helpers.js";

let sim: Simulator;
afterEach(async () => sim?.close());

const swaggerDir = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
/** Every URL a page or script could load from (src/href attributes, CSS url(), @import). */
const external = /(?:src|href)\s*=\s*["']?(?:https?:)?\/\/|@import\s+["']?(?:https?:)?\/\/|url\(\s*["']?(?:https?:)?\/\//i;

/** The config object the page hands to its script. */
function pageConfig(html: string): { spec: string; mount: string; credential: Record<string, string> } {
  const m = /var config = (\{.*?\});\n/.exec(html);
  if (!m) throw new Error("no config in the page");
  return JSON.parse(m[1]!);
}

describe.each(providerNames())("%s docs", (name) => {
  it("serves Swagger UI with its assets from this simulator, and nothing from elsewhere", async () => {
    sim = await createSimulator();
    const res = await sim.app.request(`/${name}/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).not.toMatch(external);
    const urls = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(urls).toEqual(expect.arrayContaining([`/${name}/docs/assets/swagger-ui.css`, `/${name}/docs/assets/swagger-ui-bundle.js`]));
    for (const url of urls) {
      expect(url.startsWith("/"), url).toBe(true);
      const asset = await sim.app.request(url);
      expect(asset.status, url).toBe(200);
    }
    const css = await sim.app.request(`/${name}/docs/assets/swagger-ui.css`);
    expect(css.headers.get("content-type")).toMatch(/^text\/css/);
    expect(Buffer.from(await css.arrayBuffer())).toEqual(await readFile(join(swaggerDir, "swagger-ui.css")));
    const js = await sim.app.request(`/${name}/docs/assets/swagger-ui-bundle.js`);
    expect(js.headers.get("content-type")).toMatch(/^text\/javascript/);
    const bundle = await js.text();
    expect(bundle).toContain("SwaggerUIBundle");
    // the bundle's own loads are relative or data: (no stylesheet, font or script from a CDN)
    expect(bundle).not.toMatch(/<script[^>]+src=["']https?:\/\//i);
  });

  it("points Swagger UI at the provider's document and mount, with the first tenant's full credential", async () => {
    sim = await createSimulator();
    const config = pageConfig(await (await sim.app.request(`/${name}/docs`)).text());
    expect(config.spec).toBe(`/${name}/openapi.json`);
    expect(config.mount).toBe(`/${name}`);
    const tenant = (await fixtures(sim)).providers[name]!.tenants[0]!;
    expect(config.credential).toEqual(tenant.credentials.find((c) => c.kind === "full")!.headers);
    // the credential is one the provider's security schemes read
    const doc = (await (await sim.app.request(config.spec)).json()) as { components: { securitySchemes: Record<string, { type: string; in?: string; name?: string; scheme?: string }> } };
    const headers = Object.keys(config.credential).map((h) => h.toLowerCase());
    const readable = Object.values(doc.components.securitySchemes).some((s) =>
      s.type === "apiKey" ? headers.includes(String(s.name).toLowerCase()) : headers.includes("authorization"),
    );
    expect(readable).toBe(true);
    // and it works
    const listPath = sim.runtime.simulator(name)!.listPath(tenant as never);
    expect((await sim.app.request(`/${name}${listPath}`, { headers: config.credential })).status).toBe(200);
  });

  it("serves only the page's own asset files (no path out of the package)", async () => {
    sim = await createSimulator();
    for (const file of ["package.json", "index.html", "..%2Fpackage.json", "swagger-ui.js.map"]) {
      const res = await sim.app.request(`/${name}/docs/assets/${file}`);
      expect(res.status, file).toBe(404);
    }
    expect((await sim.app.request(`/${name}/docs/assets/../../openapi.json`)).status).toBe(200); // normalised by URL parsing: the document itself
  });
});

describe("docs at the root (--provider)", () => {
  it("uses the root mount for the document, the assets and try it", async () => {
    const name = providerNames()[0]!;
    sim = await createSimulator({ provider: name });
    const res = await sim.app.request("/docs");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(pageConfig(html)).toMatchObject({ spec: "/openapi.json", mount: "" });
    expect(html).toContain('src="/docs/assets/swagger-ui-bundle.js"');
    expect((await sim.app.request("/docs/assets/swagger-ui-bundle.js")).status).toBe(200);
  });
});
