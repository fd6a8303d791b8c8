// Caches that rely on the store's rule that rows are replaced, never mutated: a row object
// always serializes the same way, so its JSON text can be kept for as long as the row lives.

/**
 * `row → JSON text` for one wire format, cached per row object. A provider whose wire object
 * also depends on other rows (e.g. a customer's members) must put a new row whenever those
 * change, so that an entry cannot go stale; a reset builds new rows.
 * Bounded: two generations of at most `max` rows each (a row read again moves to the young
 * one), so paging through a whole large tenant does not keep a text of every row it read.
 */
export function jsonTextCache<Row extends object>(serialize: (row: Row) => unknown, max = 10_000): (row: Row) => string {
  let young = new WeakMap<Row, string>();
  let old = new WeakMap<Row, string>();
  let count = 0;
  return (row) => {
    let text = young.get(row);
    if (text !== undefined) return text;
    text = old.get(row) ?? JSON.stringify(serialize(row));
    young.set(row, text);
    if (++count >= max) {
      old = young;
      young = new WeakMap();
      count = 0;
    }
    return text;
  };
}

/** A pure function of a string, memoised with a bound (cleared when full). */
export function boundedMemo<V>(compute: (key: string) => V, max = 10_000): (key: string) => V {
  const cache = new Map<string, V>();
  return (key) => {
    let value = cache.get(key);
    if (value === undefined) {
      value = compute(key);
      if (cache.size >= max) cache.clear();
      cache.set(key, value);
    }
    return value;
  };
}

/**
 * A JSON text made of pieces that are already held elsewhere (e.g. a list page: its rows'
 * cached texts between the envelope's head and tail). It is sent joined; whoever records the
 * response (the journal) keeps the pieces, so a recorded page costs a pointer per row instead
 * of a copy of the page.
 */
export class JsonTextParts {
  constructor(readonly head: string, readonly items: readonly string[], readonly tail: string) {}

  /** Whether `other` is the same text made of the same pieces (compared by reference first). */
  equals(other: JsonTextParts): boolean {
    if (other === this) return true;
    const a = this.items;
    const b = other.items;
    if (a.length !== b.length || this.head !== other.head || this.tail !== other.tail) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }

  /** The whole text: head, the items joined with commas, tail — one flat string, one copy. */
  text(): string {
    const { head, items, tail } = this;
    if (items.length === 0) return head + tail;
    const all = items.slice();
    all[0] = head + all[0];
    all[all.length - 1] += tail;
    return all.join(",");
  }
}
