// Path globs for fault rules and journal filters: `*` = one segment, `**` = zero or more.
// Matched without regular expressions: a glob such as `/*a*a*a*a*a*a*b` or `/**/**/**/**/x`
// made a backtracking RegExp take seconds to minutes on an ordinary path, on every request a
// rule looked at or every journal entry a filter read. Here both levels (characters within a
// segment, segments within a path) are the classic wildcard match with one backtrack point:
// O(glob × path) at worst.

/** A glob split once: its segments, each split on `*` (a `**` segment is null: any segments). */
type Compiled = (string[] | null)[];

const cache = new Map<string, Compiled>();

function compile(glob: string): Compiled {
  let compiled = cache.get(glob);
  if (!compiled) {
    // "/a/**" must also match "/a"; the leading "/" is optional in the glob.
    compiled = (glob.startsWith("/") ? glob.slice(1) : glob).split("/").map((seg) => (seg === "**" ? null : seg.split("*")));
    if (cache.size > 500) cache.clear();
    cache.set(glob, compiled);
  }
  return compiled;
}

export function matchesGlob(glob: string, path: string): boolean {
  const compiled = compile(glob);
  const segments = path.slice(1).split("/");
  // One trailing "/" past the glob is allowed: "/a/b" matches "/a/b/".
  if (matchSegments(compiled, segments)) return true;
  return path.endsWith("/") && matchSegments(compiled, path.length === 1 ? [] : path.slice(1, -1).split("/"));
}

/** Segments against the glob's segments; a null (`**`) takes any number of segments. */
function matchSegments(glob: Compiled, segs: string[]): boolean {
  let g = 0;
  let s = 0;
  let starG = -1;
  let starS = 0;
  while (s < segs.length) {
    const part = glob[g];
    if (g < glob.length && part === null) {
      starG = g++;
      starS = s;
    } else if (g < glob.length && matchSegment(part!, segs[s]!)) {
      g++;
      s++;
    } else if (starG !== -1) {
      g = starG + 1;
      s = ++starS;
    } else return false;
  }
  while (g < glob.length && glob[g] === null) g++;
  return g === glob.length;
}

/**
 * One segment against its glob, split on `*` (["a", "b"] = "a*b"): literal pieces in order.
 * `*` is one segment: never the empty one after a trailing "/" (`/customers/*` is a
 * customer, not the list `/customers/`).
 */
function matchSegment(pieces: string[], seg: string): boolean {
  if (pieces.length === 1) return pieces[0] === seg;
  if (seg === "") return false;
  const first = pieces[0]!;
  const last = pieces[pieces.length - 1]!;
  if (seg.length < first.length + last.length || !seg.startsWith(first) || !seg.endsWith(last)) return false;
  // The middle pieces, each at its leftmost place after the previous one (greedy leftmost is
  // exact when every piece is a literal between two stars).
  let at = first.length;
  const end = seg.length - last.length;
  for (let i = 1; i < pieces.length - 1; i++) {
    const piece = pieces[i]!;
    const found = seg.indexOf(piece, at);
    if (found === -1 || found + piece.length > end) return false;
    at = found + piece.length;
  }
  return true;
}
