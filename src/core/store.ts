import { closeSync, constants, fsyncSync, ftruncateSync, openSync, readFileSync, statSync } from "node:fs";
import { access, mkdir, open, rename, unlink, type FileHandle } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
// (node's own, not the globals a test's fake timers replace: a batch must be written under them
// too, and wait for more at most BATCH_WAIT_MS of real time: the global performance.now() stands still)
import { setImmediate } from "node:timers";
import { Low, Memory, type Adapter } from "lowdb";
import { deepFreeze, isTableRows, watchRows, type RowChangeSink, type Table } from "./table.js";
import { readJsonFile } from "./json-lines.js";
import { finishPieces, jsonPieces, snapshotParts, writeText, type SnapshotParts } from "./text-file.js";

/** The whole simulator state: plain JSON, one entry per provider. */
export interface StateDoc {
  format: 1;
  seed: number;
  providers: Record<string, unknown>;
  /** per provider: how many run-time random sources were handed out (see ids.ts) */
  counters: Record<string, number>;
}

/**
 * Writes `text` (its pieces, in order) to `file` through a temp file, fsync and rename (and
 * fsyncs the directory); resolves with the file's size.
 */
async function writeAtomic(file: string, text: string | readonly string[]): Promise<number> {
  const temp = join(dirname(file), `.${basename(file)}.tmp`);
  const handle = await open(temp, "w");
  let bytes: number;
  try {
    bytes = await writeText(handle, text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, file);
  await syncDir(dirname(file));
  return bytes;
}

async function syncDir(dir: string): Promise<void> {
  try {
    const d = await open(dir, "r");
    try {
      await d.sync();
    } finally {
      await d.close();
    }
  } catch {
    // Some file systems refuse fsync on a directory; the rename is still atomic.
  }
}

/**
 * lowdb adapter for the snapshot: read and validated as a state document; written whole
 * through a temp file, fsync and rename: a crash leaves either the old file or the new one.
 */
class AtomicJsonFile implements Adapter<StateDoc> {
  constructor(readonly file: string) {}

  async read(): Promise<StateDoc | null> {
    let doc: StateDoc;
    try {
      doc = (await readJsonFile(this.file)) as StateDoc;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
      if (e instanceof SyntaxError) throw new Error(`${this.file} is not a customer-sim state file (not JSON: ${e.message})`);
      throw e;
    }
    if (doc?.format !== 1 || typeof doc.providers !== "object" || typeof doc.counters !== "object") {
      throw new Error(`${this.file} is not a customer-sim state file`);
    }
    return doc;
  }

  async write(doc: StateDoc): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true });
    await writeAtomic(this.file, jsonPieces(doc));
  }
}

type Path = string[];

/**
 * Checks in every test (vitest.config.ts sets it) that a commit naming the entries it may have
 * changed (Store.commit's `entries`) changed no other: an entry left out would not be written.
 */
const CHECK_DECLARED = process.env.CUSTOMER_SIM_FREEZE_ROWS === "1";

/**
 * What was last written of an entry of a provider's document outside its tables: its JSON text,
 * or for an object (tokens by token, users by id, ...) each of its own values' JSON text, so
 * that a changed row is written alone instead of the whole object (#13: a tenant made through
 * the control plane wrote every tenant's credentials again, 0.3–0.8 MB a line at 500 tenants).
 */
type Written = string | Map<string, string>;

