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
 * body-parser's strict mode (express.json()'s default): a body whose first character (after
 * JSON whitespace) is not `{` or `[` is refused as a syntax error, in V8's words for that
 * character (`Unexpected token 'n', "null" is not valid JSON`).
 */
function strictMessage(raw: string): string | null {
  // iconv-lite drops a byte order mark before body-parser looks
  const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  const m = /^[\x20\x09\x0a\x0d]*([^\x20\x09\x0a\x0d])/.exec(text);
  const first = m?.[1];
  if (first === undefined || first === "{" || first === "[") return null;
  const at = text.indexOf(first);
  const partial = text.slice(0, at) + "#".repeat(text.length - at);
  return parseMessage(partial).replace(/#+/g, (run) => text.slice(at, at + run.length));
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
  // body-parser decodes only UTF charsets: another is a 415 in its words
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(c.req.header("content-type") ?? "")?.[1]?.toLowerCase();
  if (charset !== undefined && !charset.startsWith("utf-")) {
    throw new DomainError("unsupported_media_type", { message: `unsupported charset "${charset.toUpperCase()}"` });
  }
  const body = parseJsonText(text);
  if (body.kind === "empty") return {};
  if (body.kind === "json") {
    const strict = strictMessage(text);
    if (strict !== null) throw new DomainError("malformed_body", { message: strict });
    return body.value;
  }
  if (body.tooDeep) throw new DomainError("malformed_body", { message: "Request body is nested too deeply" });
  throw new DomainError("malformed_body", { message: parseMessage(text) });
}

export function invalid(issues: InputIssue[], message = "Invalid request body"): DomainError {
  return new DomainError("invalid", { issues, message });
}
