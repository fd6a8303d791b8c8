import type { MiddlewareHandler } from "hono";
import { timingSafeEqual } from "node:crypto";

/** With an admin token set, every control-plane call must present it as a Bearer token. */
export function adminAuth(token: string | undefined): MiddlewareHandler {
  if (!token) return (_c, next) => next();
  const expected = Buffer.from(`Bearer ${token}`);
  return async (c, next) => {
    const given = Buffer.from(c.req.header("authorization") ?? "");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return c.json(
        { error: "unauthorized", message: "This control plane needs 'Authorization: Bearer <admin token>' (--admin-token / SIM_ADMIN_TOKEN)." },
        401,
        { "WWW-Authenticate": 'Bearer realm="customer-sim admin"' },
      );
    }
    return next();
  };
}