/** An entry outside the tables that changed: its log entries, and what was written of it before and now. */
interface PlainChange {
  key: string;
  /** `[path,value]` / `[path]` (removed) log entries: the entry whole, or its changed rows */
  entries: string[];
  before: Written | undefined;
  after: Written | undefined;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * The JSON text of a row of an object entry outside the tables (a token, a user, a workspace),
 * kept by the row object: the rows of an entry the provider's routes do not change
 * (ProviderSimulator.writtenByRoutes) are replaced, never changed in place, as table rows are.
 * So a commit that compares every entry (the control plane's) stringifies only the rows made
 * since the last one (#13: making a tenant cost ~4 µs × the tenants already made, in
 * JSON.stringify of all their rows). The test suite freezes each such row once its text is
 * kept (CUSTOMER_SIM_FREEZE_ROWS): a change in place fails loudly there.
 */
const rowTexts = new WeakMap<object, string>();

function rowText(row: unknown): string | undefined {
  if (typeof row !== "object" || row === null) return JSON.stringify(row);
  let text = rowTexts.get(row);
  if (text === undefined) {
    text = JSON.stringify(row);
    if (text === undefined) return undefined;
    rowTexts.set(row, text);
    if (CHECK_DECLARED) deepFreeze(row);
  }
  return text;
}

/** How a row of an entry is read: rowText, or JSON.stringify for an entry changed in place. */
type RowText = (row: unknown) => string | undefined;
const freshText: RowText = (row) => JSON.stringify(row);

/** What to remember of an entry written whole, and its JSON text. */
function written(value: unknown, text: RowText = freshText): { text: string | undefined; written: Written | undefined } {
  if (!isPlainObject(value)) {
    const text = JSON.stringify(value);
    return { text, written: text };
  }
  const rows = new Map<string, string>();
  const parts: string[] = [];
  for (const id of Object.keys(value)) {
    const row = text(value[id]);
    if (row === undefined) continue;
    rows.set(id, row);
    parts.push(`${JSON.stringify(id)}:${row}`);
  }
  return { text: `{${parts.join(",")}}`, written: rows };
}

function textOf(w: Written | undefined): string | undefined {
  if (w === undefined || typeof w === "string") return w;
  return `{${[...w].map(([id, text]) => `${JSON.stringify(id)}:${text}`).join(",")}}`;
}

/** The value `w` was written from (an object's rows in their order). */
function valueOf(w: Written): unknown {
  if (typeof w === "string") return JSON.parse(w);
  const value: Record<string, unknown> = {};
  for (const [id, text] of w) defineOwn(value, id, JSON.parse(text));
  return value;
}

/**
 * The rows of an object entry that changed since `before` (its rows as last written), as log
 * entries, with the rows it has now; null when its rows' order changed otherwise than by rows
 * added at the end (a replay puts each row it sets last, as JSON.parse and assignment do).
 */
function rowChanges(provider: string, key: string, value: Record<string, unknown>, before: Map<string, string>, textOf: RowText): { entries: string[]; after: Map<string, string> } | null {
  const after = new Map<string, string>();
  const entries: string[] = [];
  const pathOf = (id: string) => JSON.stringify(["providers", provider, key, id]);
  let added = false;
  const order = before.keys();
  for (const id of Object.keys(value)) {
    const text = textOf(value[id]);
    if (text === undefined) continue;
    after.set(id, text);
    const was = before.get(id);
    if (was === undefined) {
      added = true;
      entries.push(`[${pathOf(id)},${text}]`);
      continue;
    }
    // a row kept must come after the rows kept before it (removed ones skipped), and before any added one
    if (added) return null;
    for (;;) {
      const next = order.next();
      if (next.done) return null;
      if (next.value === id) break;
      if (Object.hasOwn(value, next.value) && textOf(value[next.value]) !== undefined) return null;
    }
    if (text !== was) entries.push(`[${pathOf(id)},${text}]`);
  }
  for (const id of before.keys()) if (!after.has(id)) entries.push(`[${pathOf(id)}]`);
  return { entries, after };
}

/**
 * A provider document's entries outside its tables (`only`: just these) that differ from what
 * was last written of them (`plain`): an object that was an object before, row by row.
 */
function plainChanges(provider: string, pdoc: Record<string, unknown>, { plain, inPlace }: Attached, only?: Set<string>): PlainChange[] {
  const changed: PlainChange[] = [];
  const wholePath = (key: string) => JSON.stringify(["providers", provider, key]);
  for (const key of only ?? Object.keys(pdoc)) {
    if (!Object.hasOwn(pdoc, key)) continue;
    const value = pdoc[key];
    const before = plain.get(key);
    if (before === undefined && isTableRows(value)) continue;
    const text = inPlace.has(key) ? freshText : rowText;
    if (before instanceof Map && isPlainObject(value)) {
      const rows = rowChanges(provider, key, value, before, text);
      if (rows) {
        if (rows.entries.length) changed.push({ key, entries: rows.entries, before, after: rows.after });
        continue;
      }
    }
    const now = written(value, text);
    if (now.text !== textOf(before)) changed.push({ key, entries: [now.text === undefined ? `[${wholePath(key)}]` : `[${wholePath(key)},${now.text}]`], before, after: now.written });
  }
  for (const key of only ?? plain.keys()) {
    if (plain.has(key) && !Object.hasOwn(pdoc, key)) changed.push({ key, entries: [`[${wholePath(key)}]`], before: plain.get(key), after: undefined });
  }
  return changed;
}

/** Sets (or, value undefined, deletes) the value at `path` below `root`, making objects on the way. */
function setPath(root: Record<string, unknown>, path: Path, value: unknown): void {
  let node = root;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i]!;
    let next = Object.hasOwn(node, key) ? node[key] : undefined;
    if (typeof next !== "object" || next === null) {
      next = {};
      defineOwn(node, key, next);
    }
    node = next as Record<string, unknown>;
  }
  const last = path[path.length - 1]!;
  if (value === undefined) delete node[last];
  else defineOwn(node, last, value);
}

function getPath(root: unknown, path: Path): unknown {
  let node = root as Record<string, unknown> | undefined;
  for (const key of path) {
    if (typeof node !== "object" || node === null || !Object.hasOwn(node, key)) return undefined;
    node = node[key] as Record<string, unknown>;
  }
  return node;
}

/** An own data property even for keys such as `__proto__`. */
function defineOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  else obj[key] = value;
}

/** One row a table changed since the last batch was taken: enough to write it and to undo it. */
interface RowChange {
  table: Table<any>;
  provider: string;
  key: string;
  id: string;
  previous: unknown;
}

/** A provider document as last written, to tell what changed outside its tables. */
interface Attached {
  doc: object;
  /** top-level keys not held by a Table → their JSON as last written */
  plain: Map<string, Written>;
  /** the entries whose rows may change in place (the routes'): compared by a fresh JSON text */
  inPlace: Set<string>;
}

/** What one batch writes and how to undo it. */
interface Batch {
  lines: string;
  rows: RowChange[];
  touched: Map<string, string | undefined>;
  /** provider → changes written of its entries outside tables (already the attached ones' "last written") */
  plain: Map<string, PlainChange[]>;
  /** providers whose whole document was replaced → the document before */
  replaced: Map<string, object | undefined>;
  /** a whole snapshot (start-up, a log left by a crash, shutdown) instead of a log append */
  snapshot: string[] | null;
  /** the log is past its bound: the state as of this batch (its tables held), written out in the background after it */
  compact: SnapshotParts | null;
}

