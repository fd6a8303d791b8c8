// Sliding-window limiter (per key). Providers say the limit, the key (token, workspace) and
// how to answer.
import type { Context } from "hono";
import { DomainError } from "./domain-errors.js";
import type { SimEnv } from "./env.js";

export interface RateLimitPolicy {
  limit: number;
  windowMs: number;
  /** Headers every counted response carries (e.g. X-RateLimit-Remaining); none when absent. */
  headers?(decision: RateDecision): Record<string, string>;
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

/**
 * Counts a request against `key`: the decision is kept on the context (the provider router
 * adds the policy's headers to whatever the request answers), and a blocked request throws
 * DomainError("rate_limited", { retryAfter, decision }). No limiter (limits off): nothing.
 */
export function countRequest(c: Context<SimEnv>, limiter: SlidingWindowLimiter | undefined, key: string): void {
  if (!limiter) return;
  const decision = limiter.hit(key);
  c.set("rateDecision", decision);
  if (!decision.allowed) throw new DomainError("rate_limited", { retryAfter: decision.retryAfter, decision });
}
