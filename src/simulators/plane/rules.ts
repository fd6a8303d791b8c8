// Plane's business rules as plain functions: current state + validated input → the row to
// write, or a DomainError("invalid") holding every failing field. No HTTP here, and nothing is
// written: the caller puts the returned row only when the whole plan succeeded.
import type { InputIssue } from "../../core/domain-errors.js";
import { invalid } from "./request.js";
import type { CustomerRow } from "./model.js";
import { DATETIME_RE, type CustomerWriteInput } from "./schemas.js";

/** What the rules may ask of the workspace. */
export interface Lookup {
  /** the live customer with exactly this name */
  byName(name: string): CustomerRow | undefined;
  /** the oldest live customer with this external reference */
  byRef(source: string, id: string): CustomerRow | undefined;
  /** whether the id is a user of the workspace */
  isUser(id: string): boolean;
}

export const NAME_TAKEN = "Customer with this name already exists in workspace";
const REQUIRED = "This field is required.";

type Input = Partial<CustomerWriteInput>;

function issue(field: string, message: string): InputIssue {
  return { loc: [field], type: "invalid", message };
}

/** DRF DateTimeField → stored as UTC, printed as Python's isoformat with `Z`. */
export function normalizeDatetime(text: string): string {
  const m = DATETIME_RE.exec(text)!;
  const [, y, mo, d, h, mi, s, frac, tz] = m;
  const micros = Number((frac ?? "").padEnd(6, "0"));
  let offsetMin = 0;
  if (tz && tz !== "Z") {
    const sign = tz[0] === "-" ? -1 : 1;
    const digits = tz.slice(1).replace(":", "");
    offsetMin = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || "0"));
  }
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? "0")) - offsetMin * 60_000;
  const base = new Date(ms).toISOString().slice(0, 19);
  return micros ? `${base}.${String(micros).padStart(6, "0")}Z` : `${base}Z`;
}

/** Whether the parts of a matched datetime are a real date and time (Django's datetime()). */
function realDatetime(text: string): boolean {
  const m = DATETIME_RE.exec(text);
  if (!m) return false;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  const date = new Date(Date.UTC(y!, mo! - 1, d!));
  return date.getUTCMonth() === mo! - 1 && date.getUTCDate() === d! && h! < 24 && mi! < 60 && (Number.isNaN(s) || s! < 60);
}

/** Checks that need the workspace (created_by) or a parsed value (archived_at). */
function checkRefs(input: Input, lookup: Lookup, issues: InputIssue[]): void {
  // spec: plane.md#the-customer-object — created_by must be a user of the workspace
  if (typeof input.created_by === "string" && !lookup.isUser(input.created_by.toLowerCase())) {
    issues.push(issue("created_by", `Invalid pk "${input.created_by}" - object does not exist.`));
  }
  if (typeof input.archived_at === "string" && !realDatetime(input.archived_at)) {
    issues.push(issue("archived_at", "Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."));
  }
}

/** The sent fields applied to a row, `updated_by` = the caller, `updated_at` = now. */
function apply(row: CustomerRow, input: Input, userId: string, now: string): CustomerRow {
  const next: CustomerRow = { ...row, updated_at: now, updated_by: userId };
  for (const [key, value] of Object.entries(input) as [string, unknown][]) {
    if (value === undefined) continue;
    if (key === "archived_at") next.archived_at = value === null ? null : normalizeDatetime(value as string);
    else if (key === "created_by" || key === "logo_asset") next[key] = value === null ? null : canonicalUuid(value as string);
    else (next as unknown as Record<string, unknown>)[key] = value;
  }
  return next;
}

function canonicalUuid(v: string): string {
  const hex = v.replace(/-/g, "").toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** spec: plane.md#validation-and-rules — unique among live customers, the customer itself excluded. */
function checkName(input: Input, self: CustomerRow | null, lookup: Lookup, issues: InputIssue[]): void {
  if (typeof input.name !== "string") return;
  const holder = lookup.byName(input.name);
  if (holder && holder.id !== self?.id) issues.push(issue("name", NAME_TAKEN));
}

/** PATCH customers/{pk}/ */
export function planUpdate(current: CustomerRow, input: Input, issues: InputIssue[], lookup: Lookup, userId: string, now: string): CustomerRow {
  const all = [...issues];
  checkRefs(input, lookup, all);
  if (!all.some((i) => i.loc[0] === "name")) checkName(input, current, lookup, all);
  if (all.length) throw invalid(all);
  return apply(current, input, userId, now);
}

export interface CreatePlan {
  /** 201 for a new customer, 200 when an existing one matched */
  status: 201 | 200;
  row: CustomerRow;
}

/**
 * POST customers/: an upsert (spec: plane.md#create). The sent external reference, then the
 * exact name, picks an existing customer, which is updated with the sent fields (200);
 * otherwise a new customer (201), for which `name` is required.
 */
export function planCreate(
  workspaceId: string,
  input: Input,
  issues: InputIssue[],
  lookup: Lookup,
  userId: string,
  newId: () => string,
  now: string,
): CreatePlan {
  const all = [...issues];
  const byRef = typeof input.external_source === "string" && typeof input.external_id === "string"
    ? lookup.byRef(input.external_source, input.external_id)
    : undefined;
  const match = byRef ?? (typeof input.name === "string" ? lookup.byName(input.name) : undefined);
  if (match) return { status: 200, row: planUpdate(match, input, all, lookup, userId, now) };
  if (input.name === undefined && !all.some((i) => i.loc[0] === "name")) all.push(issue("name", REQUIRED));
  checkRefs(input, lookup, all);
  if (all.length) throw invalid(all);
  const row: CustomerRow = {
    id: newId(),
    workspace_id: workspaceId,
    created_at: now,
    updated_at: now,
    deleted_at: null,
    created_by: userId,
    updated_by: userId,
    name: input.name!,
    // decision: Plane's model defaults (description {}, description_html "<p></p>", logo_props {})
    description: {},
    description_html: "<p></p>",
    email: null,
    website_url: null,
    logo_props: {},
    logo_asset: null,
    domain: null,
    employees: null,
    stage: null,
    contract_status: null,
    revenue: null,
    archived_at: null,
    external_source: null,
    external_id: null,
  };
  return { status: 201, row: apply(row, input, userId, now) };
}

/**
 * DELETE: a soft delete (the name and the external reference are free again). Plane's soft
 * delete is a save, so `updated_by` becomes the caller as on every write.
 */
export function planDelete(current: CustomerRow, userId: string, now: string): CustomerRow {
  return { ...current, deleted_at: now, updated_at: now, updated_by: userId };
}
