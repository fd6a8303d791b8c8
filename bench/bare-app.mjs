// The baseline: a bare Hono app doing what a GET of one Rapidly customer must do at least —
// check a bearer token, look the customer up in a Map, answer it with c.json and the headers
// Rapidly's GET sends (Content-Type: application/json, Cache-Control: private, no-store; the
// same body bytes). Plain Node, no bundling: this is the app a person would write by hand.
import { serve } from "@hono/node-server";
import { Hono } from "hono";

const port = Number(process.env.PORT ?? 4020);
const token = process.env.BARE_TOKEN ?? "";
const customer = JSON.parse(process.env.BARE_CUSTOMER ?? "{}");
const customers = new Map([[customer.id, customer]]);
const NO_STORE = { "Cache-Control": "private, no-store" };

const app = new Hono();
app.get("/__admin/health", (c) => c.json({ status: "ok" }));
app.get("/rapidly/api/customers/:id", (c) => {
  if (c.req.header("authorization") !== `Bearer ${token}`) return c.json({ error: "Unauthorized" }, 401, NO_STORE);
  const found = customers.get(c.req.param("id"));
  if (!found) return c.json({ error: "ResourceNotFound", detail: "Not found" }, 404, NO_STORE);
  return c.json(found, 200, NO_STORE);
});
serve({ fetch: app.fetch, port, hostname: "127.0.0.1" });
