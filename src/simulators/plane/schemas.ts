// Zod: the single source of Plane's request validation, types and OpenAPI document. Messages
// are DRF's own (spec: plane.md#validation-and-rules); request.ts applies DRF's input coercions
// (numbers to strings for char fields, trimming, "12" to 12) before these run. Every schema is
// built on its first use (`lazy`), not at start-up: read as `customerWriteSchema()`.
import * as z from "zod";
import { lazy, lazyShape } from "../../core/lazy.js";

const NOT_NULL = "This field may not be null.";
const REQUIRED = "This field is required.";
const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

/** request.ts's mark for an integer string over DRF IntegerField's MAX_STRING_LENGTH (1000). */
export const TOO_LONG = Symbol("String value too large.");

const maxChars = (n: number) => `Ensure this field has no more than ${n} characters.`;

/** The first lone UTF-16 surrogate of a string (Python sees it as a surrogate code point), or -1. */
function loneSurrogate(v: string): number {
  const m = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.exec(v);
  return m ? m[0].charCodeAt(0) : -1;
}

/**
 * DRF CharField's own validators, after its max length: ProhibitNullCharactersValidator and
 * ProhibitSurrogateCharactersValidator (spec: plane.md#validation-and-rules — Postgres text
 * holds neither).
 */
function textChecks<T extends z.ZodString>(schema: T): T {
  return schema
    .refine((v) => !v.includes("\u0000"), "Null characters are not allowed.")
    .refine((v) => loneSurrogate(v) === -1, {
      error: (iss) => `Surrogate characters are not allowed: U+${loneSurrogate(String(iss.input)).toString(16).toUpperCase()}.`,
    }) as T;
}

/** A DRF CharField: a string, at most `max` characters (no limit when `max` is undefined). */
function stringField(max?: number) {
  const base = z.string({ error: (iss) => (iss.input === null ? NOT_NULL : iss.input === undefined ? REQUIRED : "Not a valid string.") });
  return textChecks(max === undefined ? base : base.max(max, maxChars(max)));
}

/** A nullable, blank-allowed CharField (`null=True, blank=True` on the model). */
const charField = (max: number) => stringField(max).nullable();

