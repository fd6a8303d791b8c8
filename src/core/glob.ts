// Path globs for fault rules and journal filters: `*` = one segment, `**` = zero or more.
const cache = new Map<string, RegExp>();

export function matchesGlob(glob: string, path: string): boolean {
  let re = cache.get(glob);
  if (!re) {
    const parts = (glob.startsWith("/") ? glob : `/${glob}`).split("/").map((seg) => {
      if (seg === "**") return "(?:/[^/]*)*";
      const body = seg.split("*").map(escape).join("[^/]*");
      return `/${body}`;
    });
    // "/a/**" must also match "/a"; split gives a leading "" for the leading slash.
    const source = parts.slice(1).join("").replace(/^/, "^") + "/?$";
    re = new RegExp(source);
    if (cache.size > 500) cache.clear();
    cache.set(glob, re);
  }
  return re.test(path);
}

function escape(s: string): string {
  return s.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
}
