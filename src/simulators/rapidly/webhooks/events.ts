// Customer events (spec: rapidly-webhooks.md#events): after a committed create, update or
// delete, one event per subscribed endpoint of the workspace, plus `customer.state_changed`.
// The body is built once, here; every attempt sends it as it is.
import { isoFromMicros } from "../../../core/clock.js";
import { enqueue } from "../../../core/outbox.js";
import type { SeededRandom } from "../../../core/ids.js";
import type { CustomerRow, RapidlyModel } from "../model.js";
import { customerBody } from "../serialize.js";
import type { EventRow, WebhookEventType } from "./model.js";

export type CustomerChange = "customer.created" | "customer.updated" | "customer.deleted";

/**
 * Records the events of one change (the caller commits, then kicks the outbox). Costs nothing
 * beyond a look at the workspace's endpoints when none is subscribed; draws a random source
 * only when there is an event to record. Returns how many were queued for sending.
 */
export function recordCustomerEvents(
  model: RapidlyModel,
  change: CustomerChange,
  customer: CustomerRow,
  nowMicros: number,
  random: () => SeededRandom,
): number {
  const endpoints = model.webhooks.endpoints.scope(customer.workspace_id).list().filter((e) => e.deleted_at === null);
  if (endpoints.length === 0) return 0;
  const wanted = (type: WebhookEventType) => endpoints.filter((e) => e.events.includes(type));
  const created = wanted(change);
  const stateChanged = wanted("customer.state_changed");
  if (created.length === 0 && stateChanged.length === 0) return 0;

  const data = customerBody(model, customer);
  const timestamp = isoFromMicros(nowMicros, 6);
  const rnd = random();
  let queued = 0;
  const record = (type: WebhookEventType, body: string, targets: typeof endpoints) => {
    for (const endpoint of targets) {
      const event: EventRow = {
        id: rnd.uuid4(),
        created_at: timestamp,
        modified_at: null,
        workspace_id: customer.workspace_id,
        endpoint_id: endpoint.id,
        type,
        payload: body,
        last_http_code: null,
        succeeded: null,
        // spec: rapidly-webhooks.md#the-delivery — a disabled endpoint's events are recorded, not sent
        skipped: !endpoint.enabled,
      };
      model.webhooks.events.put(event, event.workspace_id);
      if (endpoint.enabled) {
        enqueue(model.webhooks.outbox, endpoint.id, event.id, nowMicros);
        queued++;
      }
    }
  };
  if (created.length) record(change, JSON.stringify({ type: change, timestamp, data }), created);
  if (stateChanged.length) {
    const state = { ...data, active_subscriptions: [], granted_benefits: [], active_meters: [] };
    record("customer.state_changed", JSON.stringify({ type: "customer.state_changed", timestamp, data: state }), stateChanged);
  }
  return queued;
}
