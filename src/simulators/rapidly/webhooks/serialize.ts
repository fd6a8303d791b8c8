// Webhook rows → Rapidly's wire objects (spec: rapidly-webhooks.md#endpoints-api).
import type { DeliveryRow, EndpointRow, EventRow } from "./model.js";

export function serializeEndpoint(e: EndpointRow) {
  return {
    id: e.id,
    created_at: e.created_at,
    modified_at: e.modified_at,
    url: e.url,
    name: e.name,
    format: e.format,
    secret: e.secret,
    workspace_id: e.workspace_id,
    events: e.events,
    enabled: e.enabled,
  };
}

export function serializeEvent(e: EventRow) {
  return {
    id: e.id,
    created_at: e.created_at,
    modified_at: e.modified_at,
    last_http_code: e.last_http_code,
    succeeded: e.succeeded,
    skipped: e.skipped,
    payload: e.payload,
    type: e.type,
    is_archived: false,
  };
}

export function serializeDelivery(d: DeliveryRow, event: EventRow) {
  return {
    id: d.id,
    created_at: d.created_at,
    modified_at: d.modified_at,
    succeeded: d.succeeded,
    http_code: d.http_code,
    response: d.response,
    webhook_event: serializeEvent(event),
  };
}
