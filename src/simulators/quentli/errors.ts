// Domain error → Quentli's wire format, in one place: `{"error":{"code","message",...}}`
// (spec: quentli.md; Quentli documents no error bodies, these shapes are decisions modelled
// on its GraphQL error types).
import { STATUS_CODES } from "node:http";
import { DomainError } from "../../core/domain-errors.js";
import { respond, respondEmpty } from "../../core/respond.js";
import type { ErrorFormat, SimContext as Context } from "../../core/simulator.js";

export const UNAUTHORIZED_MESSAGE = "Invalid or missing API key";

function error(c: Context, status: number, code: string, message: string, extra: Record<string, unknown> = {}, headers?: Record<string, string>): Response {
  return respond(c, status, { error: { code, message, ...extra } }, headers);
}

/** `Not Found` → `NOT_FOUND`: the code of a bare status. */
function codeOf(status: number): string {
  const reason = STATUS_CODES[status] ?? (status >= 500 ? "Internal Server Error" : "Bad Request");
  return reason.toUpperCase().replace(/[^A-Z0-9]+/g, "_").replace(/^_|_$/g, "");
}

function render(c: Context, e: DomainError): Response {
  const d = e.details;
  switch (e.kind) {
    case "unauthenticated":
    case "invalid_credentials":
      // spec: quentli.md#auth
      return error(c, 401, "UNAUTHORIZED", UNAUTHORIZED_MESSAGE);
    case "forbidden":
      return error(c, 403, "FORBIDDEN", "Forbidden");
    case "not_found":
      // spec: quentli.md#patch-rules — unknown id
      return error(c, 404, "NOT_FOUND", "Customer not found");
    case "route_not_found":
      // decision: an unknown path, in the same shape (one message, whatever the path)
      return error(c, 404, "NOT_FOUND", "Route not found");
    case "method_not_allowed": {
      // decision: a known path with another method → 405 with Allow
      const allow = (d.allow as string[] | undefined) ?? [];
      return error(c, 405, "METHOD_NOT_ALLOWED", `Method ${String(d.method ?? c.req.method)} not allowed`, {}, { Allow: allow.join(", ") });
    }
    case "invalid":
    case "rule_violation":
      // spec: quentli.md#patch-rules — every failing path listed
      return error(c, 400, "VALIDATION_ERROR", String(d.message ?? "Invalid request body"), {
        issues: (d.issues ?? []).map((i) => ({ path: i.loc, message: i.message })),
      });
    case "conflict":
      // spec: quentli.md#patch-rules — EMAIL_TAKEN / PHONE_TAKEN / USERNAME_TAKEN
      return error(c, 409, String(d.code), String(d.message), {
        conflictingCustomer: d.conflictingCustomer,
        [String(d.field)]: d.value,
      });
    case "malformed_body":
      // spec: quentli.md#patch-rules — malformed JSON → 400 INVALID_JSON
      return error(c, 400, "INVALID_JSON", String(d.message ?? "Malformed JSON in request body"));
    case "unsupported_media_type":
      return error(c, 415, "UNSUPPORTED_MEDIA_TYPE", String(d.message ?? "Unsupported media type"));
    case "payload_too_large":
      // spec: simulator.md#limits-every-provider-shares
      return error(c, 413, "PAYLOAD_TOO_LARGE", "Request body too large");
    case "rate_limited":
      return error(c, 429, "RATE_LIMITED", "Too many requests", {}, { "Retry-After": String(d.retryAfter ?? 60) });
  }
}

/** Quentli's body for a bare status (fault rules that give only a status). */
function forStatus(c: Context, status: number): Response {
  switch (status) {
    case 401: return render(c, new DomainError("unauthenticated"));
    case 404: return error(c, 404, "NOT_FOUND", "Not found");
    case 413: return render(c, new DomainError("payload_too_large"));
    case 429: return render(c, new DomainError("rate_limited", { retryAfter: 60 }));
    case 500: return error(c, 500, "INTERNAL_SERVER_ERROR", "Internal server error");
  }
  if (status === 204 || status === 304 || (status >= 100 && status < 200)) return respondEmpty(c, status);
  const reason = STATUS_CODES[status] ?? (status >= 500 ? "Internal Server Error" : "Bad Request");
  return error(c, status, codeOf(status), reason);
}

export const quentliErrors: ErrorFormat = { render, forStatus };
