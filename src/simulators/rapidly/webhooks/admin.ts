// Rapidly's control-plane routes, mounted at /__admin/rapidly/ (spec: rapidly-webhooks.md#control-plane).
import { Hono } from "hono";
import type { SimulatorContext } from "../../../core/simulator.js";
import type { RapidlyModel } from "../model.js";
import { outboxOf } from "./delivery.js";

export function rapidlyAdminRoutes(ctx: SimulatorContext<RapidlyModel>): Hono {
  const admin = new Hono();
  /** Every pending attempt (first tries and scheduled retries) now; answers when they are done. */
  admin.post("/webhooks/deliver-pending", async (c) => {
    const outbox = outboxOf(ctx.model());
    const result = outbox ? await outbox.deliverPending() : { attempted: 0, succeeded: 0 };
    return c.json(result);
  });
  return admin;
}
