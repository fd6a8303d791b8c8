// Rapidly's customer routes, relative to the mount (/rapidly). Each handler follows the order
// of spec: rapidly.md#patch-rules — body JSON → auth → schema (path + body together, as
// FastAPI does) → lookup → rules → write → commit → respond. Failures are thrown as
// DomainErrors and rendered by errors.ts; the app adds 405s, /openapi.json and /docs.
import { Hono } from "hono";
import { nowIso } from "../../core/clock.js";
import type { SimEnv } from "../../core/env.js";
import type { InputIssue } from "../../core/domain-errors.js";
import { respond, respondEmpty, respondJsonText } from "../../core/respond.js";
import type { SimContext, SimulatorContext } from "../../core/simulator.js";
import { authorize } from "./auth.js";
import { liveByExternalId, liveById, lookupIn, membersOf, planCustomerCreate, putWrite } from "./customers.js";
import { CACHE_CONTROL } from "./errors.js";
import { listCustomers } from "./list.js";
import type { RapidlyModel } from "./model.js";
import { bodyIssues, invalid, pathIdIssue, present, readBody } from "./request.js";
import { planDelete, planUpdate, type CustomerWrite } from "./rules.js";
import { customerUpdateExternalSchema, customerUpdateSchema, type CustomerUpdateExternalInput, type CustomerUpdateInput } from "./schemas.js";
import { customerBody, customerJsonText } from "./serialize.js";
import { dispatch } from "./webhooks/delivery.js";
import { recordCustomerEvents, type CustomerChange } from "./webhooks/events.js";
import { registerWebhookRoutes } from "./webhooks/routes.js";

type Ctx = SimulatorContext<RapidlyModel>;

// spec: rapidly.md#auth — every response carries Cache-Control: private, no-store (errors.ts
// adds it to the error responses).
const NO_STORE = { "Cache-Control": CACHE_CONTROL };

export function rapidlyRoutes(ctx: Ctx): Hono<SimEnv> {
  const app = new Hono<SimEnv>();
  const now = () => nowIso(ctx.clock, 6);
  // spec: rapidly-webhooks.md#events — the events are stored with the change, and sent once
  // it is committed, in the background: the response never waits for a delivery.
  const write = async (model: RapidlyModel, plan: CustomerWrite, change: CustomerChange) => {
    putWrite(model, plan);
    const queued = recordCustomerEvents(model, change, plan.customer, ctx.clock.nowMicros(), ctx.random);
    await ctx.commit();
    if (queued) dispatch(model);
  };

  const list = (c: SimContext) => {
    const model = ctx.model();
    const token = authorize(c, ctx, model, "read");
    return respondJsonText(c, 200, listCustomers(c, model, token.workspace_id), NO_STORE);
  };
  app.get("/api/customers/", list);
  app.get("/api/customers", list);

  const create = async (c: SimContext) => {
    const body = readBody(c);
    const model = ctx.model();
    const token = authorize(c, ctx, model, "write");
    const ids = () => {
      const random = ctx.random();
      return { customerId: random.uuid4(), ownerId: random.uuid4() };
    };
    const plan = planCustomerCreate(model, token.workspace_id, body, ids, now());
    await write(model, plan, "customer.created");
    // sent and journaled as its text: the journal keeps one string per create, not an object graph
    return respondJsonText(c, 201, JSON.stringify(customerBody(model, plan.customer)), NO_STORE);
  };
  app.post("/api/customers/", create);
  app.post("/api/customers", create);

  // --- by external id (declared first: more specific than /api/customers/:id)
  app.get("/api/customers/external/:external_id", (c) => {
    const model = ctx.model();
    const token = authorize(c, ctx, model, "read");
    const customer = liveByExternalId(model, token.workspace_id, c.req.param("external_id"));
    return respondJsonText(c, 200, customerJsonText(model, customer), NO_STORE);
  });

  app.patch("/api/customers/external/:external_id", async (c) => {
    const body = readBody(c);
    const model = ctx.model();
    const token = authorize(c, ctx, model, "write");
    const { data, raw, issues } = bodyIssues<CustomerUpdateExternalInput>(body, customerUpdateExternalSchema());
    if (issues.length || !data) throw invalid(issues);
    const current = liveByExternalId(model, token.workspace_id, c.req.param("external_id"));
    const plan = planUpdate(current, membersOf(model, current.id), present(data, raw), lookupIn(model, token.workspace_id), now());
    await write(model, plan, "customer.updated");
    return respond(c, 200, customerBody(model, plan.customer), NO_STORE);
  });

  app.delete("/api/customers/external/:external_id", async (c) => {
    const model = ctx.model();
    const token = authorize(c, ctx, model, "write");
    const current = liveByExternalId(model, token.workspace_id, c.req.param("external_id"));
    await write(model, planDelete(current, membersOf(model, current.id), now()), "customer.deleted");
    return respondEmpty(c, 204, NO_STORE);
  });

  // --- by id
  app.get("/api/customers/:id", (c) => {
    const model = ctx.model();
    const token = authorize(c, ctx, model, "read");
    const issue = pathIdIssue(c);
    if (issue) throw invalid([issue]);
    const customer = liveById(model, token.workspace_id, c.req.param("id"));
    return respondJsonText(c, 200, customerJsonText(model, customer), NO_STORE);
  });

  app.patch("/api/customers/:id", async (c) => {
    const body = readBody(c);
    const model = ctx.model();
    const token = authorize(c, ctx, model, "write");
    const issues: InputIssue[] = [];
    const idIssue = pathIdIssue(c);
    if (idIssue) issues.push(idIssue);
    const parsed = bodyIssues<CustomerUpdateInput>(body, customerUpdateSchema());
    issues.push(...parsed.issues);
    if (issues.length || !parsed.data) throw invalid(issues);
    const current = liveById(model, token.workspace_id, c.req.param("id"));
    const plan = planUpdate(current, membersOf(model, current.id), present(parsed.data, parsed.raw), lookupIn(model, token.workspace_id), now());
    await write(model, plan, "customer.updated");
    return respond(c, 200, customerBody(model, plan.customer), NO_STORE);
  });

  app.delete("/api/customers/:id", async (c) => {
    const model = ctx.model();
    const token = authorize(c, ctx, model, "write");
    const issue = pathIdIssue(c);
    if (issue) throw invalid([issue]);
    const current = liveById(model, token.workspace_id, c.req.param("id"));
    await write(model, planDelete(current, membersOf(model, current.id), now()), "customer.deleted");
    return respondEmpty(c, 204, NO_STORE);
  });

  registerWebhookRoutes(app, ctx);
  return app;
}
