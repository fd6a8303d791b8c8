import { Hono, type Context, type Next } from "hono";
import { adminRoutes } from "./admin/routes.js";
import { bodyLimit } from "./core/body.js";
import { docsAsset, docsPage } from "./core/docs-page.js";
import { DomainError, isDomainError } from "./core/domain-errors.js";
import type { SimEnv } from "./core/env.js";
import { faultLayer } from "./core/faults.js";
import { journalLayer, type Step } from "./core/journal.js";
import { respond } from "./core/respond.js";
import { GroupedRegExpRouter } from "./core/router.js";
import type { ProviderEntry, ProviderSimulator, RequestView } from "./core/simulator.js";
import type { Runtime } from "./runtime.js";

/**
 * Every provider the simulator serves; a new one is one more line here. Each module is
 * imported only when it is served (`--provider plane` loads no other provider).
 */
export const providerEntries: ProviderEntry[] = [
  { name: "rapidly", load: async () => (await import("./simulators/rapidly/index.js")).rapidly },
  { name: "flextell", load: async () => (await import("./simulators/flextell/index.js")).flextell },
  { name: "plane", load: async () => (await import("./simulators/plane/index.js")).plane },
  { name: "quentli", load: async () => (await import("./simulators/quentli/index.js")).quentli },
];

export const providerNames = (): string[] => providerEntries.map((p) => p.name);

/** The provider modules: all, or the one named (an unknown name throws, listing the known). */
export async function loadProviders(only?: string): Promise<ProviderSimulator<any, any>[]> {
  const entries = only === undefined ? providerEntries : providerEntries.filter((p) => p.name === only);
  if (entries.length === 0) throw new Error(`unknown provider "${only}" (one of: ${providerNames().join(", ")})`);
  return Promise.all(entries.map((p) => p.load()));
}

/** Methods a path can be asked for; HEAD is routed as GET by Hono. */
const ALL_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT"];

export function buildApp(runtime: Runtime): Hono<SimEnv> {
  // RegExp matching for every route, though providers' paths mix fixed words and parameters
  // at the same place (core/router.ts); Hono's default would use its trie router for all.
  const app = new Hono<SimEnv>({ router: new GroupedRegExpRouter() });
  const root = runtime.rootProvider;
  const mounted = new Set(runtime.simulators.map((s) => s.name));
  const names = [...mounted];
  // The path's first segment, if a mounted provider's name (compared in place: no copy per request).
  const providerOf = (path: string): string | null => {
    if (root) return root;
    for (const name of names) {
      if (path.startsWith(name, 1) && (path.length === name.length + 1 || path.charCodeAt(name.length + 1) === 47)) return name;
    }
    return null;
  };

  // The control plane answers first and is never journaled or faulted. Mounted as its own app:
  // its `/:provider/...` routes next to static ones would push the main router off Hono's
  // fastest (RegExp) router onto the trie router, for every provider request.
  const admin = adminRoutes(runtime);
  app.mount("/__admin", admin.fetch);

  // The tenant of a request's credential (the provider's own lookup, over the path below its mount).
  const tenantOf = (name: string, c: Context<SimEnv>): string | null => runtime.tenantOf(name, new View(c, root ? 0 : name.length + 1));

  // Journal, then faults, around every request but the control plane's. Not Hono middleware:
  // each route is registered as one handler that runs them around it (`around`), so a
  // request that is answered at once is answered without a middleware chain, a promise or a
  // closure per step or a wildcard route in the router; unmatched paths run them around the 404.
  const journal = journalLayer(runtime.journal, { providerOf, tenantOf });
  const faults = faultLayer(runtime.faults, {
    providerOf,
    tenantOf,
    forStatus: (name, c, status) =>
      name ? runtime.simulator(name)!.errors.forStatus(c, status) : c.json({ error: "fault", status }, status as 500),
    baseHeaders: (name) => (name ? runtime.simulator(name)!.errors.headers : undefined),
  });
  const ruled = runtime.faults;
  /** `step` with the journal and faults around it: one handler, built once (per route). */
  const around = (step: Step): Step => {
    const faulted: Step = (c) => (ruled.size === 0 ? step(c) : faults(c, () => step(c)));
    return journal ? (c) => journal(c, faulted) : faulted;
  };

  // One error handler for the whole app, in the format of the provider the path belongs to.
  const renderError = (err: unknown, c: Context<SimEnv>): Response => {
    const name = providerOf(c.req.path);
    const sim = name ? runtime.simulator(name) : undefined;
    if (sim && isDomainError(err)) return withRateHeaders(sim, c, sim.errors.render(c, err));
    console.error(err);
    if (sim) return sim.errors.forStatus(c, 500);
    return c.json({ error: "internal_error", message: "The simulator failed to handle this request." }, 500);
  };

  const allowed = new Map<string, (method: string, path: string) => string[] | undefined>();
  const ownAllowed = new Map<string, (method: string, path: string) => string[] | undefined>();
  for (const sim of runtime.simulators) {
    const provider = providerRouter(sim, runtime, around, renderError);
    app.route(root ? "/" : `/${sim.name}`, provider.router);
    allowed.set(sim.name, provider.allowed);
    ownAllowed.set(sim.name, provider.ownAllowed);
  }

  // Unmatched paths: under a provider, that provider's own 405 for a path it serves with other
  // methods, else its own 404 (its body limit first, as for its routes); elsewhere a plain one. (Here rather than a catch-all route, which every request
  // would match and carry.)
  const limits = new Map(runtime.simulators.map((sim) => [sim.name, providerBodyLimit(sim)]));
  app.notFound(
    around((c) => {
      const name = providerOf(c.req.path);
      if (!name) {
        return c.json({ error: "not_found", message: `No route ${c.req.method} ${c.req.path}. Providers live at ${[...mounted].map((n) => `/${n}`).join(", ")}; the control plane at /__admin.` }, 404);
      }
      const below = root ? c.req.path : c.req.path.slice(name.length + 1) || "/";
      // (HEAD is routed as GET, by Hono and here)
      const method = c.req.method === "HEAD" ? "GET" : c.req.method;
      const allow = allowed.get(name)!(method, below);
      const error = allow ? new DomainError("method_not_allowed", { allow, method: c.req.method }) : new DomainError("route_not_found");
      const sim = runtime.simulator(name)!;
      // (the provider's framework checks only its own routes' 405s: not /openapi.json's or /docs')
      const checked = allow && sim.beforeMethodNotAllowed && ownAllowed.get(name)!(method, below);
      const notFound = checked ? () => checkedMethodNotAllowed(sim, runtime, c, error, renderError) : () => sim.errors.render(c, error);
      return BODY_METHODS.has(c.req.method) ? (limits.get(name)!(c, notFound as never) as Promise<Response>) : notFound();
    }),
  );
  app.onError((err, c) => renderError(err, c));
  return app;
}

