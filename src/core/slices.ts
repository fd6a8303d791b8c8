// Background work in slices: a step function run for a few milliseconds per turn of the event
// loop, so that requests are served between slices.

/** A run of steps in slices; `stop()` ends it after the current slice. */
export interface SliceRun {
  stop(): void;
  /** resolves when the steps are done, or stopped (a step that throws ends the run too) */
  readonly done: Promise<void>;
}

/**
 * Runs `steps` (an iterator: each `next()` one small step) for `sliceMs` per turn of the event
 * loop until it is done or stopped. A step that throws ends the run and `onError` hears of it.
 */
export function inSlices(steps: Iterator<unknown>, sliceMs: number, onError: (err: unknown) => void = () => {}): SliceRun {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const end = () => {
    stopped = true;
    try {
      steps.return?.();
    } catch {
      // (its own clean-up failed: nothing to undo here)
    }
    finish();
  };
  const slice = () => {
    timer = undefined;
    if (stopped) return;
    const until = performance.now() + sliceMs;
    try {
      do {
        if (steps.next().done) {
          stopped = true;
          finish();
          return;
        }
      } while (performance.now() < until);
    } catch (err) {
      end();
      onError(err);
      return;
    }
    timer = setTimeout(slice, 0).unref();
  };
  // (a timer, unref'd: background work never keeps a process alive, and unlike an unref'd
  // setImmediate it also runs while the process only waits for requests)
  timer = setTimeout(slice, 0).unref();
  return {
    stop() {
      if (stopped) return;
      if (timer) clearTimeout(timer);
      timer = undefined;
      end();
    },
    done,
  };
}
