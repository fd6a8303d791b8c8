// V8 flags of the long-running server (`serve`, server.ts).

/**
 * V8 lets the old space grow to 1.5x what the last full GC kept (its default on a large
 * machine is up to 4x), so a load's garbage does not stay as RSS (#13: 100,000 customers after
 * list + PATCH load, 440 -> 220 MB at the same CPU per request).
 *
 * Set at run time, a V8 flag costs start-up: node's built-in modules loaded after it are
 * compiled without their code cache (made under the default flags), and so would be the CLI
 * (dist/cli.cache). So `serve` sets it once it serves, or, with a --data file (whose load is
 * where the old space grows), before opening it.
 */
export const SERVER_V8_FLAGS = "--heap-growing-percent=50";

/** dist/cli.js's hook (src/cli-loader.ts): called once the server serves, before the flags change. */
export const SERVING_HOOK = Symbol.for("customer-sim.serving");