/**
 * A 405 answered only once the provider's framework checks have passed (beforeMethodNotAllowed:
 * DRF's authentication and throttling), with the rate-limit headers of a counted request.
 */
function checkedMethodNotAllowed(sim: ProviderSimulator<any, any>, runtime: Runtime, c: Context<SimEnv>, error: DomainError, renderError: (err: unknown, c: Context<SimEnv>) => Response): Response {
  let res: Response;
  try {
    sim.beforeMethodNotAllowed!(c, runtime.context(sim));
    res = sim.errors.render(c, error);
  } catch (err) {
    res = renderError(err, c);
  }
  return runtime.rateLimits === "real" && sim.rateLimit?.headers !== undefined ? withRateHeaders(sim, c, res) : res;
}

/** Methods whose requests may carry a body: only they pay for the body limit. */
const BODY_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** The `next` a route handler is given: routes answer, none of them passes a request on. */
const noNext: Next = async () => {};

/** What `tenantOf` sees of a request: its headers, and its path below the provider's mount (made only if asked). */
class View implements RequestView {
  constructor(
    readonly c: Context<SimEnv>,
    readonly offset: number,
  ) {}
  get path(): string {
    return this.c.req.path.slice(this.offset);
  }
  header(name: string): string | undefined {
    return this.c.req.header(name);
  }
}

function providerBodyLimit(sim: ProviderSimulator<any, any>) {
  return bodyLimit((c) => sim.errors.render(c, new DomainError("payload_too_large")));
}

/**
 * A provider's routes, each wrapped in the mechanics every provider shares — journal and
 * faults (`around`), the body limit, the rate-limit headers — with errors in its own format.
 */
