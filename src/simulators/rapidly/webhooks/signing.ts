// Standard Webhooks headers of one attempt (spec: rapidly-webhooks.md#the-delivery).
import { createHmac } from "node:crypto";

// decision (spec): Polar sends `polar.sh webhooks`
export const USER_AGENT = "rapidly.tech webhooks";
export const SECRET_PREFIX = "rapidly_whs_";

/**
 * `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`; the key is the UTF-8 bytes of the
 * whole secret, prefix included, as Polar does.
 */
export function signature(secret: string, id: string, timestamp: number, body: string): string {
  const mac = createHmac("sha256", Buffer.from(secret, "utf8")).update(`${id}.${timestamp}.${body}`).digest("base64");
  return `v1,${mac}`;
}

/** The headers of an attempt made at `nowMicros` (the timestamp and signature are fresh each time). */
export function deliveryHeaders(secret: string, eventId: string, body: string, nowMicros: number): Record<string, string> {
  const timestamp = Math.floor(nowMicros / 1_000_000);
  return {
    "content-type": "application/json",
    "user-agent": USER_AGENT,
    "webhook-id": eventId,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": signature(secret, eventId, timestamp, body),
  };
}
