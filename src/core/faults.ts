import type { Context, MiddlewareHandler } from "hono";
import * as z from "zod";
import type { SimEnv } from "./env.js";
import { matchesGlob } from "./glob.js";

export const faultRuleSchema = z.object({
  provider: z.string().optional(),
  method: z.string().transform((m) => m.toUpperCase()).optional(),
  path: z.string().optional(),
  status: z.number().int().min(100).max(599).optional(),
  body: z.union([z.record(z.string(), z.unknown()), z.array(z.unknown()), z.string()]).optional(),
  headers: z.record(z.string(), z.string()).optional(),
  delayMs: z.number().int().min(0).max(60_000).optional(),
  probability: z.number().min(0).max(1).optional(),
  times: z.number().int().min(1).optional(),
  kind: z.enum(["respond", "delay", "reset"]).optional(),
});

export type FaultRuleInput = z.infer<typeof faultRuleSchema>;
export type FaultRule = FaultRuleInput & { id: string; hits: number };

/** Fault rules; with none set the request path pays one length check. */
export class Faults {
  #rules: FaultRule[] = [];
  #ids = 0;

  add(input: FaultRuleInput): FaultRule {
    const rule: FaultRule = { id: `fault_${++this.#ids}`, ...input, hits: 0 };
    this.#rules.push(rule);
    return rule;
  }
  list(): FaultRule[] { return [...this.#rules]; }
  remove(id: string): boolean {
    const before = this.#rules.length;
    this.#rules = this.#rules.filter((r) => r.id !== id);
    return this.#rules.length !== before;
  }
  clear(): void { this.#rules = []; }
  get size(): number { return this.#rules.length; }

  /**
   * The rules that fire for a request, in the order they were added: every matching delay,
   * up to and including the first rule that answers (respond or reset). Each consumes one of
   * its `times`.
   */
  take(provider: string | null, method: string, path: string): FaultRule[] {
    const fired: FaultRule[] = [];
    for (const rule of [...this.#rules]) {
      if (rule.provider !== undefined && rule.provider !== provider) continue;
      if (rule.method !== undefined && rule.method !== method) continue;
      if (rule.path !== undefined && !matchesGlob(rule.path, path)) continue;
      if (rule.probability !== undefined && Math.random() >= rule.probability) continue;
      rule.hits += 1;
      if (rule.times !== undefined && rule.hits >= rule.times) this.remove(rule.id);
      fired.push(rule);
      if (kindOf(rule) !== "delay") break;
    }
    return fired;
  }
}

/** A rule with a status or a body answers; one with neither only delays. */
export function kindOf(rule: FaultRuleInput): "respond" | "delay" | "reset" {
  return rule.kind ?? (rule.status !== undefined || rule.body !== undefined ? "respond" : "delay");
}

export interface FaultHooks {
  providerOf(path: string): string | null;
  /** the provider's own body for a bare status */
  forStatus(provider: string | null, c: Context<SimEnv>, status: number): Response;
  /** headers every response of the provider carries (e.g. a Cache-Control it always sends) */
  baseHeaders?(provider: string | null): Record<string, string> | undefined;
}

export function faultMiddleware(faults: Faults, hooks: FaultHooks): MiddlewareHandler<SimEnv> {
  return async (c, next) => {
    if (faults.size === 0) return next();
    const provider = hooks.providerOf(c.req.path);
    const fired = faults.take(provider, c.req.method, c.req.path);
    if (fired.length === 0) return next();
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
    if (kind === "delay") return next();
    const status = rule.status ?? 500;
    let res: Response;
    if (rule.body === undefined) res = hooks.forStatus(provider, c, status);
    else {
      res = typeof rule.body === "string" ? c.text(rule.body, status as 500) : c.json(rule.body, status as 500);
      for (const [name, value] of Object.entries(hooks.baseHeaders?.(provider) ?? {})) res.headers.set(name, value);
    }
    for (const [name, value] of Object.entries(rule.headers ?? {})) res.headers.set(name, value);
    return res;
  };
}
