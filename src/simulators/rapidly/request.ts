// The request as FastAPI reads it: the body (decoded before auth), and the validation of body
// and path parameters into Pydantic-style issues (spec: rapidly.md#patch-rules).
import { bodyIsUtf8, mediaType, parseJsonText, rawBody } from "../../core/body.js";
import { DomainError, type InputIssue } from "../../core/domain-errors.js";
import type { SimContext } from "../../core/simulator.js";
import { validate } from "./schemas.js";
import { uuid4Issue } from "./uuid.js";

export type Body = { present: false } | { present: true; value: unknown };

/**
 * FastAPI: an empty body is no body; JSON is decoded when there is no Content-Type or it is
 * application/json or application/*+json; any other type leaves the raw text as the value
 * (which then fails model validation). A JSONDecodeError is a 422 json_invalid; nesting past
 * CPython's recursion limit, or bytes that are not UTF-8 (json.loads raises UnicodeDecodeError),
 * is the 400 FastAPI gives for other parse failures.
 */
export function readBody(c: SimContext): Body {
  const text = rawBody(c);
  if (text === "") return { present: false };
  const type = mediaType(c.req.header("content-type"));
  const isJson = type === null || type === "application/json" || (type.startsWith("application/") && type.endsWith("+json"));
  if (!isJson) return { present: true, value: text };
  // spec: rapidly.md#patch-rules — FastAPI: any failure of json.loads but a JSONDecodeError → 400
  if (!bodyIsUtf8(c)) throw new DomainError("malformed_body");
  const body = parseJsonText(text);
  if (body.kind === "empty") return { present: false };
  if (body.kind === "json") return { present: true, value: body.value };
  if (body.tooDeep) throw new DomainError("malformed_body");
  throw new DomainError("malformed_body", { position: body.pos, error: body.msg });
}

/** Validates a body against a schema; no body (or JSON null) is FastAPI's `missing`. */
export function bodyIssues<T>(
  body: Body,
  schema: Parameters<typeof validate>[0],
): { data: T | undefined; raw: Record<string, unknown>; issues: InputIssue[] } {
  if (!body.present || body.value === null) {
    return { data: undefined, raw: {}, issues: [{ type: "missing", loc: ["body"], message: "Field required", input: null }] };
  }
  const result = validate(schema, body.value, ["body"]);
  if (!result.ok) return { data: undefined, raw: {}, issues: result.issues };
  return { data: result.data as T, raw: body.value as Record<string, unknown>, issues: [] };
}

/** Only the keys sent in the body (zod leaves absent optional keys out of its output). */
export function present<T extends object>(data: T, raw: Record<string, unknown>): Partial<T> {
  const out: Partial<T> = {};
  for (const key of Object.keys(data) as (keyof T)[]) {
    if (Object.hasOwn(raw, key)) out[key] = data[key];
  }
  return out;
}

export function pathIdIssue(c: SimContext): InputIssue | null {
  return uuid4Issue(c.req.param("id") ?? "", ["path", "id"]);
}

export function invalid(issues: InputIssue[]): DomainError {
  return new DomainError("invalid", { issues });
}
