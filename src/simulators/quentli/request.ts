// The request body as Quentli's Node server reads it (express.json() before the routes):
// JSON is parsed before authentication; a body that is not JSON is a 400 INVALID_JSON
// (spec: quentli.md#patch-rules).
import { mediaType, parseJsonText, rawBody } from "../../core/body.js";
import { DomainError, type InputIssue } from "../../core/domain-errors.js";
import type { SimContext } from "../../core/simulator.js";

/** V8's own words for a JSON.parse failure (what body-parser puts in its error). */
function parseMessage(text: string): string {
  try {
    JSON.parse(text);
  } catch (e) {
    return (e as Error).message;
  }
  return "Malformed JSON in request body";
}

/**
 * The parsed body. No body, or a Content-Type other than JSON, is `{}` (express.json()
 * leaves the body empty), which then fails validation with `input: Required`.
 */
export function readBody(c: SimContext): unknown {
  const text = rawBody(c);
  const type = mediaType(c.req.header("content-type"));
  const isJson = type === null || type === "application/json" || (type.startsWith("application/") && type.endsWith("+json"));
  if (!isJson) return {};
  const body = parseJsonText(text);
  if (body.kind === "empty") return {};
  if (body.kind === "json") return body.value;
  if (body.tooDeep) throw new DomainError("malformed_body", { message: "Request body is nested too deeply" });
  throw new DomainError("malformed_body", { message: parseMessage(text) });
}

export function invalid(issues: InputIssue[], message = "Invalid request body"): DomainError {
  return new DomainError("invalid", { issues, message });
}
