import type { Context } from "hono";
import type { SimEnv } from "./env.js";
import type { JsonTextParts } from "./serialize.js";

// Responses built with plain-object headers: @hono/node-server writes those straight to the
// socket, where a Headers object (what c.header() or a second header in c.json() make) costs
// every response a copy. The body is left on the context for the journal.

const JSON_TYPE = { "content-type": "application/json" } as const;

// Content-Type plus a route's extra headers, merged once per headers object (routes pass the
// same constant each time). node-server reads a plain-object header without changing it (it
// copies one before adding Content-Length), so one object serves every response.
const merged = new WeakMap<Record<string, string>, Record<string, string>>();
function withJsonType(headers: Record<string, string> | undefined): Record<string, string> {
  if (!headers) return JSON_TYPE;
  let out = merged.get(headers);
  if (out === undefined) merged.set(headers, (out = { ...JSON_TYPE, ...headers }));
  return out;
}

/** JSON with the given status and extra headers; the journal records `body` as is. */
export function respond(c: Context<SimEnv>, status: number, body: unknown, headers?: Record<string, string>): Response {
  c.set("responseBody", body);
  return new Response(JSON.stringify(body), { status, headers: withJsonType(headers) });
}

/**
 * JSON already serialized (e.g. cached), whole or in parts (sent joined; the journal keeps the
 * parts, shared with the cache); the journal parses it only when read.
 */
export function respondJsonText(c: Context<SimEnv>, status: number, text: string | JsonTextParts, headers?: Record<string, string>): Response {
  c.set("responseBody", text);
  return new Response(typeof text === "string" ? text : text.text(), { status, headers: withJsonType(headers) });
}

/** A response without a body (204, or a 429 that has none). */
export function respondEmpty(c: Context<SimEnv>, status: number, headers?: Record<string, string>): Response {
  c.set("responseBody", null);
  return new Response(null, { status, ...(headers ? { headers } : {}) });
}
