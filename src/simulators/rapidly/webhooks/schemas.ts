// Zod for the webhook endpoints API (spec: rapidly-webhooks.md#endpoints-api): request bodies,
// query parameters and, for the OpenAPI document, the responses. Pydantic's item types and
// messages, as in ../schemas.ts. Every schema is built on its first use (`lazy`), not at
// start-up: read as `endpointCreateSchema()`.
import * as z from "zod";
import { lazy } from "../../../core/lazy.js";
import { paginationSchema, positiveIntParam, pyIssue, pydanticItemSchema, quoteList, recordFields } from "../schemas.js";
import { WEBHOOK_EVENT_TYPES, WEBHOOK_FORMATS } from "./model.js";

/** Pydantic's HttpUrl max_length. */
export const URL_MAX_LENGTH = 2083;

/** Whether a URL parses (WHATWG, as the Rust `url` crate Pydantic uses). */
function parses(url: string): boolean {
  try {
    new URL(url);
    return true;
  } catch {
    return false;
  }
}

/** WHATWG's "ends in a number": the host's last label (a trailing dot aside) is decimal or 0x hex. */
function endsInNumber(host: string): boolean {
  const labels = host.toLowerCase().split(".");
  if (labels.length > 1 && labels[labels.length - 1] === "") labels.pop();
  const last = labels[labels.length - 1]!;
  return /^[0-9]+$/.test(last) || /^0x[0-9a-f]*$/.test(last);
}

/**
 * Why an http(s) URL that does not parse is refused, in the Rust `url` crate's words (the
 * `ctx.error` of Pydantic 2.13's `url_parsing`): the host is checked before the port.
 */
