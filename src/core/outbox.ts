// Outgoing deliveries (webhooks): one FIFO queue per target, attempts with back-off on the
// simulator's clock, and persistence. The queue is plain JSON inside a provider's persisted
// document (`OutboxState`), so a restart with the same data file resumes what was pending; the
// provider builds each attempt's request and records its outcome through hooks. Timers are
// unref'd: they never keep the process alive. Nothing here waits on an API response.
import type { Clock } from "./clock.js";
import { SeededRandom } from "./ids.js";

/** A message waiting for its next attempt. */
export interface OutboxMessage {
  /** Unique within the outbox; numeric order is the enqueue order (FIFO per target). */
  key: string;
  /** The queue it waits in (e.g. an endpoint id): one target's messages go one at a time. */
  target: string;
  /** What the provider delivers (e.g. an event id). */
  ref: string;
  /** Attempts made so far. */
  attempts: number;
  /** When the next attempt is due, epoch microseconds on the simulator's clock. */
  dueAt: number;
}

/** The persisted queue: lives in the provider's state document. */
export interface OutboxState {
  next: number;
  pending: Record<string, OutboxMessage>;
}

export function emptyOutbox(): OutboxState {
  return { next: 1, pending: {} };
}

/** Queues a message at the tail of `target`'s queue, due at `dueAt` (the caller commits). */
export function enqueue(state: OutboxState, target: string, ref: string, dueAt: number): OutboxMessage {
  const key = String(state.next++);
  const message: OutboxMessage = { key, target, ref, attempts: 0, dueAt };
  state.pending[key] = message;
  return message;
}

/** Removes every pending message of a target (the caller commits); returns them. */
export function dropTarget(state: OutboxState, target: string): OutboxMessage[] {
  const dropped: OutboxMessage[] = [];
  for (const m of Object.values(state.pending)) {
    if (m.target !== target) continue;
    dropped.push(m);
    delete state.pending[m.key];
  }
  return dropped;
}

export interface OutboxRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface AttemptOutcome {
  succeeded: boolean;
  /** The receiver's status, or null when it could not be reached (refused, timed out). */
  status: number | null;
  /** The receiver's body (first `responseLimit` characters), or the error message. */
  response: string;
}

export interface OutboxHooks {
  /** The request of one attempt (built fresh: timestamps, signatures), or null to drop the message unsent. */
  request(message: OutboxMessage, nowMicros: number): OutboxRequest | null;
  /** Records an attempt; `final` when none follows (it succeeded, or it was the last). */
  recorded(message: OutboxMessage, outcome: AttemptOutcome, final: boolean, nowMicros: number): void;
  /** Makes the changes durable. */
  commit(): Promise<void>;
}

export interface OutboxOptions {
  clock: Clock;
  /** Attempts in all, the first included. */
  maxAttempts: number;
  timeoutMs: number;
  /** Delay before the n-th retry (n ≥ 1), given a seeded source of [0, 1) numbers. */
  retryDelayMs(retry: number, random: () => number): number;
  /** How much of a receiver's body is kept. */
  responseLimit: number;
}

/** Delay of the n-th retry: uniform in [base·2^n, base·2^(n+1)], capped. */
export function exponentialBackoff(baseMs: number, capMs: number): OutboxOptions["retryDelayMs"] {
  return (retry, random) => {
    const low = baseMs * 2 ** retry;
    return Math.min(capMs, Math.round(low + random() * low));
  };
}

const MAX_TIMER_MS = 2 ** 31 - 1;

export interface DrainResult {
  attempted: number;
  succeeded: number;
}

/**
 * The worker over one OutboxState. `kick()` after enqueueing; `deliverPending()` makes every
 * pending attempt now (one per message, in order per target); `stop()` cancels timers and
 * aborts attempts in flight (those are not recorded: they stay pending).
 */
export class Outbox {
  readonly #state: OutboxState;
  readonly #hooks: OutboxHooks;
  readonly #opts: OutboxOptions;
  readonly #lanes = new Map<string, Promise<unknown>>();
  readonly #abort = new AbortController();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;

  constructor(state: OutboxState, hooks: OutboxHooks, opts: OutboxOptions) {
    this.#state = state;
    this.#hooks = hooks;
    this.#opts = opts;
  }

  /** Starts working on what is pending (e.g. after a restart). */
  start(): this {
    this.#arm();
    return this;
  }

