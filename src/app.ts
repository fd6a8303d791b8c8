import { Hono } from "hono";
import { adminRoutes } from "./admin/routes.js";
import { bodyLimit } from "./core/body.js";
import { docsPage } from "./core/docs-page.js";
import { DomainError, isDomainError } from "./core/domain-errors.js";
import { faultMiddleware } from "./core/faults.js";
import { journalMiddleware } from "./core/journal.js";
import type { ProviderSimulator } from "./core/simulator.js";
import type { Runtime } from "./runtime.js";
import { rapidly } from "./simulators/rapidly/index.js";

/** Every provider the simulator serves; a new one is one more line here. */
export const providers: ProviderSimulator<any, any>[] = [rapidly];

export function buildApp(runtime: Runtime): Hono {
  const app = new Hono();
  const root = runtime.rootProvider;
  const mounted = new Set(runtime.simulators.map((s) => s.name));
  const providerOf = (path: string): string | null => {
    if (root) return root;
    const name = path.slice(1, path.indexOf("/", 1) === -1 ? undefined : path.indexOf("/", 1));
    return mounted.has(name) ? name : null;
  };

  // The control plane answers first and is never journaled or faulted. Mounted as its own app:
  // its `/:provider/...` routes next to static ones would push the main router off Hono's
  // fastest (RegExp) router onto the trie router, for every provider request.
  const admin = adminRoutes(runtime);
  app.mount("/__admin", admin.fetch);

  app.use(journalMiddleware(runtime.journal, providerOf));
  app.use(
    faultMiddleware(runtime.faults, {
      providerOf,
      forStatus: (name, c, status) =>
        name ? runtime.simulator(name)!.errors.forStatus(c, status) : c.json({ error: "fault", status }, status as 500),
      baseHeaders: (name) => (name ? runtime.simulator(name)!.errors.headers : undefined),
    }),
  );

  for (const sim of runtime.simulators) app.route(root ? "/" : `/${sim.name}`, providerRouter(sim, runtime));

  // Unmatched paths: under a provider, that provider's own 404; elsewhere a plain one. (Here
  // rather than a catch-all route, which every request would match and carry.)
  app.notFound((c) => {
    const name = providerOf(c.req.path);
    if (name) return runtime.simulator(name)!.errors.render(c, new DomainError("route_not_found"));
    return c.json({ error: "not_found", message: `No route ${c.req.method} ${c.req.path}. Providers live at ${[...mounted].map((n) => `/${n}`).join(", ")}; the control plane at /__admin.` }, 404);
  });
  // One error handler for the whole app, in the format of the provider the path belongs to.
  // (A sub-app's onError would wrap every one of its handlers in an extra compose per request.)
  app.onError((err, c) => {
    const name = providerOf(c.req.path);
    const sim = name ? runtime.simulator(name) : undefined;
    if (sim && isDomainError(err)) return sim.errors.render(c, err);
    console.error(err);
    if (sim) return sim.errors.forStatus(c, 500);
    return c.json({ error: "internal_error", message: "The simulator failed to handle this request." }, 500);
  });
  return app;
}

/** A provider's routes wrapped in the mechanics every provider shares, in its own error format. */
function providerRouter(sim: ProviderSimulator<any, any>, runtime: Runtime): Hono {
  const router = new Hono();
  // Only methods that carry a body pay for the limit.
  router.on(["POST", "PUT", "PATCH", "DELETE"], "*", bodyLimit((c) => sim.errors.render(c, new DomainError("payload_too_large"))));
  router.route("/", sim.routes(runtime.context(sim)));
  router.get("/docs", (c) => c.html(docsPage(`${sim.title} API`)));
  return router;
}
