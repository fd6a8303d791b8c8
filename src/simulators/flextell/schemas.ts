// Zod: the single source of Flextell's request validation, TypeScript types and OpenAPI.
// Each field is the FormRequest's rules in Laravel 11's words (spec: flextell.md#update): a
// failing rule's issue carries Laravel's message, and the first failing rule of a field is
// the one reported. Rules that need state or the clock (exists, unique, before:today) are in
// rules.ts. Every schema is built on its first use (`lazy`), not at start-up: read as
// `customerFields()`, `customerCreateSchema()`.
import * as z from "zod";
import { lazy, lazyShape } from "../../core/lazy.js";

/** `date_of_birth` → `date of birth`: Laravel's attribute name in messages. */
export const attribute = (field: string): string => field.replace(/_/g, " ");

export const messages = {
  required: (f: string) => `The ${attribute(f)} field is required.`,
  string: (f: string) => `The ${attribute(f)} field must be a string.`,
  maxString: (f: string, max: number) => `The ${attribute(f)} field must not be greater than ${max} characters.`,
  integer: (f: string) => `The ${attribute(f)} field must be an integer.`,
  minNumber: (f: string, min: number) => `The ${attribute(f)} field must be at least ${min}.`,
  maxNumber: (f: string, max: number) => `The ${attribute(f)} field must not be greater than ${max}.`,
  array: (f: string) => `The ${attribute(f)} field must be an array.`,
  email: (f: string) => `The ${attribute(f)} field must be a valid email address.`,
  date: (f: string) => `The ${attribute(f)} field must be a valid date.`,
  beforeToday: (f: string) => `The ${attribute(f)} field must be a date before today.`,
  selected: (f: string) => `The selected ${attribute(f)} is invalid.`,
  taken: (f: string) => `The ${attribute(f)} has already been taken.`,
};

/** PHP's mb_strlen: code points, not UTF-16 units. */
export function mbLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** `string|max:N` */
const text = (field: string, max?: number) => {
  const s = z.string({ error: messages.string(field) });
  return max === undefined ? s : s.refine((v) => mbLength(v) <= max, { error: messages.maxString(field, max) }).meta({ maxLength: max });
};

// PHP's FILTER_VALIDATE_INT (Laravel's `integer`): optional sign, no leading zeros, 64-bit.
const INT_TEXT = /^[+-]?(0|[1-9][0-9]*)$/;
const INT_MAX = 9_223_372_036_854_775_807n;

export function phpInt(value: unknown): number | null {
  // json_decode gives an int up to 2^63 (a float past it, which FILTER_VALIDATE_INT refuses);
  // past 2^53 the value is not exact here, but no such id exists, so `exists` still refuses it.
  if (typeof value === "number") return Number.isInteger(value) && Math.abs(value) <= 2 ** 63 ? value : null;
  if (typeof value !== "string") return null;
  const t = value.trim();
  if (!INT_TEXT.test(t)) return null;
  const big = BigInt(t);
  if (big > INT_MAX || big < -INT_MAX - 1n) return null;
  return Number(big);
}

/** `integer`: a JSON integer, or a string of one (as PHP's filter_var reads it). */
const integer = (field: string) =>
  z
    // z.number(), not z.int(): a number out of range must get Laravel's message, not zod's
    .union([z.number().meta({ type: "integer" }), z.string()], { error: messages.integer(field) })
    .transform((v, ctx) => {
      const n = phpInt(v);
      if (n === null) {
        ctx.addIssue({ code: "custom", message: messages.integer(field) });
        return z.NEVER;
      }
      return n;
    });

