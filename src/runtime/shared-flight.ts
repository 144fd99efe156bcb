/**
 * One run of an async task, shared by every caller that asks while it runs: concurrent first
 * calls of the credential chain share one resolution, concurrent token refreshes share one
 * request, concurrent polls of one operation share one Get.
 */
import { whenAborted } from './abort';
import { lend } from './lend';

interface Run<T> {
  readonly promise: Promise<T>;
  readonly controller: AbortController;
  /** Callers still waiting; when the last one leaves through its signal, the run is aborted. */
  callers: number;
}

/**
 * Runs `task` at most once at a time. A caller that asks while a run is in flight joins it.
 * Each caller may leave early through its own `signal` (it then rejects with that signal's
 * reason); the run itself is aborted only when every caller has left. A settled run, fulfilled
 * or rejected, is forgotten: the next caller starts a new one, so a failure is not cached. The
 * task's signal is lent with its controller (`./lend.ts`).
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
   * `signal` aborts.
   */
  async run(task: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
    signal?.throwIfAborted();
    const live = this.#run && !this.#run.controller.signal.aborted ? this.#run : this.#start(task);
    return join(live, signal);
  }

  #start(task: (signal: AbortSignal) => Promise<T>): Run<T> {
    const controller = new AbortController();
    // Lent: the one call the task makes with it aborts it at its own deadline, with no controller of its own.
    const promise = task(lend(controller)).finally(() => {
      if (this.#run !== run) return;
      this.#run = null;
      this.#onIdle?.();
    });
    // A run that every caller left rejects with nobody listening: not an unhandled rejection.
    promise.catch(() => undefined);
    const run: Run<T> = { promise, controller, callers: 0 };
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
      if (run.callers === 0) run.controller.abort(reason);
      reject(reason);
    });
    run.promise.then(resolve, reject).finally(stop);
  });
}
