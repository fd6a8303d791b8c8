// Plumbing shared by the providers' Pact provider states (src/simulators/*/states.ts).
import { DomainError, isDomainError } from "./domain-errors.js";

export type Fields = Record<string, unknown>;

/**
 * A params object (or one of its field sets, at `where`) with only the keys the state knows:
 * absent → {}; not an object, or unknown keys → an Error the control plane answers with 400.
 */
export function fieldsAt(value: unknown, where: string[], known: readonly string[]): Fields {
  const name = where.join(".");
  if (value === undefined || value === null) return {};
  if (typeof value !== "object" || Array.isArray(value)) throw new Error(`${name} must be an object.`);
  const unknown = Object.keys(value).filter((k) => !known.includes(k));
  if (unknown.length) {
    const list = unknown.map((k) => JSON.stringify(k)).join(", ");
    throw new Error(`${name}: unknown field${unknown.length > 1 ? "s" : ""} ${list} (${known.length ? `known: ${known.join(", ")}` : "this state takes none"}).`);
  }
  return value as Fields;
}

/**
 * The API's issues addressed at the state's params instead of the request: a loc starting
 * with one of `from` (default "body") is re-rooted at `where`.
 */
export function relocate(err: unknown, where: string[], from: readonly (string | number)[] = ["body"]): unknown {
  if (!isDomainError(err) || !err.details.issues) return err;
  const issues = err.details.issues.map((i) => ({ ...i, loc: from.includes(i.loc[0]!) ? [...where, ...i.loc.slice(1)] : i.loc }));
  return new DomainError(err.kind, { ...err.details, issues });
}

/** Of `value`'s keys, each one's value as stored (`stored[key]` when the wire object has it). */
export function asStored(value: Fields, stored: Fields): Fields {
  const set: Fields = {};
  for (const key of Object.keys(value)) set[key] = Object.hasOwn(stored, key) ? stored[key] : value[key];
  return set;
}
