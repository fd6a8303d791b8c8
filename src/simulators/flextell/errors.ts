// Domain error → Flextell's wire format (a Laravel 11 app answering JSON), in one place.
import { DomainError, type InputIssue } from "../../core/domain-errors.js";
import type { RateDecision } from "../../core/rate-limit.js";
import { respond } from "../../core/respond.js";
import type { ErrorFormat, SimContext as Context } from "../../core/simulator.js";

/** Symfony's default on every Laravel response (errors included). */
export const CACHE_CONTROL = "no-cache, private";
export const LARAVEL_HEADERS = { "Cache-Control": CACHE_CONTROL };

export const MODEL = "App\\Models\\Customer";

function json(c: Context, status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return respond(c, status, body, { ...LARAVEL_HEADERS, ...headers });
}

/** Laravel's `$request->path()`: below the mount, without the outer slashes ("/" for none). */
export function requestPath(c: Context): string {
  let path = c.req.path;
  if (path === "/flextell" || path.startsWith("/flextell/")) path = path.slice("/flextell".length);
  const trimmed = path.replace(/^\/+|\/+$/g, "");
  return trimmed === "" ? "/" : trimmed;
}

/**
 * ValidationException's JSON: the first message, "(and N more errors)" for the rest, and
 * every message by field (`tags.0` for an array element).
 */
export function validationBody(issues: InputIssue[]): { message: string; errors: Record<string, string[]> } {
  const errors: Record<string, string[]> = {};
  for (const issue of issues) {
    const key = issue.loc.slice(1).join(".") || String(issue.loc[0] ?? "");
    (errors[key] ??= []).push(issue.message);
  }
  const all = Object.values(errors).flat();
  const rest = all.length - 1;
  let message = all[0] ?? "The given data was invalid.";
  if (rest > 0) message += ` (and ${rest} more ${rest === 1 ? "error" : "errors"})`;
  return { message, errors };
}

/** Symfony lists HEAD after GET for every route that answers GET. */
function supported(allow: string[]): string[] {
  return allow.flatMap((m) => (m === "GET" ? ["GET", "HEAD"] : m === "OPTIONS" ? [] : [m]));
}

function render(c: Context, error: DomainError): Response {
  const d = error.details;
  switch (error.kind) {
    case "unauthenticated":
    case "invalid_credentials":
      return json(c, 401, { message: "Unauthenticated." });
    case "forbidden":
      return json(c, 403, { message: "This action is unauthorized." });
    case "not_found":
      // ModelNotFoundException → NotFoundHttpException, with the model and the ids asked for
      return json(c, 404, { message: d.id === undefined ? "Not Found" : `No query results for model [${MODEL}] ${String(d.id)}` });
    case "route_not_found":
      return json(c, 404, { message: `The route ${requestPath(c)} could not be found.` });
    case "method_not_allowed": {
      const methods = supported((d.allow as string[] | undefined) ?? []);
      return json(c, 405, { message: `The ${String(d.method ?? c.req.method)} method is not supported for route ${requestPath(c)}. Supported methods: ${methods.join(", ")}.` }, { Allow: methods.join(", ") });
    }
    case "invalid":
    case "rule_violation":
    case "conflict":
      return json(c, 422, validationBody(d.issues ?? []));
    case "malformed_body":
      // spec: flextell.md#update — decision
      return json(c, 400, { message: "Malformed JSON body." });
    case "unsupported_media_type":
      // decision: Laravel would ignore such a body; refused instead
      return json(c, 415, { message: "Unsupported Media Type." });
    case "payload_too_large":
      // spec: simulator.md#limits-every-provider-shares
      return json(c, 413, { message: "Request body too large." });
    case "rate_limited": {
      // spec: flextell.md#rate-limits — ThrottleRequests' 429
      const decision = d.decision as RateDecision | undefined;
      const retryAfter = Number(d.retryAfter ?? 60);
      const reset = decision?.resetAt ?? Math.ceil(Date.now() / 1000) + retryAfter;
      return json(c, 429, { message: "Too Many Attempts." }, { "Retry-After": String(retryAfter), "X-RateLimit-Reset": String(reset) });
    }
  }
}

/** Symfony's reason phrases, for status-only faults (`{"message": "<phrase>"}`). */
const REASONS: Record<number, string> = {
  400: "Bad Request",
  402: "Payment Required",
  408: "Request Timeout",
  409: "Conflict",
  410: "Gone",
  415: "Unsupported Media Type",
  418: "I'm a teapot",
  423: "Locked",
  500: "Server Error",
  501: "Not Implemented",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

function forStatus(c: Context, status: number): Response {
  switch (status) {
    case 401: return render(c, new DomainError("unauthenticated"));
    case 403: return render(c, new DomainError("forbidden"));
    case 404: return render(c, new DomainError("not_found"));
    case 413: return render(c, new DomainError("payload_too_large"));
    case 422: return json(c, 422, { message: "The given data was invalid.", errors: {} });
    case 429: return render(c, new DomainError("rate_limited", { retryAfter: 60 }));
  }
  if (status === 204 || status === 304 || (status >= 100 && status < 200)) {
    c.set("responseBody", null);
    return new Response(null, { status, headers: LARAVEL_HEADERS });
  }
  // Laravel hides the message of any non-HTTP exception: "Server Error"
  const message = REASONS[status] ?? (status >= 500 ? "Server Error" : "Bad Request");
  return json(c, status, { message });
}

// Every Laravel response carries Cache-Control: no-cache, private (a fault rule's own body too)
export const flextellErrors: ErrorFormat = { render, forStatus, headers: LARAVEL_HEADERS };
