// Plane's customer routes, relative to the mount (/plane). Each handler follows DRF's order
// (spec: plane.md#auth, #validation-and-rules): URL resolution (a pk that is not a UUID is
// Django's 404) → authentication → workspace → role → OAuth scope → lookup → body → rules →
// write → commit → respond. Failures are thrown as DomainErrors and rendered by errors.ts; the
// app adds 405s, /openapi.json and /docs.
import { Hono } from "hono";
import { nowIso } from "../../core/clock.js";
import { DomainError } from "../../core/domain-errors.js";
import type { SimEnv } from "../../core/env.js";
import { respond, respondEmpty, respondJsonText } from "../../core/respond.js";
import type { SimContext, SimulatorContext } from "../../core/simulator.js";
import { authorize } from "./auth.js";
import { createCustomer, deleteByExternalRef, deleteCustomer, liveById, updateCustomer } from "./customers.js";
import { listCustomers } from "./list.js";
import type { PlaneModel } from "./model.js";
import { readData } from "./request.js";
import { PATH_UUID } from "./schemas.js";
import { customerJsonText, serializeCustomer } from "./serialize.js";

type Ctx = SimulatorContext<PlaneModel>;

const LIST = "/api/v1/workspaces/:slug/customers";
const DETAIL = `${LIST}/:pk{${PATH_UUID}}`;

/**
 * spec: plane.md#routes — Django's APPEND_SLASH: a path without its trailing slash gets a 301
 * to the slashed one, the query string kept (Location relative, as Django sends it).
 */
function appendSlash(c: SimContext): Response {
  const url = c.req.url;
  const q = url.indexOf("?");
  const location = `${c.req.path}/${q === -1 ? "" : url.slice(q)}`;
  c.set("responseBody", null);
  return new Response(null, { status: 301, headers: { Location: location, "Content-Type": "text/html; charset=utf-8" } });
}

export function planeRoutes(ctx: Ctx): Hono<SimEnv> {
  const app = new Hono<SimEnv>();
  const now = () => nowIso(ctx.clock, 6);
  const newId = () => ctx.random().uuid4();

  app.get(`${LIST}/`, (c) => {
    const model = ctx.model();
    const caller = authorize(c, ctx, model, "view");
    return respondJsonText(c, 200, listCustomers(c, model, caller.workspace.id));
  });

  app.post(`${LIST}/`, async (c) => {
    const model = ctx.model();
    const caller = authorize(c, ctx, model, "create");
    const plan = createCustomer(model, caller.workspace.id, readData(c), caller.userId, newId, now());
    await ctx.commit();
    return respond(c, plan.status, serializeCustomer(plan.row));
  });

  // spec: plane.md#routes — delete by external reference (plane-node-sdk's deleteByExternalId)
  app.delete(`${LIST}/`, async (c) => {
    const model = ctx.model();
    const caller = authorize(c, ctx, model, "delete");
    const source = c.req.query("external_source");
    const id = c.req.query("external_id");
    // decision: both parameters are required; a DELETE of the whole list is refused
    if (!source || !id) throw new DomainError("invalid", { detail: "external_source and external_id query parameters are required." });
    if (deleteByExternalRef(model, caller.workspace.id, source, id, caller.userId, now()) > 0) await ctx.commit();
    return respondEmpty(c, 204);
  });

  app.get(`${DETAIL}/`, (c) => {
    const model = ctx.model();
    const caller = authorize(c, ctx, model, "view");
    return respondJsonText(c, 200, customerJsonText(liveById(model, caller.workspace.id, c.req.param("pk"))));
  });

  app.patch(`${DETAIL}/`, async (c) => {
    const model = ctx.model();
    const caller = authorize(c, ctx, model, "edit");
    const current = liveById(model, caller.workspace.id, c.req.param("pk"));
    const row = updateCustomer(model, current, readData(c), caller.userId, now());
    await ctx.commit();
    return respond(c, 200, serializeCustomer(row));
  });

  app.delete(`${DETAIL}/`, async (c) => {
    const model = ctx.model();
    const caller = authorize(c, ctx, model, "delete");
    deleteCustomer(model, liveById(model, caller.workspace.id, c.req.param("pk")), caller.userId, now());
    await ctx.commit();
    return respondEmpty(c, 204);
  });

  app.all(LIST, appendSlash);
  app.all(DETAIL, appendSlash);
  return app;
}
