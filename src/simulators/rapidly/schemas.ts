// Zod: the single source of Rapidly's request validation, TypeScript types and OpenAPI.
// Every schema is built on its first use (`lazy`), not at start-up: read as
// `customerCreateSchema()`. Where Pydantic's behaviour has no zod
// equivalent (EmailStr, the metadata dict/union, Address's model validator) a transform adds
// a custom issue carrying the exact Pydantic item in `params.py`; `toIssues` maps everything
// else (zod's own issue codes) onto Pydantic's types and messages.
import * as z from "zod";
import type { InputIssue } from "../../core/domain-errors.js";
import { lazy, lazyShape } from "../../core/lazy.js";
import { pyStrip } from "../../core/pystr.js";
import { ISO_COUNTRIES } from "../../fixtures/countries.js";
import { CA_SUBDIVISION_SET, US_STATE_SET } from "../../fixtures/subdivisions.js";
import { validateEmail } from "./email.js";
import type { Address, CustomerType, Metadata, MetadataValue } from "./model.js";

/** The Pydantic item a custom issue stands for; `input` omitted = the value at the issue's path. */
export interface PyParams {
  type: string;
  msg: string;
  input?: unknown;
  ctx?: Record<string, unknown>;
}

export type Ctx = z.core.$RefinementCtx<unknown>;

export function pyIssue(ctx: Ctx, py: PyParams, path?: (string | number)[]): void {
  ctx.addIssue({ code: "custom", message: py.msg, params: { py }, ...(path ? { path } : {}) });
}

