import { systemClock, type Clock } from "./core/clock.js";
import { isDomainError } from "./core/domain-errors.js";
import { Faults } from "./core/faults.js";
import { runtimeRandom, type SeededRandom } from "./core/ids.js";
import { Journal } from "./core/journal.js";
import { countRequest, SlidingWindowLimiter } from "./core/rate-limit.js";
import {
  ProviderStateError,
  type BackgroundWork,
  type FixtureTenant,
  type ProviderSimulator,
  type ProviderStateValues,
  type RequestView,
  type SimulatorContext,
  type TenantDeletion,
} from "./core/simulator.js";
import { seedFromCache } from "./core/seed-cache.js";
import { Store, type StateDoc } from "./core/store.js";
import { inSlices, type SliceRun } from "./core/slices.js";
import { MalformedRow, tableOver, type Table } from "./core/table.js";

export interface SimulatorOptions {
  /** fixture seed (default 1) */
  seed?: number;
  /** keep state in this JSON file; an existing file is loaded as it is */
  data?: string;
  clock?: Clock;
  rateLimits?: "off" | "real";
  /** when set, every /__admin call needs `Authorization: Bearer <it>` */
  adminToken?: string;
  /** serve only this provider, at the root */
  provider?: string;
  journalSize?: number;
  /** with `data`: fold the change log into a new snapshot once it holds this many bytes */
  compactLogBytes?: number;
}

// Providers are typed loosely here: the runtime only moves their documents around.
type AnySimulator = ProviderSimulator<any, any>;

/** A tenant with fewer rows builds an index in a millisecond or two when it first needs one. */
const WARM_MIN_ROWS = 2000;
/**
 * As a compaction's slices (store.ts): a request usually waits at most about this long for one
 * (median 4.2 ms at 100,000 customers). A step that grows a large Map (past 32,768 or 65,536
 * keys: one rehash, in fresh memory) or meets a scavenge takes 20–50 ms, a few times a warm-up.
 */
const WARM_SLICE_MS = 4;

/** The simulator's state lifecycle: seeding, loading, resetting, and per-provider contexts. */
export class Runtime {
  readonly journal: Journal;
  readonly faults = new Faults();
  readonly clock: Clock;
  readonly rateLimits: "off" | "real";
  readonly adminToken: string | undefined;
  readonly rootProvider: string | undefined;
  readonly #models = new Map<string, unknown>();
  readonly #limiters = new Map<string, SlidingWindowLimiter>();
  readonly #contexts = new Map<string, SimulatorContext<any>>();
  /** Each provider's background work over its current model (started with its context). */
  readonly #background = new Map<string, BackgroundWork>();
  /** per provider: its large tenants' indexes being built between requests (Table.warmUp) */
  readonly #warming = new Map<string, SliceRun>();
  #closed = false;

  private constructor(
    readonly simulators: AnySimulator[],
    readonly store: Store,
    opts: SimulatorOptions,
  ) {
    this.clock = opts.clock ?? systemClock;
    this.rateLimits = opts.rateLimits ?? "off";
    this.adminToken = opts.adminToken || undefined;
    this.rootProvider = opts.provider;
    this.journal = new Journal(opts.journalSize ?? 1000);
  }

  /** `simulators`: the providers to serve (already loaded; one when `opts.provider` is set). */
  static async open(simulators: AnySimulator[], opts: SimulatorOptions = {}): Promise<Runtime> {
    const { store, loaded } = await Store.open(opts.data, { compactLogBytes: opts.compactLogBytes ?? envBytes() });
    const runtime = new Runtime(simulators, store, opts);
    const seed = opts.seed ?? 1;
    if (loaded) {
      // A state file from a build with fewer providers gets the missing ones seeded.
      for (const sim of simulators) {
        if (!(sim.name in store.doc.providers)) {
          await runtime.#seedProvider(sim, store.doc.seed);
          store.markAll();
        }
      }
    } else {
      store.doc.seed = seed;
      for (const sim of simulators) await runtime.#seedProvider(sim, seed);
      store.markAll();
    }
    try {
      for (const sim of simulators) runtime.#openModel(sim);
    } catch (err) {
      // (a row of the file refused: the models opened before it are dropped, their warm-ups
      // too; the store is left unwritten, the file as it was)
      runtime.#closed = true;
      for (const run of runtime.#warming.values()) run.stop();
      throw err;
    }
    // A failed write put the document back: the model's own indexes are rebuilt over it.
    store.onRevert = (name) => {
      const sim = runtime.simulator(name);
      if (sim && store.doc.providers[name]) runtime.#openModel(sim);
    };
    await store.commit();
    return runtime;
  }

  #openModel(sim: AnySimulator): void {
    const pdoc = this.store.doc.providers[sim.name];
    let model: unknown;
    try {
      model = sim.open(pdoc);
    } catch (err) {
      if (!(err instanceof MalformedRow)) throw err;
      // (only a data file edited by hand holds one: every write is validated first)
      const entry = Object.keys(pdoc as object).find((k) => (pdoc as Record<string, unknown>)[k] === err.rows) ?? "?";
      throw new Error(`${this.store.file ?? "the state"}: providers.${sim.name}.${entry}[${JSON.stringify(err.id)}] cannot be used: ${err.why}. Fix or remove that row.`);
    }
    this.#models.set(sim.name, model);
    this.store.attach(sim.name, sim.writtenByRoutes);
    this.#warmUp(sim.name, pdoc);
  }

