import { Hono, type Context } from "hono";
import * as z from "zod";
import { bodyLimit, rawBody } from "../core/body.js";
import { lazy } from "../core/lazy.js";
import { ProviderStateError } from "../core/simulator.js";
import type { Runtime } from "../runtime.js";
import { adminAuth } from "./auth.js";
import { ControlPlane, ControlPlaneError } from "./control.js";

// Built on first use (`lazy`), not at start-up.
// Strict: a typo (`{"sed": 7}`) is refused, not a reset to the current seed that looks like success.
const resetSchema = lazy(() =>
  z.strictObject({
    provider: z.string().optional(),
    seed: z.number().int().min(0).max(2 ** 31 - 1).optional(),
  }),
);

/** Pact's state-change request (the verifier posts it as JSON); unknown keys are ignored. */
const stateChangeSchema = lazy(() =>
  z.object({
    state: z.string().nullable().optional(),
    params: z.record(z.string(), z.unknown()).nullable().optional(),
    action: z.enum(["setup", "teardown"]).nullable().optional(),
  }),
);

const ERROR_NAMES = { 400: "bad_request", 404: "not_found", 409: "conflict" } as const;

function problem(c: Context, status: 400 | 404 | 409, message: string, issues?: unknown) {
  return c.json({ error: ERROR_NAMES[status], message, ...(issues ? { issues } : {}) }, status);
}

/** Reads an optional JSON body: undefined when empty, a Response when it is not JSON. */
async function jsonBody(c: Context): Promise<{ value: unknown } | Response> {
  const text = rawBody(c);
  if (text.trim() === "") return { value: undefined };
  try {
    return { value: JSON.parse(text) };
  } catch {
    return problem(c, 400, "The body is not valid JSON.");
  }
}

export function adminRoutes(runtime: Runtime): Hono {
  const control = new ControlPlane(runtime);
  const admin = new Hono();
  admin.use(adminAuth(runtime.adminToken));
  // The control plane's bodies are small JSON: the same 1 MB limit as the providers.
  admin.on(["POST", "PUT", "PATCH", "DELETE"], "*", bodyLimit((c) => c.json({ error: "payload_too_large", message: "Request body too large (1 MB at most)." }, 413)));

  const known = (c: Context): string | Response => {
    const name = c.req.param("provider") ?? "";
    return runtime.simulator(name) ? name : problem(c, 404, `Unknown provider "${name}". Served: ${runtime.simulators.map((s) => s.name).join(", ")}.`);
  };

  admin.get("/health", (c) => c.json({ status: "ok", providers: runtime.simulators.map((s) => s.name) }));

  admin.get("/fixtures", (c) => c.json(control.fixtures()));

  admin.post("/reset", async (c) => {
    const body = await jsonBody(c);
    if (body instanceof Response) return body;
    const parsed = resetSchema().safeParse(body.value ?? {});
    if (!parsed.success) return problem(c, 400, "Expected { provider?: string, seed?: integer }.", parsed.error.issues);
    if (parsed.data.provider !== undefined && !runtime.simulator(parsed.data.provider)) {
      return problem(c, 404, `Unknown provider "${parsed.data.provider}".`);
    }
    await runtime.reset(parsed.data);
    return c.json({ status: "reset", seed: runtime.seed, providers: parsed.data.provider ? [parsed.data.provider] : runtime.simulators.map((s) => s.name) });
  });

  admin.post("/:provider/tenants", async (c) => c.json(await control.createTenant(c.req.param("provider")), 201));

  // spec: simulator.md#parallel-suites — 204 made tenant, 409 fixture tenant, 404 unknown
  admin.delete("/:provider/tenants/:id", async (c) => {
    const { provider, id } = c.req.param();
    const outcome = await control.deleteTenant(provider, id);
    if (outcome === "deleted") return c.body(null, 204);
    if (outcome === "fixture") return problem(c, 409, `Tenant "${id}" of ${provider} is a fixture tenant: it cannot be deleted (POST /__admin/reset restores the fixtures).`);
    return problem(c, 404, `No tenant "${id}" in ${provider}.`);
  });

  admin.get("/:provider/customers", (c) => {
    const name = known(c);
    if (name instanceof Response) return name;
    return c.json({ customers: runtime.simulator(name)!.rawCustomers(runtime.model(name)) });
  });

  admin.get("/requests", (c) => c.json({ requests: control.requests(c.req.query()) }));
  admin.get("/requests/count", (c) => c.json({ count: control.requestCount(c.req.query()) }));
  admin.delete("/requests", (c) => {
    control.clearRequests();
    return c.body(null, 204);
  });

  admin.post("/faults", async (c) => {
    const body = await jsonBody(c);
    if (body instanceof Response) return body;
    return c.json(control.addFault(body.value), 201);
  });
  admin.get("/faults", (c) => c.json({ faults: control.faults() }));
  admin.delete("/faults", (c) => {
    control.clearFaults();
    return c.body(null, 204);
  });
  admin.delete("/faults/:id", (c) =>
    control.removeFault(c.req.param("id")) ? c.body(null, 204) : problem(c, 404, `No fault rule ${c.req.param("id")}.`),
  );

  admin.post("/provider-states", async (c) => {
    // Pact names the providers `<name>-api` (simulator.md#pact); both forms are accepted.
    const asked = c.req.query("provider") ?? "";
    const provider = runtime.simulator(asked) ? asked : asked.replace(/-api$/, "");
    if (!runtime.simulator(provider)) {
      return problem(c, 404, `Unknown provider "${provider}" (?provider=<name>). Served: ${runtime.simulators.map((s) => s.name).join(", ")}.`);
    }
    const body = await jsonBody(c);
    if (body instanceof Response) return body;
    const parsed = stateChangeSchema().safeParse(body.value ?? {});
    if (!parsed.success) {
      return problem(c, 400, 'Expected Pact\'s state change { state?: string, params?: object, action?: "setup" | "teardown" }.', parsed.error.issues);
    }
    const { state, params, action } = parsed.data;
    try {
      return c.json(await runtime.applyState(provider, state, params ?? {}, action ?? "setup"));
    } catch (err) {
      if (err instanceof ProviderStateError) return problem(c, err.status, err.message, err.issues);
      throw err;
    }
  });

  // Providers' own control-plane routes (e.g. /__admin/rapidly/webhooks/deliver-pending).
  for (const sim of runtime.simulators) {
    const extra = sim.adminRoutes?.(runtime.context(sim));
    if (extra) admin.route(`/${sim.name}`, extra);
  }

  admin.all("*", (c) => problem(c, 404, `No control-plane route ${c.req.method} ${c.req.path}.`));
  admin.onError((err, c) => {
    if (err instanceof ControlPlaneError) return problem(c, err.status, err.message, err.issues);
    console.error(err);
    return c.json({ error: "internal_error", message: "The control plane failed to handle this request." }, 500);
  });
  return admin;
}
