// The baseline for creates: a bare Hono app doing what a Rapidly create must do at least —
// check a bearer token, read the JSON body, check the email and its uniqueness in a Map, make
// the customer and its owner member, answer 201 with the same fields and headers as Rapidly's
// create (677 bytes for new0@example.com). In memory only: it writes nothing to a disk, so the
// simulator's figure with --data also pays for its durable writes, which this one does not.
// Plain Node, no bundling: the app a person would write by hand.
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { createHash, randomUUID } from "node:crypto";

const port = Number(process.env.PORT ?? 4021);
const token = process.env.BARE_TOKEN ?? "";
const workspaceId = process.env.BARE_WORKSPACE ?? randomUUID();
const NO_STORE = { "Cache-Control": "private, no-store" };
const byId = new Map();
const byEmail = new Map();

const app = new Hono();
app.get("/__admin/health", (c) => c.json({ status: "ok", app: "bare-post" }));
app.post("/rapidly/api/customers/", async (c) => {
  if (c.req.header("authorization") !== `Bearer ${token}`) return c.json({ error: "Unauthorized" }, 401, NO_STORE);
  let body;
  try {
    body = await c.req.json();
  } catch {
    return c.json({ error: "RequestValidationError" }, 422, NO_STORE);
  }
  const email = typeof body?.email === "string" ? body.email.toLowerCase() : "";
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) return c.json({ error: "RequestValidationError" }, 422, NO_STORE);
  if (byEmail.has(email)) return c.json({ error: "RequestValidationError" }, 422, NO_STORE);
  const now = new Date().toISOString().replace("Z", "000Z");
  const id = randomUUID();
  const customer = {
    id, created_at: now, modified_at: null, metadata: {}, external_id: null, email, email_verified: false, name: null,
    billing_address: null, workspace_id: workspaceId, deleted_at: null,
    avatar_url: `https://www.gravatar.com/avatar/${createHash("sha256").update(email).digest("hex")}?d=404`, type: "individual",
    members: [{ id: randomUUID(), created_at: now, modified_at: null, customer_id: id, email, name: null, external_id: null, role: "owner" }],
  };
  byId.set(id, customer);
  byEmail.set(email, customer);
  return c.json(customer, 201, NO_STORE);
});
serve({ fetch: app.fetch, port, hostname: "127.0.0.1" });
