// `customer-sim openapi export [--out DIR] [--provider NAME]`: each provider's OpenAPI 3.1
// document (what /<provider>/openapi.json serves), one file per provider,
// `<provider>.openapi.json`. Imported by the CLI for this command only: never on the serve path.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { ProviderSimulator } from "./core/simulator.js";

export const openApiFileName = (provider: string): string => `${provider}.openapi.json`;

/** Writes `<outDir>/<provider>.openapi.json` per simulator; returns the paths written. */
export async function exportOpenApi(simulators: ProviderSimulator<any, any>[], opts: { outDir: string }): Promise<string[]> {
  await mkdir(opts.outDir, { recursive: true });
  const written: string[] = [];
  for (const sim of simulators) {
    const file = join(opts.outDir, openApiFileName(sim.name));
    await writeFile(file, `${JSON.stringify(await sim.openapi(), null, 2)}\n`);
    written.push(file);
  }
  return written;
}

/** The CLI's `openapi` command; `fail` reports a usage error (exit 2). */
export async function openapiCommand(argv: string[], fail: (message: string) => never): Promise<void> {
  const { parseArgs } = await import("node:util");
  const [sub, ...rest] = argv;
  if (sub !== "export") fail(sub === undefined ? "openapi: export?" : `unknown openapi command "${sub}" (export)`);
  let values;
  try {
    ({ values } = parseArgs({ args: rest, options: { out: { type: "string" }, provider: { type: "string" } }, strict: true }));
  } catch (e) {
    fail((e as Error).message);
  }
  const { loadProviders, providerNames } = await import("./app.js");
  const wanted = values.provider?.replace(/-api$/, "");
  if (wanted !== undefined && !providerNames().includes(wanted)) fail(`--provider: unknown provider "${values.provider}" (one of: ${providerNames().join(", ")})`);
  const files = await exportOpenApi(await loadProviders(wanted), { outDir: values.out ?? "openapi" });
  for (const f of files) console.log(`wrote ${f}`);
}