function providerRouter(
  sim: ProviderSimulator<any, any>,
  runtime: Runtime,
  around: (step: Step) => Step,
  renderError: (err: unknown, c: Context<SimEnv>) => Response,
): { router: Hono<SimEnv>; allowed: (method: string, path: string) => string[] | undefined; ownAllowed: (method: string, path: string) => string[] | undefined } {
  const routes = sim.routes(runtime.context(sim));
  const own = routes.routes.length;
  // (its own routes' 405s, before /openapi.json and /docs join them: for beforeMethodNotAllowed)
  const ownAllowed = sim.beforeMethodNotAllowed ? allowedMethods(routes.routes) : () => undefined;
  // Loaded on first use: JSON Schema generation is not worth its import time at start-up.
  routes.get("/openapi.json", async (c) => respond(c, 200, await sim.openapi(), sim.errors.headers));
  // Swagger UI, its files read from swagger-ui-dist on request; the first tenant's full credential filled in.
  routes.get("/docs", (c) => c.html(docsPage({ title: `${sim.title} API`, pagePath: c.req.path, credential: sim.fixtures(runtime.model(sim.name), { customerIds: false })[0]?.credentials.find((k) => k.kind === "full")?.headers })));
  routes.get("/docs/assets/:file", async (c) => {
    const asset = await docsAsset(c.req.param("file"));
    return asset ? c.body(asset.body, 200, { "Content-Type": asset.contentType, "Cache-Control": "public, max-age=3600" }) : sim.errors.render(c, new DomainError("route_not_found"));
  });
  const allowed = allowedMethods(routes.routes);

  const limit = providerBodyLimit(sim);
  // The policy's headers (X-RateLimit-*) on every counted response, errors included. Only when limits are on.
  const rateHeaders = runtime.rateLimits === "real" && sim.rateLimit?.headers !== undefined;
  const router = new Hono<SimEnv>();
  // HEAD is routed to GET routes (by Hono); a provider without HEAD routes answers it 405.
  const offset = runtime.rootProvider ? 0 : sim.name.length + 1;
  const noHead = (c: Context<SimEnv>): Response =>
    sim.errors.render(c, new DomainError("method_not_allowed", { allow: allowed("HEAD", c.req.path.slice(offset) || "/") ?? ["GET"], method: "HEAD" }));
  for (const [i, r] of routes.routes.entries()) {
    const handler = r.handler as (c: Context<SimEnv>, next: Next) => Response | Promise<Response>;
    // The handler; a thrown error (or a rejected promise) rendered here, where the journal sees it.
    const run = (c: Context<SimEnv>): Response | Promise<Response> => {
      let res: Response | Promise<Response>;
      try {
        res = handler(c, noNext);
      } catch (err) {
        return rateHeaders ? withRateHeaders(sim, c, renderError(err, c)) : renderError(err, c);
      }
      if (res instanceof Promise) {
        const settled = res.then(undefined, (err: unknown) => renderError(err, c));
        return rateHeaders ? settled.then((out) => withRateHeaders(sim, c, out)) : settled;
      }
      return rateHeaders ? withRateHeaders(sim, c, res) : res;
    };
    // A GET route (HEAD too) never takes a body: no body-limit check per request.
    const limited: Step = (c) => (BODY_METHODS.has(c.req.method) ? (limit(c, (() => run(c)) as never) as Promise<Response>) : run(c));
    const get: Step = sim.headAsGet === false && i < own ? (c) => (c.req.method === "HEAD" ? noHead(c) : run(c)) : run;
    router.on(r.method, r.path, around(r.method === "GET" ? get : limited));
  }
  return { router, allowed, ownAllowed };
}

/**
 * A known path asked with another method gets the provider's own 405 (with the path's
 * methods for `Allow`). Found only once no route matched (in the app's notFound), from the
 * routes the provider registered: the app's router holds real routes only, so it is small and
 * quick to build, and a valid call still matches one handler.
 */
function allowedMethods(routes: readonly { method: string; path: string }[]): (method: string, path: string) => string[] | undefined {
  const byPath = new Map<string, Set<string>>();
  for (const r of routes) {
    if (!ALL_METHODS.includes(r.method)) continue; // middleware ("ALL") and the like
    let methods = byPath.get(r.path);
    if (!methods) byPath.set(r.path, (methods = new Set()));
    methods.add(r.method);
  }
  const router = new GroupedRegExpRouter<string[]>();
  for (const [path, methods] of byPath) router.add("ALL", path, ALL_METHODS.filter((m) => methods.has(m)));
  // Any other method on a known path, also one outside ALL_METHODS that node's parser accepts
  // (PROPFIND, PURGE, ...), is that path's 405: FastAPI, Laravel, DRF and the Express apps here
  // answer so, not with the unknown-path 404.
  return (method, path) => {
    // The first path registered that matches (as the first 405 route registered answered).
    for (const [allow] of router.match(method, path)[0]) if (!allow.includes(method)) return allow;
    return undefined;
  };
}

function withRateHeaders(sim: ProviderSimulator<any, any>, c: { get(key: "rateDecision"): SimEnv["Variables"]["rateDecision"] | undefined }, res: Response): Response {
  const decision = c.get("rateDecision");
  if (!decision || !sim.rateLimit?.headers) return res;
  for (const [name, value] of Object.entries(sim.rateLimit.headers(decision))) res.headers.set(name, value);
  return res;
}
