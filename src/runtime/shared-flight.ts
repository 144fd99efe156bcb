/**
 * One run of an async task, shared by every caller that asks while it runs: concurrent first
 * calls of the credential chain share one resolution, concurrent token refreshes share one
 * request, concurrent polls of one operation share one Get.
 */
import { markDeadline } from '../core/deadline';
import { type AbortWatcher, unwatchAbort, watchAbort } from './abort';
import { LazyAbort } from './lazy-abort';
import { lend } from './lend';

/** A caller's own deadline within a run: it leaves then, with `error()` marked with `atMs` (a `Date.now()` value). */
export interface Leave {
  readonly atMs: number;
  readonly error: () => object;
}

/** How a caller joins a run. */
export interface JoinOptions {
  /**
   * `signal` is the signal of a scope (`./call-scope.ts`) that every caller's signal follows; a run
   * this call starts then runs under it, with no abort of its own (its callers can all leave only
   * when it aborts).
   */
  scoped?: boolean;
  /** The caller leaves the run at its own deadline, before the run's. */
  leave?: Leave;
}

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

  /** True while a run is in flight that a caller may join (its callers have not all left). */
  get busy(): boolean {
    return this.#run !== null && !this.#run.signal.aborted;
  }

  /**
   * Joins the run in flight, or starts `task` as a new one. Rejects with `signal.reason` when
   * `signal` aborts, and with the deadline's error at `join.leave` (see {@link JoinOptions}).
   * A caller with neither gets the run's own promise. (A caller under the run's own signal still
   * leaves at once when it aborts: the run itself may be awaiting code of others that ignores it.)
   */
  run(task: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal, join: JoinOptions = {}): Promise<T> {
    try {
      signal?.throwIfAborted();
      const live = this.busy ? this.#run! : this.#start(task, join.scoped ? (signal ?? null) : null);
      live.callers += 1;
      if (!signal && !join.leave) return live.promise;
      return new Promise<T>((resolve, reject) => new Caller(live, signal, join.leave, resolve, reject));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Called each time a run has settled and none is in flight. */
  protected idle(): void {}

  #start(task: (signal: AbortSignal) => Promise<T>, scope: AbortSignal | null): Run<T> {
    const abort = scope ? null : new LazyAbort();
    // Lent: the one call the task makes with it aborts it at its own deadline, with no abort of its own.
    const signal = scope ?? lend(abort!);
    // A run always has a caller listening (the one that starts it), so its rejection is handled.
    const promise = task(signal).then(
      (value) => {
        this.#ended(run);
        return value;
      },
      (error: unknown) => {
        this.#ended(run);
        throw error;
      },
    );
    const run: Run<T> = { promise, signal, abort, callers: 0 };
    this.#run = run;
    return run;
  }

  #ended(run: Run<T>): void {
    if (this.#run !== run) return;
    this.#run = null;
    this.idle();
  }
}

/**
 * One caller of a run that may leave it early: it owns its ways out, its signal's watch and its
 * deadline's timer (whose error it marks with the deadline), in one object.
 */
class Caller<T> implements AbortWatcher {
  #timer: NodeJS.Timeout | null = null;
  #settled = false;

  constructor(
    private readonly run: Run<T>,
    private readonly signal: AbortSignal | undefined,
    leave: Leave | undefined,
    resolve: (value: T) => void,
    private readonly reject: (error: unknown) => void,
  ) {
    if (leave) this.#timer = setTimeout(() => this.#leave(markDeadline(leave.error(), leave.atMs)), Math.max(0, leave.atMs - Date.now()));
    // One listener per signal however many flights it joins (a waitAll's signal joins them all).
    if (signal) watchAbort(signal, this);
    run.promise.then(
      (value) => this.#settle() && resolve(value),
      (error: unknown) => this.#settle() && reject(error),
    );
  }

  onAbort(reason: unknown): void {
    this.#leave(reason);
  }

  /** Leaves the run with `reason`; the last caller to leave aborts it. */
  #leave(reason: unknown): void {
    if (!this.#settle()) return;
    const { run } = this;
    run.callers -= 1;
    if (run.callers === 0) run.abort?.abort(reason);
    this.reject(reason);
  }

  /** True the first time: the caller is done, its timer and its watch go. */
  #settle(): boolean {
    if (this.#settled) return false;
    this.#settled = true;
    if (this.#timer) clearTimeout(this.#timer);
    if (this.signal) unwatchAbort(this.signal, this);
    return true;
  }
}
