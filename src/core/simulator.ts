import type { Context, Hono } from "hono";
import type { ContractInteraction } from "../contracts/types.js";
import type { Clock } from "./clock.js";
import type { DomainError, InputIssue } from "./domain-errors.js";
import type { SeededRandom } from "./ids.js";
import type { RateLimitPolicy, SlidingWindowLimiter } from "./rate-limit.js";

/** What a provider gets to build its fixtures: nothing but the seed. */
export interface SeedContext {
  seed: number;
}

/** What a provider's routes get at run time. */
export interface SimulatorContext<Model> {
  /** The provider's current state (a reset swaps it, so read it per request). */
  model(): Model;
  /** Makes every change so far durable; await it before answering a write. */
  commit(): Promise<void>;
  clock: Clock;
  /** A fresh seeded random source for one new object (ids, tokens). */
  random(): SeededRandom;
  /** Present only when rate limits are on (`--rate-limits real`). */
  limiter: SlidingWindowLimiter | undefined;
}

/** A provider's error format: domain error → its own status, headers and body. */
export interface ErrorFormat {
  render(c: Context, error: DomainError): Response;
  /** The provider's own body for a bare status (fault rules that give only a status). */
  forStatus(c: Context, status: number): Response;
  /** Headers every response of the provider carries, also added to fault rules' own bodies. */
  headers?: Record<string, string>;
}

export interface FixtureCredential {
  kind: "full" | "read-only" | "member" | "multi-tenant";
  headers: Record<string, string>;
  scopes?: string[];
}

export interface FixtureTenant {
  id: string;
  slug?: string;
  name: string;
  credentials: FixtureCredential[];
  customerIds: string[];
  refs: Record<string, unknown[]>;
}

/** What a Pact provider-state handler gets. */
export interface ProviderStateContext<Model> {
  /** The provider's state, just reset to the seeded fixtures. */
  model: Model;
  /** The state's `params` from the Pact state-change request (`{}` when absent). */
  params: Record<string, unknown>;
  /** A fresh seeded random source per call (ids, generated values): deterministic after a reset. */
  random(): SeededRandom;
  clock: Clock;
}

/** Values for Pact's ProviderState generators (`fromProviderState("${id}")`). */
export type ProviderStateValues = Record<string, unknown>;

/**
 * Puts the provider in a named Pact provider state. The runtime has reset the provider first
 * and commits afterwards. Bad params are thrown as DomainError("invalid" | "rule_violation",
 * { issues }) or a plain Error; the control plane answers them with 400 and their messages.
 */
export type ProviderStateHandler<Model = unknown> = (ctx: ProviderStateContext<Model>) => ProviderStateValues;

/** A state change that cannot be made: unknown provider (404) or state, bad params (400). */
export class ProviderStateError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 404 = 400,
    readonly issues?: InputIssue[],
  ) {
    super(message);
    this.name = "ProviderStateError";
  }
}

export interface ProviderSimulator<Doc = unknown, Model = unknown> {
  name: string;
  /** The provider's own name, for people (docs page, banners). */
  title: string;
  /** Deterministic fixtures: same seed, same document, byte for byte. */
  seed(ctx: SeedContext): Doc | Promise<Doc>;
  /** Builds the in-memory model (indexes) over a document; the model writes through to it. */
  open(doc: Doc): Model;
  routes(ctx: SimulatorContext<Model>): Hono;
  errors: ErrorFormat;
  rateLimit?: RateLimitPolicy;
  /** Tenants and credentials for /__admin/fixtures. */
  fixtures(model: Model): FixtureTenant[];
  /** A fresh isolated tenant with a full-access credential; the caller commits. */
  createTenant(model: Model, random: () => SeededRandom, clock: Clock): FixtureTenant;
  /** Every customer as stored, deleted ones included. */
  rawCustomers(model: Model): unknown[];
  /** Pact provider states by name (POST /__admin/provider-states). */
  states: Record<string, ProviderStateHandler<Model>>;
  /**
   * The interactions `contracts export` writes to this provider's pact (its
   * src/contracts/<name>.ts), loaded on demand: they are no part of serving.
   */
  interactions(): Promise<ContractInteraction[]>;
}