export function urlFailure(value: string): string {
  const authority = /^[a-zA-Z][a-zA-Z0-9+.-]*:[/\\]*([^/\\?#]*)/.exec(value)?.[1] ?? "";
  const hostPort = authority.slice(authority.lastIndexOf("@") + 1);
  if (hostPort.startsWith("[")) {
    const end = hostPort.indexOf("]");
    if (end === -1 || !parses(`http://${hostPort.slice(0, end + 1)}/`)) return "invalid IPv6 address";
    return "invalid port number";
  }
  const colon = hostPort.indexOf(":");
  const host = colon === -1 ? hostPort : hostPort.slice(0, colon);
  if (host === "") return "empty host";
  if (!parses(`http://${host}/`)) return endsInNumber(host) ? "invalid IPv4 address" : "invalid international domain name";
  return colon === -1 ? "invalid international domain name" : "invalid port number";
}

/**
 * HttpUrl, except that any host is accepted, localhost included (decision, spec: Polar takes
 * only https and no localhost; the simulator's receivers are a developer's machine). Stored as
 * the normalised URL (`http://example.com` → `http://example.com/`), as Pydantic prints it.
 */
const urlField = lazy(() =>
  z
    .unknown()
    .transform((value, ctx): string => {
      if (value === undefined) {
        pyIssue(ctx, { type: "missing", msg: "Field required" });
        return z.NEVER;
      }
      if (typeof value !== "string") {
        pyIssue(ctx, { type: "url_type", msg: "URL input should be a string or URL", input: value });
        return z.NEVER;
      }
      if (value.length > URL_MAX_LENGTH) {
        pyIssue(ctx, { type: "url_too_long", msg: `URL should have at most ${URL_MAX_LENGTH} characters`, input: value, ctx: { max_length: URL_MAX_LENGTH } });
        return z.NEVER;
      }
      const parsing = (error: string) => pyIssue(ctx, { type: "url_parsing", msg: `Input should be a valid URL, ${error}`, input: value, ctx: { error } });
      const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(value.trim())?.[1]?.toLowerCase();
      if (!scheme) {
        parsing(value.trim() === "" ? "input is empty" : "relative URL without a base");
        return z.NEVER;
      }
      if (scheme !== "http" && scheme !== "https") {
        pyIssue(ctx, { type: "url_scheme", msg: "URL scheme should be 'http' or 'https'", input: value, ctx: { expected_schemes: "'http' or 'https'" } });
        return z.NEVER;
      }
      let url: URL;
      try {
        url = new URL(value.trim());
      } catch {
        parsing(urlFailure(value.trim()));
        return z.NEVER;
      }
      if (url.hostname === "") {
        parsing("empty host");
        return z.NEVER;
      }
      return url.href;
    })
    .meta({ type: "string", format: "uri", minLength: 1, maxLength: URL_MAX_LENGTH, description: "The URL where the webhook events will be sent (http or https)." }),
);

const formatField = lazy(() => z.enum(WEBHOOK_FORMATS).meta({ description: "The format of the webhook payload (`discord` and `slack` deliveries carry the raw body in the simulator)." }));
const eventsField = lazy(() => z.array(z.enum(WEBHOOK_EVENT_TYPES)).meta({ description: "The events that will trigger the webhook." }));
const nameField = lazy(() => z.string().nullable().meta({ description: "An optional name for the webhook endpoint." }));

/** POST /api/webhooks/endpoints (a `secret` in the body is ignored: it is generated). */
export const endpointCreateSchema = lazy(() =>
  z.object({
    url: urlField(),
    name: nameField().optional(),
    format: formatField(),
    events: eventsField(),
  }),
);

/** PATCH /api/webhooks/endpoints/{id}: only the fields sent change; null leaves a field as it is (name: clears it). */
export const endpointUpdateSchema = lazy(() =>
  z.object({
    url: urlField().nullable().optional(),
    name: nameField().optional(),
    format: formatField().nullable().optional(),
    events: eventsField().nullable().optional(),
    enabled: z.boolean().nullable().optional(),
  }),
);

export type EndpointCreateInput = z.output<ReturnType<typeof endpointCreateSchema>>;
export type EndpointUpdateInput = z.output<ReturnType<typeof endpointUpdateSchema>>;

export const pageQuerySchema = lazy(() =>
  z.object({
    page: positiveIntParam().optional(),
    limit: positiveIntParam().optional(),
  }),
);

const TRUE = new Set(["1", "on", "t", "true", "y", "yes"]);
const FALSE = new Set(["0", "off", "f", "false", "n", "no"]);

/** Pydantic's lax bool from a query string. */
const boolParam = lazy(() =>
  z.string().transform((text, ctx): boolean => {
    const t = text.trim().toLowerCase();
    if (TRUE.has(t)) return true;
    if (FALSE.has(t)) return false;
    pyIssue(ctx, { type: "bool_parsing", msg: "Input should be a valid boolean, unable to interpret input", input: text });
    return z.NEVER;
  }),
);

const DATETIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?(Z|z|[+-]\d{2}:?\d{2})?$/;

/** A datetime (or date) query parameter → epoch microseconds; naive values are UTC. */
const datetimeParam = lazy(() =>
  z.string().transform((text, ctx): number => {
    const m = DATETIME.exec(text.trim());
    const ms = m ? Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4] ?? "00"}:${m[5] ?? "00"}:${m[6] ?? "00"}${offset(m[8])}`) : NaN;
    if (!m || Number.isNaN(ms)) {
      const reason = text.length < 10 ? "input is too short" : /^\d{4}/.test(text) ? "invalid datetime" : "invalid character in year";
      pyIssue(ctx, { type: "datetime_from_date_parsing", msg: `Input should be a valid datetime or date, ${reason}`, input: text, ctx: { error: reason } });
      return z.NEVER;
    }
    return ms * 1000 + Number((m[7] ?? "").padEnd(6, "0"));
  }),
);

function offset(tz: string | undefined): string {
  if (!tz || tz === "Z" || tz === "z") return "Z";
  return tz.includes(":") ? tz : `${tz.slice(0, 3)}:${tz.slice(3)}`;
}

export const HTTP_CODE_CLASSES = ["2xx", "3xx", "4xx", "5xx"] as const;

/** GET /api/webhooks/deliveries (endpoint_id is checked as a UUID by the route, as path ids are). */
export const deliveriesQuerySchema = lazy(() =>
  z.object({
    endpoint_id: z.string().optional(),
    event_type: z.enum(WEBHOOK_EVENT_TYPES).optional(),
    succeeded: boolParam().optional(),
    http_code_class: z.enum(HTTP_CODE_CLASSES).optional(),
    start_timestamp: datetimeParam().optional(),
    end_timestamp: datetimeParam().optional(),
    query: z.string().optional(),
    page: positiveIntParam().optional(),
    limit: positiveIntParam().optional(),
  }),
);

export const EVENT_TYPES_EXPECTED = quoteList(WEBHOOK_EVENT_TYPES);

// ---------------------------------------------------------------------------------------------
// Responses (documentation only)


export const endpointSchema = lazy(() =>
  z.object({
    ...recordFields(),
    url: z.string(),
    name: z.string().nullable(),
    format: z.enum(WEBHOOK_FORMATS),
    secret: z.string().meta({ description: "The secret used to sign the deliveries (`rapidly_whs_...`)." }),
    workspace_id: z.uuid(),
    events: z.array(z.enum(WEBHOOK_EVENT_TYPES)),
    enabled: z.boolean(),
  }),
);
export const endpointListSchema = lazy(() => z.object({ items: z.array(endpointSchema()), pagination: paginationSchema() }));

export const webhookEventSchema = lazy(() =>
  z.object({
    ...recordFields(),
    last_http_code: z.int().nullable(),
    succeeded: z.boolean().nullable(),
    skipped: z.boolean(),
    payload: z.string().meta({ description: "The JSON body every attempt of the event sends." }),
    type: z.enum(WEBHOOK_EVENT_TYPES),
    is_archived: z.boolean(),
  }),
);
export const deliverySchema = lazy(() =>
  z.object({
    ...recordFields(),
    succeeded: z.boolean(),
    http_code: z.int().nullable().meta({ description: "null when the receiver could not be reached." }),
    response: z.string().nullable().meta({ description: "The receiver's body (first 2,048 characters), or the error when it could not be reached." }),
    webhook_event: webhookEventSchema(),
  }),
);
export const deliveryListSchema = lazy(() => z.object({ items: z.array(deliverySchema()), pagination: paginationSchema() }));
export { pydanticItemSchema };
