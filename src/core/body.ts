import type { Context, MiddlewareHandler } from "hono";
import type { SimEnv } from "./env.js";
import { MAX_JSON_DEPTH, pythonJsonError } from "./pyjson.js";

export const MAX_BODY_BYTES = 1_048_576;

const decoder = new TextDecoder("utf-8");
const strictDecoder = new TextDecoder("utf-8", { fatal: true });

/**
 * Reads the request body once, refusing anything over the limit before a byte of it is
 * parsed. The text lands in `c.var.rawBody` for the provider's own parser.
 */
export function bodyLimit(onTooLarge: (c: Context<SimEnv>) => Response | Promise<Response>, limit = MAX_BODY_BYTES): MiddlewareHandler<SimEnv> {
  return async (c, next) => {
    const method = c.req.method;
    if (method === "GET" || method === "HEAD" || method === "OPTIONS") return next();
    const declared = c.req.header("content-length");
    if (declared !== undefined && Number(declared) > limit) return onTooLarge(c);
    // A declared length (the HTTP parser holds the body to it) is read whole: the node
    // server's direct read, without building a web Request and its stream per request.
    if (declared !== undefined) return decoded(c, new Uint8Array(await c.req.raw.arrayBuffer()), next);
    const stream = c.req.raw.body;
    if (!stream) {
      c.set("rawBody", "");
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
    return decoded(c, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks), next);
  };
}

function decoded(c: Context<SimEnv>, bytes: Uint8Array, next: () => Promise<void>): Promise<void> {
  let text: string;
  try {
    text = strictDecoder.decode(bytes);
  } catch {
    // not UTF-8: the text has U+FFFD in place of the bad bytes, and bodyIsUtf8() says so
    text = decoder.decode(bytes);
    c.set("rawBodyBytes", bytes);
  }
  c.set("rawBody", text);
  return next();
}

/** Whether the body read by `bodyLimit` was valid UTF-8 (true when there was none). */
export function bodyIsUtf8(c: Context<SimEnv>): boolean {
  return c.get("rawBodyBytes") === undefined;
}

/** The body's bytes when they were not valid UTF-8 (for a provider that quotes the bad byte); else undefined. */
export function rawBodyBytes(c: Context<SimEnv>): Uint8Array | undefined {
  return c.get("rawBodyBytes");
}

/** The body read by `bodyLimit`, "" when there was none. */
export function rawBody(c: Context<SimEnv>): string {
  return c.get("rawBody") ?? "";
}

/**
 * A request body read as JSON. `malformed` carries where and why the parse failed, in
 * CPython's words (`pos`, `msg`; `line`/`column` 1-based as Python counts them), for providers
 * whose messages quote them; `tooDeep` marks nesting past `maxDepth` (CPython's
 * RecursionError), which such servers answer differently from a syntax error.
 */
export type JsonBody =
  | { kind: "empty" }
  | { kind: "json"; value: unknown }
  | { kind: "malformed"; tooDeep: false; msg: string; pos: number; line: number; column: number }
  | { kind: "malformed"; tooDeep: true };

/** Parses a body text: "" is no body; JSON.parse does the work, pyjson explains a failure. */
export function parseJsonText(text: string, maxDepth = MAX_JSON_DEPTH): JsonBody {
  if (text === "") return { kind: "empty" };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    const failure = pythonJsonError(text, maxDepth) ?? { msg: "Expecting value", pos: 0 };
    if ("recursion" in failure) return { kind: "malformed", tooDeep: true };
    const before = text.slice(0, failure.pos);
    const line = before.split("\n").length;
    const column = failure.pos - (before.lastIndexOf("\n") + 1) + 1;
    return { kind: "malformed", tooDeep: false, msg: failure.msg, pos: failure.pos, line, column };
  }
  // Nesting past maxDepth takes more than maxDepth brackets: a shorter text cannot have it.
  if (text.length > maxDepth && exceedsDepth(value, maxDepth)) return { kind: "malformed", tooDeep: true };
  return { kind: "json", value };
}

/** The request's body (read by `bodyLimit`) as JSON. */
export function readJsonBody(c: Context<SimEnv>, maxDepth = MAX_JSON_DEPTH): JsonBody {
  return parseJsonText(rawBody(c), maxDepth);
}

/** `type/subtype` of a Content-Type header, lower-cased; null when absent, "" when malformed. */
export function mediaType(header: string | undefined): string | null {
  if (header === undefined) return null;
  const type = header.split(";")[0]!.trim().toLowerCase();
  return /^[^/\s]+\/[^/\s]+$/.test(type) ? type : "";
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
