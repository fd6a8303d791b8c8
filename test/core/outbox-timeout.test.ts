// An outbox attempt gives up after its timeout even when the garbage collector runs while it
// waits: on Node 20 an AbortSignal.timeout that only AbortSignal.any refers to is collected and
// never fires, and a receiver that never answered then held its target's queue for good.
import { createServer, type Server } from "node:http";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterEach, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/core/clock.js";
import { emptyOutbox, enqueue, Outbox, type AttemptOutcome } from "../../src/core/outbox.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.closeAllConnections(), s.close();
});

describe("Outbox attempt timeout", () => {
  it("a receiver that never answers is given up on after timeoutMs, garbage collections meanwhile", async () => {
    const silent = createServer(() => {}); // reads the request, never answers
    servers.push(silent);
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    const port = (silent.address() as { port: number }).port;
    const state = emptyOutbox();
    enqueue(state, "t", "m1", 0);
    const outcomes: AttemptOutcome[] = [];
    const outbox = new Outbox(state, {
      request: () => ({ url: `http://127.0.0.1:${port}/`, headers: {}, body: "{}" }),
      recorded: (_m, outcome) => void outcomes.push(outcome),
      commit: async () => {},
    }, { clock: fixedClock("2025-01-01T00:00:00Z"), maxAttempts: 1, timeoutMs: 400, retryDelayMs: () => 1, responseLimit: 100 });
    const t0 = Date.now();
    const drained = outbox.deliverPending();
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 50));
      gc();
    }
    const result = await Promise.race([drained, new Promise((r) => setTimeout(() => r("still waiting"), 3000))]);
    await outbox.stop();
    expect(result).toEqual({ attempted: 1, succeeded: 0 });
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(outcomes).toEqual([{ succeeded: false, status: null, response: expect.stringMatching(/timeout/i) }]);
  });
});
