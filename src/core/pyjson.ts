// CPython's `json.loads` failures, message and position, for providers whose servers are
// Python (FastAPI reports them as `json_invalid` items, Django REST Framework as
// "JSON parse error - <msg>: line L column C (char P)"). JSON.parse does the real work; this
// scanner only runs when JSON.parse fails, to find what CPython's decoder would say.

export type PyJsonFailure = { msg: string; pos: number } | { recursion: true };

/** CPython's C scanner gives up (RecursionError) around this depth. */
export const MAX_JSON_DEPTH = 1000;

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?/y;
const OBJ = 1;
const ARR = 2;

function isWs(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

function skipWs(s: string, i: number): number {
  while (i < s.length && isWs(s.charCodeAt(i))) i++;
  return i;
}

class Fail {
  constructor(readonly msg: string, readonly pos: number) {}
}

function isHex(c: string | undefined): boolean {
  return c !== undefined && /^[0-9a-fA-F]$/.test(c);
}

/** Python's `scanstring`: `i` is just after the opening quote; returns the index after the closing one. */
function scanString(s: string, i: number): number {
  const begin = i - 1;
  for (;;) {
    if (i >= s.length) throw new Fail("Unterminated string starting at", begin);
    const c = s.charCodeAt(i);
    if (c === 34) return i + 1;
    if (c < 0x20) throw new Fail("Invalid control character at", i);
    if (c !== 92) { i++; continue; }
    i++;
    if (i >= s.length) throw new Fail("Unterminated string starting at", begin);
    const e = s[i]!;
    if (e === "u") {
      const next = i + 1;
      const end = next + 4;
      if (end >= s.length) throw new Fail("Invalid \\uXXXX escape", next - 1);
      for (let k = next; k < end; k++) if (!isHex(s[k])) throw new Fail("Invalid \\uXXXX escape", end - 5);
      i = end;
    } else if ('"\\/bfnrt'.includes(e)) {
      i++;
    } else {
      throw new Fail("Invalid \\escape", i - 1);
    }
  }
}

/** After `{` or `,` in an object: a key, `:` and the whitespace before the value. */
function readKey(s: string, i: number): number {
  if (i >= s.length || s[i] !== '"') throw new Fail("Expecting property name enclosed in double quotes", i);
  i = skipWs(s, scanString(s, i + 1));
  if (i >= s.length || s[i] !== ":") throw new Fail("Expecting ':' delimiter", i);
  return skipWs(s, i + 1);
}

/** Python's character index (code points) for a JS string index (UTF-16 units). */
function codePointIndex(s: string, i: number): number {
  let n = i;
  for (let k = 0; k < i; k++) {
    const c = s.charCodeAt(k);
    if (c >= 0xd800 && c <= 0xdbff && k + 1 < i) {
      const d = s.charCodeAt(k + 1);
      if (d >= 0xdc00 && d <= 0xdfff) { n--; k++; }
    }
  }
  return n;
}

/**
 * The error CPython's `json.loads(s)` raises, or null when it would parse. Iterative, so any
 * nesting depth is safe. Deviation: NaN/Infinity/-Infinity (which Python accepts) are
 * reported as "Expecting value".
 */
export function pythonJsonError(s: string, maxDepth = MAX_JSON_DEPTH): PyJsonFailure | null {
  try {
    scan(s, maxDepth);
    return null;
  } catch (e) {
    if (e instanceof Fail) return { msg: e.msg, pos: codePointIndex(s, e.pos) };
    if (e === RECURSION) return { recursion: true };
    throw e;
  }
}

const RECURSION = Symbol("recursion");

function scan(s: string, maxDepth: number): void {
  const stack: number[] = [];
  let i = skipWs(s, 0);
  let expectValue = true;
  for (;;) {
    if (expectValue) {
      if (i >= s.length) throw new Fail("Expecting value", i);
      const c = s[i];
      if (c === '"') {
        i = scanString(s, i + 1);
      } else if (c === "{") {
        if (stack.length >= maxDepth) throw RECURSION;
        i = skipWs(s, i + 1);
        if (i < s.length && s[i] === "}") {
          i++;
        } else {
          stack.push(OBJ);
          i = readKey(s, i);
          continue;
        }
      } else if (c === "[") {
        if (stack.length >= maxDepth) throw RECURSION;
        i = skipWs(s, i + 1);
        if (i < s.length && s[i] === "]") {
          i++;
        } else {
          stack.push(ARR);
          continue;
        }
      } else if (s.startsWith("null", i)) {
        i += 4;
      } else if (s.startsWith("true", i)) {
        i += 4;
      } else if (s.startsWith("false", i)) {
        i += 5;
      } else {
        NUMBER.lastIndex = i;
        const m = NUMBER.exec(s);
        if (!m) throw new Fail("Expecting value", i);
        i += m[0].length;
      }
      expectValue = false;
      continue;
    }
    // after a complete value
    if (stack.length === 0) {
      i = skipWs(s, i);
      if (i !== s.length) throw new Fail("Extra data", i);
      return;
    }
    i = skipWs(s, i);
    const top = stack[stack.length - 1];
    const close = top === OBJ ? "}" : "]";
    if (i < s.length && s[i] === close) {
      stack.pop();
      i++;
      continue;
    }
    if (i >= s.length || s[i] !== ",") throw new Fail("Expecting ',' delimiter", i);
    const comma = i;
    i = skipWs(s, i + 1);
    // Python 3.13+ (Polar runs 3.14): a trailing comma is its own error, reported at the comma
    if (i < s.length && s[i] === close) {
      throw new Fail(`Illegal trailing comma before end of ${top === OBJ ? "object" : "array"}`, comma);
    }
    if (top === OBJ) i = readKey(s, i);
    expectValue = true;
  }
}
