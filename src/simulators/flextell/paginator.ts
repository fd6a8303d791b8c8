// Laravel 11's LengthAwarePaginator as a resource collection serialises it
// (spec: flextell.md#list): `links` {first,last,prev,next} and `meta` {current_page, from,
// last_page, links (UrlWindow with onEachSide 3), path, per_page, to, total}.

/** PHP's rawurlencode (http_build_query with PHP_QUERY_RFC3986). */
export function rawurlencode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
}

export interface PageLink {
  url: string | null;
  label: string;
  active: boolean;
}

export interface PaginatorJson {
  links: { first: string; last: string; prev: string | null; next: string | null };
  meta: {
    current_page: number;
    from: number | null;
    last_page: number;
    links: PageLink[];
    path: string;
    per_page: number;
    to: number | null;
    total: number;
  };
}

const ON_EACH_SIDE = 3;

/**
 * `path`: the request URL without its query; `query`: the request's other query parameters
 * in order (`withQueryString()`), the page set in place or appended.
 */
export function paginator(opts: { path: string; query: [string, string][]; page: number; perPage: number; total: number; count: number }): PaginatorJson {
  const { path, query, page, perPage, total, count } = opts;
  const lastPage = Math.max(Math.ceil(total / perPage), 1);
  const url = (p: number): string => {
    const params = query.some(([k]) => k === "page") ? query.map(([k, v]): [string, string] => [k, k === "page" ? String(p) : v]) : [...query, ["page", String(p)] as [string, string]];
    return `${path}?${params.map(([k, v]) => `${rawurlencode(k)}=${rawurlencode(v)}`).join("&")}`;
  };
  const range = (from: number, to: number): number[] => {
    const pages: number[] = [];
    for (let p = Math.max(from, 1); p <= to; p++) pages.push(p);
    return pages;
  };

  // UrlWindow::get(): the page numbers, with "..." between the groups
  let groups: number[][];
  if (lastPage < ON_EACH_SIDE * 2 + 8) {
    groups = [range(1, lastPage)];
  } else {
    const window = ON_EACH_SIDE + 4;
    const start = range(1, 2);
    const finish = range(lastPage - 1, lastPage);
    if (page <= window) groups = [range(1, window + ON_EACH_SIDE), finish];
    else if (page > lastPage - window) groups = [start, range(lastPage - (window + (ON_EACH_SIDE - 1)), lastPage)];
    else groups = [start, range(page - ON_EACH_SIDE, page + ON_EACH_SIDE), finish];
  }
  const prev = page > 1 ? url(page - 1) : null;
  const next = page < lastPage ? url(page + 1) : null;
  const links: PageLink[] = [{ url: prev, label: "&laquo; Previous", active: false }];
  groups.forEach((group, i) => {
    if (i > 0) links.push({ url: null, label: "...", active: false });
    for (const p of group) links.push({ url: url(p), label: String(p), active: p === page });
  });
  links.push({ url: next, label: "Next &raquo;", active: false });

  const from = count > 0 ? (page - 1) * perPage + 1 : null;
  return {
    links: { first: url(1), last: url(lastPage), prev, next },
    meta: { current_page: page, from, last_page: lastPage, links, path, per_page: perPage, to: from === null ? null : from + count - 1, total },
  };
}
