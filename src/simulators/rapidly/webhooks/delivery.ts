// Sending Rapidly's webhook events through the core outbox (spec: rapidly-webhooks.md#the-delivery):
// the request of each attempt, the record of its outcome (a delivery row, the event's status),
// and the rule that disables an endpoint whose last 10 events failed.
import { isoFromMicros } from "../../../core/clock.js";
import { SeededRandom } from "../../../core/ids.js";
import { dropTarget, exponentialBackoff, Outbox, type AttemptOutcome, type OutboxMessage } from "../../../core/outbox.js";
import type { BackgroundWork, SimulatorContext } from "../../../core/simulator.js";
import type { RapidlyModel } from "../model.js";
import type { DeliveryRow } from "./model.js";
import { deliveryHeaders } from "./signing.js";

// spec: rapidly-webhooks.md#the-delivery
const MAX_ATTEMPTS = 10;
const TIMEOUT_MS = 10_000;
/** the n-th retry after a random delay in [2^n, 2^(n+1)] seconds, capped at 20 minutes */
const RETRY_DELAY = exponentialBackoff(1000, 20 * 60_000);
const RESPONSE_LIMIT = 2048;
/** An endpoint whose last 10 events all failed is disabled. */
const DISABLE_AFTER = 10;

/** The outbox working on each model (one per model: a reset opens a new one). */
const outboxes = new WeakMap<RapidlyModel, Outbox>();

export function outboxOf(model: RapidlyModel): Outbox | undefined {
  return outboxes.get(model);
}

/** Events were queued and committed: send them in the background. */
export function dispatch(model: RapidlyModel): void {
  outboxes.get(model)?.kick();
}

/** The ProviderSimulator's `background`: the outbox over this model, resuming what is pending. */
export function webhookBackground(model: RapidlyModel, ctx: SimulatorContext<RapidlyModel>): BackgroundWork {
  const outbox = new Outbox(model.webhooks.outbox, {
    request: (message, now) => {
      const event = model.doc.webhook_events?.[message.ref];
      const endpoint = event ? model.doc.webhook_endpoints?.[event.endpoint_id] : undefined;
      if (!event || !endpoint || endpoint.deleted_at !== null) return null;
      if (!endpoint.enabled) {
        // spec: rapidly-webhooks.md#the-delivery — a disabled endpoint's events are skipped, unsent
        model.webhooks.events.put({ ...event, skipped: true, modified_at: isoFromMicros(now, 6) }, event.workspace_id);
        return null;
      }
      return { url: endpoint.url, headers: deliveryHeaders(endpoint.secret, event.id, event.payload, now), body: event.payload };
    },
    recorded: (message, outcome, final, now) => record(model, message, outcome, final, now),
    commit: () => ctx.commit(),
  }, {
    clock: ctx.clock,
    maxAttempts: MAX_ATTEMPTS,
    timeoutMs: TIMEOUT_MS,
    retryDelayMs: RETRY_DELAY,
    responseLimit: RESPONSE_LIMIT,
  });
  outboxes.set(model, outbox);
  outbox.start();
  return {
    stop: async () => {
      outboxes.delete(model);
      await outbox.stop();
    },
  };
}

function record(model: RapidlyModel, message: OutboxMessage, outcome: AttemptOutcome, final: boolean, now: number): void {
  const { events, endpoints, deliveries } = model.webhooks;
  const event = model.doc.webhook_events?.[message.ref];
  if (!event) return;
  const at = isoFromMicros(now, 6);
  // Seeded by the event and the attempt: the same run gives the same ids, whatever the timing.
  const id = new SeededRandom(`rapidly:delivery:${event.id}:${message.key}:${message.attempts}`).uuid4();
  const delivery: DeliveryRow = {
    id,
    created_at: at,
    modified_at: null,
    workspace_id: event.workspace_id,
    endpoint_id: event.endpoint_id,
    webhook_event_id: event.id,
    succeeded: outcome.succeeded,
    http_code: outcome.status,
    response: outcome.response,
  };
  deliveries.put(delivery, delivery.workspace_id);
  events.put({ ...event, modified_at: at, last_http_code: outcome.status, succeeded: outcome.succeeded }, event.workspace_id);

  const endpoint = model.doc.webhook_endpoints?.[event.endpoint_id];
  if (!final || !endpoint) return;
  const streak = outcome.succeeded ? 0 : endpoint.failed_streak + 1;
  if (streak < DISABLE_AFTER || !endpoint.enabled) {
    endpoints.put({ ...endpoint, failed_streak: streak }, endpoint.workspace_id);
    return;
  }
  // spec: rapidly-webhooks.md#the-delivery — disabled; what was still waiting is skipped, unsent
  endpoints.put({ ...endpoint, failed_streak: streak, enabled: false, modified_at: at }, endpoint.workspace_id);
  for (const waiting of dropTarget(model.webhooks.outbox, endpoint.id)) {
    const skipped = model.doc.webhook_events?.[waiting.ref];
    if (skipped) events.put({ ...skipped, skipped: true, modified_at: at }, skipped.workspace_id);
  }
}
