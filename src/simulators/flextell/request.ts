// The request input as Laravel reads it (spec: flextell.md#update): a JSON body when the
// Content-Type says JSON (or there is none), form fields when it is form-urlencoded; then the
// global middleware TrimStrings and ConvertEmptyStringsToNull.
import { bodyIsUtf8, mediaType, parseJsonText, rawBody } from "../../core/body.js";
import { DomainError } from "../../core/domain-errors.js";
import type { SimContext } from "../../core/simulator.js";

export type Input = Record<string, unknown>;

/** PHP's json_decode depth limit. */
const PHP_JSON_DEPTH = 512;

/** PHP's trim(): spaces, \t \n \r \0 \x0B. */
const trimPhp = (s: string): string => s.replace(/^[ \t\n\r\0\x0B]+|[ \t\n\r\0\x0B]+$/g, "");

/** TrimStrings + ConvertEmptyStringsToNull, through arrays and objects. */
export function cleanInput(value: unknown): unknown {
  if (typeof value === "string") {
    const t = trimPhp(value);
    return t === "" ? null : t;
  }
  if (Array.isArray(value)) return value.map(cleanInput);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cleanInput(v)]));
  }
  return value;
}

/** A UTF-16 surrogate without its pair (json_decode: "Single unpaired UTF-16 surrogate"). */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Whether every string (and key) in a decoded JSON value is valid Unicode. */
function wellFormed(value: unknown): boolean {
  if (typeof value === "string") return !LONE_SURROGATE.test(value);
  if (Array.isArray(value)) return value.every(wellFormed);
  if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) if (LONE_SURROGATE.test(k) || !wellFormed(v)) return false;
  }
  return true;
}

/** Whether every `%XX` sequence of a form body decodes to UTF-8. */
function formIsUtf8(text: string): boolean {
  try {
    for (const part of text.split("&")) decodeURIComponent(part.replace(/\+/g, " "));
    return true;
  } catch {
    return false;
  }
}

/**
 * The body's fields. Malformed JSON, JSON that is not an object, or a body that is not UTF-8
 * (raw bytes, an unpaired `\ud800` escape, `%FF` in a form) → DomainError("malformed_body"),
 * 400 (a decision: json_decode refuses them; MySQL's utf8mb4 would too); a body in another
 * media type → 415 (a decision).
 */
export function readInput(c: SimContext): Input {
  const text = rawBody(c);
  if (text === "") return {};
  const type = mediaType(c.req.header("content-type"));
  // Laravel's isJson(): the type contains "/json" or "+json" (decision: no type is read as JSON)
  const json = type === null || type.includes("/json") || type.includes("+json");
  if ((json || type === "application/x-www-form-urlencoded") && !bodyIsUtf8(c)) throw new DomainError("malformed_body");
  if (json) {
    const body = parseJsonText(text, PHP_JSON_DEPTH);
    if (body.kind === "malformed") throw new DomainError("malformed_body");
    if (body.kind === "empty") return {};
    const value = body.value;
    if (value === null || typeof value !== "object" || Array.isArray(value) || !wellFormed(value)) throw new DomainError("malformed_body");
    return cleanInput(value) as Input;
  }
  if (type === "application/x-www-form-urlencoded") {
    if (!formIsUtf8(text)) throw new DomainError("malformed_body");
    return phpInput(new URLSearchParams(text)) as Input;
  }
  throw new DomainError("unsupported_media_type");
}

/**
 * Name/value pairs (a form body or a query string) as Laravel's input: PHP's parse_str makes
 * `name[]` and `name[x]` an array (kept as a list here); then cleaned as every input is.
 */
export function phpInput(pairs: Iterable<[string, string]>): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const [key, value] of pairs) {
    const bracket = key.indexOf("[");
    if (bracket > 0) {
      const name = key.slice(0, bracket);
      const list = input[name];
      if (Array.isArray(list)) list.push(value);
      else input[name] = [value];
    } else input[key] = value;
  }
  return cleanInput(input) as Record<string, unknown>;
}
