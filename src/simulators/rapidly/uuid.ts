// Pydantic's UUID4 path validation: pydantic-core parses with Rust's `uuid` crate and reports
// the crate's error text ("invalid character: found `x` at 1"), then checks the version.
import type { InputIssue } from "../../core/domain-errors.js";

const HEX = /^[0-9a-fA-F]$/;
const BLOCK_STARTS = [0, 9, 14, 19, 24] as const;
const GROUP_LENGTHS = [8, 4, 4, 4, 12] as const;

/** the last input found canonical */
let lastCanonical = "";

/**
 * The canonical form — lower-case hex, hyphenated — in which ids are stored and sent, so what
 * clients send back: checked by character code, nothing allocated.
 */
function isCanonical(input: string): boolean {
  // the last one found canonical: a route checks its path id, then looks it up (the same string)
  if (input === lastCanonical) return true;
  if (input.length !== 36) return false;
  for (let i = 0; i < 36; i++) {
    const code = input.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (code !== 45) return false; // -
    } else if (!((code >= 48 && code <= 57) || (code >= 97 && code <= 102))) return false; // 0-9 a-f
  }
  lastCanonical = input;
  return true;
}

/** Accepted forms: hyphenated, simple (32 hex), `{...}` braced, `urn:uuid:` prefixed. */
function parseUuid(input: string): string | null {
  let body: string | null = null;
  if (input.length === 32) body = input;
  else if (input.length === 36) body = input;
  else if (input.length === 38 && input.startsWith("{") && input.endsWith("}")) body = input.slice(1, -1);
  else if (input.length === 45 && input.startsWith("urn:uuid:")) body = input.slice(9);
  if (body === null) return null;
  if (body.length === 32) return /^[0-9a-fA-F]{32}$/.test(body) ? body.toLowerCase() : null;
  if (!/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(body)) return null;
  return body.replace(/-/g, "").toLowerCase();
}

/**
 * The `uuid` crate's `InvalidUuid::into_err` description of why `input` is not a UUID, as
 * pydantic-core 2.46 (Pydantic 2.13, what Polar runs) reports it. Checked against Pydantic:
 * an input of exactly the braced (38 bytes) or URN (45 bytes) length is reported as its inner
 * 36 characters (no offset); the last group's length is counted from the whole input.
 */
function uuidErrorText(input: string, wrapped = true): string {
  const totalLen = Buffer.byteLength(input, "utf8");
  if (wrapped && totalLen === 38 && input.startsWith("{") && input.endsWith("}")) return uuidErrorText(input.slice(1, -1), false);
  if (wrapped && totalLen === 45 && input.startsWith("urn:uuid:")) return uuidErrorText(input.slice(9), false);
  let s = input;
  let offset = 0;
  let simple = true;
  if (wrapped && s.length >= 2 && s.startsWith("{") && s.endsWith("}")) { s = s.slice(1, -1); offset = 1; simple = false; }
  else if (wrapped && s.startsWith("urn:uuid:")) { s = s.slice(9); offset = 9; simple = false; }
  let hyphens = 0;
  const bounds = [0, 0, 0, 0];
  // byte indices, as Rust counts them
  let byteIndex = 0;
  for (const ch of s) {
    const width = Buffer.byteLength(ch, "utf8");
    if (width > 1 || (ch !== "-" && !HEX.test(ch))) {
      return `invalid character: found \`${ch}\` at ${byteIndex + offset + 1}`;
    }
    if (ch === "-") {
      if (hyphens < 4) bounds[hyphens] = byteIndex;
      hyphens++;
    }
    byteIndex += width;
  }
  if (hyphens === 0 && simple) return `invalid length: expected length 32 for simple format, found ${totalLen}`;
  if (hyphens !== 4) return `invalid group count: expected 5, found ${hyphens + 1}`;
  for (let i = 0; i < 4; i++) {
    if (bounds[i] !== BLOCK_STARTS[i + 1]! - 1) {
      return `invalid group length in group ${i}: expected ${GROUP_LENGTHS[i]}, found ${bounds[i]! - BLOCK_STARTS[i]!}`;
    }
  }
  return `invalid group length in group 4: expected 12, found ${totalLen - BLOCK_STARTS[4]}`;
}

/** null when `value` is a UUID of version 4; else the Pydantic issue at `loc`. */
export function uuid4Issue(value: string, loc: (string | number)[]): InputIssue | null {
  // canonical, version 4, RFC 4122 variant: the common case, answered without parsing
  if (isCanonical(value) && value.charCodeAt(14) === 52 && "89ab".includes(value[19]!)) return null;
  const hex = parseUuid(value);
  if (hex === null) {
    const error = uuidErrorText(value);
    return { type: "uuid_parsing", loc, message: `Input should be a valid UUID, ${error}`, input: value, ctx: { error } };
  }
  const version = parseInt(hex[12]!, 16);
  // Python's UUID.version is None unless the variant is RFC 4122 (8, 9, a or b): Pydantic then
  // answers uuid_version too (checked against Pydantic 2.13)
  const rfc4122 = "89ab".includes(hex[16]!);
  if (version !== 4 || !rfc4122) {
    return { type: "uuid_version", loc, message: "UUID version 4 expected", input: value, ctx: { expected_version: 4 } };
  }
  return null;
}

/** Canonical lower-case hyphenated form (ids are stored that way). */
export function canonicalUuid(value: string): string {
  if (isCanonical(value)) return value;
  const hex = parseUuid(value)!;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
