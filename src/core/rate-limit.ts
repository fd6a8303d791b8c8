// Sliding-window limiter (per key). Providers say the limit and how to answer.

export interface RateLimitPolicy {
  limit: number;
  windowMs: number;
}

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** seconds until a slot frees */
  retryAfter: number;
  /** epoch seconds when the window next frees a slot */
  resetAt: number;
}

export class SlidingWindowLimiter {
  readonly #hits = new Map<string, number[]>();
  constructor(readonly policy: RateLimitPolicy, readonly now: () => number = Date.now) {}

  hit(key: string): RateDecision {
    const now = this.now();
    const { limit, windowMs } = this.policy;
    let times = this.#hits.get(key);
    if (!times) this.#hits.set(key, (times = []));
    while (times.length && times[0]! <= now - windowMs) times.shift();
    const allowed = times.length < limit;
    if (allowed) times.push(now);
    const oldest = times[0] ?? now;
    const resetMs = oldest + windowMs;
    return {
      allowed,
      limit,
      remaining: Math.max(0, limit - times.length),
      retryAfter: Math.max(1, Math.ceil((resetMs - now) / 1000)),
      resetAt: Math.ceil(resetMs / 1000),
    };
  }

  clear(): void {
    this.#hits.clear();
  }
}
