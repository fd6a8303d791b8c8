// Time as epoch microseconds: some providers print six fractional digits, so the clock
// keeps them instead of rounding to Date's milliseconds.
export interface Clock {
  nowMicros(): number;
}

const startMicros = Date.now() * 1000;
const startPerf = performance.now();

export const systemClock: Clock = {
  nowMicros: () => Math.floor(startMicros + (performance.now() - startPerf) * 1000),
};

/** A clock that stands still until moved: for tests that compare timestamps. */
export function fixedClock(at: string | Date | number): Clock & { set(at: string | Date | number): void; advance(ms: number): void } {
  let micros = toMicros(at);
  return {
    nowMicros: () => micros,
    set: (next) => { micros = toMicros(next); },
    advance: (ms) => { micros += Math.round(ms * 1000); },
  };
}

function toMicros(at: string | Date | number): number {
  if (typeof at === "number") return at * 1000;
  return new Date(at).getTime() * 1000;
}

// The `YYYY-MM-DDTHH:MM:SS` of the last second formatted: writes within one second reuse it
// instead of building a Date and its ISO string each time.
let lastSecond = NaN;
let lastBase = "";

/** ISO 8601 UTC with a chosen number of fractional digits (3 = ms, 6 = µs). */
export function isoFromMicros(micros: number, digits: 3 | 6): string {
  const second = Math.floor(micros / 1_000_000);
  if (second !== lastSecond) {
    lastBase = new Date(second * 1000).toISOString().slice(0, 19);
    lastSecond = second;
  }
  const frac = String(((micros % 1_000_000) + 1_000_000) % 1_000_000).padStart(6, "0").slice(0, digits);
  return `${lastBase}.${frac}Z`;
}

/** The clock's now as ISO 8601 UTC (3 = ms, 6 = µs). */
export function nowIso(clock: Clock, digits: 3 | 6): string {
  return isoFromMicros(clock.nowMicros(), digits);
}
