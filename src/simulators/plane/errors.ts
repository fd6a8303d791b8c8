// Domain error → Plane's wire format (Django REST Framework plus Plane's own handlers), in one place.
import { DomainError, type InputIssue } from "../../core/domain-errors.js";
import { respond } from "../../core/respond.js";
import type { ErrorFormat, SimContext as Context } from "../../core/simulator.js";

export const NOT_PROVIDED = "Authentication credentials were not provided.";
export const INVALID_KEY = "Given API token is not valid";
export const NO_PERMISSION = "You do not have permission to perform this action.";
export const RESOURCE_MISSING = "The requested resource does not exist.";
export const PAGE_NOT_FOUND = "Page not found.";
export const SOMETHING_WRONG = "Something went wrong please try again later";

/** `{"field": ["message", ...]}` in the issues' order. */
export function fieldErrors(issues: readonly InputIssue[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const i of issues) {
    const field = String(i.loc[0] ?? "non_field_errors");
    (out[field] ??= []).push(i.message);
  }
  return out;
}

function render(c: Context, error: DomainError): Response {
  const d = error.details;
  switch (error.kind) {
    case "unauthenticated":
      // spec: plane.md#auth — no X-API-Key (DRF's NotAuthenticated)
      return respond(c, 401, { detail: NOT_PROVIDED });
    case "invalid_credentials":
      // spec: plane.md#auth — an unknown API key is a 403, not a 401
      return respond(c, 403, { detail: INVALID_KEY });
    case "forbidden":
      return respond(c, 403, { detail: typeof d.detail === "string" ? d.detail : NO_PERMISSION });
    case "not_found":
      // Plane's BaseAPIView turns ObjectDoesNotExist (slug or customer) into this body
      return respond(c, 404, { error: RESOURCE_MISSING });
    case "route_not_found":
      // decision: Django's 404 for a URL no pattern matches (e.g. a pk that is not a UUID)
      return respond(c, 404, { error: PAGE_NOT_FOUND });
    case "method_not_allowed": {
      const allow = ((d.allow as string[] | undefined) ?? []).join(", ");
      return respond(c, 405, { detail: `Method "${String(d.method ?? c.req.method)}" not allowed.` }, allow ? { Allow: allow } : undefined);
    }
    case "invalid":
    case "rule_violation":
    case "conflict":
      if (typeof d.detail === "string") return respond(c, 400, { detail: d.detail });
      return respond(c, 400, fieldErrors(d.issues ?? []));
    case "malformed_body":
      // DRF's JSONParser: ParseError('JSON parse error - %s' % exc)
      return respond(c, 400, { detail: `JSON parse error - ${String(d.reason ?? "Expecting value: line 1 column 1 (char 0)")}` });
    case "unsupported_media_type":
      return respond(c, 415, { detail: `Unsupported media type "${String(d.mediaType ?? "")}" in request.` });
    case "payload_too_large":
      // spec: simulator.md#limits-every-provider-shares — decision
      return respond(c, 413, { detail: "Request body too large." });
    case "rate_limited":
      // spec: plane.md#rate-limits
      return respond(c, 429, { error_code: 5900, error_message: "RATE_LIMIT_EXCEEDED" }, { "Retry-After": String(d.retryAfter ?? 60) });
  }
}

/** Plane's body for a bare status (fault rules that give only a status). */
function forStatus(c: Context, status: number): Response {
  switch (status) {
    case 400: return respond(c, 400, { detail: "Malformed request." });
    case 401: return render(c, new DomainError("unauthenticated"));
    case 403: return render(c, new DomainError("forbidden"));
    case 404: return render(c, new DomainError("not_found"));
    case 405: return render(c, new DomainError("method_not_allowed", { method: c.req.method }));
    case 413: return render(c, new DomainError("payload_too_large"));
    case 415: return render(c, new DomainError("unsupported_media_type", { mediaType: c.req.header("content-type") ?? "" }));
    case 429: return render(c, new DomainError("rate_limited", { retryAfter: 60 }));
    case 503: return respond(c, 503, { detail: "Service temporarily unavailable, try again later." });
  }
  if (status === 204 || status === 304 || (status >= 100 && status < 200)) return new Response(null, { status });
  // Plane's BaseAPIView.handle_exception answers any unexpected failure this way
  if (status >= 500) return respond(c, status, { error: SOMETHING_WRONG });
  return respond(c, status, { detail: "Malformed request." });
}

export const planeErrors: ErrorFormat = { render, forStatus };
