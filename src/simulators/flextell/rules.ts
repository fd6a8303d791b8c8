// Flextell's validation and business rules as plain functions: the FormRequest's rules field
// by field (schemas.ts for the stateless ones; here exists, unique and before:today), then the
// rows to write. No HTTP here, and nothing is written: the caller puts the returned row.
import { DomainError, type InputIssue } from "../../core/domain-errors.js";
import { CUSTOMER_FIELDS, customerFields, messages, parseDate, phpInt, type CustomerField, type CustomerInput } from "./schemas.js";
import { emailKey, type CustomerRow } from "./model.js";
import type { Input } from "./request.js";

/** What the rules may ask of the state, within the caller's tenant. */
export interface RuleEnv {
  countryExists(id: number): boolean;
  channelExists(id: number): boolean;
  userExists(id: number): boolean;
  tagExists(id: number): boolean;
  /** the non-deleted customer holding an email (compared case-insensitively) */
  emailHolder(email: string): CustomerRow | undefined;
  /** epoch ms of today's midnight (UTC), from the simulator's clock */
  todayMs: number;
}

export type CustomerValues = Partial<Omit<CustomerInput, "date_of_birth">> & { date_of_birth?: string | null; tags?: number[] | null };

function issue(field: string | (string | number)[], message: string, input: unknown): InputIssue {
  return { loc: ["body", ...(Array.isArray(field) ? field : [field])], type: "laravel", message, input };
}

/** The rules that need state or the clock, for a value that passed its schema. */
function stateRule(field: CustomerField, value: unknown, env: RuleEnv, currentId: number | undefined): string | null {
  if (value === null) return null;
  switch (field) {
    case "email": {
      // spec: flextell.md#update — unique among the tenant's non-deleted customers (a decision)
      const holder = env.emailHolder(value as string);
      return holder && holder.id !== currentId ? messages.taken("email") : null;
    }
    case "date_of_birth":
      // spec: flextell.md#update — before:today, today from the simulator's clock
      return parseDate(value as string)!.ms < env.todayMs ? null : messages.beforeToday("date_of_birth");
    case "country_id":
      return env.countryExists(value as number) ? null : messages.selected("country_id");
    case "default_channel_id":
      return env.channelExists(value as number) ? null : messages.selected("default_channel_id");
    case "user_id":
      return env.userExists(value as number) ? null : messages.selected("user_id");
    default:
      return null;
  }
}

/**
 * Validates the fields present in `input` (create: `first_name` required, `tags` allowed).
 * Every failing field is reported at once, one message each (the first rule that fails), in
 * the FormRequest's order; throws DomainError("invalid", { issues }).
 */
export function validateCustomer(input: Input, mode: "create" | "update", env: RuleEnv, currentId?: number): CustomerValues {
  const issues: InputIssue[] = [];
  const values: Record<string, unknown> = {};
  for (const field of CUSTOMER_FIELDS) {
    const present = Object.hasOwn(input, field);
    const value = present ? input[field] : undefined;
    if (mode === "create" && field === "first_name" && (value === undefined || value === null || (Array.isArray(value) && value.length === 0))) {
      issues.push(issue(field, messages.required(field), value ?? null));
      continue;
    }
    if (!present) continue;
    const parsed = customerFields()[field].safeParse(value);
    if (!parsed.success) {
      issues.push(issue(field, parsed.error.issues[0]!.message, value));
      continue;
    }
    const failed = stateRule(field, parsed.data, env, currentId);
    if (failed) issues.push(issue(field, failed, value));
    else values[field] = field === "date_of_birth" && parsed.data !== null ? parseDate(parsed.data as string)!.day : parsed.data;
  }
  // spec: flextell.md#create — optional `tags`: an array of the tenant's tag ids
  if (mode === "create" && Object.hasOwn(input, "tags") && input.tags !== null) {
    const tags = input.tags;
    if (!Array.isArray(tags)) {
      issues.push(issue("tags", messages.array("tags"), tags));
    } else {
      const ids: number[] = [];
      tags.forEach((tag, i) => {
        const id = phpInt(tag);
        if (id === null) issues.push(issue(["tags", i], messages.integer(`tags.${i}`), tag));
        else if (!env.tagExists(id)) issues.push(issue(["tags", i], messages.selected(`tags.${i}`), tag));
        else ids.push(id);
      });
      values.tags = [...new Set(ids)];
    }
  }
  if (issues.length) throw new DomainError("invalid", { issues });
  return values as CustomerValues;
}



/** POST: the new row (id drawn by the caller only once the input is valid). */
export function planCreate(tenantId: number, values: CustomerValues, id: number, now: string): CustomerRow {
  return {
    id,
    tenant_id: tenantId,
    first_name: values.first_name ?? null,
    last_name: values.last_name ?? null,
    phone_number: values.phone_number ?? null,
    email: values.email ?? null,
    date_of_birth: values.date_of_birth ?? null,
    gender: values.gender ?? null,
    country_id: values.country_id ?? null,
    identity_number: values.identity_number ?? null,
    job: values.job ?? null,
    address: values.address ?? null,
    default_channel_id: values.default_channel_id ?? null,
    // decision: avatar_url is set only by fixtures (no upload route)
    avatar_url: null,
    user_id: values.user_id ?? null,
    tag_ids: values.tags ?? [],
    created_at: now,
    updated_at: now,
    deleted_at: null,
  };
}

/**
 * PUT/PATCH: only the fields sent change. Eloquent saves (and touches updated_at) only when
 * something is dirty: null when nothing changes.
 */
export function planUpdate(current: CustomerRow, values: CustomerValues, now: string): CustomerRow | null {
  const next: CustomerRow = { ...current };
  let dirty = false;
  for (const field of CUSTOMER_FIELDS) {
    if (!Object.hasOwn(values, field)) continue;
    const value = (values as Record<string, unknown>)[field] ?? null;
    if ((next as unknown as Record<string, unknown>)[field] !== value) {
      (next as unknown as Record<string, unknown>)[field] = value;
      dirty = true;
    }
  }
  if (!dirty) return null;
  next.updated_at = now;
  return next;
}

/** DELETE: a soft delete (deleted_at and updated_at); frees the email. */
export function planDelete(current: CustomerRow, now: string): CustomerRow {
  return { ...current, deleted_at: now, updated_at: now };
}

export { emailKey };
