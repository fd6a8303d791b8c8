// Provider-neutral failures. Routes and rules throw these; each provider's errors.ts turns
// them into its own wire format in one place.

/** One problem with the input, addressed by where it sits in the request. */
export interface InputIssue {
  /** e.g. ["body", "email"], ["path", "id"], ["query", "limit"] */
  loc: (string | number)[];
  /** provider-specific error type, e.g. Pydantic's "string_too_long" */
  type: string;
  message: string;
  input?: unknown;
  ctx?: Record<string, unknown>;
}

export type DomainErrorKind =
  | "unauthenticated"   // no credentials, or credentials in the wrong scheme
  | "invalid_credentials"
  | "forbidden"         // authenticated, not allowed
  | "not_found"         // the resource does not exist for this caller
  | "route_not_found"   // no such path under the provider
  | "method_not_allowed" // a known path, another method (details.allow: the path's methods; details.method)
  | "invalid"           // schema validation failed (issues)
  | "rule_violation"    // business rules failed (issues)
  | "conflict"          // uniqueness conflict answered with its own status (e.g. 409)
  | "malformed_body"    // the body is not parseable JSON
  | "unsupported_media_type"
  | "payload_too_large"
  | "rate_limited";

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    readonly details: {
      issues?: InputIssue[];
      /** free-form data a provider's format may need (action name, position, field) */
      [key: string]: unknown;
    } = {},
  ) {
    super(kind);
    this.name = "DomainError";
  }
}

export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError;
