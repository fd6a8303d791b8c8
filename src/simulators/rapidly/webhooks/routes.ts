// The webhook endpoints API (spec: rapidly-webhooks.md#endpoints-api), registered on Rapidly's
// router. Same order of checks as the customer routes: body JSON (routes that take one) → auth
// (webhooks scopes) → schema (path and body together) → lookup in the token's workspace (404)
// → write → commit.
import type { Hono } from "hono";
import { nowIso } from "../../../core/clock.js";
import { DomainError, type InputIssue } from "../../../core/domain-errors.js";
import type { SimEnv } from "../../../core/env.js";
import { enqueue, dropTarget } from "../../../core/outbox.js";
import { pageOf } from "../../../core/list.js";
import { respond, respondEmpty } from "../../../core/respond.js";
import type { SimContext, SimulatorContext } from "../../../core/simulator.js";
import { authorize, WEBHOOK_SCOPES, type Access } from "../auth.js";
import { CACHE_CONTROL } from "../errors.js";
import type { RapidlyModel } from "../model.js";
import { bodyIssues, invalid, pathIdIssue, present, readBody } from "../request.js";
import { validate } from "../schemas.js";
import { canonicalUuid } from "../uuid.js";
import { listDeliveries } from "./deliveries.js";
import { dispatch } from "./delivery.js";
import type { EndpointRow, EventRow } from "./model.js";
import { endpointCreateSchema, endpointUpdateSchema, pageQuerySchema, type EndpointCreateInput, type EndpointUpdateInput } from "./schemas.js";
import { serializeEndpoint } from "./serialize.js";
import { SECRET_PREFIX } from "./signing.js";

type Ctx = SimulatorContext<RapidlyModel>;
const NO_STORE = { "Cache-Control": CACHE_CONTROL };
const BASE = "/api/webhooks";

