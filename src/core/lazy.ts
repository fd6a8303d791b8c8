/**
 * A value built on its first use, then kept: `const schema = lazy(() => z.object({...}))`,
 * read as `schema()`. For what start-up need not build (a zod schema is dozens of objects and
 * closures; a server start builds none of them, a request builds those it uses, once).
 */
export function lazy<T>(build: () => T): () => T {
  let value: T;
  let made = false;
  return () => {
    if (!made) {
      value = build();
      made = true;
    }
    return value;
  };
}

/**
 * An object of builders, built into an object of their values on first use (one builder call
 * each, in key order): its keys (say, a list of fields) are known at once without building any.
 */
export function lazyShape<F extends Record<string, () => unknown>>(builders: F): () => { [K in keyof F]: ReturnType<F[K]> } {
  return lazy(() => {
    const shape: Record<string, unknown> = {};
    for (const key of Object.keys(builders)) shape[key] = builders[key]!();
    return shape as { [K in keyof F]: ReturnType<F[K]> };
  });
}
