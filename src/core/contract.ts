// What a provider's contracts file ships (spec: simulator.md#pact): interactions written as
// example requests and responses in which any value may be a matcher (src/contracts/matchers.ts).
// src/contracts/export.ts turns them into Pact V4 interactions, pulling the matchers out into
// `matchingRules` and `generators`. Type-only module: nothing here runs on the serve path.

/** A value in an example with a matching rule and/or a ProviderState generator attached. */
export interface Matcher {
  readonly "pact:matcher": MatchingRule;
  /** The example value: what the consumer side sees, and the shape the rule applies to. */
  readonly value: unknown;
  /** A ProviderState generator's expression, e.g. "${id}" or "/api/customers/${id}". */
  readonly generate?: string;
  /** Arrays only: the element template (the rule applies to the array, `[*]` to its elements). */
  readonly each?: unknown;
}

/** Pact V4 matching rules (the subset the simulator's contracts use). */
export type MatchingRule =
  | { match: "type"; min?: number; max?: number }
  | { match: "regex"; regex: string }
  | { match: "datetime"; format: string }
  | { match: "integer" }
  | { match: "decimal" }
  | { match: "number" }
  | { match: "boolean" }
  | { match: "equality" };

/** A value an example holds: plain JSON, or a matcher in its place (at any depth). */
export type Example = unknown;

/**
 * A header's example: one value, a matcher, or the values of a comma-separated header as
 * Pact compares them (it splits the actual header on commas: `["private", "no-store"]`).
 */
export type HeaderExample = string | string[] | Matcher;

export interface ContractRequest {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  /** Below the provider's base path (the simulator's `/<provider>` mount), e.g. "/api/customers/". */
  path: string | Matcher;
  query?: Record<string, string | Matcher>;
  headers?: Record<string, HeaderExample>;
  /** JSON body (sent with its Content-Type header from `headers`). */
  body?: Example;
}

export interface ContractResponse {
  status: number;
  headers?: Record<string, HeaderExample>;
  /** JSON body; absent for an empty one (e.g. 204). */
  body?: Example;
}

export interface ContractInteraction {
  description: string;
  /** Pact provider states the interaction needs (the simulator serves them; see docs). */
  states?: { name: string; params?: Record<string, unknown> }[];
  request: ContractRequest;
  response: ContractResponse;
}

// ---- Pact V4 (the JSON written by `contracts export`; https://github.com/pact-foundation/pact-specification/tree/version-4)

export interface V4RuleSet {
  combine: "AND" | "OR";
  matchers: MatchingRule[];
}

export interface V4Generator {
  type: "ProviderState";
  expression: string;
}

export interface V4MatchingRules {
  path?: V4RuleSet;
  query?: Record<string, V4RuleSet>;
  header?: Record<string, V4RuleSet>;
  body?: Record<string, V4RuleSet>;
}

export interface V4Generators {
  path?: V4Generator;
  query?: Record<string, V4Generator>;
  header?: Record<string, V4Generator>;
  body?: Record<string, V4Generator>;
}

export interface V4Body {
  content: unknown;
  contentType: string;
  /** false: `content` is the JSON value; "json": `content` is JSON text (e.g. "null"). */
  encoded: false | "json";
}

export interface V4Interaction {
  type: "Synchronous/HTTP";
  description: string;
  pending: false;
  providerStates?: { name: string; params?: Record<string, unknown> }[];
  request: {
    method: string;
    path: string;
    query?: Record<string, string[]>;
    headers?: Record<string, string[]>;
    body?: V4Body;
    matchingRules?: V4MatchingRules;
    generators?: V4Generators;
  };
  response: {
    status: number;
    headers?: Record<string, string[]>;
    body?: V4Body;
    matchingRules?: V4MatchingRules;
    generators?: V4Generators;
  };
}

export interface V4Pact {
  consumer: { name: string };
  provider: { name: string };
  interactions: V4Interaction[];
  metadata: { pactSpecification: { version: "4.0" } } & Record<string, unknown>;
}