// Laravel's `email` (RFCValidation), approximated: a local part and a domain of dot-separated
// labels, no spaces or specials outside a quoted local part (not supported: quoted parts).
const EMAIL = /^(?!\.)(?!.*\.\.)[A-Za-z0-9!#$%&'*+/=?^_`{|}~.\-\u0080-\uFFFF]+(?<!\.)@(?=.{1,253}$)([A-Za-z0-9\u0080-\uFFFF](?:[A-Za-z0-9\-\u0080-\uFFFF]{0,61}[A-Za-z0-9\u0080-\uFFFF])?)(?:\.[A-Za-z0-9\u0080-\uFFFF](?:[A-Za-z0-9\-\u0080-\uFFFF]{0,61}[A-Za-z0-9\u0080-\uFFFF])?)*$/u;

export const isEmail = (v: string): boolean => EMAIL.test(v);

// Laravel's `date` (strtotime + checkdate), for what clients send: a calendar date, optionally
// with a time and a zone (`2023-11-07`, `2023-11-07T05:31:56Z`, `2023-11-07 05:31:56+02:00`).
const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/;

/** Epoch ms of a UTC date and time; unlike Date.UTC, years 1–99 are those years, not 19xx. */
function utcMs(year: number, month: number, day: number, h = 0, min = 0, s = 0): Date {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(h, min, s, 0);
  return d;
}

/** Epoch ms of a `date` value (its zone, else UTC), or null when Laravel would refuse it. */
export function parseDate(v: string): { ms: number; day: string } | null {
  const m = DATE.exec(v.trim());
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // checkdate(): years 1–32767
  const probe = utcMs(year, month, day);
  if (year < 1 || probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return null;
  const [h, min, s] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  if (h > 23 || min > 59 || s > 59) return null;
  let offsetMin = 0;
  const zone = m[7];
  if (zone && zone !== "Z") {
    const digits = zone.replace(":", "");
    offsetMin = (digits[0] === "-" ? -1 : 1) * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
  }
  const ms = utcMs(year, month, day, h, min, s).getTime() - offsetMin * 60_000;
  return { ms, day: `${m[1]}-${m[2]}-${m[3]}` };
}

export const GENDERS = ["male", "female", "other"] as const;

/** The customer fields of create and update, in the FormRequest's order (the errors' order): their builders. */
const customerFieldBuilders = {
  first_name: () => text("first_name", 255).meta({ description: "Customer's first name." }),
  last_name: () => text("last_name", 255).meta({ description: "Customer's last name." }),
  phone_number: () => text("phone_number", 20).meta({ description: "Customer's phone number." }),
  email: () =>
    z
      .string({ error: messages.email("email") })
      .refine(isEmail, { error: messages.email("email") })
      .refine((v) => mbLength(v) <= 255, { error: messages.maxString("email", 255) })
      .meta({ format: "email", maxLength: 255, description: "Customer's email address; unique among the tenant's customers." })
      .nullable(),
  date_of_birth: () =>
    z
      .string({ error: messages.date("date_of_birth") })
      .refine((v) => parseDate(v) !== null, { error: messages.date("date_of_birth") })
      .meta({ format: "date-time", description: "Customer's date of birth (before today); stored as a date." })
      .nullable(),
  gender: () => z.enum(GENDERS, { error: messages.selected("gender") }).nullable().meta({ description: "Customer's gender." }),
  country_id: () => integer("country_id").nullable().meta({ description: "ISO 3166-1 numeric country code (e.g. 840, 484)." }),
  identity_number: () => text("identity_number").nullable().meta({ description: "Customer's identity number." }),
  job: () => text("job", 255).nullable().meta({ description: "Customer's job title." }),
  address: () => text("address", 1000).nullable().meta({ description: "Customer's address." }),
  default_channel_id: () => integer("default_channel_id").nullable().meta({ description: "One of the tenant's channels." }),
  user_id: () => integer("user_id").nullable().meta({ description: "Assigned user: one of the tenant's users." }),
};
/** Each field's schema, built on first use. */
export const customerFields = lazyShape(customerFieldBuilders);

export type CustomerField = keyof typeof customerFieldBuilders;
export const CUSTOMER_FIELDS = Object.keys(customerFieldBuilders) as CustomerField[];

/** One element of `tags` (create only). */
export const tagIdSchema = lazy(() => integer("tags"));

export const customerUpdateSchema = lazy(() => z.object(customerFields()).partial());
export const customerCreateSchema = lazy(() =>
  z
    .object({ ...customerFields(), tags: z.array(z.int()).nullable().meta({ description: "Tag ids of the tenant." }) })
    .partial()
    .required({ first_name: true }),
);

export type CustomerInput = { [K in CustomerField]: z.output<ReturnType<typeof customerFields>[K]> };

// ---------------------------------------------------------------------------------------------
// List query (spec: flextell.md#list)

export const SORT_FIELDS = ["first_name", "last_name", "date_of_birth", "gender", "created_at", "updated_at"] as const;
export const SORT_ORDERS = ["asc", "desc"] as const;

const bounded = (field: string, min: number, max?: number) =>
  integer(field).pipe(
    max === undefined
      ? z.number().min(min, { error: messages.minNumber(field, min) })
      : z.number().min(min, { error: messages.minNumber(field, min) }).max(max, { error: messages.maxNumber(field, max) }),
  );

const listQueryFieldBuilders = {
  search: () => text("search", 255).nullable(),
  per_page: () => bounded("per_page", 1, 100).nullable(),
  page: () => bounded("page", 1).nullable(),
  sort_by: () => z.enum(SORT_FIELDS, { error: messages.selected("sort_by") }).nullable(),
  sort_order: () => z.enum(SORT_ORDERS, { error: messages.selected("sort_order") }).nullable(),
  gender: () => z.enum(GENDERS, { error: messages.selected("gender") }).nullable(),
};
/** Each list query parameter's schema, built on first use. */
export const listQueryFields = lazyShape(listQueryFieldBuilders);
export type ListQueryField = keyof typeof listQueryFieldBuilders;
export const LIST_QUERY_FIELDS = Object.keys(listQueryFieldBuilders) as ListQueryField[];

// ---------------------------------------------------------------------------------------------
// Responses (for the OpenAPI document)

export const customerSchema = lazy(() => {
  const timestamp = z.string().meta({ format: "date-time", examples: ["2025-01-10T12:00:00.000000Z"] });
  return z.object({
    id: z.int(),
    first_name: z.string().nullable(),
    last_name: z.string().nullable(),
    phone_number: z.string().nullable(),
    email: z.string().nullable(),
    date_of_birth: timestamp.nullable(),
    gender: z.enum(GENDERS).nullable(),
    country_name: z.string().nullable(),
    identity_number: z.string().nullable(),
    job: z.string().nullable(),
    address: z.string().nullable(),
    default_channel_id: z.int().nullable(),
    avatar_url: z.string().nullable(),
    related_user: z.object({ id: z.int(), name: z.string() }).nullable(),
    created_at: timestamp,
    updated_at: timestamp,
    deleted_at: timestamp.nullable(),
  });
});

export const customerEnvelopeSchema = lazy(() => z.object({ success: z.string(), data: customerSchema() }));
export const deletedEnvelopeSchema = lazy(() => z.object({ success: z.string(), data: z.object({ message: z.string() }) }));

export const customerPageSchema = lazy(() => {
  const pageLink = z.object({ url: z.string().nullable(), label: z.string(), active: z.boolean() });
  return z.object({
    data: z.array(customerSchema()),
    links: z.object({ first: z.string(), last: z.string(), prev: z.string().nullable(), next: z.string().nullable() }),
    meta: z.object({
      current_page: z.int(),
      from: z.int().nullable(),
      last_page: z.int(),
      links: z.array(pageLink),
      path: z.string(),
      per_page: z.int(),
      to: z.int().nullable(),
      total: z.int(),
    }),
  });
});

export const messageSchema = lazy(() => z.object({ message: z.string() }));
export const validationErrorSchema = lazy(() => z.object({ message: z.string(), errors: z.record(z.string(), z.array(z.string())) }));
