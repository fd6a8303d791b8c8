// Seeded ids: the fixtures' values never change with how they are computed (byte for byte),
// and run-time sources (one seed hash per provider, the count folded in) are deterministic
// and never repeat, across restarts of a --data file included.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fixedClock } from "../../src/core/clock.js";
import { runtimeRandom, SeededRandom } from "../../src/core/ids.js";
import { credential, json, newSim } from "../helpers.js";

describe("seeded random sources", () => {
  it("a seeded source draws the values it always drew (fixtures stay byte for byte)", () => {
    // Values of the sha256-seeded sfc32 as first released.
    const r = new SeededRandom("x");
    expect(r.uuid4()).toBe("30e791a6-1459-46d4-8dba-07508f693f55");
    const s = new SeededRandom(1);
    expect([s.uuid4(), s.base62(12), s.hex(8), s.int(1, 6)]).toEqual(["51670093-4938-430f-93e1-31aaf46e90d1", "eOQ59Vssc8pm", "9bb906b2", 5]);
  });

  it("run-time sources: the same seed, provider and count give the same draws; any other, others", () => {
    expect(runtimeRandom(1, "p", 7).uuid4()).toBe(runtimeRandom(1, "p", 7).uuid4());
    const first = new Set<string>();
    for (let n = 1; n <= 50_000; n++) first.add(runtimeRandom(1, "p", n).uuid4());
    expect(first.size).toBe(50_000);
    const big = [2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, 2 ** 40, 2 ** 53 - 1].map((n) => runtimeRandom(1, "p", n).hex(32));
    expect(new Set([...big, runtimeRandom(1, "p", 1).hex(32), runtimeRandom(1, "p", 0).hex(32)]).size).toBe(7);
    expect(runtimeRandom(1, "p", 1).hex(32)).not.toBe(runtimeRandom(2, "p", 1).hex(32));
    expect(runtimeRandom(1, "p", 1).hex(32)).not.toBe(runtimeRandom(1, "q", 1).hex(32));
    // A source's own draws do not repeat the next source's.
    const a = runtimeRandom(1, "p", 1);
    const b = runtimeRandom(1, "p", 2);
    const drawn = new Set<string>();
    for (let i = 0; i < 1000; i++) drawn.add(a.uuid4()).add(b.uuid4());
    expect(drawn.size).toBe(2000);
  });
});

describe("run-time ids through the API", () => {
  const tempFile = () => join(mkdtempSync(join(tmpdir(), "customer-sim-ids-")), "state.json");

  async function createSome(sim: Awaited<ReturnType<typeof newSim>>, headers: Record<string, string>, tag: string, n: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const res = await sim.app.request("/rapidly/api/customers/", json({ email: `${tag}${i}@example.com` }, headers));
      expect(res.status).toBe(201);
      ids.push(((await res.json()) as { id: string }).id);
    }
    return ids;
  }

  it("the same seed makes the same ids; a restart of a --data file continues without repeating", async () => {
    const clock = fixedClock("2026-01-01T00:00:00Z");
    const one = await newSim({ data: tempFile(), clock });
    const two = await newSim({ data: tempFile(), clock });
    const headers = await credential(one, "rapidly");
    const a = await createSome(one, headers, "same", 5);
    expect(await createSome(two, headers, "same", 5)).toEqual(a);

    const file = tempFile();
    const all: string[] = [];
    for (let run = 0; run < 3; run++) {
      const sim = await newSim({ data: file });
      all.push(...(await createSome(sim, headers, `run${run}-`, 5)));
      if (run === 1) continue; // no close: as after a SIGKILL (the log holds the counter)
      await sim.close();
    }
    expect(new Set(all).size).toBe(15);
  });
});
