// Plane's pact: exported from the interactions it ships, then verified against the simulator by
// the Pact verifier (src/contracts, what `customer-sim contracts export|verify` run), under two seeds.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { exportPacts } from "../../src/contracts/export.js";
import type { V4Pact } from "../../src/contracts/types.js";
import { verifyPacts } from "../../src/contracts/verify.js";
import { plane } from "../../src/simulators/plane/index.js";

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe("plane-api pact", () => {
  it("covers every route's success and error cases and verifies under seeds 1 and 7", async () => {
    const dir = await mkdtemp(join(tmpdir(), "plane-pact-"));
    dirs.push(dir);
    const [file] = await exportPacts([plane], { outDir: dir, consumer: "web-app" });
    const pact = JSON.parse(await readFile(file!, "utf8")) as V4Pact;
    expect(pact.provider.name).toBe("plane-api");
    const seen = new Set(pact.interactions.map((i) => `${i.request.method} ${/customers\/[^/]+\/$/.test(i.request.path) ? "detail" : "list"} ${i.response.status < 300 ? "ok" : "error"}`));
    for (const m of ["GET list", "POST list", "DELETE list", "GET detail", "PATCH detail", "DELETE detail"]) {
      expect(seen, m).toContain(`${m} ok`);
      expect(seen, m).toContain(`${m} error`);
    }
    for (const seed of [1, 7]) {
      const results = await verifyPacts([file!], { seed });
      expect(results, JSON.stringify(results)).toEqual([expect.objectContaining({ provider: "plane-api", ok: true })]);
    }
  }, 120_000);
});
