// V8 flags of the long-running server (`serve`, server.ts).

/**
 * V8 lets the old space grow to 1.5x what the last full GC kept (its default on a large
 * machine is up to 4x), so a load's garbage does not stay as RSS (#13: 100,000 customers after
 * list + PATCH load, 440 -> 220 MB at the same CPU per request).
 *
 * Only for a large state: a --data file of LARGE_STATE_FILE_BYTES or more, and set before it is
 * opened (set later, it changes nothing until V8's next full GC, which the limits computed during
 * the load put far off). Over a small state (the default fixtures: ~11 MB live) it makes a full
 * GC every ~0.7 s under load, whose pauses were the GET p99 (#13: ~10 ms vs ~7 ms without it).
 * Not covered: an in-memory state that grows large at run time (V8's default growth applies).
 *
 * Set at run time, a V8 flag costs start-up: node's built-in modules loaded after it are
 * compiled without their code cache (made under the default flags), and so would be the CLI
 * (dist/cli.cache); a start from a large file is dominated by the file's load anyway.
 */
export const SERVER_V8_FLAGS = "--heap-growing-percent=50";

/** The --data file size from which SERVER_V8_FLAGS is worth it (100,000 customers: ~50 MB). */
export const LARGE_STATE_FILE_BYTES = 16 * 1024 * 1024;

/** dist/cli.js's hook (src/cli-loader.ts): called once the server serves, before the flags change. */
export const SERVING_HOOK = Symbol.for("customer-sim.serving");
