// Matchers for the contracts files: each wraps an example value with a Pact V4 matching rule
// and/or a ProviderState generator. export.ts replaces them by their example and records the
// rule under the value's JSON path (`$.items[*].id`), header name, query name or `path`.
import type { Matcher, MatchingRule } from "./types.js";

function matcher(rule: MatchingRule, value: unknown, extra: { generate?: string; each?: unknown } = {}): Matcher {
  return { "pact:matcher": rule, value, ...extra };
}

export function isMatcher(value: unknown): value is Matcher {
  return typeof value === "object" && value !== null && Object.hasOwn(value, "pact:matcher");
}

/** Any value of the same JSON type (objects: the same keys, recursively by type). */
export const like = (value: unknown): Matcher => matcher({ match: "type" }, value);

/** A string matching `regex` (Rust regex syntax, unanchored as Pact applies it: anchor it). */
export const regex = (pattern: string, example: string): Matcher => matcher({ match: "regex", regex: pattern }, example);

/** A string in the given date-time format (Pact's Java-style pattern). */
export const datetime = (format: string, example: string): Matcher => matcher({ match: "datetime", format }, example);

export const integer = (example: number): Matcher => matcher({ match: "integer" }, example);

export const boolean = (example: boolean): Matcher => matcher({ match: "boolean" }, example);

/** An array of at least `min` elements, each like `template` (the example holds one). */
export const eachLike = (template: unknown, min = 1): Matcher => matcher({ match: "type", min }, [template], { each: template });

/**
 * A value the provider state gives: the verifier replaces the example by `expression` with
 * `${name}` filled from the state-change answer (a ProviderState generator). `rule` checks the
 * actual value on the way back (default: same type).
 */
export function fromState(expression: string, example: string, rule: MatchingRule = { match: "type" }): Matcher {
  return matcher(rule, example, { generate: expression });
}

// ---- shared patterns ------------------------------------------------------------------------

export const UUID = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$";
/** Pact datetime format of `2025-01-06T09:00:00.123456Z` (microseconds, `Z` for UTC). */
export const ISO_MICROS = "yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX";
