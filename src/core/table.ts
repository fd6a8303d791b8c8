// Rows of one kind, kept in the persisted state document and indexed in memory.
// Every read goes through a tenant scope: isolation is the table's property, not something
// each route has to remember.

export interface TableSpec<T> {
  tenantOf(row: T): string;
  /** Unique keys within a tenant, already normalised; null/undefined = not indexed (e.g. deleted). */
  unique?: Record<string, (row: T) => string | null | undefined>;
}

export class UniqueViolation extends Error {
  constructor(readonly index: string, readonly key: string) {
    super(`unique index ${index} already holds ${key}`);
  }
}

export class Table<T extends { id: string | number }> {
  readonly #rows: Record<string, T>;
  readonly #spec: TableSpec<T>;
  readonly #byTenant = new Map<string, Map<string, T>>();
  readonly #indexes = new Map<string, Map<string, T>>();

  /** `rows` is the state document's object: the table writes through to it. */
  constructor(rows: Record<string, T>, spec: TableSpec<T>) {
    this.#rows = rows;
    this.#spec = spec;
    for (const name of Object.keys(spec.unique ?? {})) this.#indexes.set(name, new Map());
    for (const row of Object.values(rows)) this.#index(row);
  }

  scope(tenant: string): TenantScope<T> {
    return new TenantScope(this, tenant);
  }

  /** Every row of every tenant, for the control plane only. */
  all(): T[] {
    return Object.values(this.#rows);
  }

  /** @internal */ bucket(tenant: string): Map<string, T> | undefined {
    return this.#byTenant.get(tenant);
  }

  /** @internal */ lookup(index: string, tenant: string, key: string): T | undefined {
    const idx = this.#indexes.get(index);
    if (!idx) throw new Error(`no unique index ${index}`);
    return idx.get(`${tenant}\u0000${key}`);
  }

  /** Inserts or replaces a row; refuses (changing nothing) when a unique key is taken. */
  put(row: T, expectedTenant?: string): void {
    const id = String(row.id);
    const previous = Object.hasOwn(this.#rows, id) ? this.#rows[id] : undefined;
    const tenant = this.#spec.tenantOf(row);
    if (expectedTenant !== undefined && tenant !== expectedTenant) throw new Error("row belongs to another tenant");
    if (previous && this.#spec.tenantOf(previous) !== tenant) throw new Error("row id belongs to another tenant");
    for (const [name, keyOf] of Object.entries(this.#spec.unique ?? {})) {
      const key = keyOf(row);
      if (key == null) continue;
      const holder = this.#indexes.get(name)!.get(`${tenant}\u0000${key}`);
      if (holder && String(holder.id) !== id) throw new UniqueViolation(name, key);
    }
    if (previous) this.#unindex(previous);
    this.#rows[id] = row;
    this.#index(row);
  }

  /** Removes every row of a tenant, indexes included; returns how many. */
  removeTenant(tenant: string): number {
    const bucket = this.#byTenant.get(tenant);
    if (!bucket) return 0;
    const rows = [...bucket.values()];
    for (const row of rows) {
      this.#unindex(row);
      delete this.#rows[String(row.id)];
    }
    this.#byTenant.delete(tenant);
    return rows.length;
  }

  #index(row: T): void {
    const tenant = this.#spec.tenantOf(row);
    let bucket = this.#byTenant.get(tenant);
    if (!bucket) this.#byTenant.set(tenant, (bucket = new Map()));
    bucket.set(String(row.id), row);
    for (const [name, keyOf] of Object.entries(this.#spec.unique ?? {})) {
      const key = keyOf(row);
      if (key != null) this.#indexes.get(name)!.set(`${tenant}\u0000${key}`, row);
    }
  }

  #unindex(row: T): void {
    const tenant = this.#spec.tenantOf(row);
    this.#byTenant.get(tenant)?.delete(String(row.id));
    for (const [name, keyOf] of Object.entries(this.#spec.unique ?? {})) {
      const key = keyOf(row);
      const idx = this.#indexes.get(name)!;
      if (key != null && idx.get(`${tenant}\u0000${key}`) === row) idx.delete(`${tenant}\u0000${key}`);
    }
  }
}

export class TenantScope<T extends { id: string | number }> {
  constructor(readonly table: Table<T>, readonly tenant: string) {}

  get(id: string | number): T | undefined {
    return this.table.bucket(this.tenant)?.get(String(id));
  }

  list(): T[] {
    const bucket = this.table.bucket(this.tenant);
    return bucket ? [...bucket.values()] : [];
  }

  findBy(index: string, key: string): T | undefined {
    return this.table.lookup(index, this.tenant, key);
  }

  put(row: T): void {
    this.table.put(row, this.tenant);
  }
}