export interface StoreOptions {
  /** compact the log into a new snapshot once it holds this many bytes (default: 8 MiB, or the snapshot's size if larger) */
  compactLogBytes?: number;
}

const done = Promise.resolve();
const DEFAULT_COMPACT_BYTES = 8 * 1024 * 1024;
/**
 * Batches on their way to the disk at once (each written at its own place in the log). One:
 * what arrives while a batch is on its way joins the next one, so a busy server writes fewer,
 * larger batches. Measured (bench/write-profile.mjs creates, one core): two at once made
 * batches of 3.3–3.6 creates and 10,000 creates took 3.39 s; one makes batches of ~6 and 2.9 s.
 */
const MAX_FLIGHTS = 1;
/**
 * When the next batch is taken: at the end of a turn of the event loop, once every request
 * read in that turn has committed, not at the first commit. On a busy server (the last batch
 * held more than one commit) it waits one turn more while each turn brings new commits, up to
 * this long after its first one: the requests whose bytes are already in the sockets join it.
 * A lone client's commit is written at the end of its own turn. Measured (16 connections, one
 * core, bench/RESULTS.md): batches of ~13 creates instead of ~6, ~13% less CPU a create, and
 * each sync's wait no longer spread over half-empty turns.
 */
const BATCH_WAIT_MS = 5;
/**
 * The log is made longer ahead of its writes, by this many bytes of zeros at a time (synced
 * once), and each batch is written in place over them: a write that does not change the
 * file's size needs no journal commit of the file system to be durable, which halves the
 * cost of each batch's sync (measured: bench/RESULTS.md). The zeros after the last line
 * are not log: a reader stops at the first zero byte.
 */
const LOG_CHUNK = 1024 * 1024;
/** ... but not more than an eighth of the log's bound (a small bound, small steps), nor less than 64 KiB. */
const MIN_LOG_CHUNK = 64 * 1024;
/**
 * O_DSYNC: each write returns once it is on disk (one system call per batch instead of a
 * write and an fdatasync, each a trip through libuv's thread pool). Where the platform has
 * no O_DSYNC, each write is followed by an fdatasync.
 */
const DSYNC: number | undefined = (constants as { O_DSYNC?: number }).O_DSYNC;
let zeros: Buffer | undefined;
/**
 * A compaction's snapshot is written out in slices of this much time, one per turn of the event
 * loop: at 100,000 customers the whole of it took 0.45–0.65 s, during which no request was
 * served (bench/RESULTS.md).
 */
const COMPACT_SLICE_MS = 4;
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

interface Waiters {
  promise: Promise<void>;
  resolve(): void;
  reject(e: unknown): void;
}

