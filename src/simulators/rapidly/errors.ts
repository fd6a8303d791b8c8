// Domain error → Rapidly's wire format (Polar's FastAPI app, rebranded), in one place.
import { DomainError, type InputIssue } from "../../core/domain-errors.js";
import { respond, respondEmpty } from "../../core/respond.js";
import type { ErrorFormat, SimContext as Context } from "../../core/simulator.js";

export const CACHE_CONTROL = "private, no-store";
export const INVALID_TOKEN_DESCRIPTION =
  "The access token provided is expired, revoked, malformed, or invalid for other reasons.";
export const INSUFFICIENT_SCOPE_DESCRIPTION =
  "The request requires higher privileges than provided by the access token.";

/** One item of a FastAPI/Pydantic `detail` list (no `url`). */
export interface PydanticItem {
  type: string;
  loc: (string | number)[];
  msg: string;
  input: unknown;
  ctx?: Record<string, unknown>;
}

export function toPydantic(issue: InputIssue): PydanticItem {
  const item: PydanticItem = { type: issue.type, loc: issue.loc, msg: issue.message, input: issue.input === undefined ? null : issue.input };
  if (issue.ctx !== undefined) item.ctx = issue.ctx;
  return item;
}

function json(c: Context, status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return respond(c, status, body, { "Cache-Control": CACHE_CONTROL, ...headers });
}

function empty(c: Context, status: number, headers: Record<string, string> = {}): Response {
  return respondEmpty(c, status, { "Cache-Control": CACHE_CONTROL, ...headers });
}

const REASONS: Record<number, [string, string]> = {
  400: ["BadRequest", "Bad Request"],
  405: ["MethodNotAllowed", "Method Not Allowed"],
  409: ["Conflict", "Conflict"],
  415: ["UnsupportedMediaType", "Unsupported Media Type"],
  500: ["InternalServerError", "Internal Server Error"],
  502: ["BadGateway", "Bad Gateway"],
  503: ["ServiceUnavailable", "Service Unavailable"],
  504: ["GatewayTimeout", "Gateway Timeout"],
};

function render(c: Context, error: DomainError): Response {
  const d = error.details;
  switch (error.kind) {
    case "unauthenticated":
      return json(c, 401, { error: "Unauthorized", detail: "Unauthorized" }, { "WWW-Authenticate": 'Bearer realm="rapidly"' });
    case "invalid_credentials":
      return json(c, 401, { error: "invalid_token", error_description: INVALID_TOKEN_DESCRIPTION }, {
        "WWW-Authenticate": `Bearer realm="rapidly", error="invalid_token", error_description="${INVALID_TOKEN_DESCRIPTION}"`,
      });
    case "forbidden":
      return json(c, 403, { error: "insufficient_scope", error_description: INSUFFICIENT_SCOPE_DESCRIPTION });
    case "not_found":
      return json(c, 404, { error: "ResourceNotFound", detail: "Not found" });
    case "route_not_found":
      // Starlette's own 404 for a path no route matches
      return json(c, 404, { detail: "Not Found" });
    case "method_not_allowed":
      // Starlette answers a known path with an unknown method with 405 and Allow
      return json(c, 405, { detail: "Method Not Allowed" }, { Allow: ((d.allow as string[] | undefined) ?? []).join(", ") });
    case "invalid":
      return json(c, 422, { error: "RequestValidationError", detail: (d.issues ?? []).map(toPydantic) });
    case "rule_violation":
    case "conflict":
      return json(c, 422, { error: "RapidlyRequestValidationError", detail: (d.issues ?? []).map(toPydantic) });
    case "malformed_body":
      if (typeof d.position === "number") {
        // FastAPI: json.JSONDecodeError → RequestValidationError
        return json(c, 422, {
          error: "RequestValidationError",
          detail: [{ type: "json_invalid", loc: ["body", d.position], msg: "JSON decode error", input: {}, ctx: { error: d.error } }],
        });
      }
      // FastAPI: any other failure reading the body (e.g. RecursionError on deep nesting)
      return json(c, 400, { detail: "There was an error parsing the body" });
    case "unsupported_media_type":
      return json(c, 415, { error: "UnsupportedMediaType", detail: "Unsupported Media Type" });
    case "payload_too_large":
      return json(c, 413, { error: "RequestEntityTooLarge", detail: "Request body too large" });
    case "rate_limited":
      return empty(c, 429, { "retry-after": String(d.retryAfter ?? 60) });
  }
}

function forStatus(c: Context, status: number): Response {
  switch (status) {
    case 401: return render(c, new DomainError("unauthenticated"));
    case 403: return render(c, new DomainError("forbidden"));
    case 404: return render(c, new DomainError("not_found"));
    case 413: return render(c, new DomainError("payload_too_large"));
    case 422: return render(c, new DomainError("invalid", { issues: [] }));
    case 429: return render(c, new DomainError("rate_limited", { retryAfter: 60 }));
  }
  if (status === 204 || status === 304 || (status >= 100 && status < 200)) return empty(c, status);
  const [error, detail] = REASONS[status] ?? (status >= 500 ? REASONS[500]! : REASONS[400]!);
  return json(c, status, { error, detail });
}

// spec: rapidly.md#auth — every response carries Cache-Control, a fault rule's own body included
export const rapidlyErrors: ErrorFormat = { render, forStatus, headers: { "Cache-Control": CACHE_CONTROL } };