  /** Something was enqueued: work on it soon, never in the caller's turn. */
  kick(): void {
    if (this.#stopped) return;
    this.#setTimer(0);
  }

  /** Every pending message gets an attempt now (a failure still holds back its target's later ones). */
  async deliverPending(): Promise<DrainResult> {
    return this.#pump(true);
  }

  /** Pending messages, in order (for tests and the control plane). */
  pending(): OutboxMessage[] {
    return Object.values(this.#state.pending).sort(bySeq);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#abort.abort();
    await Promise.all([...this.#lanes.values()].map((p) => p.catch(() => undefined)));
  }

  #now(): number {
    return this.#opts.clock.nowMicros();
  }

  /** The first message of every target. */
  #heads(): Map<string, OutboxMessage> {
    const heads = new Map<string, OutboxMessage>();
    for (const m of Object.values(this.#state.pending)) {
      const head = heads.get(m.target);
      if (!head || bySeq(m, head) < 0) heads.set(m.target, m);
    }
    return heads;
  }

  async #pump(force: boolean): Promise<DrainResult> {
    const total: DrainResult = { attempted: 0, succeeded: 0 };
    if (this.#stopped) return total;
    const runs = [...this.#heads().keys()].map((target) => this.#inLane(target, () => this.#drain(target, force)));
    for (const r of await Promise.all(runs)) {
      total.attempted += r.attempted;
      total.succeeded += r.succeeded;
    }
    this.#arm();
    return total;
  }

  /** Runs `work` after whatever the target's lane is doing: one attempt at a time per target. */
  #inLane<T>(target: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#lanes.get(target) ?? Promise.resolve();
    const run = previous.then(work, work);
    const tail = run.catch(() => undefined);
    this.#lanes.set(target, tail);
    void tail.then(() => {
      if (this.#lanes.get(target) === tail) this.#lanes.delete(target);
    });
    return run;
  }

  async #drain(target: string, force: boolean): Promise<DrainResult> {
    const result: DrainResult = { attempted: 0, succeeded: 0 };
    const seen = new Set<string>();
    while (!this.#stopped) {
      const head = this.#headOf(target);
      if (!head || seen.has(head.key)) break;
      if (!force && head.dueAt > this.#now()) break;
      seen.add(head.key);
      const outcome = await this.#attempt(head);
      if (outcome === "aborted") break;
      if (outcome === "dropped") continue;
      result.attempted++;
      if (outcome.succeeded) result.succeeded++;
      // FIFO: a message waiting for its retry holds back the later ones of its target
      else if (Object.hasOwn(this.#state.pending, head.key)) break;
    }
    return result;
  }

  #headOf(target: string): OutboxMessage | undefined {
    let head: OutboxMessage | undefined;
    for (const m of Object.values(this.#state.pending)) {
      if (m.target === target && (!head || bySeq(m, head) < 0)) head = m;
    }
    return head;
  }

  async #attempt(message: OutboxMessage): Promise<AttemptOutcome | "aborted" | "dropped"> {
    const request = this.#hooks.request(message, this.#now());
    if (!request) {
      delete this.#state.pending[message.key];
      await this.#hooks.commit();
      return "dropped";
    }
    const outcome = await this.#send(request);
    if (outcome === "aborted" || this.#stopped) return "aborted";
    const now = this.#now();
    const attempts = message.attempts + 1;
    const final = outcome.succeeded || attempts >= this.#opts.maxAttempts;
    const after: OutboxMessage = { ...message, attempts };
    if (final) {
      delete this.#state.pending[message.key];
    } else if (Object.hasOwn(this.#state.pending, message.key)) {
      const random = new SeededRandom(`outbox:${message.ref}:${message.key}:${attempts}`);
      after.dueAt = now + this.#opts.retryDelayMs(attempts, () => random.next()) * 1000;
      this.#state.pending[message.key] = after;
    }
    this.#hooks.recorded(after, outcome, final, now);
    await this.#hooks.commit();
    return outcome;
  }

  async #send(request: OutboxRequest): Promise<AttemptOutcome | "aborted"> {
    // A timer of our own, not AbortSignal.timeout: on Node 20 a timeout signal that only
    // AbortSignal.any refers to can be garbage-collected and then never fires — a receiver that
    // never answers held its endpoint's queue for good (seen in the test suite under GC).
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(new DOMException("The operation was aborted due to timeout", "TimeoutError")), this.#opts.timeoutMs);
    timer.unref();
    const signal = AbortSignal.any([this.#abort.signal, timeout.signal]);
    try {
      // Redirects are answers, never followed.
      const res = await fetch(request.url, { method: "POST", headers: request.headers, body: request.body, redirect: "manual", signal });
      const text = await res.text();
      return { succeeded: res.status >= 200 && res.status < 300, status: res.status, response: text.slice(0, this.#opts.responseLimit) };
    } catch (err) {
      if (this.#abort.signal.aborted) return "aborted";
      return { succeeded: false, status: null, response: errorMessage(err).slice(0, this.#opts.responseLimit) };
    } finally {
      clearTimeout(timer);
    }
  }

  /** One unref'd timer, for the earliest due head. */
  #arm(): void {
    if (this.#stopped) return;
    let due = Infinity;
    for (const head of this.#heads().values()) due = Math.min(due, head.dueAt);
    if (due === Infinity) {
      if (this.#timer) clearTimeout(this.#timer);
      this.#timer = undefined;
      return;
    }
    this.#setTimer(Math.max(0, Math.ceil((due - this.#now()) / 1000)));
  }

  #setTimer(ms: number): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#pump(false).catch((err) => console.error("outbox:", err));
    }, Math.min(ms, MAX_TIMER_MS));
    this.#timer.unref();
  }
}

function bySeq(a: OutboxMessage, b: OutboxMessage): number {
  return Number(a.key) - Number(b.key);
}

/** What went wrong reaching the receiver: the network error's own message when there is one. */
function errorMessage(err: unknown): string {
  if (err instanceof Error) {
    if (err.name === "TimeoutError") return `Timed out: ${err.message}`;
    const cause = (err as { cause?: unknown }).cause;
    if (cause instanceof Error && cause.message) return cause.message;
    return err.message;
  }
  return String(err);
}
