// Zod: the single source of Quentli's request validation, TypeScript types and OpenAPI
// (spec: quentli.md). Quentli's REST layer is a Node server; its validation messages are
// zod 3's ("Required", "Expected string, received number", "Invalid email"), which
// `zodMessage` reproduces over zod 4's issues. Every schema is built on its first use
// (`lazy`), not at start-up: read as `customerCreateSchema()`.
import { isIP } from "node:net";
import * as z from "zod";
import type { InputIssue } from "../../core/domain-errors.js";
import { lazy, lazyShape } from "../../core/lazy.js";

// ---------------------------------------------------------------------------------------------
// Messages

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isNaN(value) ? "nan" : "number";
  return typeof value;
}

const EXPECTED: Record<string, string> = { record: "object", int: "number" };

/** zod 3's default message for an issue (a message set on the schema wins over this). */
function zodMessage(iss: z.core.$ZodRawIssue): string | undefined {
  switch (iss.code) {
    case "invalid_type":
      if (iss.input === undefined) return "Required";
      return `Expected ${EXPECTED[iss.expected] ?? iss.expected}, received ${typeName(iss.input)}`;
    case "invalid_format":
      if (iss.format === "email") return "Invalid email";
      if (iss.format === "datetime") return "Invalid datetime";
      return "Invalid";
    case "too_small":
      if (iss.origin === "string") return `String must contain at least ${iss.minimum} character(s)`;
      if (iss.origin === "array") return `Array must contain at least ${iss.minimum} element(s)`;
      return `Number must be greater than or equal to ${iss.minimum}`;
    case "too_big":
      if (iss.origin === "string") return `String must contain at most ${iss.maximum} character(s)`;
      if (iss.origin === "array") return `Array must contain at most ${iss.maximum} element(s)`;
      return `Number must be less than or equal to ${iss.maximum}`;
    case "invalid_value": {
      const expected = iss.values.map((v) => `'${String(v)}'`).join(" | ");
      // zod 3: a value of another type (a repeated query parameter is an array) names its type
      if (typeof iss.input !== "string") return `Expected ${expected}, received ${typeName(iss.input)}`;
      return `Invalid enum value. Expected ${expected}, received '${iss.input}'`;
    }
    case "unrecognized_keys":
      return `Unrecognized key(s) in object: ${iss.keys.map((k) => `'${k}'`).join(", ")}`;
    case "invalid_union":
      return "Invalid input";
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Fields

// decision: text Postgres can store. A NUL character (Postgres refuses it: the real API would
// fail) or a lone UTF-16 surrogate (not Unicode text) is a 400 at the field's path.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
export const TEXT_MESSAGE = "String must not contain NUL characters or unpaired surrogates";
const isText = (v: string): boolean => !v.includes("\u0000") && !LONE_SURROGATE.test(v);
/** A string field (stored as text): every string of a write goes through this. */
const text = () => z.string().refine(isText, { error: TEXT_MESSAGE });

// spec: quentli.md#patch-rules — E.164: "+" and 8–15 digits, any digits (as the spec words it)
export const E164 = /^\+\d{8,15}$/;
const phoneField = lazy(() => z.string().regex(E164, { error: "Invalid phone number: expected E.164 (+ and 8 to 15 digits)" }).meta({ description: "E.164 phone number, e.g. +525512345678.", example: "+525512345678" }));

// spec: quentli.md#patch-rules — tosIp: an IPv4 or IPv6 address
const ipField = lazy(() => z.string().refine((v) => isIP(v) !== 0, { error: "Invalid IP address" }).meta({ description: "IPv4 or IPv6 address the terms of service were accepted from." }));

/** ISO 8601 date-time (with Z or an offset), stored as Prisma returns it: UTC with milliseconds. */
const dateTimeField = lazy(() =>
  z.iso
    .datetime({ offset: true })
    .transform((v) => new Date(v).toISOString())
    .meta({ format: "date-time" }),
);

// spec: quentli.md#patch-rules — `{key, value}` strings (an empty key is a string too)
const metadataEntrySchema = lazy(() =>
  z.object({
    key: text(),
    value: text(),
  }),
);

// spec: quentli.md#patch-rules — `{key, value}` strings; keys unique. The duplicate check runs
// even when some entries are malformed (`when`), so a 400 lists every failing path.
const metadataField = lazy(() => {
  const uniqueKeys = z.superRefine((entries: unknown[], ctx) => {
    const seen = new Set<string>();
    entries.forEach((e, i) => {
      const key = typeof e === "object" && e !== null ? (e as { key?: unknown }).key : undefined;
      if (typeof key !== "string") return;
      if (seen.has(key)) ctx.addIssue({ code: "custom", message: `Duplicate metadata key '${key}'`, path: [i, "key"] });
      seen.add(key);
    });
  });
  uniqueKeys._zod.def.when = (payload) => Array.isArray(payload.value);
  return z.array(metadataEntrySchema()).check(uniqueKeys);
});

// ---------------------------------------------------------------------------------------------
// Request bodies

/** Every writable field (the documented update example's fields), all optional: their builders. */
const writableFields = {
  name: () => text().trim().min(1),
  email: () => z.email().nullable(),
  phoneNumber: () => phoneField().nullable(),
  password: () => text().min(1).meta({ description: "Write-only: sets hasChangedPassword." }),
  username: () => text().trim().min(1).nullable(),
  tags: () => z.array(text()),
  tosIp: () => ipField().nullable(),
  secondaryPhoneNumber: () => phoneField().nullable(),
  acceptedServiceAgreement: () => z.boolean(),
  skipTaxInvoice: () => z.boolean(),
  signature: () => text().min(1).meta({ description: "Write-only: sets signatureAcceptedAt to now." }),
  assigneeId: () => text().nullable().meta({ description: "A user of the organization (stored, not returned)." }),
  optedOutWhatsappAt: () => dateTimeField().nullable(),
  hasChangedPassword: () => z.boolean(),
  phoneNumberVerified: () => z.boolean(),
  emailVerified: () => z.boolean(),
  replyWithAssistant: () => z.boolean(),
  metadata: () => metadataField(),
  meta: () => z.record(z.string(), z.unknown()).meta({ description: "Accepted and ignored: `meta` is always derived from `metadata`." }),
};
const writableShape = lazyShape(writableFields);

export const customerDataSchema = lazy(() => z.object(writableShape()).partial());

/** POST /v1/customers: `{"input": {...fields}}`, `name` required (decision). */
export const customerCreateSchema = lazy(() =>
  z.object({
    input: customerDataSchema().extend({ name: writableShape().name }),
  }),
);

// spec: quentli.md#patch-rules — otp optional; six digits when present (decision)
const otpField = () => z.string().regex(/^\d{6}$/, { error: "OTP must be 6 digits" });

/** PATCH /v1/customers/{id}: `{"input": {"data": {...}, "otp": "123456"}}`. */
export const customerUpdateSchema = lazy(() =>
  z.object({
    input: z.object({
      data: customerDataSchema(),
      otp: otpField().optional(),
    }),
  }),
);

export type CustomerData = z.output<ReturnType<typeof customerDataSchema>>;
export type CustomerCreateBody = z.output<ReturnType<typeof customerCreateSchema>>;
export type CustomerUpdateBody = z.output<ReturnType<typeof customerUpdateSchema>>;
/** The field names a create (and a provider state) takes. */
export const CUSTOMER_FIELDS: readonly string[] = Object.keys(writableFields);

// ---------------------------------------------------------------------------------------------
// List query (qs-parsed: `filter[name][contains]=john`, `orderBy[createdAt]=desc`)

export const FILTER_FIELDS = ["name", "email", "username", "phoneNumber"] as const;
export const FILTER_OPERATORS = ["equals", "contains"] as const;
export const DIRECTIONS = ["asc", "desc"] as const;
export const ORDER_FIELDS = ["createdAt", "updatedAt", "name", "email", "username"] as const;
export type OrderField = (typeof ORDER_FIELDS)[number];

// spec: quentli.md#list — skip ≥ 0, take 1–100. decision: a query integer is written in decimal
// digits only: `-0`, `+5`, `1.5`, `1e3`, `0x10`, an empty value or a repeated parameter (qs
// makes it an array) is a 400, not what Number() would make of it.
const clip = (v: string): string => (v.length > 40 ? `${v.slice(0, 40)}…` : v);
const queryInteger = (min: number, max: number) =>
  z
    .string({ error: (iss) => `Expected a non-negative integer, received ${typeName(iss.input)}` })
    .regex(/^\d+$/, {
      error: (iss) => {
        const v = String(iss.input);
        return /^-\d*[1-9]\d*$/.test(v) ? `Number must be greater than or equal to ${min}` : `Expected a non-negative integer, received '${clip(v)}'`;
      },
    })
    .transform(Number)
    .pipe(z.number().min(min).max(max));

export const listQuerySchema = lazy(() => {
  const stringFilter = z.strictObject({ equals: z.string(), contains: z.string() }).partial();
  const direction = z.enum(DIRECTIONS);
  return z.object({
    skip: queryInteger(0, Number.MAX_SAFE_INTEGER).optional(),
    take: queryInteger(1, 100).optional(),
    filter: z.strictObject(Object.fromEntries(FILTER_FIELDS.map((f) => [f, stringFilter])) as Record<(typeof FILTER_FIELDS)[number], typeof stringFilter>).partial().optional(),
    orderBy: z.strictObject(Object.fromEntries(ORDER_FIELDS.map((f) => [f, direction])) as Record<OrderField, typeof direction>).partial().optional(),
  });
});
export type ListQuery = z.output<ReturnType<typeof listQuerySchema>>;

// ---------------------------------------------------------------------------------------------
// Responses (the OpenAPI document and the tests' response checks)

export const customerSchema = lazy(() => {
  const nullableDate = z.iso.datetime().nullable();
  return z.object({
    id: z.string().regex(/^cus_[A-Za-z0-9]{20}$/),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    name: z.string(),
    username: z.string().nullable(),
    organizationId: z.string().regex(/^org_[A-Za-z0-9]{20}$/),
    acceptedServiceAgreement: z.boolean(),
    skipTaxInvoice: z.boolean(),
    emailVerified: z.boolean(),
    phoneNumberVerified: z.boolean(),
    hasChangedPassword: z.boolean(),
    email: z.string().nullable(),
    phoneNumber: z.string().nullable(),
    secondaryPhoneNumber: z.string().nullable(),
    archivedAt: nullableDate,
    archivedById: z.string().nullable(),
    signatureAcceptedAt: nullableDate,
    optedOutWhatsappAt: nullableDate,
    optedInWhatsappAt: nullableDate,
    startedWhatsappAt: nullableDate,
    replyWithAssistant: z.boolean(),
    tags: z.array(z.string()),
    metadata: z.array(metadataEntrySchema()),
    meta: z.record(z.string(), z.string()),
  }).strict();
});

export const customerEnvelopeSchema = lazy(() => z.object({ customer: customerSchema() }));
export const customerListSchema = lazy(() => z.array(customerSchema()));

export const errorSchema = lazy(() => z.object({ error: z.object({ code: z.string(), message: z.string() }) }));
export const validationErrorSchema = lazy(() =>
  z.object({
    error: z.object({
      code: z.literal("VALIDATION_ERROR"),
      message: z.string(),
      issues: z.array(z.object({ path: z.array(z.union([z.string(), z.number()])), message: z.string() })),
    }),
  }),
);
export const conflictErrorSchema = lazy(() =>
  z.object({
    error: z.object({
      code: z.enum(["EMAIL_TAKEN", "PHONE_TAKEN", "USERNAME_TAKEN"]),
      message: z.string(),
      conflictingCustomer: z.object({ id: z.string(), name: z.string() }),
      email: z.string().optional(),
      phoneNumber: z.string().optional(),
      username: z.string().optional(),
    }),
  }),
);

// ---------------------------------------------------------------------------------------------
// Validation

/** Parses `value`; on failure every issue, as `{loc: path, type: zod code, message}`. */
export function validate<S extends z.ZodType>(
  schema: S,
  value: unknown,
): { ok: true; data: z.output<S> } | { ok: false; issues: InputIssue[] } {
  const result = schema.safeParse(value, { error: zodMessage });
  if (result.success) return { ok: true, data: result.data };
  return {
    ok: false,
    issues: result.error.issues.map((i) => ({ loc: i.path.map((p) => (typeof p === "symbol" ? String(p) : p)), type: i.code, message: i.message })),
  };
}
