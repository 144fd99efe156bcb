/**
 * One run of an async task, shared by every caller that asks while it runs: concurrent first
 * calls of the credential chain share one resolution, concurrent token refreshes share one
 * request, concurrent polls of one operation share one Get.
 */
import { whenAborted } from './abort';
import { LazyAbort } from './lazy-abort';
import { lend } from './lend';

interface Run<T> {
  readonly promise: Promise<T>;
  /** The run's signal: its own abort's (lent), or the signal of the scope its callers all follow. */
  readonly signal: AbortSignal;
  /** Aborted when the last caller leaves through its signal; `null` under a scope's signal. */
  readonly abort: LazyAbort | null;
  /** Callers still waiting. */
  callers: number;
}

/**
 * Runs `task` at most once at a time. A caller that asks while a run is in flight joins it.
 * Each caller may leave early through its own `signal` (it then rejects with that signal's
 * reason); the run itself is aborted only when every caller has left. A settled run, fulfilled
 * or rejected, is forgotten: the next caller starts a new one, so a failure is not cached. The
 * task's signal is lent with its abort (`./lend.ts`).
 */
export class SharedFlight<T> {
  #run: Run<T> | null = null;
  readonly #onIdle: (() => void) | undefined;

  /** @param onIdle Called each time a run has settled and none is in flight. */
  constructor(onIdle?: () => void) {
    this.#onIdle = onIdle;
  }

  /** True while a run is in flight. */
  get busy(): boolean {
    return this.#run !== null;
  }

  /**
   * Joins the run in flight, or starts `task` as a new one. Rejects with `signal.reason` when
   * `signal` aborts. `scoped`: `signal` is the signal of a scope (`./call-scope.ts`) that every
   * caller's signal follows; a run this call starts then runs under it, with no abort of its own
   * (its callers can all leave only when it aborts).
   */
  run(task: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal, scoped = false): Promise<T> {
    try {
      signal?.throwIfAborted();
      const live = this.#run && !this.#run.signal.aborted ? this.#run : this.#start(task, scoped ? signal ?? null : null);
      return join(live, signal);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #start(task: (signal: AbortSignal) => Promise<T>, scope: AbortSignal | null): Run<T> {
    const abort = scope ? null : new LazyAbort();
    // Lent: the one call the task makes with it aborts it at its own deadline, with no abort of its own.
    const signal = scope ?? lend(abort!);
    const promise = task(signal).finally(() => {
      if (this.#run !== run) return;
      this.#run = null;
      this.#onIdle?.();
    });
    // A run that every caller left rejects with nobody listening: not an unhandled rejection.
    promise.catch(() => undefined);
    const run: Run<T> = { promise, signal, abort, callers: 0 };
    this.#run = run;
    return run;
  }
}

function join<T>(run: Run<T>, signal: AbortSignal | undefined): Promise<T> {
  run.callers += 1;
  if (!signal) return run.promise;
  return new Promise<T>((resolve, reject) => {
    // One listener per signal however many flights it joins (a waitAll's signal joins them all).
    const stop = whenAborted(signal, (reason) => {
      run.callers -= 1;
      if (run.callers === 0) run.abort?.abort(reason);
      reject(reason);
    });
    run.promise.then(
      (value) => {
        stop();
        resolve(value);
      },
      (error: unknown) => {
        stop();
        reject(error);
      },
    );
  });
}