/** Python's len(): code points, not UTF-16 units. */
export function pyLen(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

export function quoteList(values: readonly string[]): string {
  const quoted = values.map((v) => `'${v}'`);
  return quoted.length > 1 ? `${quoted.slice(0, -1).join(", ")} or ${quoted[quoted.length - 1]}` : quoted.join("");
}

// ---------------------------------------------------------------------------------------------
// Fields

// Sanctioned countries Polar refuses (spec: rapidly.md#schema-validation)
const EXCLUDED_COUNTRIES = new Set(["CU", "IR", "KP", "SY", "RU"]);
export const COUNTRY_CODES: readonly string[] = ISO_COUNTRIES.filter((c) => !EXCLUDED_COUNTRIES.has(c));
const COUNTRY_SET: ReadonlySet<string> = new Set(COUNTRY_CODES);
const COUNTRY_EXPECTED = quoteList(COUNTRY_CODES);

export const CUSTOMER_TYPES = ["individual", "team"] as const;
const TYPE_EXPECTED = quoteList(CUSTOMER_TYPES);

function emailTransform(value: string, ctx: Ctx): string {
  const result = validateEmail(value);
  if (result.ok) return result.normalized;
  pyIssue(ctx, {
    type: "value_error",
    msg: `value is not a valid email address: ${result.reason}`,
    input: value,
    ctx: { reason: result.reason },
  });
  return z.NEVER;
}

/** EmailStr: a string, validated and normalised (domain lower-cased). */
const emailField = lazy(() => z.string().transform(emailTransform).meta({ format: "email" }));

/** CustomerNameInput: stripped, at most 256 characters; "" is stored as null. */
const nameField = lazy(() =>
  z
    .string()
    .nullable()
    .transform((value, ctx): string | null => {
      if (value === null) return null;
      const stripped = value.trim();
      if (pyLen(stripped) > 256) {
        pyIssue(ctx, { type: "string_too_long", msg: "String should have at most 256 characters", input: value, ctx: { max_length: 256 } });
        return z.NEVER;
      }
      return stripped === "" ? null : stripped;
    })
    .meta({ description: "The name of the customer.", maxLength: 256 }),
);

const METADATA_MAX_ITEMS = 50;
const METADATA_KEY_MAX = 40;
const METADATA_VALUE_MAX = 500;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Pydantic's smart union `str(1..500) | int | float | bool` in lax mode: when no member
 * matches, one item per member, each at its tag.
 */
function metadataValueIssues(value: unknown): [string, PyParams][] {
  if (typeof value === "boolean") return [];
  if (typeof value === "number") {
    if (Number.isFinite(value)) return [];
    // decision: ±inf (e.g. 1e400) is refused; Postgres JSONB cannot store it
    return [
      ["constrained-str", { type: "string_type", msg: "Input should be a valid string" }],
      ["int", { type: "finite_number", msg: "Input should be a finite number" }],
      ["float", { type: "finite_number", msg: "Input should be a finite number" }],
      ["bool", { type: "bool_type", msg: "Input should be a valid boolean" }],
    ];
  }
  if (typeof value === "string") {
    const length = pyLen(value);
    if (length >= 1 && length <= METADATA_VALUE_MAX) return [];
    const str: PyParams = length < 1
      ? { type: "string_too_short", msg: "String should have at least 1 character", ctx: { min_length: 1 } }
      : { type: "string_too_long", msg: `String should have at most ${METADATA_VALUE_MAX} characters`, ctx: { max_length: METADATA_VALUE_MAX } };
    return [
      ["constrained-str", str],
      ["int", { type: "int_parsing", msg: "Input should be a valid integer, unable to parse string as an integer" }],
      ["float", { type: "float_parsing", msg: "Input should be a valid number, unable to parse string as a number" }],
      ["bool", { type: "bool_parsing", msg: "Input should be a valid boolean, unable to interpret input" }],
    ];
  }
  return [
    ["constrained-str", { type: "string_type", msg: "Input should be a valid string" }],
    ["int", { type: "int_type", msg: "Input should be a valid integer" }],
    ["float", { type: "float_type", msg: "Input should be a valid number" }],
    ["bool", { type: "bool_type", msg: "Input should be a valid boolean" }],
  ];
}

/** For the OpenAPI document only: what the metadata transform accepts. */
export const metadataValueSchema = lazy(() =>
  z.union([
    z.string().min(1).max(METADATA_VALUE_MAX),
    z.int(),
    z.number(),
    z.boolean(),
  ]),
);

/**
 * `dict[str(1..40), MetadataValue]` with at most 50 items. Keys are copied with
 * Object.fromEntries, so `__proto__` or `constructor` are ordinary keys, as in Python.
 */
const metadataField = lazy(() =>
  z
    .unknown()
    .transform((input, ctx): Metadata => {
      if (!isPlainObject(input)) {
        pyIssue(ctx, { type: "dict_type", msg: "Input should be a valid dictionary", input });
        return z.NEVER;
      }
      const entries: [string, MetadataValue][] = [];
      let failed = false;
      for (const key of Object.keys(input)) {
        const value = input[key];
        const keyLength = pyLen(key);
        if (keyLength < 1) {
          failed = true;
          pyIssue(ctx, { type: "string_too_short", msg: "String should have at least 1 character", input: key, ctx: { min_length: 1 } }, [key, "[key]"]);
        } else if (keyLength > METADATA_KEY_MAX) {
          failed = true;
          pyIssue(ctx, { type: "string_too_long", msg: `String should have at most ${METADATA_KEY_MAX} characters`, input: key, ctx: { max_length: METADATA_KEY_MAX } }, [key, "[key]"]);
        }
        const valueIssues = metadataValueIssues(value);
        for (const [tag, py] of valueIssues) pyIssue(ctx, { ...py, input: value }, [key, tag]);
        if (valueIssues.length) failed = true;
        else entries.push([key, value as MetadataValue]);
      }
      if (failed) return z.NEVER;
      if (entries.length > METADATA_MAX_ITEMS) {
        pyIssue(ctx, {
          type: "too_long",
          msg: `Dictionary should have at most ${METADATA_MAX_ITEMS} items after validation, not ${entries.length}`,
          input,
          ctx: { field_type: "Dictionary", max_length: METADATA_MAX_ITEMS, actual_length: entries.length },
        });
        return z.NEVER;
      }
      return Object.fromEntries(entries);
    })
    .meta({ description: "Custom key-value attributes. Keys: string, max 40 chars. Values: string (max 500 chars), integer, float, or boolean. Limit: 50 pairs." }),
);

/** CountryAlpha2Input: upper-cased, then one of the allowed codes (`enum`). */
const countryField = lazy(() =>
  z.unknown().transform((value, ctx): string => {
    if (value === undefined) {
      pyIssue(ctx, { type: "missing", msg: "Field required" });
      return z.NEVER;
    }
    const upper = typeof value === "string" ? value.toUpperCase() : value;
    if (typeof upper === "string" && COUNTRY_SET.has(upper)) return upper;
    pyIssue(ctx, { type: "enum", msg: `Input should be ${COUNTRY_EXPECTED}`, input: upper, ctx: { expected: COUNTRY_EXPECTED } });
    return z.NEVER;
  }),
);

/**
 * Optional address line, Polar's EmptyStrToNone (kit/schemas.py): stripped, and a blank
 * string becomes null (spec: rapidly.md#schema-validation).
 */
const addressLine = lazy(() =>
  z
    .string()
    .nullable()
    .optional()
    .transform((v) => {
      if (v == null) return null;
      const stripped = pyStrip(v);
      return stripped === "" ? null : stripped;
    }),
);

/** AddressInput, with Polar's model validator (US/CA state prefixing and checking). */
const addressField = lazy(() => {
  const addressInputObject = z.object({
    line1: addressLine(),
    line2: addressLine(),
    postal_code: addressLine(),
    city: addressLine(),
    state: addressLine(),
    country: countryField(),
  });
  return addressInputObject
    .transform((a, ctx): Address => {
      let state = a.state;
      if ((a.country === "US" || a.country === "CA") && state !== null && !state.startsWith(`${a.country}-`)) {
        state = `${a.country}-${state}`;
      }
      // spec: rapidly.md#schema-validation — a model validator: the item sits at the address itself
      if (a.country === "US" && state !== null && !US_STATE_SET.has(state)) {
        pyIssue(ctx, { type: "value_error", msg: "Value error, Invalid US state", ctx: { error: {} } });
        return z.NEVER;
      }
      if (a.country === "CA" && state !== null && !CA_SUBDIVISION_SET.has(state)) {
        pyIssue(ctx, { type: "value_error", msg: "Value error, Invalid CA subdivision", ctx: { error: {} } });
        return z.NEVER;
      }
      return { line1: a.line1, line2: a.line2, postal_code: a.postal_code, city: a.city, state, country: a.country };
    })
    .meta({ description: "A postal address with optional subdivision (state/province) validation." });
});

const typeField = lazy(() => z.enum(CUSTOMER_TYPES));
const externalIdField = lazy(() => z.string().meta({ description: "The ID of the customer in your system. This must be unique within the workspace. Once set, it can't be updated." }));

// ---------------------------------------------------------------------------------------------
// Request bodies (Polar's field order, which is the order of the items in a 422)

const updateBaseShape = lazy(() => ({
  metadata: metadataField().optional(),
  email: emailField().nullable().optional(),
  name: nameField().optional(),
  billing_address: addressField().nullable().optional(),
}));

/** PATCH /api/customers/{id} */
export const customerUpdateSchema = lazy(() =>
  z.object({
    ...updateBaseShape(),
    external_id: externalIdField().nullable().optional(),
    type: typeField().nullable().optional(),
  }),
);

/** PATCH /api/customers/external/{external_id}: no external_id, no type (ignored if sent). */
export const customerUpdateExternalSchema = lazy(() => z.object(updateBaseShape()));

export const ownerCreateSchema = lazy(() =>
  z.object({
    email: emailField().nullable().optional(),
    name: nameField().optional(),
    external_id: z.string().nullable().optional(),
  }),
);

/** POST /api/customers/: its fields' builders. */
const customerCreateFields = {
  metadata: () => metadataField().optional(),
  external_id: () => externalIdField().nullable().optional(),
  email: () => emailField(),
  name: () => nameField().optional(),
  billing_address: () => addressField().nullable().optional(),
  type: () => typeField().nullable().optional(),
  owner: () => ownerCreateSchema().nullable().optional(),
};
const customerCreateShape = lazyShape(customerCreateFields);
/** POST /api/customers/ */
export const customerCreateSchema = lazy(() => z.object(customerCreateShape()));
/** The fields a create (and a provider state) takes. */
export const CUSTOMER_CREATE_FIELDS: readonly string[] = Object.keys(customerCreateFields);

export type CustomerUpdateInput = z.output<ReturnType<typeof customerUpdateSchema>>;
export type CustomerUpdateExternalInput = z.output<ReturnType<typeof customerUpdateExternalSchema>>;
export type CustomerCreateInput = z.output<ReturnType<typeof customerCreateSchema>>;
export type { CustomerType };

// ---------------------------------------------------------------------------------------------
// List query

export const SORT_FIELDS = ["created_at", "email", "name"] as const;
export type SortField = (typeof SORT_FIELDS)[number];
export const SORT_VALUES: readonly string[] = SORT_FIELDS.flatMap((f) => [f, `-${f}`]);
const SORT_EXPECTED = quoteList(SORT_VALUES);

/** An integer query parameter > 0, parsed from its text as Pydantic's lax mode does. */
export const positiveIntParam = lazy(() =>
  z.string().transform((text, ctx): number => {
    const t = text.trim();
    const m = /^[+-]?(?:\d+(?:_\d+)*)(?:\.0+)?$/.exec(t);
    if (!m) {
      pyIssue(ctx, { type: "int_parsing", msg: "Input should be a valid integer, unable to parse string as an integer", input: text });
      return z.NEVER;
    }
    const n = Number(t.replace(/_/g, "").replace(/\.0+$/, ""));
    if (!(n > 0)) {
      // Pydantic reports the query string as sent, not the parsed number
      pyIssue(ctx, { type: "greater_than", msg: "Input should be greater than 0", input: text, ctx: { gt: 0 } });
      return z.NEVER;
    }
    return n;
  }),
);

const sortingParam = lazy(() =>
  z.string().transform((value, ctx) => {
    if (SORT_VALUES.includes(value)) return { field: value.replace(/^-/, "") as SortField, desc: value.startsWith("-") };
    pyIssue(ctx, { type: "enum", msg: `Input should be ${SORT_EXPECTED}`, input: value, ctx: { expected: SORT_EXPECTED } });
    return z.NEVER;
  }),
);

export const listQuerySchema = lazy(() =>
  z.object({
    page: positiveIntParam().optional(),
    limit: positiveIntParam().optional(),
    sorting: z.array(sortingParam()).optional(),
    email: z.string().optional(),
    query: z.string().optional(),
  }),
);


// ---------------------------------------------------------------------------------------------
// Zod issues → Pydantic items

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const key of path) {
    if (v === null || typeof v !== "object") return undefined;
    if (!Object.hasOwn(v, key)) return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

const TYPE_ERRORS: Record<string, [string, string]> = {
  string: ["string_type", "Input should be a valid string"],
  boolean: ["bool_type", "Input should be a valid boolean"],
  int: ["int_type", "Input should be a valid integer"],
  number: ["float_type", "Input should be a valid number"],
  array: ["list_type", "Input should be a valid list"],
  record: ["dict_type", "Input should be a valid dictionary"],
  // FastAPI validates bodies with from_attributes=True: models refuse non-dicts this way
  object: ["model_attributes_type", "Input should be a valid dictionary or object to extract fields from"],
};

/**
 * Maps zod issues to Pydantic items under `prefix` (["body"], ["query"]). `root` is the
 * validated input, for the `input` of items that point at a value rather than carry one.
 * One item per location (Pydantic stops at a field's first failure).
 */
export function toIssues(issues: readonly z.core.$ZodIssue[], root: unknown, prefix: (string | number)[]): InputIssue[] {
  const out: InputIssue[] = [];
  const seen = new Set<string>();
  for (const iss of issues) {
    const path = iss.path.map((p) => (typeof p === "symbol" ? String(p) : p));
    const loc = [...prefix, ...path];
    const key = JSON.stringify(loc);
    if (seen.has(key)) continue;
    seen.add(key);
    const here = valueAt(root, path);
    const parent = valueAt(root, path.slice(0, -1));
    const py = iss.code === "custom" ? (iss.params?.py as PyParams | undefined) : undefined;
    if (py) {
      const input = py.type === "missing" ? parent : "input" in py ? py.input : here;
      out.push({ type: py.type, loc, message: py.msg, input, ...(py.ctx ? { ctx: py.ctx } : {}) });
      continue;
    }
    switch (iss.code) {
      case "invalid_type": {
        if (here === undefined) {
          out.push({ type: "missing", loc, message: "Field required", input: path.length ? parent : null });
          break;
        }
        const [type, message] = TYPE_ERRORS[iss.expected] ?? ["value_error", "Value error, invalid input"];
        out.push({ type, loc, message, input: here });
        break;
      }
      case "invalid_value": {
        if (here === undefined) {
          out.push({ type: "missing", loc, message: "Field required", input: path.length ? parent : null });
          break;
        }
        const expected = quoteList(iss.values.map(String));
        out.push({ type: "enum", loc, message: `Input should be ${expected}`, input: here, ctx: { expected } });
        break;
      }
      case "too_big":
        if (iss.origin === "string") {
          const max = Number(iss.maximum);
          out.push({ type: "string_too_long", loc, message: `String should have at most ${max} character${max === 1 ? "" : "s"}`, input: here, ctx: { max_length: max } });
        } else {
          out.push({ type: "less_than_equal", loc, message: `Input should be less than or equal to ${iss.maximum}`, input: here, ctx: { le: iss.maximum } });
        }
        break;
      case "too_small":
        if (iss.origin === "string") {
          const min = Number(iss.minimum);
          out.push({ type: "string_too_short", loc, message: `String should have at least ${min} character${min === 1 ? "" : "s"}`, input: here, ctx: { min_length: min } });
        } else {
          out.push({ type: "greater_than_equal", loc, message: `Input should be greater than or equal to ${iss.minimum}`, input: here, ctx: { ge: iss.minimum } });
        }
        break;
      default:
        out.push({ type: "value_error", loc, message: `Value error, ${iss.message}`, input: here, ctx: { error: {} } });
    }
  }
  return out;
}

/** Parses `value` with `schema`; Pydantic items under `prefix` on failure. */
export function validate<S extends z.ZodType>(
  schema: S,
  value: unknown,
  prefix: (string | number)[],
): { ok: true; data: z.output<S> } | { ok: false; issues: InputIssue[] } {
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, data: result.data };
  return { ok: false, issues: toIssues(result.error.issues, value, prefix) };
}

