// The docs pages in a real headless browser (not part of `npm test`: CI has no chromium).
//   apt-get install -y chromium && node scripts/docs-browser-check.mjs
// For every provider: starts the built simulator (dist/) on a free port, opens /<provider>/docs
// with the network cut off except for the simulator itself, and checks that Swagger UI renders
// every operation of the provider's document, that the credential is preauthorized, and that
// "Try it out" → "Execute" on a GET without path parameters answers 200 from the simulator.
// Exit code 0 only if every provider passes. CHROMIUM=/path overrides the browser.
import { build } from "esbuild";
import { chromium } from "playwright-core";
import { fileURLToPath, pathToFileURL } from "node:url";

// The simulator as an esbuild bundle, as dist/ is built (DOCS_CHECK_DIST=1: dist/ itself). By
// default a private one-file bundle under node_modules/.cache, so a rebuild of dist/ by a test
// run cannot pull chunks from under the check; swagger-ui-dist resolves from there as from dist/.
async function simulatorModule() {
  if (process.env.DOCS_CHECK_DIST === "1") return import("../dist/index.js");
  const outfile = fileURLToPath(new URL("../node_modules/.cache/customer-sim-docs-check/index.mjs", import.meta.url));
  await build({
    entryPoints: [fileURLToPath(new URL("../src/index.ts", import.meta.url))],
    bundle: true, platform: "node", target: "node20", format: "esm", outfile, logLevel: "warning",
    external: ["@pact-foundation/pact"],
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  return import(pathToFileURL(outfile).href);
}
const { createSimulator } = await simulatorModule();

const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

const sim = await createSimulator();
// Load every lazily imported part now (the documents), while dist/ is the build just made.
for (const s of sim.runtime.simulators) await s.openapi();
const { url } = await sim.listen(0, "127.0.0.1");
const browser = await chromium.launch({ executablePath, args, headless: true });
let failed = 0;
try {
  for (const name of sim.runtime.simulators.map((s) => s.name)) {
    const problems = [];
    const page = await browser.newPage();
    const outside = [];
    // offline: anything not from the simulator is refused (and reported)
    await page.route("**/*", (route) => {
      const u = route.request().url();
      if (u.startsWith(url) || u.startsWith("data:") || u.startsWith("blob:")) return route.continue();
      outside.push(u);
      return route.abort();
    });
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(`${url}/${name}/docs`);
    const doc = await (await fetch(`${url}/${name}/openapi.json`)).json();
    const ops = [];
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const method of ["get", "put", "post", "delete", "patch"]) if (item[method]) ops.push({ path, method, op: item[method], params: [...(item.parameters ?? []), ...(item[method].parameters ?? [])] });
    }
    await page.waitForSelector(".opblock", { timeout: 30_000 });
    const rendered = await page.$$eval(".opblock", (els) =>
      els.map((el) => ({
        method: el.querySelector(".opblock-summary-method")?.textContent?.trim().toLowerCase(),
        path: el.querySelector(".opblock-summary-path")?.getAttribute("data-path") ?? el.querySelector(".opblock-summary-path")?.textContent?.replace(/\u200b/g, "").trim(),
      })),
    );
    for (const o of ops) {
      if (!rendered.some((r) => r.method === o.method && r.path === o.path)) problems.push(`operation ${o.method.toUpperCase()} ${o.path} not rendered`);
    }
    // the credential is filled in: the Authorize button shows a locked padlock
    const authorized = await page.$eval(".auth-wrapper .authorize", (b) => b.classList.contains("locked")).catch(() => false);
    if (!authorized) problems.push("the security scheme is not preauthorized");

    // Try it: a GET whose path parameters come from the tenant's list path (none, or a slug).
    const fixtures = await (await fetch(`${url}/__admin/fixtures`)).json();
    const tenant = fixtures.providers[name].tenants[0];
    const listPath = sim.runtime.simulator(name).listPath(tenant);
    const target = ops.find((o) => o.method === "get" && !o.path.replace(/\{[^}]+\}/g, "").includes("{") && new RegExp(`^${o.path.replace(/\{[^}]+\}/g, "[^/]+")}$`).test(listPath));
    let tried = "";
    if (!target) problems.push(`no GET operation matches the list path ${listPath}`);
    else {
      const block = page.locator(`.opblock-get:has(.opblock-summary-path[data-path="${target.path}"])`).first();
      await block.locator(".opblock-summary").click();
      const tryOut = block.locator("button.try-out__btn");
      if (await tryOut.count()) {
        const label = (await tryOut.textContent()) ?? "";
        if (/try it out/i.test(label)) await tryOut.click();
      }
      // as a user would: optional parameters left empty (Swagger UI pre-fills object ones with
      // sample values), path parameters from the list path (e.g. Plane's workspace slug)
      for (const row of await block.locator("tr[data-param-name]").all()) {
        if (await row.locator(".parameter__name.required").count()) continue;
        for (const field of await row.locator("input[type=text], textarea").all()) await field.fill("");
      }
      const values = new RegExp(`^${target.path.replace(/\{[^}]+\}/g, "([^/]+)")}$`).exec(listPath).slice(1);
      const names = [...target.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      for (const [i, p] of names.entries()) await block.locator(`tr[data-param-name="${p}"] input`).fill(decodeURIComponent(values[i]));
      const responsePromise = page.waitForResponse((r) => r.request().method() === "GET" && r.url().startsWith(`${url}/${name}/`) && !r.url().includes("/docs") && !r.url().endsWith("/openapi.json"), { timeout: 30_000 });
      await block.locator("button.execute").click();
      const response = await responsePromise;
      tried = `GET ${target.path} → ${response.status()} (${response.url().slice(url.length)})`;
      if (response.status() !== 200) problems.push(`try it: ${tried}`);
      await block.locator(".live-responses-table tbody .response-col_status").first().waitFor({ timeout: 10_000 });
      const shown = (await block.locator(".live-responses-table tbody .response-col_status").first().textContent())?.trim();
      if (shown !== "200") problems.push(`try it: the page shows status ${shown}`);
    }
    if (outside.length) problems.push(`requests outside the simulator: ${[...new Set(outside)].join(", ")}`);
    if (errors.length) problems.push(`page errors: ${errors.join("; ")}`);
    console.log(`${problems.length ? "FAIL" : "PASS"} ${name}: ${rendered.length}/${ops.length} operations rendered${authorized ? ", credential preauthorized" : ""}${tried ? `, try it ${tried}` : ""}`);
    for (const p of problems) console.log(`  - ${p}`);
    if (problems.length) failed++;
    await page.close();
  }
} finally {
  await browser.close();
  await sim.close({ graceMs: 500 });
}
process.exitCode = failed ? 1 : 0;
