// Flextell's customer routes, relative to the mount (/flextell). Laravel's order of checks
// (spec: flextell.md#auth): authenticate (401) → rate limit → tenant (403) → route model
// binding in the tenant (404) → body (400) → FormRequest validation (422) → write → commit →
// respond. Failures are thrown as DomainErrors and rendered by errors.ts; the app adds the
// 405s, /openapi.json and /docs.
import { Hono } from "hono";
import type { SimEnv } from "../../core/env.js";
import { respondJsonText } from "../../core/respond.js";
import type { JsonTextParts } from "../../core/serialize.js";
import type { SimContext, SimulatorContext } from "../../core/simulator.js";
import { authorize } from "./auth.js";
import { createCustomer, deleteCustomer, liveCustomer, updateCustomer } from "./customers.js";
import { LARAVEL_HEADERS } from "./errors.js";
import { listCustomers } from "./list.js";
import type { FlextellModel } from "./model.js";
import { readInput } from "./request.js";
import { customerJsonText, envelopeText } from "./serialize.js";

type Ctx = SimulatorContext<FlextellModel>;

// spec: flextell.md#routes — the `success` strings (a decision)
export const SUCCESS = {
  created: "Customer created successfully",
  retrieved: "Customer retrieved successfully",
  updated: "Customer updated successfully",
  deleted: "Customer deleted successfully",
} as const;

const COLLECTION = "/api/v1/customers";
const ITEM = "/api/v1/customers/:id";

export function flextellRoutes(ctx: Ctx): Hono<SimEnv> {
  const app = new Hono<SimEnv>();
  const ok = (c: SimContext, status: number, text: string | JsonTextParts) => respondJsonText(c, status, text, LARAVEL_HEADERS);

  const list = (c: SimContext) => {
    const model = ctx.model();
    const caller = authorize(c, ctx, model);
    return ok(c, 200, listCustomers(c, model, caller.tenantId));
  };

  const create = async (c: SimContext) => {
    const model = ctx.model();
    const caller = authorize(c, ctx, model);
    const row = createCustomer(model, caller.tenantId, readInput(c), ctx.clock);
    await ctx.commit();
    return ok(c, 201, envelopeText(SUCCESS.created, customerJsonText(model, row)));
  };

  const show = (c: SimContext) => {
    const model = ctx.model();
    const caller = authorize(c, ctx, model);
    const row = liveCustomer(model, caller.tenantId, c.req.param("id")!);
    return ok(c, 200, envelopeText(SUCCESS.retrieved, customerJsonText(model, row)));
  };

  const update = async (c: SimContext) => {
    const model = ctx.model();
    const caller = authorize(c, ctx, model);
    const current = liveCustomer(model, caller.tenantId, c.req.param("id")!);
    const { row, changed } = updateCustomer(model, current, readInput(c), ctx.clock);
    if (changed) await ctx.commit();
    return ok(c, 200, envelopeText(SUCCESS.updated, customerJsonText(model, row)));
  };

  const destroy = async (c: SimContext) => {
    const model = ctx.model();
    const caller = authorize(c, ctx, model);
    const current = liveCustomer(model, caller.tenantId, c.req.param("id")!);
    deleteCustomer(model, current, ctx.clock);
    await ctx.commit();
    return ok(c, 200, envelopeText(SUCCESS.deleted, JSON.stringify({ message: SUCCESS.deleted })));
  };

  // Laravel matches a path with or without a trailing slash alike.
  for (const path of [COLLECTION, `${COLLECTION}/`]) {
    app.get(path, list);
    app.post(path, create);
  }
  for (const path of [ITEM, `${ITEM}/`]) {
    app.get(path, show);
    app.put(path, update);
    app.patch(path, update);
    app.delete(path, destroy);
  }
  return app;
}
