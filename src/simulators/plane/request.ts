// The request as DRF reads it: the body is parsed lazily, after authentication and permissions
// (spec: plane.md#validation-and-rules); field values are coerced as DRF's fields do before the
// zod schema checks them, and every failing field is reported at once.
import { bodyIsUtf8, mediaType, parseJsonText, rawBody, rawBodyBytes } from "../../core/body.js";
import { pyStrip } from "../../core/pystr.js";
import { pythonUtf8Decode } from "../../core/pyutf8.js";
import { DomainError, type InputIssue } from "../../core/domain-errors.js";
import type { SimContext } from "../../core/simulator.js";
import { customerWriteSchema, pyType, TOO_LONG, WRITE_FIELDS, type CustomerWriteInput } from "./schemas.js";

/**
 * DRF's request.data for a JSON API: no Content-Type (or no body) → `{}`; JSON → the parsed
 * value; a syntax error → ParseError "JSON parse error - <CPython's message>"; another media
 * type → 415 (decision: Plane's form and multipart parsers are not simulated).
 */
export function readData(c: SimContext): unknown {
  const text = rawBody(c);
  const type = mediaType(c.req.header("content-type"));
  if (type === null || text === "") return {};
  if (type !== "application/json" && !(type.startsWith("application/") && type.endsWith("+json"))) {
    throw new DomainError("unsupported_media_type", { mediaType: c.req.header("content-type")!.split(";")[0]!.trim() });
  }
  let source = text;
  if (!bodyIsUtf8(c)) {
    // DRF reads the body through codecs' utf-8 StreamReader: its UnicodeDecodeError is a ParseError
    const decoded = pythonUtf8Decode(rawBodyBytes(c) ?? new Uint8Array());
    if (!decoded.ok) throw new DomainError("malformed_body", { reason: decoded.message });
    source = decoded.text;
    if (source === "") throw new DomainError("malformed_body", { reason: "Expecting value: line 1 column 1 (char 0)" });
  }
  const body = parseJsonText(source);
  if (body.kind === "empty") return {};
  if (body.kind === "json") return body.value;
  if (body.tooDeep) throw new DomainError("malformed_body", { reason: "maximum recursion depth exceeded while decoding a JSON array from a unicode string" });
  // DRF parses with json.strict_constant: Python's scanner reads NaN and ±Infinity, then refuses them
  const constant = ["NaN", "Infinity", "-Infinity"].find((k) => source.startsWith(k, body.pos));
  if (constant && body.msg === "Expecting value") throw new DomainError("malformed_body", { reason: `Out of range float values are not JSON compliant: '${constant}'` });
  // CPython's str(JSONDecodeError): "<msg>: line L column C (char P)"
  throw new DomainError("malformed_body", { reason: `${body.msg}: line ${body.line} column ${body.column} (char ${body.pos})` });
}

const CHAR_FIELDS = new Set(["name", "description_html", "email", "website_url", "domain", "stage", "contract_status", "revenue", "external_source", "external_id"]);

/** DRF CharField.to_internal_value: numbers become strings, whitespace is trimmed (Python's strip()). */
function coerceChar(v: unknown): unknown {
  // (decision: a JSON 1.0 becomes "1", where Python's str() gives "1.0")
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  return typeof v === "string" ? pyStrip(v) : v;
}

/** Any integer past the 32-bit range as one the schema still reads as an integer: only the range message follows. */
const clampInt = (n: number): number => Math.max(-Number.MAX_SAFE_INTEGER, Math.min(Number.MAX_SAFE_INTEGER, n));

/** DRF IntegerField.MAX_STRING_LENGTH: a longer string is refused before it is parsed. */
const INT_MAX_STRING = 1000;

/**
 * DRF IntegerField: `int(re.sub(r"\.0*\s*$", "", str(data)))` — "12", " 12 ", "1_000", "12.00"
 * and 12.0 are integers; 12.5, "1e3" and true are not; integers of any size are integers
 * (out of range, not invalid). (decision: a whole JSON number written with an exponent, e.g.
 * 1e20, is an integer here; Python's float prints "1e+20", which int() refuses.)
 */
function coerceInt(v: unknown): unknown {
  if (typeof v === "string") {
    if (v.length > INT_MAX_STRING) return TOO_LONG;
    const m = /^\s*([+-]?\d+(?:_\d+)*)(?:\.0*)?\s*$/.exec(v);
    return m ? clampInt(Number(m[1]!.replace(/_/g, ""))) : v;
  }
  if (typeof v === "number" && Number.isInteger(v)) return clampInt(v);
  if (typeof v === "boolean") return "not an int";
  return v;
}


/** The body's fields as the schema sees them (unknown and read-only keys dropped). */
function coerced(data: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of WRITE_FIELDS) {
    if (!Object.hasOwn(data, key)) continue;
    const v = data[key];
    out[key] = CHAR_FIELDS.has(key) ? coerceChar(v) : key === "employees" ? coerceInt(v) : v;
  }
  return out;
}

export interface ParsedWrite {
  /** the fields sent, validated and coerced */
  input: Partial<CustomerWriteInput>;
  /** field errors found so far (rules.ts may add more before throwing them all) */
  issues: InputIssue[];
}

/** Validates a customer body: every field at once, one issue per message. */
export function parseCustomerWrite(data: unknown): ParsedWrite {
  if (data === null) {
    // DRF: the serializer's validate_empty_values fails 'null', which Serializer.errors words so
    const issue = { loc: ["non_field_errors"], type: "null", message: "No data provided" };
    throw invalid([issue]);
  }
  if (typeof data !== "object" || Array.isArray(data)) {
    // DRF Serializer.to_internal_value on a non-dict
    const issue = { loc: ["non_field_errors"], type: "invalid", message: `Invalid data. Expected a dictionary, but got ${pyType(data)}.` };
    throw invalid([issue]);
  }
  const values = coerced(data as Record<string, unknown>);
  const schema = customerWriteSchema();
  const result = schema.safeParse(values);
  if (result.success) return { input: present(result.data, values), issues: [] };
  const issues: InputIssue[] = [];
  const failed = new Set<string>();
  for (const iss of result.error.issues) {
    const field = String(iss.path[0] ?? "non_field_errors");
    failed.add(field);
    if (issues.some((i) => i.loc[0] === field && i.message === iss.message)) continue;
    issues.push({ loc: [field], type: iss.code, message: iss.message });
  }
  // the fields that passed are still known (rules may check them too)
  const input: Record<string, unknown> = {};
  for (const key of Object.keys(values)) {
    if (failed.has(key)) continue;
    const one = schema.shape[key as keyof typeof schema.shape].safeParse(values[key]);
    if (one.success) input[key] = one.data;
  }
  return { input: input as Partial<CustomerWriteInput>, issues };
}

function present<T extends object>(data: T, raw: Record<string, unknown>): Partial<T> {
  const out: Partial<T> = {};
  for (const key of Object.keys(data) as (keyof T)[]) if (Object.hasOwn(raw, key)) out[key] = data[key];
  return out;
}

/** DRF field errors (400), ordered by the serializer's fields. */
export function invalid(issues: InputIssue[]): DomainError {
  const order = (i: InputIssue) => {
    const at = WRITE_FIELDS.indexOf(i.loc[0] as never);
    return at === -1 ? -1 : at;
  };
  return new DomainError("invalid", { issues: [...issues].sort((a, b) => order(a) - order(b)) });
}