// ---------------------------------------------------------------------------------------------
// Responses (documentation only: the routes serialize rows directly)

export const timestamp = lazy(() => z.iso.datetime({ offset: false }));
/** The fields every Polar resource starts with (its IDSchema and TimestampedSchema). */
export const recordFields = () => ({ id: z.uuid(), created_at: timestamp(), modified_at: timestamp().nullable() });
/** A list page's `pagination` (ListResource). */
export const paginationSchema = lazy(() => z.object({ total_count: z.int(), max_page: z.int() }));
export const addressSchema = lazy(() =>
  z.object({
    line1: z.string().nullable(),
    line2: z.string().nullable(),
    postal_code: z.string().nullable(),
    city: z.string().nullable(),
    state: z.string().nullable(),
    country: z.enum(COUNTRY_CODES as [string, ...string[]]),
  }),
);
export const memberSchema = lazy(() =>
  z.object({
    ...recordFields(),
    customer_id: z.uuid(),
    email: z.string(),
    name: z.string().nullable(),
    external_id: z.string().nullable(),
    role: z.enum(["owner", "billing_manager", "member"]),
  }),
);
export const customerSchema = lazy(() =>
  z.object({
    id: z.uuid().meta({ description: "The ID of the customer." }),
    created_at: timestamp().meta({ description: "Creation timestamp of the object." }),
    modified_at: timestamp().nullable().meta({ description: "Last modification timestamp of the object." }),
    metadata: z.record(z.string(), metadataValueSchema()),
    external_id: z.string().nullable(),
    email: z.string(),
    email_verified: z.boolean(),
    name: z.string().nullable(),
    billing_address: addressSchema().nullable(),
    workspace_id: z.uuid(),
    deleted_at: timestamp().nullable(),
    avatar_url: z.string().nullable(),
    type: z.enum(CUSTOMER_TYPES).nullable(),
    members: z.array(memberSchema()),
  }),
);
export const customerListSchema = lazy(() =>
  z.object({
    items: z.array(customerSchema()),
    pagination: paginationSchema(),
  }),
);
export const pydanticItemSchema = lazy(() =>
  z.object({
    type: z.string(),
    loc: z.array(z.union([z.string(), z.int()])),
    msg: z.string(),
    input: z.unknown(),
    ctx: z.record(z.string(), z.unknown()).optional(),
  }),
);
export const validationErrorSchema = lazy(() => z.object({ error: z.string(), detail: z.array(pydanticItemSchema()) }));
export const errorSchema = lazy(() => z.object({ error: z.string(), detail: z.string().optional(), error_description: z.string().optional() }));
