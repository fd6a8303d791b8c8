import type { Context } from "hono";
import * as z from "zod";
import type { SimEnv } from "./env.js";
import { matchesGlob } from "./glob.js";
import { SeededRandom } from "./ids.js";
import { tenantOrNull, type Layer } from "./journal.js";
import { lazy } from "./lazy.js";

/** A fault rule as a user writes it (POST /__admin/faults, `sim.faults.add`, `--faults FILE`). */
export interface FaultRule {
  /** only requests to this provider */
  provider?: string;
  /** only this method (any case) */
  method?: string;
  /** a glob over the full request path, mount included: `*` = one segment, `**` = zero or more */
  path?: string;
  /** answer with this status (alone: the provider's own error body for it) */
  status?: number;
  /** answer with this body: an object or array as JSON, a string as text */
  body?: Record<string, unknown> | unknown[] | string;
  /** headers added to the answer */
  headers?: Record<string, string>;
  /** wait this long first (0 to 60,000 ms) */
  delayMs?: number;
  /** fire on this share of the matching requests (0 to 1), drawn from the seed */
  probability?: number;
  /** fire this many times, then the rule expires */
  times?: number;
  /** only requests whose credential belongs to this tenant (its id as in the fixtures) */
  tenant?: string;
  /** "respond" (default with a status or body), "delay" (default otherwise), "reset" (drop the connection) */
  kind?: "respond" | "delay" | "reset";
}

/** A rule the simulator holds: the rule, its id and how often it has fired. */
export type ActiveFaultRule = FaultRule & { id: string; hits: number };

/** Built when a rule is first validated, not at start-up. */
export const faultRuleSchema = lazy(() =>
  z.strictObject({
    provider: z.string().optional(),
    method: z.string().min(1).transform((m) => m.toUpperCase()).optional(),
    path: z.string().optional(),
    // A 1xx is no final answer: a Response cannot carry one (each matching request was a 500).
    status: z.number().int().min(200, "a status from 200 to 599").max(599, "a status from 200 to 599").optional(),
    body: z.union([z.record(z.string(), z.unknown()), z.array(z.unknown()), z.string()]).optional(),
    // Checked here, not when the rule fires: a name or value HTTP cannot carry, or a header
    // that frames the body (the server sets those), failed every matching request.
    headers: z
      .record(
        z.string().regex(HEADER_NAME, "a header name is a token (letters, digits and !#$%&'*+-.^_`|~)").refine((name) => !FRAMING_HEADERS.has(name.toLowerCase()), "Content-Length and Transfer-Encoding are the server's (they frame the body)"),
        z.string().regex(HEADER_VALUE, "a header value is one line of Latin-1 text (no CR, LF or other control characters)"),
      )
      .optional(),
    delayMs: z.number().int().min(0).max(60_000).optional(),
    probability: z.number().min(0).max(1).optional(),
    times: z.number().int().min(1).optional(),
    tenant: z.string().min(1).optional(),
    kind: z.enum(["respond", "delay", "reset"]).optional(),
  }).refine((rule) => rule.body === undefined || rule.status === undefined || !NULL_BODY_STATUSES.has(rule.status), {
    message: "a 204, 205 or 304 answer has no body",
    path: ["body"],
  }),
);

/** RFC 9110 token: what a header name may be. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** What node writes in a header value: tab, printable ASCII and Latin-1 (no CR, LF, NUL). */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
const FRAMING_HEADERS = new Set(["content-length", "transfer-encoding"]);
/** Statuses whose response has no body (Fetch's null body statuses, 101 and 103 aside). */
const NULL_BODY_STATUSES = new Set([204, 205, 304]);

// The schema's output is exactly the public type (checked here, at compile time).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemaMatchesType: Same<z.infer<ReturnType<typeof faultRuleSchema>>, FaultRule> = true;
void schemaMatchesType;

interface Held {
  rule: ActiveFaultRule;
  /** the rule's own draws: present when it has a probability */
  random: SeededRandom | undefined;
}

/** Fault rules; with none set the request path pays one length check. */
export class Faults {
  #rules: Held[] = [];
  #ids = 0;

  /**
   * Adds a validated rule. A `probability` draws from a generator seeded with `seed` and the
   * rule's own fields, so the same rule added under the same seed fires on the same requests
   * of its matching sequence.
   */
  add(input: FaultRule, seed: number): ActiveFaultRule {
    const rule: ActiveFaultRule = { id: `fault_${++this.#ids}`, ...input, hits: 0 };
    const random = input.probability === undefined ? undefined : new SeededRandom(`${seed}:fault:${canonicalJson(input)}`);
    this.#rules.push({ rule, random });
    return { ...rule };
  }
  list(): ActiveFaultRule[] {
    return this.#rules.map((h) => ({ ...h.rule }));
  }
  remove(id: string): boolean {
    const before = this.#rules.length;
    this.#rules = this.#rules.filter((h) => h.rule.id !== id);
    return this.#rules.length !== before;
  }
  clear(): void {
    this.#rules = [];
  }
  get size(): number {
    return this.#rules.length;
  }

