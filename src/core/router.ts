// Hono's RegExpRouter (one regular expression per method: the fastest match) refuses a path
// whose segment is a parameter where another registered path has a fixed word, or the other
// way round (`/customers/external/:ref` next to `/customers/:id`); Hono's default router then
// falls back to its trie router for every route of the app. This router keeps RegExpRouters
// for all of them instead: a route goes to the first group that takes it, so the groups are
// few (one more per clash), and a request is matched by each group. Handlers that several
// groups return are put back in the order they were registered.
import { UnsupportedPathError, type ParamIndexMap, type Params, type Result, type Router } from "hono/router";
import { RegExpRouter } from "hono/router/reg-exp-router";

export class GroupedRegExpRouter<T> implements Router<T> {
  readonly name = "GroupedRegExpRouter";
  /** each group's routes, to build it again without a route it refused */
  readonly #groups: { router: RegExpRouter<T>; routes: [string, string, T][] }[] = [];
  /** registration order of every handler, for results drawn from several groups */
  readonly #order = new Map<T, number>();

  add(method: string, path: string, handler: T): void {
    if (!this.#order.has(handler)) this.#order.set(handler, this.#order.size);
    for (const group of this.#groups) {
      try {
        group.router.add(method, path, handler);
        group.routes.push([method, path, handler]);
        return;
      } catch (err) {
        if (!(err instanceof UnsupportedPathError)) throw err;
        // A refused add may have been half made: the group is built again without it.
        group.router = new RegExpRouter<T>();
        for (const [m, p, h] of group.routes) group.router.add(m, p, h);
      }
    }
    const router = new RegExpRouter<T>();
    router.add(method, path, handler); // a lone route it refuses is refused by Hono's RegExpRouter too: thrown
    this.#groups.push({ router, routes: [[method, path, handler]] });
  }

  match(method: string, path: string): Result<T> {
    const groups = this.#groups;
    if (groups.length === 1) return groups[0]!.router.match(method, path);
    let found: Result<T> | undefined;
    let more: Result<T>[] | undefined;
    for (const group of groups) {
      const result = group.router.match(method, path);
      if (result[0].length === 0) continue;
      if (found === undefined) found = result;
      else (more ??= [found]).push(result);
    }
    if (more === undefined) return found ?? groups[0]?.router.match(method, path) ?? [[]];
    return this.#merged(more);
  }

  /** Several groups' handlers, with their parameters, in registration order. */
  #merged(results: Result<T>[]): Result<T> {
    const all: [T, Params][] = [];
    for (const result of results) {
      const stash = result[1];
      for (const [handler, params] of result[0] as [T, ParamIndexMap | Params][]) {
        if (stash === undefined) {
          all.push([handler, params as Params]);
          continue;
        }
        const values: Params = {};
        for (const [key, index] of Object.entries(params as ParamIndexMap)) values[key] = stash[index]!;
        all.push([handler, values]);
      }
    }
    all.sort((a, b) => this.#order.get(a[0])! - this.#order.get(b[0])!);
    return [all];
  }
}
