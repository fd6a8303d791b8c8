import type { HttpBindings } from "@hono/node-server";
import type { RateDecision } from "./rate-limit.js";

/** What the core keeps on every request's context. */
export interface CoreVariables {
  /** the request body as text, read once by the body limit ("" when there was none) */
  rawBody: string;
  /** the body's bytes, kept only when they were not valid UTF-8 (rawBody then holds U+FFFD for them) */
  rawBodyBytes: Uint8Array;
  /** what the route answered with, so the journal need not read the response stream */
  responseBody: unknown;
  /** the rate limiter's decision for this request, when limits are on and it was counted */
  rateDecision: RateDecision;
  /**
   * the tenant of the request's credential, as the provider's `tenantOf` gives it, recorded by
   * its auth when it has resolved the credential anyway (the journal then need not look it up)
   */
  tenant: string;
}

/** The Hono environment of the whole app: node's bindings and the core's variables. */
export interface SimEnv {
  Bindings: Partial<HttpBindings>;
  Variables: CoreVariables;
}
