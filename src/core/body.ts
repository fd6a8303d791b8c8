import type { Context, MiddlewareHandler } from "hono";

export const MAX_BODY_BYTES = 1_048_576;

const decoder = new TextDecoder("utf-8");

/**
 * Reads the request body once, refusing anything over the limit before a byte of it is
 * parsed. The text lands in `c.var.rawBody` for the provider's own parser.
 */
export function bodyLimit(onTooLarge: (c: Context) => Response | Promise<Response>, limit = MAX_BODY_BYTES): MiddlewareHandler {
  return async (c, next) => {
    const method = c.req.method;
    if (method === "GET" || method === "HEAD" || method === "OPTIONS") return next();
    const declared = c.req.header("content-length");
    if (declared !== undefined && Number(declared) > limit) return onTooLarge(c);
    const stream = c.req.raw.body;
    if (!stream) {
      c.set("rawBody" as never, "" as never);
      return next();
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    const reader = stream.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel().catch(() => {});
        return onTooLarge(c);
      }
      chunks.push(value);
    }
    const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
    c.set("rawBody" as never, decoder.decode(bytes) as never);
    return next();
  };
}

/** The body read by `bodyLimit`, "" when there was none. */
export function rawBody(c: Context): string {
  return (c.get("rawBody" as never) as string | undefined) ?? "";
}

/** Deepest nesting of arrays/objects in a parsed JSON value, stopping once past `max`. */
export function exceedsDepth(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== "object") continue;
    if (depth > max) return true;
    for (const child of Object.values(v)) if (child !== null && typeof child === "object") stack.push([child, depth + 1]);
  }
  return false;
}
