/**
 * The promise runner of the operation machine (`src/core/machine.ts`): it performs each effect
 * with promises (a request through the operation's fetcher, an abortable sleep, an awaited value)
 * and hands each status out as it comes. It decides nothing.
 */
import type { Effect, RequestAnswer, Run } from '../core/machine';
import { mustGoAt } from '../core/request-line';
import { type AbortWatcher, unwatchAbort, watchAbort } from '../runtime/abort';
import type { ScopedCall } from '../runtime/call-scope';
import type { LineWaiter, Slot } from '../runtime/request-line';
import { type Ringer, ringAt, sleepUntil, type Wakeup } from '../runtime/sleep';

/** How an operation's requests are sent, with promises. */
export interface AsyncRequester<S> {
  request(call: 'get' | 'cancel', bounds: { deadlineMs: number; timeoutMs: number }, signal: AbortSignal): Promise<RequestAnswer<S>>;
  /** True when `call` now would join a request in flight (it makes none, and takes no place in the client's line). */
  joins?(call: 'get' | 'cancel'): boolean;
}

type RequestEffect = Extract<Effect<unknown>, { type: 'request' }>;

/** Performs one effect other than `progress`; rejects with `signal.reason` once it aborts. */
export async function performAsync<S>(
  effect: Exclude<Effect<S>, { type: 'progress' }>,
  requester: AsyncRequester<S>,
  signal: AbortSignal,
): Promise<unknown> {
  signal.throwIfAborted();
  if (effect.type === 'sleep') return sleepUntil(effect.untilMs, signal);
  return settled(effect, requester, signal);
}

/**
 * A request's answer or a `settle` effect's value; rejects with `signal.reason` if it aborted
 * meanwhile. A `then`, not an async frame: what a poll waiting in a client's line holds is kept small.
 */
function settled<S>(
  effect: Exclude<Effect<S>, { type: 'progress' | 'sleep' }>,
  requester: AsyncRequester<S>,
  signal: AbortSignal,
): Promise<unknown> {
  let value: unknown;
  try {
    value = effect.type === 'request' ? requester.request(effect.call, effect, signal) : effect.value;
  } catch (error) {
    return Promise.reject(error);
  }
  return Promise.resolve(value).then((answer) => {
    signal.throwIfAborted();
    return answer;
  });
}

/** Where a run stands: at a status it hands out, or at its end with what it returns. */
type Step<S, R> = { done: false; status: S } | { done: true; value: R };

/**
 * Steps a run through its effects with callbacks, as one object: a sleeping run holds this object,
 * its generators and its place in a moment's wake-up (`src/runtime/sleep.ts`'s `ringAt`), and no
 * chain of suspended async functions. A request first takes a place in the client's line of
 * calls (`line`, by `src/core/request-line.ts`'s rules) unless it joins one in flight: waiting
 * there, the run holds no more than asleep. An effect's error (the signal's reason once it
 * aborted) is thrown into the run; an error of the run itself ends the stepping with
 * {@link Stepper.fail}.
 *
 * What a poll makes is little: no object for a sleep, two callbacks on a request's promise
 * (no chain of promises), and one watch of the signal from the start of the stepping to its stop
 * (not one a sleep: a client's calls share its scope's signal, whose set of watchers would churn
 * at every poll).
 */
abstract class Stepper<S, R> implements AbortWatcher, Ringer, LineWaiter {
  enqueuedMs = 0;
  mustGoMs = 0;
  /** The request waiting in the line, if any. */
  #waiting: RequestEffect | null = null;
  /** The moment it sleeps until, while it sleeps (it is its own nap: no object of its own for that). */
  #wakeup: Wakeup | null = null;
  /** The place in the line that the request in flight holds, given back when it settles. */
  #slot: Slot | null = null;
  #watching = false;

  constructor(
    protected readonly run: Run<S, R>,
    private readonly requester: AsyncRequester<S>,
    /** The call it steps under: its signal, and its line of requests (read there, not copied: a sleeping wait keeps few fields). */
    protected readonly call: ScopedCall,
  ) {}

  /** A status the run hands out: true to go on at once, false to stop stepping there. */
  protected abstract progress(status: S): boolean;
  /** The run returned `value`. */
  protected abstract end(value: R): void;
  /** The run (or `progress`) threw `error`. */
  protected abstract fail(error: unknown): void;

  /** Steps from the run's start, or on from the status it stopped at. */
  start(): void {
    this.#watching = true;
    // An already aborted signal tells at once, while nothing waits: the run gets its reason below.
    watchAbort(this.call.signal, this);
    this.#resume(false, undefined);
  }

  /** The moment it slept until came: the run goes on. @internal */
  ring(): void {
    this.#wakeup = null;
    this.#resume(false, undefined);
  }

  /**
   * The signal aborted: a sleep or a wait in the line ends, and the reason is thrown into the run.
   * A request or a value in progress ends by itself (the request is aborted by the same signal).
   */
  onAbort(reason: unknown): void {
    if (this.#waiting !== null) {
      this.#waiting = null;
      this.call.line.leave(this);
    } else if (this.#wakeup !== null) {
      this.#wakeup.leave(this);
      this.#wakeup = null;
    } else {
      return;
    }
    this.#resume(true, reason);
  }

  /** The line lets the waiting request go: a poll's bounds count from now (within its wait's deadline). */
  admit(slot: Slot): void {
    const effect = this.#waiting!;
    this.#waiting = null;
    const deadlineMs = Math.max(effect.deadlineMs, Math.min(Date.now() + effect.timeoutMs, effect.latestMs));
    this.#settle(deadlineMs === effect.deadlineMs ? effect : { ...effect, deadlineMs }, slot);
  }

