// The control plane's operations, once: the /__admin routes and the library API (src/index.ts)
// both call these, so HTTP and in-process callers get the same checks and the same answers.
import * as z from "zod";
import { parseFaultRule, type ActiveFaultRule, type FaultRule } from "../core/faults.js";
import type { JournalEntry, JournalFilter } from "../core/journal.js";
import type { FixtureOptions, FixtureTenant, TenantDeletion } from "../core/simulator.js";
import { lazy } from "../core/lazy.js";
import type { Runtime } from "../runtime.js";

/** A refusal, with the status the HTTP control plane answers it with. */
export class ControlPlaneError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 404 | 409,
    readonly issues?: unknown[],
  ) {
    super(message);
    this.name = "ControlPlaneError";
  }
}

/** What `GET /__admin/fixtures` and `sim.fixtures()` answer. */
export interface Fixtures {
  seed: number;
  providers: Record<string, { basePath: string; tenants: FixtureTenant[] }>;
}

/** Journal filters: every one given must match. */
export type RequestFilter = JournalFilter;

const requestFilterSchema = lazy(() =>
  z.strictObject({
    provider: z.string().optional(),
    method: z.string().optional(),
    status: z.coerce.number().int().min(100).max(599).optional(),
    path: z.string().optional(),
    tenant: z.string().min(1).optional(),
  }),
);

export class ControlPlane {
  constructor(readonly runtime: Runtime) {}

  get providers(): string[] {
    return this.runtime.simulators.map((s) => s.name);
  }

  fixtures(opts?: FixtureOptions): Fixtures {
    const runtime = this.runtime;
    const providers: Fixtures["providers"] = {};
    for (const sim of runtime.simulators) {
      providers[sim.name] = { basePath: runtime.rootProvider ? "" : `/${sim.name}`, tenants: sim.fixtures(runtime.model(sim.name), opts) };
    }
    return { seed: runtime.seed, providers };
  }

  /** A fresh isolated tenant with a full-access credential. */
  async createTenant(provider: string): Promise<FixtureTenant> {
    return this.runtime.createTenant(this.#known(provider));
  }

  /**
   * Removes a tenant made with `createTenant`: its credentials, all its data, and the fault
   * rules scoped to it. A fixture tenant ("fixture") and an unknown id ("unknown") change nothing.
   */
  async deleteTenant(provider: string, id: string): Promise<TenantDeletion> {
    const outcome = await this.runtime.deleteTenant(this.#known(provider), id);
    if (outcome === "deleted") {
      for (const rule of this.runtime.faults.list()) {
        if (rule.tenant === id && (rule.provider === undefined || rule.provider === provider)) this.runtime.faults.remove(rule.id);
      }
    }
    return outcome;
  }

  /** The journal, oldest first. */
  requests(filter: unknown = {}): JournalEntry[] {
    return this.runtime.journal.list(this.#filter(filter));
  }

  requestCount(filter: unknown = {}): number {
    return this.runtime.journal.count(this.#filter(filter));
  }

  clearRequests(): void {
    this.runtime.journal.clear();
  }

  /** Validates and adds a rule; its `probability` draws are seeded with the current seed. */
  addFault(input: unknown): ActiveFaultRule {
    const parsed = parseFaultRule(input, this.providers);
    if ("problem" in parsed) throw new ControlPlaneError(parsed.problem.message, 400, parsed.problem.issues);
    const { provider, tenant } = parsed.rule;
    // A rule for a tenant that does not exist would never fire (a typo, a tenant of another
    // seed or already deleted): refused, as a rule for an unknown provider is.
    if (tenant !== undefined) {
      const names = provider === undefined ? this.providers : [provider];
      if (!names.some((name) => this.runtime.simulator(name)!.hasTenant(this.runtime.model(name), tenant))) {
        throw new ControlPlaneError(`Unknown tenant "${tenant}"${provider === undefined ? "" : ` of ${provider}`}: a rule's tenant is the id of an existing tenant, as GET /__admin/fixtures or POST /__admin/{provider}/tenants gives it.`, 400);
      }
    }
    return this.runtime.faults.add(parsed.rule, this.runtime.seed);
  }

  /** Adds rules already validated (`parseFaultRules`), e.g. a `--faults` file at start. */
  addFaults(rules: FaultRule[]): ActiveFaultRule[] {
    return rules.map((rule, index) => {
      try {
        return this.addFault(rule);
      } catch (err) {
        if (err instanceof ControlPlaneError) throw new ControlPlaneError(`rule ${index + 1} (index ${index}): ${err.message}`, err.status, err.issues);
        throw err;
      }
    });
  }

  faults(): ActiveFaultRule[] {
    return this.runtime.faults.list();
  }

  removeFault(id: string): boolean {
    return this.runtime.faults.remove(id);
  }

  clearFaults(): void {
    this.runtime.faults.clear();
  }

  #known(provider: string): string {
    if (typeof provider === "string" && this.runtime.simulator(provider)) return provider;
    throw new ControlPlaneError(`Unknown provider "${provider}". Served: ${this.providers.join(", ")}.`, 404);
  }

  #filter(value: unknown): JournalFilter {
    const parsed = requestFilterSchema().safeParse(value ?? {});
    if (!parsed.success) {
      throw new ControlPlaneError("Filters: provider, method, status (integer), path (glob), tenant (id).", 400, parsed.error.issues);
    }
    return parsed.data;
  }
}