  /**
   * Builds the indexes of the provider's large tenants between requests, a slice at a time:
   * opening a model builds none (a start-up from 100,000 customers stays short), and neither the
   * first write nor the first list in such a tenant then pays for them (#13).
   */
  #warmUp(name: string, pdoc: unknown): void {
    this.#warming.get(name)?.stop();
    if (this.#closed) return;
    const tables = Object.values(pdoc as Record<string, unknown>).map(tableOver).filter((t): t is Table<any> => t !== undefined);
    function* steps() {
      for (const table of tables) yield* table.warmUp(WARM_MIN_ROWS);
    }
    // (a step that throws leaves the rest to the requests, which build what they need and
    // answer the same failure in the provider's shape)
    const run = inSlices(steps(), WARM_SLICE_MS);
    this.#warming.set(name, run);
    void run.done.then(() => {
      if (this.#warming.get(name) === run) this.#warming.delete(name);
    });
  }

  /** @internal Resolves once every index building under way is done (tests, benches). */
  async warmed(): Promise<void> {
    while (this.#warming.size) await Promise.all([...this.#warming.values()].map((r) => r.done));
  }

  get seed(): number {
    return this.store.doc.seed;
  }

  simulator(name: string): AnySimulator | undefined {
    return this.simulators.find((s) => s.name === name);
  }

  model<M>(name: string): M {
    return this.#models.get(name) as M;
  }

  /** Back to the seeded state: all providers, or one; a given seed becomes the current one. */
  async reset(opts: { provider?: string; seed?: number } = {}): Promise<void> {
    const targets = opts.provider ? this.simulators.filter((s) => s.name === opts.provider) : this.simulators;
    const seed = opts.seed ?? this.store.doc.seed;
    // Generate first, then swap: a failure leaves the current state as it was.
    const docs = await Promise.all(targets.map((sim) => this.#generate(sim, seed)));
    // The old models' background work (e.g. pending webhooks) ends with them.
    await Promise.all(targets.map((sim) => this.#stopBackground(sim.name)));
    this.store.touch("seed");
    this.store.doc.seed = seed;
    for (const [i, sim] of targets.entries()) {
      this.store.touch("counters", sim.name);
      this.store.doc.providers[sim.name] = docs[i];
      this.store.doc.counters[sim.name] = 0;
      this.#openModel(sim);
      this.#limiters.get(sim.name)?.clear();
      this.#startBackground(sim);
    }
    await this.store.commit();
  }

  async createTenant(name: string): Promise<FixtureTenant> {
    const sim = this.simulator(name)!;
    const tenant = sim.createTenant(this.model(name), () => this.#random(name), this.clock);
    await this.store.commit(name);
    return tenant;
  }

  /** Removes a tenant made with createTenant; "fixture" and "unknown" change nothing. */
  async deleteTenant(name: string, id: string): Promise<TenantDeletion> {
    const sim = this.simulator(name)!;
    const outcome = sim.deleteTenant(this.model(name), id);
    if (outcome === "deleted") await this.store.commit(name);
    return outcome;
  }

  /** The tenant a request's credential belongs to (the provider's `tenantOf`), or null. */
  tenantOf(name: string, req: RequestView): string | null {
    const sim = this.simulator(name);
    return sim ? sim.tenantOf(this.model(name), req) : null;
  }

  /**
   * A Pact state change. "setup" resets the provider to its seeded state (current seed), puts
   * it in `state` and commits, and returns the values for ProviderState generators; an empty
   * state or a "teardown" returns `{}` and changes nothing. Failures are ProviderStateErrors
   * (unknown provider 404; unknown state or action, bad params 400); a refused setup leaves
   * the provider seeded, not half set up.
   */
  async applyState(provider: string, state: string | null | undefined, params: unknown = {}, action = "setup"): Promise<ProviderStateValues> {
    const sim = this.simulator(provider);
    if (!sim) throw new ProviderStateError(`Unknown provider "${provider}". Served: ${this.simulators.map((s) => s.name).join(", ")}.`, 404);
    if (action !== "setup" && action !== "teardown") throw new ProviderStateError(`Unknown action "${action}": "setup" or "teardown".`);
    if (!state || action === "teardown") return {};
    const handler = Object.hasOwn(sim.states, state) ? sim.states[state] : undefined;
    if (!handler) {
      const known = Object.keys(sim.states).map((s) => JSON.stringify(s)).join(", ");
      throw new ProviderStateError(`Unknown provider state "${state}" for ${provider}. Known states: ${known || "none"}.`);
    }
    if (params === null || params === undefined) params = {};
    if (typeof params !== "object" || Array.isArray(params)) throw new ProviderStateError("params must be a JSON object.");

    await this.reset({ provider });
    let values: ProviderStateValues;
    try {
      values = handler({ model: this.model(provider), params: params as Record<string, unknown>, random: () => this.#random(provider), clock: this.clock });
    } catch (err) {
      await this.reset({ provider });
      throw stateFailure(err) ?? err;
    }
    await this.store.commit(provider);
    return values;
  }

  /** The provider's context (one per provider: its routes and admin routes share it). */
  context<M>(sim: ProviderSimulator<unknown, M>): SimulatorContext<M> {
    const existing = this.#contexts.get(sim.name);
    if (existing) return existing as SimulatorContext<M>;
    let limiter: SlidingWindowLimiter | undefined;
    if (this.rateLimits === "real" && sim.rateLimit) {
      limiter = new SlidingWindowLimiter(sim.rateLimit, () => Math.floor(this.clock.nowMicros() / 1000));
      this.#limiters.set(sim.name, limiter);
    }
    const ctx: SimulatorContext<M> = {
      model: () => this.#models.get(sim.name) as M,
      commit: () => this.store.commit(sim.name, sim.writtenByRoutes),
      clock: this.clock,
      random: () => this.#random(sim.name),
      limiter,
      countRequest: (c, key) => countRequest(c, limiter, key),
    };
    this.#contexts.set(sim.name, ctx);
    this.#startBackground(sim);
    return ctx;
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const run of this.#warming.values()) run.stop();
    await Promise.all([...this.#background.keys()].map((name) => this.#stopBackground(name)));
    await this.store.close();
  }

  #startBackground(sim: AnySimulator): void {
    const ctx = this.#contexts.get(sim.name);
    if (!ctx || !sim.background || this.#background.has(sim.name)) return;
    this.#background.set(sim.name, sim.background(this.model(sim.name), ctx));
  }

  async #stopBackground(name: string): Promise<void> {
    const work = this.#background.get(name);
    this.#background.delete(name);
    await work?.stop();
  }

  async #seedProvider(sim: AnySimulator, seed: number): Promise<void> {
    const doc: StateDoc = this.store.doc;
    doc.providers[sim.name] = await this.#generate(sim, seed);
    doc.counters[sim.name] = 0;
  }

  async #generate(sim: AnySimulator, seed: number): Promise<unknown> {
    return seedFromCache(sim.name, seed) ?? (await sim.seed({ seed }));
  }

  #random(name: string): SeededRandom {
    const doc = this.store.doc;
    this.store.touch("counters", name);
    const n = (doc.counters[name] ?? 0) + 1;
    doc.counters[name] = n;
    return runtimeRandom(doc.seed, name, n);
  }
}

/** `SIM_COMPACT_LOG_BYTES`: the log's bound for --data (tests make it small). */
function envBytes(): number | undefined {
  const n = Number(process.env.SIM_COMPACT_LOG_BYTES);
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

/** A handler's refusal of its params as a 400, with the messages of every issue; null for a bug. */
function stateFailure(err: unknown): ProviderStateError | null {
  if (isDomainError(err)) {
    const issues = err.details.issues ?? [];
    const message = issues.length
      ? issues.map((i) => (i.loc.length ? `${i.loc.join(".")}: ${i.message}` : i.message)).join("; ")
      : `The state's params were refused (${err.kind}).`;
    return new ProviderStateError(message, 400, issues.length ? issues : undefined);
  }
  // A plain Error is a handler's own refusal; TypeError and the like are bugs (500).
  if (err instanceof Error && err.constructor === Error) return new ProviderStateError(err.message);
  return null;
}
