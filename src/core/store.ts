import { mkdir, open, readFile, rename } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { Low, Memory, type Adapter } from "lowdb";

/** The whole simulator state: plain JSON, one entry per provider. */
export interface StateDoc {
  format: 1;
  seed: number;
  providers: Record<string, unknown>;
  /** per provider: how many run-time random sources were handed out (see ids.ts) */
  counters: Record<string, number>;
}

/**
 * lowdb adapter writing through a temp file, fsync and rename: a crash leaves either the old
 * file or the new one, never half of one.
 */
class AtomicJsonFile implements Adapter<StateDoc> {
  readonly #file: string;
  readonly #temp: string;
  constructor(file: string) {
    this.#file = file;
    this.#temp = join(dirname(file), `.${basename(file)}.tmp`);
  }

  async read(): Promise<StateDoc | null> {
    let text: string;
    try {
      text = await readFile(this.#file, "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw e;
    }
    let doc: StateDoc;
    try {
      doc = JSON.parse(text) as StateDoc;
    } catch (e) {
      throw new Error(`${this.#file} is not a customer-sim state file (not JSON: ${(e as Error).message})`);
    }
    if (doc?.format !== 1 || typeof doc.providers !== "object" || typeof doc.counters !== "object") {
      throw new Error(`${this.#file} is not a customer-sim state file`);
    }
    return doc;
  }

  #dirReady = false;

  async write(doc: StateDoc): Promise<void> {
    const text = JSON.stringify(doc);
    if (!this.#dirReady) {
      await mkdir(dirname(this.#file), { recursive: true });
      this.#dirReady = true;
    }
    const handle = await open(this.#temp, "w");
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(this.#temp, this.#file);
  }
}

const done = Promise.resolve();

/**
 * State held by lowdb, in memory or in a JSON file. Writes use group commit: one file write
 * serves every change made while the previous write was in flight, and each caller's promise
 * settles when the write holding its change is on disk.
 */
export class Store {
  readonly #db: Low<StateDoc>;
  readonly file: string | undefined;
  #inflight: Promise<void> | null = null;
  #queued: Promise<void> | null = null;

  private constructor(db: Low<StateDoc>, file: string | undefined) {
    this.#db = db;
    this.file = file;
  }

  /** Opens the store; `loaded` is false when there was nothing to read (fresh state needed). */
  static async open(file?: string): Promise<{ store: Store; loaded: boolean }> {
    const empty: StateDoc = { format: 1, seed: 1, providers: {}, counters: {} };
    const db = new Low<StateDoc>(file ? new AtomicJsonFile(file) : new Memory<StateDoc>(), empty);
    await db.read();
    const loaded = db.data !== empty && db.data !== null;
    if (!db.data) db.data = empty;
    return { store: new Store(db, file), loaded: Boolean(file) && loaded };
  }

  get doc(): StateDoc {
    return this.#db.data;
  }

  /** Resolves once the current state is durable. In memory it is already. */
  commit(): Promise<void> {
    if (!this.file) return done;
    if (this.#queued) return this.#queued;
    if (!this.#inflight) return (this.#inflight = this.#run());
    const after = this.#inflight;
    this.#queued = after.then(noop, noop).then(() => {
      this.#queued = null;
      return (this.#inflight = this.#run());
    });
    return this.#queued;
  }

  async #run(): Promise<void> {
    const mine = this.#db.write();
    try {
      await mine;
    } finally {
      // A later batch may already have replaced us.
      if (this.#inflight && !this.#queued) this.#inflight = null;
    }
  }

  /** Waits for every write already asked for. */
  async flush(): Promise<void> {
    while (this.#queued || this.#inflight) await (this.#queued ?? this.#inflight)!.then(noop, noop);
  }
}

function noop(): void {}
