// `customer-sim contracts export`: one Pact V4 file per served provider, from the interactions
// each provider ships (its src/contracts/<provider>.ts). Written directly as JSON, no Pact
// library: the format is the Pact V4 specification's, as pact-js 16 (pact_models 1.3) writes it:
//   - interactions of type "Synchronous/HTTP", with `description`, `pending`, `providerStates`
//     (`[{name, params}]`), `request` {method, path, query: {name: [values]}, headers:
//     {name: [values]}, body: {content, contentType, encoded: false}} and `response` {status,
//     headers, body};
//   - `matchingRules` per part: `path` is one rule set, `query`/`header` are keyed by name,
//     `body` by JSON path (`$.items[*].id`); a rule set is {combine: "AND", matchers: [...]};
//   - `generators` the same way, here only {type: "ProviderState", expression: "${id}"}: the
//     verifier fills them from the provider-state endpoint's answer;
//   - metadata.pactSpecification.version "4.0".
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { ProviderSimulator } from "../core/simulator.js";
import { isMatcher } from "./matchers.js";
import type { ContractInteraction, Example, V4Body, V4Generator, V4Generators, V4Interaction, V4MatchingRules, V4Pact, V4RuleSet } from "./types.js";

export const DEFAULT_CONSUMER = "customer-sim-consumer";

/** Pact's name for a provider (simulator.md#pact). */
export const pactProviderName = (simulatorName: string): string => `${simulatorName}-api`;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const child = (path: string, key: string): string => (IDENTIFIER.test(key) ? `${path}.${key}` : `${path}['${key.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}']`);

/** The example with matchers replaced by their values; rules and generators by JSON path. */
function walk(value: Example, path: string, rules: Record<string, V4RuleSet>, generators: Record<string, V4Generator>): unknown {
  if (isMatcher(value)) {
    rules[path] = { combine: "AND", matchers: [value["pact:matcher"]] };
    if (value.generate !== undefined) generators[path] = { type: "ProviderState", expression: value.generate };
    if (value.each !== undefined) return [walk(value.each, `${path}[*]`, rules, generators)];
    return walk(value.value, path, rules, generators);
  }
  if (Array.isArray(value)) return value.map((v, i) => walk(v, `${path}[${i}]`, rules, generators));
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = walk(v, child(path, k), rules, generators);
    return out;
  }
  return value;
}

/** Header or query values: example strings, with rules and generators keyed by name. */
function named(map: Record<string, Example> | undefined, rules: V4MatchingRules, generators: V4Generators, part: "header" | "query") {
  if (!map) return undefined;
  const values: Record<string, string[]> = {};
  for (const [name, v] of Object.entries(map)) {
    const r: Record<string, V4RuleSet> = {};
    const g: Record<string, V4Generator> = {};
    values[name] = Array.isArray(v) ? v.map(String) : [String(walk(v, "$", r, g))];
    if (r.$) (rules[part] ??= {})[name] = r.$;
    if (g.$) (generators[part] ??= {})[name] = g.$;
  }
  return values;
}

function part(
  msg: { path?: Example; query?: Record<string, Example>; headers?: Record<string, Example>; body?: Example },
  contentType: string,
) {
  const matchingRules: V4MatchingRules = {};
  const generators: V4Generators = {};
  let path: string | undefined;
  if (msg.path !== undefined) {
    const r: Record<string, V4RuleSet> = {};
    const g: Record<string, V4Generator> = {};
    path = String(walk(msg.path, "$", r, g));
    if (r.$) matchingRules.path = r.$;
    if (g.$) generators.path = g.$;
  }
  const query = named(msg.query, matchingRules, generators, "query");
  const headers = named(msg.headers, matchingRules, generators, "header");
  let body: V4Body | undefined;
  if (msg.body !== undefined) {
    const r: Record<string, V4RuleSet> = {};
    const g: Record<string, V4Generator> = {};
    // A JSON `null` body is written as JSON text (`encoded: "json"`): as a plain `null`
    // content the verifier would take it for no body at all.
    body = msg.body === null ? { content: "null", contentType, encoded: "json" } : { content: walk(msg.body, "$", r, g), contentType, encoded: false };
    if (Object.keys(r).length) matchingRules.body = r;
    if (Object.keys(g).length) generators.body = g;
  }
  return {
    path,
    ...(query ? { query } : {}),
    ...(headers ? { headers } : {}),
    ...(body ? { body } : {}),
    ...(Object.keys(matchingRules).length ? { matchingRules } : {}),
    ...(Object.keys(generators).length ? { generators } : {}),
  };
}

function contentTypeOf(headers: Record<string, Example> | undefined): string {
  const entry = Object.entries(headers ?? {}).find(([k]) => k.toLowerCase() === "content-type");
  const v = entry ? entry[1] : undefined;
  const value = isMatcher(v) ? v.value : v;
  return typeof value === "string" ? value.split(";")[0]!.trim() : "application/json";
}

export function toV4Interaction(i: ContractInteraction): V4Interaction {
  const { path, ...request } = part(i.request, contentTypeOf(i.request.headers));
  const { path: _none, ...response } = part(i.response, contentTypeOf(i.response.headers));
  return {
    type: "Synchronous/HTTP",
    description: i.description,
    pending: false,
    ...(i.states?.length ? { providerStates: i.states.map((s) => ({ name: s.name, params: s.params ?? {} })) } : {}),
    request: { method: i.request.method, path: path!, ...request },
    response: { status: i.response.status, ...response },
  };
}

export function toV4Pact(consumer: string, provider: string, interactions: ContractInteraction[]): V4Pact {
  const seen = new Set<string>();
  for (const i of interactions) {
    // Pact keys interactions by description + states: a repeat would be merged or rejected.
    const key = `${i.description}\u0000${JSON.stringify(i.states ?? [])}`;
    if (seen.has(key)) throw new Error(`${provider}: two interactions "${i.description}" with the same states.`);
    seen.add(key);
  }
  return {
    consumer: { name: consumer },
    provider: { name: provider },
    interactions: interactions.map(toV4Interaction),
    metadata: { pactSpecification: { version: "4.0" }, "customer-sim": { generatedBy: "customer-sim contracts export" } },
  };
}

export const pactFileName = (consumer: string, provider: string): string => `${consumer}-${provider}.json`;

/** Writes `<consumer>-<provider>-api.json` per simulator into `outDir`; returns the paths. */
export async function exportPacts(simulators: ProviderSimulator<any, any>[], opts: { outDir: string; consumer?: string }): Promise<string[]> {
  const consumer = opts.consumer ?? DEFAULT_CONSUMER;
  await mkdir(opts.outDir, { recursive: true });
  const written: string[] = [];
  for (const sim of simulators) {
    const provider = pactProviderName(sim.name);
    const pact = toV4Pact(consumer, provider, await sim.interactions());
    const file = join(opts.outDir, pactFileName(consumer, provider));
    await writeFile(file, `${JSON.stringify(pact, null, 2)}\n`);
    written.push(file);
  }
  return written;
}
