// The build (scripts/build.mjs) runs every provider's seed() for the default seed and embeds
// the documents in the bundle, so a default start-up needs neither faker nor fixture
// generation. Outside the bundle (tests, tsx) there is no cache and seeds are generated.
// A test compares the served fixtures with freshly generated ones, byte for byte.

declare const __CUSTOMER_SIM_SEED_CACHE__: { seed: number; providers: Record<string, string> } | undefined;

const cache = typeof __CUSTOMER_SIM_SEED_CACHE__ === "undefined" ? undefined : __CUSTOMER_SIM_SEED_CACHE__;

/** A fresh copy of the provider's seeded document, when the build holds it for this seed. */
export function seedFromCache(provider: string, seed: number): unknown | undefined {
  if (!cache || cache.seed !== seed) return undefined;
  const text = cache.providers[provider];
  return text === undefined ? undefined : JSON.parse(text);
}
