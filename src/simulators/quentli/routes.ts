// Quentli's customer routes, relative to the mount (/quentli). Each handler follows
// spec: quentli.md — body JSON (express.json(), before the routes) → auth → validation →
// lookup → rules → write → commit → respond. Failures are thrown as DomainErrors and
// rendered by errors.ts; the app adds 405s, /openapi.json and /docs. No delete route.
import { Hono } from "hono";
import { nowIso } from "../../core/clock.js";
import type { SimEnv } from "../../core/env.js";
import { respond, respondJsonText } from "../../core/respond.js";
import type { SimContext, SimulatorContext } from "../../core/simulator.js";
import { authorize } from "./auth.js";
import { findCustomer, planCustomerCreate, planCustomerUpdate } from "./customers.js";
import { listCustomers, queryParserLoading } from "./list.js";
import { customerId, type CustomerRow, type QuentliModel } from "./model.js";
import { readBody } from "./request.js";
import { customerJsonText, serializeCustomer } from "./serialize.js";

type Ctx = SimulatorContext<QuentliModel>;

export function quentliRoutes(ctx: Ctx): Hono<SimEnv> {
  const app = new Hono<SimEnv>();
  // spec: quentli.md#the-customer-object — timestamps with milliseconds
  const now = () => nowIso(ctx.clock, 3);
  const write = async (model: QuentliModel, row: CustomerRow) => {
    model.customers.put(row, row.organizationId);
    await ctx.commit();
  };

  // spec: quentli.md#list — a bare JSON array
  // (Express routes are not strict: a trailing slash reaches the same route)
  const list = (c: SimContext): Response | Promise<Response> => {
    const loading = queryParserLoading(); // the first list only
    if (loading) return loading.then(() => list(c));
    const model = ctx.model();
    const key = authorize(c, model);
    return respondJsonText(c, 200, listCustomers(c, model, key.organizationId));
  };
  app.get("/v1/customers", list);
  app.get("/v1/customers/", list);

  // spec: quentli.md#routes — 201 {"customer"}
  const create = async (c: SimContext) => {
    const body = readBody(c);
    const model = ctx.model();
    const key = authorize(c, model);
    const row = planCustomerCreate(model, key.organizationId, body, () => customerId(ctx.random()), now());
    await write(model, row);
    return respond(c, 201, { customer: serializeCustomer(row) });
  };
  app.post("/v1/customers", create);
  app.post("/v1/customers/", create);

  // spec: quentli.md#routes — the bare object; 200 null when it does not exist (as documented)
  const retrieve = (c: SimContext) => {
    const model = ctx.model();
    const key = authorize(c, model);
    const row = findCustomer(model, key.organizationId, c.req.param("id")!);
    return row ? respondJsonText(c, 200, customerJsonText(row)) : respond(c, 200, null);
  };
  app.get("/v1/customers/:id", retrieve);
  app.get("/v1/customers/:id/", retrieve);

  // spec: quentli.md#patch-rules — {"customer"}; 404 for an unknown id
  const update = async (c: SimContext) => {
    const body = readBody(c);
    const model = ctx.model();
    const key = authorize(c, model);
    const row = planCustomerUpdate(model, key.organizationId, c.req.param("id")!, body, now());
    await write(model, row);
    return respond(c, 200, { customer: serializeCustomer(row) });
  };
  app.patch("/v1/customers/:id", update);
  app.patch("/v1/customers/:id/", update);

  return app;
}