function waiters(): Waiters {
  let resolve!: () => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A batch on its way to the disk, and the callers waiting for it. */
interface Flight {
  batch: Batch;
  waiters: Waiters;
  /** log bytes it appends (0 for a snapshot or a compaction, which reset the log) */
  bytes: number;
  /** where in the log its lines go */
  position: number;
  /** a snapshot or a compaction: it runs alone */
  barrier: boolean;
  state: "writing" | "synced" | "failed";
  error?: unknown;
}

/**
 * State held by lowdb, in memory or in a JSON file. With a file, the JSON document is a
 * snapshot and every batch of changes is appended to a log next to it (`<file>.log`), one line
 * and one fsync per batch, O(change). Tables report the rows they put or remove; other
 * top-level entries of a provider's document are compared with what was last written; a
 * replaced provider document or a `touch`ed path is written whole. Start-up loads the snapshot
 * and replays the log (a torn last line is dropped). When the log passes its bound it is
 * rotated (`<file>.log.old`) and a new snapshot is written in the background (temp file +
 * rename), then the old log deleted; replaying a log over a later snapshot changes nothing,
 * so a crash at any point loses no acknowledged write. A batch that cannot be written puts
 * every changed row back as it was and rejects its callers.
 *
 * Group commit: a commit joins the next batch; a batch is taken at the end of a turn of the
 * event loop (BATCH_WAIT_MS) when there is room in the pipeline (MAX_FLIGHTS) and written (one
 * durable write, at its place in the log), and requests keep being served while the disk
 * syncs. Callers hear back in log order: a batch is acknowledged once it and every batch
 * before it are on disk. When any batch fails, every batch not yet acknowledged fails with it
 * (each was built on the ones before), and so do the changes made since, newest first, once
 * all their I/O is over; the log is then cut back to its last acknowledged byte. A snapshot
 * or a compaction runs alone.
 */
export class Store {
  readonly #db: Low<StateDoc>;
  readonly file: string | undefined;
  readonly #log: string;
  readonly #oldLog: string;
  readonly #compactAt: number | undefined;
  /** The runtime reopens a provider's model after a rollback changed its document outside its tables. */
  onRevert: ((provider: string) => void) | undefined;

  #handle: FileHandle | null = null;
  /** the log being opened (flights in the air share it) */
  #opening: Promise<FileHandle> | null = null;
  /** bytes of the log known to be whole lines */
  #logBytes = 0;
  /** bytes of the log file: its lines, then zeros written ahead (LOG_CHUNK) */
  #allocated = 0;
  /** the log being made longer (zeros written ahead), if it is */
  #extending: Promise<void> | null = null;
  #snapshotBytes = 0;
  #compacting: Promise<void> | null = null;
  /** after a compaction failed: the log's size the next one waits for (0: none) */
  #compactAfter = 0;
  #fullNext = false;

  #rows = new Map<string, RowChange>();
  #touched = new Map<string, string | undefined>();
  /** provider → which entries outside its tables a commit may have changed (true: any) */
  #suspects = new Map<string, Set<string> | true>();
  #allSuspect = false;
  readonly #attached = new Map<string, Attached>();

  /** batches written or being written, oldest first, not yet acknowledged */
  #flights: Flight[] = [];
  /** flights whose I/O is not over yet */
  #io = 0;
  /** a batch failed: nothing new is written until every flight's I/O is over and rolled back */
  #broken = false;
  /** callers of commit() whose changes are not in a batch yet */
  #pending: Waiters | null = null;
  /** commits in the pending batch, and in the last batch taken (BATCH_WAIT_MS) */
  #pendingCommits = 0;
  #lastBatchCommits = 0;
  /** when the pending batch's first commit came (performance.now()) */
  #firstCommitAt = 0;
  /** a commit came since the last end-of-turn check */
  #arrived = false;
  /** an end-of-turn check is scheduled */
  #gathering = false;

  private constructor(db: Low<StateDoc>, file: string | undefined, opts: StoreOptions) {
    this.#db = db;
    this.file = file;
    this.#log = `${file}.log`;
    this.#oldLog = `${file}.log.old`;
    this.#compactAt = opts.compactLogBytes;
  }

  /** Opens the store; `loaded` is false when there was nothing to read (fresh state needed). */
  static async open(file?: string, opts: StoreOptions = {}): Promise<{ store: Store; loaded: boolean }> {
    const empty: StateDoc = { format: 1, seed: 1, providers: {}, counters: {} };
    const db = new Low<StateDoc>(file ? new AtomicJsonFile(file) : new Memory<StateDoc>(), empty);
    await db.read();
    let loaded = db.data !== empty && db.data !== null;
    if (!db.data) db.data = empty;
    const store = new Store(db, file, opts);
    if (file) loaded = store.#replay(loaded) || loaded;
    return { store, loaded: Boolean(file) && loaded };
  }

  get doc(): StateDoc {
    return this.#db.data;
  }

  /** Replays `<file>.log.old` then `<file>.log` over the snapshot; true when a log held anything. */
  #replay(snapshotLoaded: boolean): boolean {
    const file = this.file!;
    try {
      this.#snapshotBytes = snapshotLoaded ? statSync(file).size : 0;
    } catch {}
    let any = false;
    for (const [path, last] of [[this.#oldLog, false], [this.#log, true]] as const) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(path);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT") continue;
        throw e;
      }
      // The log ends at its first zero byte: what follows was written ahead (LOG_CHUNK) or,
      // after a crash, by batches never acknowledged (a JSON line holds no zero byte).
      const zero = bytes.indexOf(0);
      const text = bytes.toString("utf8", 0, zero === -1 ? bytes.length : zero);
      if (path === this.#oldLog) this.#fullNext = true;
      let good = 0;
      let start = 0;
      while (start < text.length) {
        const nl = text.indexOf("\n", start);
        const line = nl === -1 ? text.slice(start) : text.slice(start, nl);
        let entry: { c: [Path, unknown?][] } | undefined;
        try {
          entry = nl === -1 ? undefined : (JSON.parse(line) as { c: [Path, unknown?][] });
        } catch {}
        if (!entry) {
          // A torn last line (a crash mid-append) is dropped; a bad line before others is damage.
          const rest = nl === -1 ? "" : text.slice(nl + 1);
          if (rest.trim() !== "") throw new Error(`${path} is damaged (line at byte ${Buffer.byteLength(text.slice(0, start))} is not a log entry)`);
          break;
        }
        for (const [p, value] of entry.c) setPath(this.doc as unknown as Record<string, unknown>, p, value);
        any = true;
        start = nl + 1;
        good = start;
      }
      if (last) {
        const goodBytes = Buffer.byteLength(text.slice(0, good));
        if (goodBytes !== bytes.length) {
          const fd = openSync(path, "r+");
          try {
            ftruncateSync(fd, goodBytes);
            fsyncSync(fd);
          } finally {
            closeSync(fd);
          }
        }
        this.#logBytes = goodBytes;
      }
    }
    return any;
  }

  /**
   * Starts following a provider's document (after its model was opened over it): its tables
   * report their rows, its other top-level entries are compared at each commit. A document
   * that replaced the one followed before (a reset) is written whole by the next batch.
   * `inPlace`: the entries whose rows may be changed in place (ProviderSimulator.writtenByRoutes);
   * the rows of every other entry are replaced, never changed (rowText).
   */
  attach(provider: string, inPlace: readonly string[] = []): void {
    if (!this.file) return;
    const doc = this.doc.providers[provider] as Record<string, unknown> | undefined;
    if (!doc || typeof doc !== "object") return;
    const before = this.#attached.get(provider);
    if (before?.doc === doc) return;
    const plain = new Map<string, Written>();
    const inPlaceKeys = new Set(inPlace);
    const sink = this.#sink(provider);
    for (const key of Object.keys(doc)) {
      const value = doc[key];
      if (isTableRows(value)) watchRows(value as object, sink(key));
      else {
        const w = written(value, inPlaceKeys.has(key) ? freshText : rowText).written;
        if (w !== undefined) plain.set(key, w);
      }
    }
    this.#attached.set(provider, { doc, plain, inPlace: inPlaceKeys });
    if (before) {
      if (!this.#replacedBefore.has(provider)) this.#replacedBefore.set(provider, before.doc);
    }
  }

  readonly #replacedBefore = new Map<string, object | undefined>();

  #sink(provider: string): (key: string) => RowChangeSink {
    return (key) => ({
      changed: (table, id, previous) => {
        const k = `${provider}\u0000${key}\u0000${id}`;
        if (!this.#rows.has(k)) this.#rows.set(k, { table, provider, key, id, previous });
      },
    });
  }

  /**
   * Marks a path of the state document (e.g. "counters", "<provider>"; or "providers",
   * "<provider>", "workspaces", id) as changed: the next batch writes its value whole. Call it
   * before changing the value, so that a failed write can put the old one back.
   */
  touch(...path: string[]): void {
    if (!this.file) return;
    const k = JSON.stringify(path);
    if (!this.#touched.has(k)) {
      const v = getPath(this.doc, path);
      this.#touched.set(k, v === undefined ? undefined : JSON.stringify(v));
    }
  }

  /** The next batch writes a whole snapshot (fresh or re-seeded state). */
  markAll(): void {
    this.#fullNext = true;
  }

  /**
   * Resolves once every change so far is durable (in memory it already is); rejects when the
   * write failed, after putting the changed rows back. `provider`: whose document changed (its
   * entries outside tables are compared); all when absent. `entries`: the only entries outside
   * its tables that may have changed (its tables' rows are reported as they change) — each
   * entry compared costs a JSON.stringify of it, and the tenants and credentials the
   * control plane adds grow without bound (#13: 1,000 made tenants made a create 4× dearer).
   */
  commit(provider?: string, entries?: readonly string[]): Promise<void> {
    if (!this.file) return done;
    if (provider === undefined) this.#allSuspect = true;
    else {
      const known = this.#suspects.get(provider);
      if (entries === undefined) this.#suspects.set(provider, true);
      else if (known === undefined) this.#suspects.set(provider, new Set(entries));
      else if (known !== true) for (const e of entries) known.add(e);
    }
    const promise = (this.#pending ??= waiters()).promise;
    if (this.#pendingCommits++ === 0) this.#firstCommitAt = performance.now();
    this.#arrived = true;
    this.#gather();
    return promise;
  }

  /** Takes the next batch at the end of this turn of the event loop, or later (BATCH_WAIT_MS). */
  #gather(): void {
    if (this.#gathering) return;
    this.#gathering = true;
    setImmediate(this.#endOfTurn);
  }

  readonly #endOfTurn = (): void => {
    const more = this.#arrived && this.#lastBatchCommits > 1 && performance.now() - this.#firstCommitAt < BATCH_WAIT_MS;
    this.#arrived = false;
    if (more) {
      setImmediate(this.#endOfTurn);
      return;
    }
    this.#gathering = false;
    this.#pump();
  };

  /** Starts the next batch if the pipeline has room for it. */
  #pump(): void {
    if (!this.#pending || this.#broken) return;
    const flights = this.#flights;
    const alone = flights.length === 0;
    if (!alone) {
      // A snapshot or a compaction waits for an empty pipeline, and runs alone.
      if (flights.length >= MAX_FLIGHTS || flights[flights.length - 1]!.barrier || this.#fullNext || this.#overBound(0)) return;
    }
    const callers = this.#pending;
    this.#pending = null;
    this.#lastBatchCommits = this.#pendingCommits;
    this.#pendingCommits = 0;
    let batch: Batch;
    try {
      batch = this.#takeBatch(alone);
    } catch (err) {
      callers.reject(err);
      return;
    }
    const barrier = batch.snapshot !== null || batch.compact !== null;
    // Its place in the log: after every line acknowledged or in the air.
    let position = this.#logBytes;
    for (const f of flights) position += f.bytes;
    const flight: Flight = { batch, waiters: callers, bytes: barrier ? 0 : Buffer.byteLength(batch.lines), position, barrier, state: "writing" };
    flights.push(flight);
    void this.#fly(flight);
  }

  /** Writes one batch; the next one may start once its append returned. */
  async #fly(flight: Flight): Promise<void> {
    const { batch } = flight;
    this.#io++;
    try {
      if (batch.snapshot !== null) {
        // Never beside a compaction's snapshot: its older state would be renamed over this one.
        if (this.#compacting) await this.#compacting;
        // Its lines go to the log first, as a compaction's do: the snapshot is then the state the
        // logs end in, and logs it could not cut are replayed over it to that same state.
        const bytes = Buffer.byteLength(batch.lines);
        if (bytes > 0) await this.#writeLines(batch.lines, bytes, flight.position);
        let cut: boolean;
        try {
          cut = await this.#writeSnapshot(batch.snapshot, true);
        } catch (err) {
          if (bytes === 0) throw err;
          // The batch is in the log: written. A snapshot is tried again by the next compaction
          // (once the log has grown by another bound) or at shutdown, not by every batch.
          cut = false;
          console.error(`customer-sim: writing a snapshot of ${this.file} failed: ${(err as Error).message}`);
        }
        if (!cut) this.#notCut(bytes);
      } else if (batch.lines) {
        // (a compaction's lines go to the log it then moves aside: its flight counts no bytes)
        const bytes = flight.barrier ? Buffer.byteLength(batch.lines) : flight.bytes;
        await this.#writeLines(batch.lines, bytes, flight.position);
        // Its lines are on disk now: whatever becomes of the compaction, this batch is written.
        if (batch.compact !== null) await this.#rotate(batch.compact, bytes);
      }
      flight.state = "synced";
    } catch (err) {
      if (batch.snapshot !== null) this.#fullNext = true;
      flight.state = "failed";
      flight.error = err;
      this.#broken = true;
    } finally {
      this.#io--;
    }
    this.#settle();
  }

  /** Acknowledges the synced batches at the head of the pipeline; after a failure, rolls back. */
  #settle(): void {
    const flights = this.#flights;
    while (!this.#broken && flights.length > 0 && flights[0]!.state === "synced") {
      const flight = flights.shift()!;
      this.#logBytes += flight.bytes;
      flight.waiters.resolve();
    }
    if (this.#broken) {
      // Every flight's I/O must be over before the log is cut back and memory put back.
      if (this.#io === 0 && !this.#recovering) void this.#recover();
      return;
    }
    // What came meanwhile is taken as any batch is: at the end of a turn.
    if (this.#pending) this.#gather();
  }

  #recovering = false;

  /**
   * After a failed batch: cuts the log back to its last acknowledged byte (or leaves that to
   * the next append, which reopens the log), then puts memory back and rejects every caller
   * not yet acknowledged. Changes made meanwhile are put back too (they were made over them).
   */
  async #recover(): Promise<void> {
    this.#recovering = true;
    const h = await this.#closeLog();
    if (h) {
      try {
        await h.truncate(this.#logBytes);
        await h.datasync();
      } catch {
        // The next append reopens the log and cuts it there.
      }
      await h.close().catch(() => {});
    }
    const flights = this.#flights;
    this.#flights = [];
    const first = flights.find((f) => f.state === "failed")?.error ?? new Error("a write failed");
    this.#rollback(flights.map((f) => f.batch));
    for (const f of flights) f.waiters.reject(f.state === "failed" ? f.error : first);
    this.#broken = false;
    this.#recovering = false;
    this.#pump();
  }

  /** Whether the log (with what is in flight and `extra` bytes) is past its bound. */
  #overBound(extra: number): boolean {
    if (this.#compacting) return false;
    let bytes = this.#logBytes + extra;
    for (const f of this.#flights) bytes += f.bytes;
    return bytes > this.#bound() && bytes > this.#compactAfter;
  }

  /** Takes every change made since the last batch (synchronously: nothing can slip in). */
  #take(): Batch {
    const doc = this.doc;
    const rows = [...this.#rows.values()];
    const touched = this.#touched;
    const suspects: [string, Set<string> | true][] = this.#allSuspect ? Object.keys(doc.providers).map((name) => [name, true]) : [...this.#suspects];
    this.#rows = new Map();
    this.#touched = new Map();
    this.#suspects = new Map();
    this.#allSuspect = false;
    const replaced = new Map(this.#replacedBefore);
    this.#replacedBefore.clear();

    const entries: string[] = [];
    const plain = new Map<string, PlainChange[]>();
    for (const name of replaced.keys()) entries.push(`[${JSON.stringify(["providers", name])},${JSON.stringify(doc.providers[name])}]`);
    for (const k of touched.keys()) {
      const path = JSON.parse(k) as Path;
      const v = getPath(doc, path);
      entries.push(v === undefined ? `[${k}]` : `[${k},${JSON.stringify(v)}]`);
    }
    for (const [name, only] of suspects) {
      const att = this.#attached.get(name);
      const pdoc = doc.providers[name] as Record<string, unknown> | undefined;
      if (!att || att.doc !== pdoc || !pdoc) continue;
      const changed = plainChanges(name, pdoc, att, only === true ? undefined : only);
      if (CHECK_DECLARED && only !== true) {
        const undeclared = plainChanges(name, pdoc, att).find((c) => !only.has(c.key));
        if (undeclared) throw new Error(`store: providers.${name}.${undeclared.key} changed in a commit that named only [${[...only].join(", ")}] (ProviderSimulator.writtenByRoutes)`);
      }
      if (changed.length === 0) continue;
      plain.set(name, changed);
      for (const change of changed) {
        entries.push(...change.entries);
        // What the next batch compares with (a rollback puts the previous one back).
        if (change.after === undefined) att.plain.delete(change.key);
        else att.plain.set(change.key, change.after);
      }
    }
    for (const r of rows) {
      const rowsObj = (doc.providers[r.provider] as Record<string, Record<string, unknown>> | undefined)?.[r.key];
      const v = rowsObj && Object.hasOwn(rowsObj, r.id) ? rowsObj[r.id] : undefined;
      const path = JSON.stringify(["providers", r.provider, r.key, r.id]);
      entries.push(v === undefined ? `[${path}]` : `[${path},${JSON.stringify(v)}]`);
    }
    const lines = entries.length ? `{"c":[${entries.join(",")}]}\n` : "";
    return { lines, rows, touched, plain, replaced, snapshot: null, compact: null };
  }

  /**
   * The next batch: its changes, and (`alone`: nothing else in flight) whether it writes a
   * snapshot or starts a compaction.
   */
  #takeBatch(alone: boolean): Batch {
    const batch = this.#take();
    if (!alone) return batch;
    try {
      if (this.#fullNext) {
        batch.snapshot = jsonPieces(this.doc);
        this.#fullNext = false;
      } else if (batch.lines && this.#overBound(batch.lines.length)) {
        // Held, not written out: that is done in slices, requests served between them (#rotate).
        batch.compact = snapshotParts(this.doc, isTableRows);
      }
    } catch (err) {
      // (a value JSON cannot write: the batch's changes are put back, as for a failed write)
      this.#rollback([batch]);
      throw err;
    }
    return batch;
  }

  #bound(): number {
    return this.#compactAt ?? Math.max(DEFAULT_COMPACT_BYTES, this.#snapshotBytes);
  }

  /** Writes a batch's `text` at `position` of the log; resolves once it is on disk. */
  async #writeLines(text: string, bytes: number, position: number): Promise<void> {
    const end = position + bytes;
    let h = await this.#openLog();
    while (this.#allocated < end) {
      await (this.#extending ??= this.#extend(h, end).finally(() => (this.#extending = null)));
      h = await this.#openLog();
    }
    // Made longer ahead, off this batch's path, when the next ones are about to need it.
    if (this.#allocated - end < this.#chunk() / 4 && !this.#extending) {
      this.#extending = this.#extend(h, end).finally(() => (this.#extending = null));
      this.#extending.catch(noop); // a failure shows again on the write that needs the room
    }
    // (a string: node encodes it straight into the write, no Buffer of our own per batch)
    const { bytesWritten } = await h.write(text, position, "utf8");
    if (bytesWritten !== bytes) throw new Error(`${this.#log}: short write (${bytesWritten} of ${bytes} bytes)`);
    // fdatasync: the data, not the mtime (the size does not change: it was written ahead)
    if (DSYNC === undefined) await h.datasync();
  }

  /** Writes zeros after the log's last allocated byte, to past `end` by a chunk; on disk when it resolves. */
  async #extend(h: FileHandle, end: number): Promise<void> {
    const from = this.#allocated;
    const to = Math.max(end, from) + this.#chunk();
    zeros ??= Buffer.alloc(LOG_CHUNK);
    for (let at = from; at < to; ) {
      const n = Math.min(zeros.length, to - at);
      const { bytesWritten } = await h.write(zeros, 0, n, at);
      if (bytesWritten !== n) throw new Error(`${this.#log}: short write (${bytesWritten} of ${n} bytes)`);
      at += n;
    }
    if (DSYNC === undefined) await h.datasync();
    if (this.#handle === h) this.#allocated = Math.max(this.#allocated, to);
  }

  #chunk(): number {
    return Math.min(LOG_CHUNK, Math.max(MIN_LOG_CHUNK, Math.floor(this.#bound() / 8)));
  }

  /** The log, opened for writes in place (once; flights in the air share it). */
  #openLog(): Promise<FileHandle> {
    if (this.#handle) return Promise.resolve(this.#handle);
    return (this.#opening ??= (async () => {
      try {
        await mkdir(dirname(this.#log), { recursive: true });
        const h = await open(this.#log, constants.O_WRONLY | constants.O_CREAT | (DSYNC ?? 0), 0o666);
        try {
          // Whatever a failed write left after the last whole line goes (zeros written ahead too).
          if ((await h.stat()).size !== this.#logBytes) {
            await h.truncate(this.#logBytes);
            await h.datasync();
          }
        } catch (e) {
          await h.close();
          throw e;
        }
        this.#allocated = this.#logBytes;
        this.#handle = h;
        return h;
      } finally {
        this.#opening = null;
      }
    })());
  }

  /** Detaches the log's handle (after any extension under way) and returns it, for the caller to close. */
  async #closeLog(): Promise<FileHandle | null> {
    await this.#opening?.catch(noop);
    await this.#extending?.catch(noop);
    const h = this.#handle;
    this.#handle = null;
    this.#allocated = 0;
    return h;
  }

  /**
   * A batch's `lineBytes` stay in the log, acknowledged where they are (its snapshot or
   * compaction could not be made, or could not cut the log): the next try waits until the log
   * has grown by another bound, so a disk that keeps refusing does not cost a whole snapshot
   * per batch.
   */
  #notCut(lineBytes: number): void {
    this.#logBytes += lineBytes;
    this.#compactAfter = this.#logBytes + this.#bound();
  }

  /**
   * Moves the log aside and writes the snapshot of `parts` (which covers it) in the background:
   * its rows are written out a slice of time per turn of the event loop (COMPACT_SLICE_MS), so
   * requests keep being served meanwhile. What they change goes to the new log, and the held
   * rows are as they were when the batch was taken. Never throws: the batch's `lineBytes` are
   * already in the log, and a compaction that cannot be made leaves them there.
   */
  async #rotate(parts: SnapshotParts, lineBytes: number): Promise<void> {
    const keep = (err: unknown) => {
      this.#notCut(lineBytes);
      console.error(`customer-sim: compacting ${this.file} failed: ${(err as Error).message}`);
    };
    if (await exists(this.#oldLog)) {
      // An old log is still there (its snapshot failed): write this one in line instead.
      try {
        // (not cut: the old log could not go, and both stay, this batch's lines included)
        if (!(await this.#writeSnapshot(await finishPieces(parts, nextTurn, COMPACT_SLICE_MS), true))) this.#notCut(lineBytes);
      } catch (err) {
        keep(err);
      }
      return;
    }
    try {
      const h = await this.#closeLog();
      await h?.close();
      await rename(this.#log, this.#oldLog);
    } catch (err) {
      keep(err);
      return;
    }
    await syncDir(dirname(this.#log));
    this.#logBytes = 0;
    this.#compactAfter = 0;
    this.#compacting = finishPieces(parts, nextTurn, COMPACT_SLICE_MS)
      .then(async (text) => void (await this.#writeSnapshot(text, false)))
      .catch((err) => {
        // The old log stays; the next bound or shutdown writes a snapshot in line.
        console.error(`customer-sim: compacting ${this.file} failed: ${(err as Error).message}`);
      })
      .finally(() => {
        this.#compacting = null;
      });
  }

  /**
   * Writes a snapshot; then the logs it covers go (`inline`: the current log too). Resolves
   * with whether the current log was cut (#logBytes is then 0).
   */
  async #writeSnapshot(text: string[], inline: boolean): Promise<boolean> {
    const file = this.file!;
    await mkdir(dirname(file), { recursive: true });
    this.#snapshotBytes = await writeAtomic(file, text);
    // From here the snapshot is the state the logs end in (their lines were written before it
    // was taken): replayed over it, they give it again. So what follows only tidies up and
    // cannot fail the write, but the current log is cut only once the old one is gone (the old
    // one replayed alone over the snapshot would take back what the current one changed since).
    const oldGone = await unlink(this.#oldLog).then(
      () => true,
      (e: NodeJS.ErrnoException) => e.code === "ENOENT",
    );
    // (the removal on disk before the cut: a power loss must not bring the old log back alone)
    if (oldGone && inline) await syncDir(dirname(file));
    if (inline && oldGone) {
      const h = await this.#closeLog();
      // (the log is closed: if the cut below does not happen, its next opening cuts it to this)
      this.#logBytes = 0;
      this.#compactAfter = 0;
      if (h) {
        await h.truncate(0).then(() => h.sync()).catch(noop);
        await h.close().catch(noop);
      } else {
        await unlink(this.#log).catch(noop);
      }
      return true;
    }
    return false;
  }

  /** Puts back everything the batches (oldest first) and any change made since changed in memory. */
  #rollback(batches: Batch[]): void {
    const later = this.#take();
    const reopen = new Set<string>();
    for (const b of [later, ...[...batches].reverse()]) {
      for (let i = b.rows.length - 1; i >= 0; i--) {
        const r = b.rows[i]!;
        r.table.restore(r.id, r.previous);
      }
      for (const [k, text] of b.touched) setPath(this.doc as unknown as Record<string, unknown>, JSON.parse(k) as Path, text === undefined ? undefined : JSON.parse(text));
      for (const [name, changed] of b.plain) {
        const pdoc = this.doc.providers[name] as Record<string, unknown>;
        const att = this.#attached.get(name);
        for (const { key, before } of changed) {
          // (the entry as it was written, its rows in their order)
          if (att?.doc === pdoc) {
            if (before === undefined) att.plain.delete(key);
            else att.plain.set(key, before);
          }
          if (before === undefined) delete pdoc[key];
          else defineOwn(pdoc, key, valueOf(before));
          reopen.add(name);
        }
      }
      for (const [name, before] of b.replaced) {
        if (before) this.doc.providers[name] = before;
        this.#attached.delete(name);
        reopen.add(name);
      }
    }
    // Once every batch is undone: an earlier batch's rows are put back through the tables that
    // changed them, which a model reopened in between would not see.
    for (const name of reopen) this.onRevert?.(name);
    // The changes taken by `later` were undone too: their callers must hear of it.
    const pending = this.#pending;
    this.#pending = null;
    this.#pendingCommits = 0;
    pending?.reject(new Error("an earlier write of the same batch failed"));
  }

  /** Waits for every write already asked for (and a compaction under way). */
  async flush(): Promise<void> {
    for (;;) {
      const w = this.#flights[this.#flights.length - 1]?.waiters.promise ?? this.#pending?.promise ?? this.#compacting;
      if (!w) return;
      await w.then(noop, noop);
    }
  }

  /**
   * Flushes, then folds the log into the snapshot (shutdown): after a clean stop the file alone
   * holds the whole state (users copy it, commit it, hand it to another run).
   */
  async close(): Promise<void> {
    if (!this.file) return;
    await this.flush();
    // (an old log left by a compaction that failed counts too: after a clean stop the file alone holds the state)
    if (this.#logBytes > 0 || this.#fullNext || (await exists(this.#oldLog))) {
      this.#fullNext = true;
      await this.commit().catch((err) => console.error(`customer-sim: final snapshot of ${this.file} failed: ${(err as Error).message}`));
    }
    await (await this.#closeLog())?.close().catch(noop);
  }
}

function noop(): void {}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
