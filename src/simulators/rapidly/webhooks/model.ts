// Rapidly's webhook state (spec: rapidly-webhooks.md): endpoints, events, deliveries and the
// outgoing queue, all in Rapidly's persisted document, so --data keeps them and a reset (a
// fresh document) clears them. Rows are tenant-scoped like customers.
import { dropTarget, emptyOutbox, type OutboxState } from "../../../core/outbox.js";
import { Table } from "../../../core/table.js";

export const WEBHOOK_EVENT_TYPES = ["customer.created", "customer.updated", "customer.deleted", "customer.state_changed"] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];
export const WEBHOOK_FORMATS = ["raw", "discord", "slack"] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

export interface EndpointRow {
  id: string;
  created_at: string;
  modified_at: string | null;
  url: string;
  name: string | null;
  format: WebhookFormat;
  secret: string;
  workspace_id: string;
  events: WebhookEventType[];
  enabled: boolean;
  /** Events in a row that failed every attempt (not served; 10 disables the endpoint). */
  failed_streak: number;
  /** Soft delete, as Polar: a deleted endpoint is a 404 and its deliveries are no longer listed (not served). */
  deleted_at: string | null;
}

export interface EventRow {
  id: string;
  created_at: string;
  modified_at: string | null;
  workspace_id: string;
  endpoint_id: string;
  type: WebhookEventType;
  /** The JSON body, built once when the event was created: every attempt sends it. */
  payload: string;
  last_http_code: number | null;
  succeeded: boolean | null;
  skipped: boolean;
}

export interface DeliveryRow {
  id: string;
  created_at: string;
  modified_at: string | null;
  workspace_id: string;
  endpoint_id: string;
  webhook_event_id: string;
  succeeded: boolean;
  http_code: number | null;
  response: string | null;
}

/** The webhook part of Rapidly's document (absent in documents written before webhooks). */
export interface WebhookDoc {
  webhook_endpoints?: Record<string, EndpointRow>;
  webhook_events?: Record<string, EventRow>;
  webhook_deliveries?: Record<string, DeliveryRow>;
  webhook_outbox?: OutboxState;
}

export interface WebhookTables {
  endpoints: Table<EndpointRow>;
  events: Table<EventRow>;
  deliveries: Table<DeliveryRow>;
  outbox: OutboxState;
}

const byWorkspace = { tenantOf: (row: { workspace_id: string }) => row.workspace_id };

export function openWebhooks(doc: WebhookDoc): WebhookTables {
  return {
    endpoints: new Table<EndpointRow>((doc.webhook_endpoints ??= {}), byWorkspace),
    events: new Table<EventRow>((doc.webhook_events ??= {}), byWorkspace),
    deliveries: new Table<DeliveryRow>((doc.webhook_deliveries ??= {}), byWorkspace),
    outbox: (doc.webhook_outbox ??= emptyOutbox()),
  };
}

/** A workspace's endpoints, events, deliveries and pending deliveries go with it. */
export function removeWorkspaceWebhooks(webhooks: WebhookTables, workspaceId: string): void {
  for (const endpoint of webhooks.endpoints.scope(workspaceId).list()) dropTarget(webhooks.outbox, endpoint.id);
  webhooks.endpoints.removeTenant(workspaceId);
  webhooks.events.removeTenant(workspaceId);
  webhooks.deliveries.removeTenant(workspaceId);
}
