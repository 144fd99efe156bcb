/**
 * The scheduler of `waitAll` and `asCompleted`, for both flavours: it admits at most `concurrency`
 * runs (each an operation's `watch`), steps each one through its effects, collects the operations
 * in the order they finish, and on the first failure stops every run. A runner performs the
 * effects it hands out: the promise one all at once ({@link ManyScheduler.take}), the blocking one
 * the earliest due first ({@link ManyScheduler.next}).
 */
import type { Effect, Run } from './machine';

/** An effect of one run, handed out to be performed; resume it with its outcome. */
export interface Task<O, S> {
  readonly op: O;
  readonly effect: Exclude<Effect<S>, { type: 'progress' }>;
}

export type Outcome = { value: unknown } | { error: unknown };

interface Live<O, S> {
  op: O;
  run: Run<S, unknown>;
  task: Task<O, S> | null;
  handedOut: boolean;
}

export class ManyScheduler<O, S> {
  readonly #queue: Array<{ op: O; start: () => Run<S, unknown> }>;
  readonly #concurrency: number;
  readonly #live = new Map<Task<O, S>, Live<O, S>>();
  readonly #finished: O[] = [];
  #failure: { error: unknown } | null = null;
  #running = 0;

  constructor(entries: ReadonlyArray<{ op: O; start: () => Run<S, unknown> }>, concurrency: number) {
    this.#queue = [...entries];
    this.#concurrency = concurrency;
  }

  /** The first failure of any run; once set, every run is stopped. */
  get failure(): { error: unknown } | null {
    return this.#failure;
  }

  /** True when every operation has finished (or a run failed). */
  get done(): boolean {
    return this.#failure !== null || (this.#running === 0 && this.#queue.length === 0);
  }

  /** The next operation that finished, in the order they finished. */
  popFinished(): O | undefined {
    return this.#finished.shift();
  }

  /** Admits runs up to `concurrency` and hands out every effect not handed out yet. */
  take(): Array<Task<O, S>> {
    this.#admit();
    const out: Array<Task<O, S>> = [];
    for (const live of this.#live.values()) {
      if (!live.handedOut) {
        live.handedOut = true;
        out.push(live.task!);
      }
    }
    return out;
  }

  /**
   * The effect due first (`nowMs()` values): a request or a settle at once, a sleep at its
   * `untilMs`; `null` when nothing is left. It stays pending until resumed. A run is admitted only
   * when nothing is due at once, so that its first request's deadline is fixed when that request
   * can go, not while it waits behind the first requests of all the others.
   */
  next(): Task<O, S> | null {
    for (;;) {
      let best: Task<O, S> | null = null;
      for (const task of this.#live.keys()) {
        if (best === null || dueOf(task) < dueOf(best)) best = task;
      }
      if ((best === null || best.effect.type === 'sleep') && this.#admitOne()) continue;
      return best;
    }
  }

  /** Feeds a task's outcome back and steps its run to its next effect. */
  resume(task: Task<O, S>, outcome: Outcome): void {
    const live = this.#live.get(task);
    if (!live || this.#failure) return;
    this.#live.delete(task);
    this.#step(live, outcome);
  }

  /** Stops every run (their `finally` blocks run). */
  stop(): void {
    for (const live of this.#live.values()) live.run.return(undefined);
    this.#live.clear();
    this.#queue.length = 0;
  }

  #admit(): void {
    while (this.#admitOne());
  }

  /** Starts the next run waiting, if the concurrency allows; false when none was started. */
  #admitOne(): boolean {
    if (this.#failure || this.#running >= this.#concurrency || this.#queue.length === 0) return false;
    const { op, start } = this.#queue.shift()!;
    this.#running += 1;
    let run: Run<S, unknown>;
    try {
      run = start();
    } catch (error) {
      this.#fail(error);
      return false;
    }
    this.#step({ op, run, task: null, handedOut: false }, { value: undefined });
    return true;
  }

  #step(live: Live<O, S>, outcome: Outcome): void {
    let input = outcome;
    for (;;) {
      let next: IteratorResult<Effect<S>, unknown>;
      try {
        next = 'error' in input ? live.run.throw(input.error) : live.run.next(input.value);
      } catch (error) {
        this.#fail(error);
        return;
      }
      if (next.done) {
        this.#running -= 1;
        this.#finished.push(live.op);
        return;
      }
      const effect = next.value;
      if (effect.type === 'progress') {
        input = { value: undefined };
        continue;
      }
      const task: Task<O, S> = { op: live.op, effect };
      live.task = task;
      live.handedOut = false;
      this.#live.set(task, live);
      return;
    }
  }

  #fail(error: unknown): void {
    this.#failure ??= { error };
    this.#running -= 1;
    this.stop();
  }
}

function dueOf(task: Task<unknown, unknown>): number {
  return task.effect.type === 'sleep' ? task.effect.untilMs : Number.NEGATIVE_INFINITY;
}