  /** Performs `effect` (holding `slot`, if any, until it settles), then resumes the run with its outcome. */
  #settle(effect: Exclude<Effect<S>, { type: 'progress' | 'sleep' }>, slot: Slot | null): void {
    this.#slot = slot;
    let value: unknown;
    try {
      value = effect.type === 'request' ? this.requester.request(effect.call, effect, this.call.signal) : effect.value;
    } catch (error) {
      value = Promise.reject(error);
    }
    Promise.resolve(value).then(
      (settled) => this.#settled(settled),
      (error: unknown) => this.#failed(error),
    );
  }

  /** An effect's value: the run goes on with it, or with the signal's reason if it aborted meanwhile. */
  #settled(value: unknown): void {
    this.#release();
    const { signal } = this.call;
    if (signal.aborted) this.#resume(true, signal.reason);
    else this.#resume(false, value);
  }

  #failed(error: unknown): void {
    this.#release();
    this.#resume(true, error);
  }

  #release(): void {
    const slot = this.#slot;
    this.#slot = null;
    slot?.release();
  }

  /** A request: at once when it joins one in flight or the line is free; else it waits in line. */
  #request(effect: RequestEffect): void {
    if (this.requester.joins?.(effect.call) === true) return this.#settle(effect, null);
    const { line } = this.call;
    const nowMs = Date.now();
    this.enqueuedMs = nowMs;
    this.mustGoMs =
      effect.latestMs > effect.deadlineMs ? mustGoAt(nowMs, effect.latestMs) : mustGoAt(nowMs, effect.deadlineMs, effect.timeoutMs);
    const slot = line.enter(this);
    if (slot !== null) return this.#settle(effect, slot);
    this.#waiting = effect;
  }

  #resume(thrown: boolean, value: unknown): void {
    const { run } = this;
    const { signal } = this.call;
    try {
      for (let next = thrown ? run.throw(value) : run.next(value); ; ) {
        if (next.done) {
          this.#stop();
          return this.end(next.value);
        }
        const effect = next.value;
        if (effect.type === 'progress') {
          if (!this.progress(effect.status)) return this.#stop();
          next = run.next(undefined);
        } else if (signal.aborted) {
          next = run.throw(signal.reason);
        } else if (effect.type === 'sleep') {
          this.#wakeup = ringAt(effect.untilMs, this);
          return;
        } else if (effect.type === 'request') {
          return this.#request(effect);
        } else {
          return this.#settle(effect, null);
        }
      }
    } catch (error) {
      this.#stop();
      this.fail(error);
    }
  }

  /** The stepping stops (at its end, or at a status it stops at): its watch of the signal goes. */
  #stop(): void {
    if (!this.#watching) return;
    this.#watching = false;
    unwatchAbort(this.call.signal, this);
  }
}

/** Steps a run to its end, handing each status to `onProgress`; ends its call before it settles. */
class RunToEnd<S, R> extends Stepper<S, R> {
  constructor(
    run: Run<S, R>,
    requester: AsyncRequester<S>,
    call: ScopedCall,
    private readonly onProgress: ((status: S) => void) | undefined,
    /** Its promise's resolve, which settles a failure too (with a rejected promise): one function kept, not two. */
    private readonly resolve: (value: R | PromiseLike<R>) => void,
  ) {
    super(run, requester, call);
  }

  protected progress(status: S): boolean {
    this.onProgress?.(status);
    return true;
  }

  protected end(value: R): void {
    this.call.end();
    this.resolve(value);
  }

  protected fail(error: unknown): void {
    try {
      this.run.return(undefined as R);
    } finally {
      this.call.end();
      this.resolve(Promise.reject(error));
    }
  }
}

/** Steps a run to the next status it hands out, or to its end. */
class StepToStatus<S, R> extends Stepper<S, R> {
  constructor(
    run: Run<S, R>,
    requester: AsyncRequester<S>,
    call: ScopedCall,
    private readonly resolve: (step: Step<S, R>) => void,
    private readonly reject: (error: unknown) => void,
  ) {
    super(run, requester, call);
  }

  protected progress(status: S): boolean {
    this.resolve({ done: false, status });
    return false;
  }

  protected end(value: R): void {
    this.resolve({ done: true, value });
  }

  protected fail(error: unknown): void {
    this.reject(error);
  }
}

/** Runs `run` under `call`, yielding each `progress` status; returns what the run returns. */
export async function* driveAsync<S, R>(run: Run<S, R>, requester: AsyncRequester<S>, call: ScopedCall): AsyncGenerator<S, R, undefined> {
  try {
    for (;;) {
      const step = await new Promise<Step<S, R>>((resolve, reject) => new StepToStatus(run, requester, call, resolve, reject).start());
      if (step.done) return step.value;
      yield step.status;
    }
  } finally {
    run.return(undefined as R);
  }
}

/**
 * Runs `run` under `call` to its end, calling `onProgress` with each status; resolves with what
 * the run returns, once `call` has ended.
 */
export function runAsync<S, R>(
  run: Run<S, R>,
  requester: AsyncRequester<S>,
  call: ScopedCall,
  onProgress?: (status: S) => void,
): Promise<R> {
  return new Promise<R>((resolve) => new RunToEnd(run, requester, call, onProgress, resolve).start());
}
