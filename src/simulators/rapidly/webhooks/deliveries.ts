// GET /api/webhooks/deliveries (spec: rapidly-webhooks.md#endpoints-api): the workspace's
// delivery attempts, newest first, with their event, filtered and paged.
import { pageOf } from "../../../core/list.js";
import type { SimContext } from "../../../core/simulator.js";
import type { RapidlyModel } from "../model.js";
import { invalid } from "../request.js";
import { validate } from "../schemas.js";
import { canonicalUuid, uuid4Issue } from "../uuid.js";
import type { DeliveryRow, EventRow } from "./model.js";
import { deliveriesQuerySchema } from "./schemas.js";
import { serializeDelivery } from "./serialize.js";

const NAMES = ["endpoint_id", "event_type", "succeeded", "http_code_class", "start_timestamp", "end_timestamp", "query", "page", "limit"];

/** The last value of each known parameter (as FastAPI reads scalars). */
function rawQuery(c: SimContext): Record<string, string> {
  const queries = c.req.queries();
  const raw: Record<string, string> = {};
  for (const name of NAMES) {
    const values = queries[name];
    if (values?.length) raw[name] = values[values.length - 1]!;
  }
  return raw;
}

export function listDeliveries(c: SimContext, model: RapidlyModel, workspaceId: string) {
  const raw = rawQuery(c);
  const parsed = validate(deliveriesQuerySchema(), raw, ["query"]);
  const idIssue = raw.endpoint_id !== undefined ? uuid4Issue(raw.endpoint_id, ["query", "endpoint_id"]) : null;
  if (!parsed.ok || idIssue) throw invalid([...(idIssue ? [idIssue] : []), ...(parsed.ok ? [] : parsed.issues)]);
  const q = parsed.data;
  const page = q.page ?? 1;
  const limit = Math.min(q.limit ?? 10, 100);
  const endpointId = q.endpoint_id !== undefined ? canonicalUuid(q.endpoint_id) : undefined;
  const codeClass = q.http_code_class ? Number(q.http_code_class[0]) : undefined;
  const needle = q.query?.toLowerCase();
  const events = model.doc.webhook_events ?? {};
  const endpoints = model.doc.webhook_endpoints ?? {};

  const rows: [DeliveryRow, EventRow][] = [];
  for (const d of model.webhooks.deliveries.scope(workspaceId).list()) {
    const event = Object.hasOwn(events, d.webhook_event_id) ? events[d.webhook_event_id]! : undefined;
    const endpoint = Object.hasOwn(endpoints, d.endpoint_id) ? endpoints[d.endpoint_id] : undefined;
    if (!event || !endpoint || endpoint.deleted_at !== null) continue;
    if (endpointId !== undefined && d.endpoint_id !== endpointId) continue;
    if (q.event_type !== undefined && event.type !== q.event_type) continue;
    if (q.succeeded !== undefined && d.succeeded !== q.succeeded) continue;
    if (codeClass !== undefined && (d.http_code === null || Math.floor(d.http_code / 100) !== codeClass)) continue;
    if (q.start_timestamp !== undefined || q.end_timestamp !== undefined) {
      const at = Date.parse(d.created_at) * 1000 + Number(d.created_at.slice(23, 26));
      if (q.start_timestamp !== undefined && at < q.start_timestamp) continue;
      if (q.end_timestamp !== undefined && at > q.end_timestamp) continue;
    }
    // decision: `query` matches the event's payload or the receiver's response (case-insensitive)
    if (needle !== undefined && !event.payload.toLowerCase().includes(needle) && !(d.response ?? "").toLowerCase().includes(needle)) continue;
    rows.push([d, event]);
  }
  // Newest first; attempts made in the same microsecond keep their order, latest first.
  rows.reverse();
  rows.sort((a, b) => (a[0].created_at === b[0].created_at ? 0 : a[0].created_at < b[0].created_at ? 1 : -1));
  const { items, total } = pageOf(rows, (page - 1) * limit, limit);
  return { items: items.map(([d, e]) => serializeDelivery(d, e)), pagination: { total_count: total, max_page: Math.ceil(total / limit) } };
}