export function registerWebhookRoutes(app: Hono<SimEnv>, ctx: Ctx): void {
  const auth = (c: SimContext, model: RapidlyModel, access: Access) => authorize(c, ctx, model, access, WEBHOOK_SCOPES);
  const newSecret = () => SECRET_PREFIX + ctx.random().base62(43);

  /** The live endpoint `{id}` of the workspace, or 404. */
  const endpointOf = (model: RapidlyModel, workspaceId: string, id: string): EndpointRow => {
    const endpoint = model.webhooks.endpoints.scope(workspaceId).get(canonicalUuid(id));
    if (!endpoint || endpoint.deleted_at !== null) throw new DomainError("not_found");
    return endpoint;
  };
  const idIssues = (c: SimContext): InputIssue[] => {
    const issue = pathIdIssue(c);
    return issue ? [issue] : [];
  };

  app.get(`${BASE}/endpoints`, (c) => {
    const model = ctx.model();
    const token = auth(c, model, "read");
    const queries = c.req.queries();
    const raw: Record<string, string> = {};
    for (const name of ["page", "limit"]) if (queries[name]?.length) raw[name] = queries[name]!.at(-1)!;
    const parsed = validate(pageQuerySchema(), raw, ["query"]);
    if (!parsed.ok) throw invalid(parsed.issues);
    const page = parsed.data.page ?? 1;
    const limit = Math.min(parsed.data.limit ?? 10, 100);
    // decision: newest first, as the deliveries
    const rows = model.webhooks.endpoints.scope(token.workspace_id).list().filter((e) => e.deleted_at === null).reverse();
    rows.sort((a, b) => (a.created_at === b.created_at ? 0 : a.created_at < b.created_at ? 1 : -1));
    const { items, total } = pageOf(rows, (page - 1) * limit, limit);
    return respond(c, 200, { items: items.map(serializeEndpoint), pagination: { total_count: total, max_page: Math.ceil(total / limit) } }, NO_STORE);
  });

  app.post(`${BASE}/endpoints`, async (c) => {
    const body = readBody(c);
    const model = ctx.model();
    const token = auth(c, model, "write");
    const { data, issues } = bodyIssues<EndpointCreateInput>(body, endpointCreateSchema());
    if (issues.length || !data) throw invalid(issues);
    const random = ctx.random();
    const now = nowIso(ctx.clock, 6);
    const endpoint: EndpointRow = {
      id: random.uuid4(),
      created_at: now,
      modified_at: null,
      url: data.url,
      name: data.name ?? null,
      format: data.format,
      secret: SECRET_PREFIX + random.base62(43),
      workspace_id: token.workspace_id,
      events: [...new Set(data.events)],
      enabled: true,
      failed_streak: 0,
      deleted_at: null,
    };
    model.webhooks.endpoints.put(endpoint, endpoint.workspace_id);
    await ctx.commit();
    return respond(c, 201, serializeEndpoint(endpoint), NO_STORE);
  });

  app.get(`${BASE}/endpoints/:id`, (c) => {
    const model = ctx.model();
    const token = auth(c, model, "read");
    const issues = idIssues(c);
    if (issues.length) throw invalid(issues);
    return respond(c, 200, serializeEndpoint(endpointOf(model, token.workspace_id, c.req.param("id"))), NO_STORE);
  });

  app.patch(`${BASE}/endpoints/:id`, async (c) => {
    const body = readBody(c);
    const model = ctx.model();
    const token = auth(c, model, "write");
    const issues = idIssues(c);
    const parsed = bodyIssues<EndpointUpdateInput>(body, endpointUpdateSchema());
    issues.push(...parsed.issues);
    if (issues.length || !parsed.data) throw invalid(issues);
    const current = endpointOf(model, token.workspace_id, c.req.param("id"));
    const sent = present(parsed.data, parsed.raw);
    const next: EndpointRow = { ...current, modified_at: nowIso(ctx.clock, 6) };
    if (sent.url != null) next.url = sent.url;
    if (sent.name !== undefined) next.name = sent.name;
    if (sent.format != null) next.format = sent.format;
    if (sent.events != null) next.events = [...new Set(sent.events)];
    if (sent.enabled != null) {
      next.enabled = sent.enabled;
      // re-enabled: the count of failed events starts again
      if (sent.enabled && !current.enabled) next.failed_streak = 0;
    }
    model.webhooks.endpoints.put(next, next.workspace_id);
    await ctx.commit();
    return respond(c, 200, serializeEndpoint(next), NO_STORE);
  });

  // spec: rapidly-webhooks.md#endpoints-api — this route and redeliver take no body: FastAPI
  // never reads one, so whatever is sent (malformed JSON included) is ignored.
  app.patch(`${BASE}/endpoints/:id/secret`, async (c) => {
    const model = ctx.model();
    const token = auth(c, model, "write");
    const issues = idIssues(c);
    if (issues.length) throw invalid(issues);
    const current = endpointOf(model, token.workspace_id, c.req.param("id"));
    const next: EndpointRow = { ...current, secret: newSecret(), modified_at: nowIso(ctx.clock, 6) };
    model.webhooks.endpoints.put(next, next.workspace_id);
    await ctx.commit();
    return respond(c, 200, serializeEndpoint(next), NO_STORE);
  });

  app.delete(`${BASE}/endpoints/:id`, async (c) => {
    const model = ctx.model();
    const token = auth(c, model, "write");
    const issues = idIssues(c);
    if (issues.length) throw invalid(issues);
    const current = endpointOf(model, token.workspace_id, c.req.param("id"));
    const now = nowIso(ctx.clock, 6);
    model.webhooks.endpoints.put({ ...current, deleted_at: now, modified_at: now }, current.workspace_id);
    // what was waiting for it is never sent
    dropTarget(model.webhooks.outbox, current.id);
    await ctx.commit();
    return respondEmpty(c, 204, NO_STORE);
  });

  app.get(`${BASE}/deliveries`, (c) => {
    const model = ctx.model();
    const token = auth(c, model, "read");
    return respond(c, 200, listDeliveries(c, model, token.workspace_id), NO_STORE);
  });

  app.post(`${BASE}/events/:id/redeliver`, async (c) => {
    const model = ctx.model();
    const token = auth(c, model, "write");
    const issues = idIssues(c);
    if (issues.length) throw invalid(issues);
    const event: EventRow | undefined = model.webhooks.events.scope(token.workspace_id).get(canonicalUuid(c.req.param("id")));
    if (!event) throw new DomainError("not_found");
    endpointOf(model, token.workspace_id, event.endpoint_id);
    // a new attempt of the same event (same body, same webhook-id), at the tail of its endpoint's queue
    enqueue(model.webhooks.outbox, event.endpoint_id, event.id, ctx.clock.nowMicros());
    await ctx.commit();
    dispatch(model);
    return respond(c, 202, null, NO_STORE);
  });
}