// Django's EmailValidator, simplified: a dot-atom or quoted local part, a domain with a dot (or localhost)
const EMAIL_RE = /^(?:[-!#$%&'*+/=?^_`{}|~0-9A-Za-z]+(?:\.[-!#$%&'*+/=?^_`{}|~0-9A-Za-z]+)*|"(?:[\x01-\x08\x0b\x0c\x0e-\x1f!#-\[\]-\x7f]|\\[\x01-\x09\x0b\x0c\x0e-\x7f])*")@(?:(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z0-9-]{2,63}|localhost|\[[0-9a-fA-F:.]+\])$/;
// Django's URLValidator, simplified: http(s)/ftp(s), a host with a TLD, localhost or an IP, an optional port
const URL_RE = /^(?:https?|ftps?):\/\/(?:[^\s:@/]+(?::[^\s:@/]*)?@)?(?:(?:[A-Za-z0-9\u00a1-\uffff](?:[A-Za-z0-9\u00a1-\uffff-]{0,61}[A-Za-z0-9\u00a1-\uffff])?\.)+[A-Za-z\u00a1-\uffff-]{2,63}\.?|localhost|\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-fA-F:.]+\])(?::\d{1,5})?(?:[/?#][^\s]*)?$/i;
// django.utils.dateparse.datetime_re (DRF's DateTimeField input)
export const DATETIME_RE = /^(\d{4})-(\d{1,2})-(\d{1,2})[T ](\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:[.,](\d{1,6})\d*)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/;
export const UUID_RE = /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/;
/** Django's `<uuid:pk>` path converter: lower-case, hyphenated. */
export const PATH_UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

const DATETIME_FORMAT = "Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].";

/** A primary key (UUID) of a related row: Django's UUID message for a malformed one. */
const pkField = lazy(() =>
  z
    .string({ error: (iss) => (iss.input === null ? NOT_NULL : `Incorrect type. Expected pk value, received ${pyType(iss.input)}.`) })
    .refine((v) => UUID_RE.test(v), { error: (iss) => `\u201c${String(iss.input)}\u201d is not a valid UUID.` })
    .meta({ format: "uuid" })
    .nullable(),
);

/** Any JSON value (a Django JSONField with `null=True`). */
const jsonField = lazy(() => z.json().nullable());
/** A Django JSONField without `null=True` (`logo_props`: NOT NULL, default `{}`): null is refused. */
const requiredJsonField = lazy(() => z.json().refine((v) => v !== null, NOT_NULL));

export function pyType(v: unknown): string {
  if (v === null) return "NoneType";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "number") return Number.isInteger(v) ? "int" : "float";
  if (typeof v === "string") return "str";
  return Array.isArray(v) ? "list" : "dict";
}

/**
 * The writable fields of a customer, in the model's order (the order of a 400's keys). Every
 * key optional: POST's `name` requirement depends on the upsert match (rules.ts). Their builders.
 */
const writeFields = {
  name: () => stringField(255).min(1, "This field may not be blank.").optional().meta({ description: "Name (required on create, unique among the workspace's customers)." }),
  description: () => jsonField().optional().meta({ description: "Description (any JSON)." }),
  description_html: () => stringField().nullable().optional(),
  // Django's EmailField: max_length 254 unless told otherwise
  email: () =>
    charField(254)
      .refine((v) => v === null || v === "" || EMAIL_RE.test(v), "Enter a valid email address.")
      .optional()
      .meta({ format: "email" }),
  website_url: () =>
    charField(200)
      .refine((v) => v === null || v === "" || URL_RE.test(v), "Enter a valid URL.")
      .optional()
      .meta({ format: "uri" }),
  logo_props: () => requiredJsonField().optional().meta({ description: "Logo props (an object; not null)." }),
  domain: () => charField(255).optional(),
  employees: () =>
    z
      .int({ error: (iss) => (iss.input === null ? NOT_NULL : iss.input === TOO_LONG ? "String value too large." : "A valid integer is required.") })
      .min(INT_MIN, `Ensure this value is greater than or equal to ${INT_MIN}.`)
      .max(INT_MAX, `Ensure this value is less than or equal to ${INT_MAX}.`)
      .nullable()
      .optional(),
  stage: () => charField(255).optional(),
  contract_status: () => charField(255).optional(),
  // spec: plane.md#the-customer-object — revenue is a string with no max length (a CharField without max_length)
  revenue: () => stringField().nullable().optional(),
  archived_at: () =>
    z
      .string({ error: () => DATETIME_FORMAT })
      .regex(DATETIME_RE, DATETIME_FORMAT)
      .nullable()
      .optional()
      .meta({ format: "date-time" }),
  external_source: () => charField(255).optional(),
  external_id: () => charField(255).optional(),
  created_by: () => pkField().optional().meta({ description: "A user of the workspace." }),
  logo_asset: () => pkField().optional(),
};
const writeShape = lazyShape(writeFields);
export const customerWriteSchema = lazy(() => z.object(writeShape()));

export type CustomerWriteInput = z.output<ReturnType<typeof customerWriteSchema>>;
export type CustomerField = keyof CustomerWriteInput;
export const WRITE_FIELDS = Object.keys(writeFields) as CustomerField[];

// ---------------------------------------------------------------------------------------------
// Responses (documentation, and what the tests check live responses against)

export const customerSchema = lazy(() => {
  const timestamp = z.string().meta({ format: "date-time", examples: ["2024-01-01T00:00:00.123456Z"] });
  return z.object({
    id: z.uuid(),
    customer_request_count: z.int(),
    logo_url: z.string().nullable(),
    created_at: timestamp,
    updated_at: timestamp,
    deleted_at: timestamp.nullable(),
    name: z.string(),
    description: z.json().nullable(),
    description_html: z.string().nullable(),
    description_stripped: z.string().nullable(),
    description_binary: z.null(),
    email: z.string().nullable(),
    website_url: z.string().nullable(),
    logo_props: z.json().nullable(),
    domain: z.string().nullable(),
    employees: z.int().nullable(),
    stage: z.string().nullable(),
    contract_status: z.string().nullable(),
    revenue: z.string().nullable(),
    archived_at: timestamp.nullable(),
    external_source: z.string().nullable(),
    external_id: z.string().nullable(),
    created_by: z.uuid().nullable(),
    updated_by: z.uuid().nullable(),
    workspace: z.uuid(),
    logo_asset: z.uuid().nullable(),
  });
});

export const customerPageSchema = lazy(() =>
  z.object({
    grouped_by: z.null(),
    sub_grouped_by: z.null(),
    total_count: z.int(),
    next_cursor: z.string(),
    prev_cursor: z.string(),
    next_page_results: z.boolean(),
    prev_page_results: z.boolean(),
    count: z.int(),
    total_pages: z.int(),
    total_results: z.int(),
    extra_stats: z.null(),
    results: z.array(customerSchema()),
  }),
);

export const fieldErrorsSchema = lazy(() => z.record(z.string(), z.array(z.string())).meta({ description: "DRF field errors: every failing field with its messages." }));
export const detailErrorSchema = lazy(() => z.object({ detail: z.string() }));
/**
 * A 400 on a write: DRF's field errors, or DRF's ParseError for a body that is not JSON or is
 * nested too deeply (spec: plane.md#validation-and-rules). Exactly one of the two shapes.
 */
export const badRequestSchema = lazy(() => z.xor([fieldErrorsSchema(), detailErrorSchema()]).meta({ description: "DRF field errors, or a JSON parse error: `{\"detail\": \"JSON parse error - <reason>\"}`." }));
export const errorSchema = lazy(() => z.object({ error: z.string() }));
export const rateLimitErrorSchema = lazy(() => z.object({ error_code: z.literal(5900), error_message: z.literal("RATE_LIMIT_EXCEEDED") }));