  /**
   * The rules that fire for a request, in the order they were added: every matching delay,
   * up to and including the first rule that answers (respond or reset). Each consumes one of
   * its `times`. `tenantOf` is asked at most once, and only when a rule names a tenant.
   */
  take(provider: string | null, method: string, path: string, tenantOf: () => string | null = () => null): ActiveFaultRule[] {
    const fired: ActiveFaultRule[] = [];
    let tenant: string | null | undefined;
    for (const { rule, random } of [...this.#rules]) {
      if (rule.provider !== undefined && rule.provider !== provider) continue;
      if (rule.method !== undefined && rule.method !== method) continue;
      if (rule.path !== undefined && !matchesGlob(rule.path, path)) continue;
      if (rule.tenant !== undefined) {
        if (tenant === undefined) tenant = tenantOf();
        if (rule.tenant !== tenant) continue;
      }
      // One draw per matching request: the n-th match always gets the n-th draw.
      if (random !== undefined && random.next() >= rule.probability!) continue;
      rule.hits += 1;
      if (rule.times !== undefined && rule.hits >= rule.times) this.remove(rule.id);
      fired.push(rule);
      if (kindOf(rule) !== "delay") break;
    }
    return fired;
  }
}

/** JSON with object keys sorted at every depth: the same rule gives the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const keys = Object.keys(value).filter((k) => (value as Record<string, unknown>)[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** A rule with a status or a body answers; one with neither only delays. */
export function kindOf(rule: FaultRule): "respond" | "delay" | "reset" {
  return rule.kind ?? (rule.status !== undefined || rule.body !== undefined ? "respond" : "delay");
}

/** Why a rule was refused: where (its index in a list) and the first problem. */
export interface FaultRuleProblem {
  index?: number;
  message: string;
  issues?: z.core.$ZodIssue[];
}

/**
 * Validates one rule: its fields, and a `provider` among `providers`. The rule as stored
 * (method upper-cased), or the problem.
 */
export function parseFaultRule(value: unknown, providers: readonly string[]): { rule: FaultRule } | { problem: FaultRuleProblem } {
  const parsed = faultRuleSchema().safeParse(value);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first && first.path.length ? `${first.path.join(".")}: ` : "";
    return { problem: { message: `Not a fault rule: ${where}${first?.message ?? "invalid"}.`, issues: parsed.error.issues } };
  }
  if (parsed.data.provider !== undefined && !providers.includes(parsed.data.provider)) {
    return { problem: { message: `Unknown provider "${parsed.data.provider}" (served: ${providers.join(", ")}).` } };
  }
  return { rule: parsed.data };
}

/** Validates a list of rules (a `--faults` file): all of them, or the first that is refused. */
export function parseFaultRules(value: unknown, providers: readonly string[]): { rules: FaultRule[] } | { problem: FaultRuleProblem } {
  if (!Array.isArray(value)) return { problem: { message: "Expected a JSON array of fault rules." } };
  const rules: FaultRule[] = [];
  for (const [index, item] of value.entries()) {
    const one = parseFaultRule(item, providers);
    if ("problem" in one) return { problem: { ...one.problem, index } };
    rules.push(one.rule);
  }
  return { rules };
}

export interface FaultHooks {
  providerOf(path: string): string | null;
  /** the tenant whose credential the request carries (the provider's `tenantOf`), or null */
  tenantOf(provider: string, c: Context<SimEnv>): string | null;
  /** the provider's own body for a bare status */
  forStatus(provider: string | null, c: Context<SimEnv>, status: number): Response;
  /** headers every response of the provider carries (e.g. a Cache-Control it always sends) */
  baseHeaders?(provider: string | null): Record<string, string> | undefined;
}

/** The fault rules around the rest of a request; with none set, the rest at once (no promise). */
export function faultLayer(faults: Faults, hooks: FaultHooks): Layer {
  return (c, rest) => (faults.size === 0 ? rest() : withFaults(faults, hooks, c, rest));
}

async function withFaults(faults: Faults, hooks: FaultHooks, c: Context<SimEnv>, rest: () => Response | Promise<Response>): Promise<Response> {
  const provider = hooks.providerOf(c.req.path);
  const fired = faults.take(provider, c.req.method, c.req.path, () => (provider === null ? null : tenantOrNull(hooks, provider, c)));
  if (fired.length === 0) return rest();
  const delayMs = fired.reduce((sum, r) => sum + (r.delayMs ?? 0), 0);
  if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
  const rule = fired[fired.length - 1]!;
  const kind = kindOf(rule);
  if (kind === "reset") {
    const socket = c.env?.incoming?.socket;
    // In-process (app.request) there is no socket: a network error is the closest thing.
    if (!socket) return Response.error();
    socket.destroy();
    // Nothing reaches the client; a real status keeps node's writer from refusing status 0.
    return new Response(null, { status: 502 });
  }
  if (kind === "delay") return rest();
  const status = rule.status ?? 500;
  let res: Response;
  if (NULL_BODY_STATUSES.has(status)) {
    // No body to send, the provider's own included: only its usual headers.
    res = new Response(null, { status, headers: hooks.baseHeaders?.(provider) });
  } else if (rule.body === undefined) res = hooks.forStatus(provider, c, status);
  else {
    res = typeof rule.body === "string" ? c.text(rule.body, status as 500) : c.json(rule.body, status as 500);
    for (const [name, value] of Object.entries(hooks.baseHeaders?.(provider) ?? {})) res.headers.set(name, value);
  }
  for (const [name, value] of Object.entries(rule.headers ?? {})) res.headers.set(name, value);
  return res;
}
