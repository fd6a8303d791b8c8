// The verifier's provider states: every state a pact names is set up through the simulator's
// own endpoint, POST /__admin/provider-states?provider=<pact provider> (the one any Pact
// verifier can be pointed at), and its answer becomes the values of the pact's ProviderState
// generators (`${id}`, `${token}`, ...).

/** State names of a V4 (or V3) pact's interactions. */
export function stateNames(pact: { interactions?: { providerStates?: { name?: unknown }[] }[] }): string[] {
  const names = new Set<string>();
  for (const i of pact.interactions ?? []) for (const s of i.providerStates ?? []) if (typeof s.name === "string") names.add(s.name);
  return [...names];
}

export type Json = boolean | number | string | null | Json[] | { [key: string]: Json };
export type StateSetup = (params?: unknown) => Promise<{ [key: string]: Json }>;

/**
 * pact-js state handlers for `names`, each posting Pact's state-change body to the simulator.
 * A state the simulator refuses (unknown state, bad params) throws with its message; pact-js
 * only logs that and goes on, so verify.ts records it and fails the provider's verification.
 */
export function stateHandlers(simulatorUrl: string, provider: string, names: string[], adminToken?: string): Record<string, StateSetup> {
  const url = `${simulatorUrl}/__admin/provider-states?provider=${encodeURIComponent(provider)}`;
  const handlers: Record<string, StateSetup> = {};
  for (const state of names) {
    // A bare function is a setup-only handler (teardown: nothing to undo, the next setup resets).
    handlers[state] = async (params) => {
      const res = await fetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/json", ...(adminToken ? { Authorization: `Bearer ${adminToken}` } : {}) },
        body: JSON.stringify({ state, params: params ?? {}, action: "setup" }),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`provider state "${state}" (${provider}): ${res.status} ${text}`);
      return JSON.parse(text) as { [key: string]: Json };
    };
  }
  // pact-js calls the state endpoint for interactions without a state too, with state "".
  handlers[""] ??= async () => ({});
  return handlers;
}
