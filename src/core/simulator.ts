import type { Context, Hono } from "hono";
import type { Clock } from "./clock.js";
import type { ContractInteraction } from "./contract.js";
import type { DomainError, InputIssue } from "./domain-errors.js";
import type { SimEnv } from "./env.js";
import type { SeededRandom } from "./ids.js";
import type { RateLimitPolicy, SlidingWindowLimiter } from "./rate-limit.js";

export type { ContractInteraction } from "./contract.js";

/** The context every provider handler gets. */
export type SimContext = Context<SimEnv>;

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
  /**
   * Counts the request against `key` (a token, a workspace) when limits are on; throws
   * DomainError("rate_limited") when blocked. The policy's headers then go on the response,
   * whatever it is. Does nothing when limits are off.
   */
  countRequest(c: SimContext, key: string): void;
}

/** A provider's error format: domain error → its own status, headers and body. */
export interface ErrorFormat {
  render(c: SimContext, error: DomainError): Response;
  /** The provider's own body for a bare status (fault rules that give only a status). */
  forStatus(c: SimContext, status: number): Response;
  /** Headers every response of the provider carries, also added to fault rules' own bodies. */
  headers?: Record<string, string>;
}

export interface FixtureCredential {
  kind: "full" | "read-only" | "member" | "multi-tenant";
  headers: Record<string, string>;
  scopes?: string[];
}

export interface FixtureOptions {
  /**
   * false: `customerIds` left empty, for a caller that shows only names and credentials (the
   * start banner): sorting a tenant of 100,000 customers cost ~33 ms of start-up (#13).
   */
  customerIds?: boolean;
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

/** What `tenantOf` reads: the path below the provider's mount and the request headers. */
export interface RequestView {
  /** e.g. "/api/v1/workspaces/acme/customers/" (no mount, no query) */
  path: string;
  header(name: string): string | undefined;
}

/** The outcome of `deleteTenant`. */
export type TenantDeletion = "deleted" | "fixture" | "unknown";

export interface ProviderSimulator<Doc = unknown, Model = unknown> {
  name: string;
  /** The provider's own name, for people (docs page, banners). */
  title: string;
  /** Deterministic fixtures: same seed, same document, byte for byte. */
  seed(ctx: SeedContext): Doc | Promise<Doc>;
  /** Builds the in-memory model (indexes) over a document; the model writes through to it. */
  open(doc: Doc): Model;
  /**
   * The provider's routes, relative to its mount. The app adds the body limit, the 405s of
   * every registered path (rendered as DomainError("method_not_allowed")), `/openapi.json`
   * and `/docs`.
   */
  routes(ctx: SimulatorContext<Model>): Hono<SimEnv>;
  errors: ErrorFormat;
  /**
   * Whether HEAD on one of its GET routes is answered as the GET (headers, no body), as most
   * frameworks do (default true). false: the path's 405, for a framework that adds no HEAD
   * routes (FastAPI). The app's own /openapi.json and /docs keep HEAD either way.
   */
  headAsGet?: boolean;
  /**
   * What the provider's framework checks before it answers a known path's 405, throwing the
   * DomainError to answer instead (DRF authenticates and throttles before it looks for the
   * method's handler). Absent: the 405 comes first (FastAPI, Laravel, Express route first).
   */
  beforeMethodNotAllowed?(c: SimContext, ctx: SimulatorContext<Model>): void;
  /**
   * The entries of its document outside tables that its routes (and whatever else commits
   * through its context) may change, e.g. an id sequence. A commit through its context then
   * compares only these, not every tenant and credential the control plane added (a
   * JSON.stringify of each, per batch). Absent: every entry. The test suite checks that no
   * other entry changed in such a commit (store.ts CHECK_DECLARED). The rows of these entries
   * may be changed in place; every other entry's rows are replaced, never changed (the store
   * keeps their JSON text by row; the test suite freezes them).
   */
  writtenByRoutes?: readonly string[];
  /** The documented limits (`--rate-limits real`), and the headers they put on responses. */
  rateLimit?: RateLimitPolicy;
  /**
   * Which tenant a request's credential belongs to (its id as in the fixtures), or null when
   * it carries none the provider knows. No side effects (no rate counting): the journal and
   * tenant-scoped faults call it for every request.
   */
  tenantOf(model: Model, req: RequestView): string | null;
  /** Tenants and credentials for /__admin/fixtures. */
  fixtures(model: Model, opts?: FixtureOptions): FixtureTenant[];
  /** A fresh isolated tenant with a full-access credential; the caller commits. */
  createTenant(model: Model, random: () => SeededRandom, clock: Clock): FixtureTenant;
  /**
   * Removes a tenant made by `createTenant`, its credentials and all its data (the caller
   * commits); "fixture" for a seeded tenant (left as it is), "unknown" when there is none.
   */
  deleteTenant(model: Model, id: string): TenantDeletion;
  /** Whether a tenant (seeded or made) has this id, as the fixtures give it. */
  hasTenant(model: Model, id: string): boolean;
  /**
   * The path (below the mount) of a tenant's customer list, e.g. "/api/customers/": what
   * smoke checks (the Docker replay test, the cross-provider tests) call with the tenant's
   * `full` credential.
   */
  listPath(tenant: FixtureTenant): string;
  /** Every customer as stored, deleted ones included. */
  rawCustomers(model: Model): unknown[];
  /** Pact provider states by name (POST /__admin/provider-states). */
  states: Record<string, ProviderStateHandler<Model>>;
  /**
   * The interactions `contracts export` writes to this provider's pact (its
   * src/contracts/<name>.ts), loaded on demand: they are no part of serving.
   */
  interactions(): Promise<ContractInteraction[]>;
  /**
   * The provider's OpenAPI 3.1 document (served at `/<name>/openapi.json`, read by the docs
   * page and `openapi export`), loaded on demand: schema generation is no part of start-up.
   * Its `components.securitySchemes` name the credential the docs page asks for.
   */
  openapi(): Promise<Record<string, unknown>>;
  /**
   * Work the provider does in the background over one model (e.g. outgoing webhooks): started
   * when a model starts serving (start-up, after a reset), stopped before it is replaced and
   * when the simulator closes.
   */
  background?(model: Model, ctx: SimulatorContext<Model>): BackgroundWork;
  /** Extra admin routes, mounted at `/__admin/<name>/` (behind the admin token). */
  adminRoutes?(ctx: SimulatorContext<Model>): Hono;
}

/** A provider's background work over one model. */
export interface BackgroundWork {
  /** Cancels timers and work in flight; resolves when nothing of it runs any more. */
  stop(): Promise<void>;
}

/** A provider as the app lists it: its name, and its module loaded only when it is served. */
export interface ProviderEntry {
  name: string;
  load(): Promise<ProviderSimulator<any, any>>;
}
