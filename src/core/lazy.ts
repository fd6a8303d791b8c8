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
