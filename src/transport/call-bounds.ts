/**
 * The bounds of the logical calls of one transport (REST or gRPC alike): each call's abort (a
 * `LazyAbort`, whose signal is made only if asked for) is aborted by the caller's signal, by the
 * call's deadline (one timer per transport, for the earliest), and by `close()`; a call that ended so tells what stopped it: the caller's
 * `signal.reason`, the close's error, or its deadline.
 */
import { AIStudioError } from '../core/errors';
import { whenAborted } from '../runtime/abort';
import { LazyAbort } from '../runtime/lazy-abort';
import { borrow } from '../runtime/lend';

/** What {@link BoundedCall.stoppedBy} gives for a call its deadline stopped. */
export const EXPIRED: unique symbol = Symbol('expired');
/** What {@link BoundedCall.stoppedBy} gives for a call that nothing stopped. */
export const RUNNING: unique symbol = Symbol('running');

/**
 * The calls in flight of one transport, which `close()` fails, and later ones at once; and their
 * deadlines, with one timer set for the earliest (not one per call).
 */
export class CallBounds {
  readonly #calls = new Set<BoundedCall>();
  #closedReason: AIStudioError | null = null;
  #timer: NodeJS.Timeout | null = null;
  /** When the timer fires (a `Date.now()` value): no call in flight has an earlier deadline. */
  #timerAtMs = Number.POSITIVE_INFINITY;

  constructor(private readonly endpoint: string) {}

  /** Set by `close()`. */
  get closedReason(): AIStudioError | null {
    return this.#closedReason;
  }

  /** Fails the calls in flight, and every later one, with "closed". */
  close(): AIStudioError {
    this.#closedReason ??= new AIStudioError(`the client of ${this.endpoint} is closed`);
    for (const call of this.#calls) call.abort.abort(this.#closedReason);
    this.#calls.clear();
    this.#disarm();
    return this.#closedReason;
  }

  /** Counts `call` in flight until its deadline: a call's start. */
  enter(call: BoundedCall): void {
    this.#calls.add(call);
    if (call.deadlineMs < this.#timerAtMs) this.#arm(call.deadlineMs);
  }

  /** A call's end. */
  leave(call: BoundedCall): void {
    this.#calls.delete(call);
    // The timer stays: it fires at the latest at the deadline it was set for, and finds what is left then.
    if (this.#calls.size === 0) this.#disarm();
  }

  /** The calls whose deadline has passed expire; the timer is set again for the earliest left. */
  #expire(): void {
    this.#timer = null;
    this.#timerAtMs = Number.POSITIVE_INFINITY;
    const nowMs = Date.now();
    let earliest = Number.POSITIVE_INFINITY;
    for (const call of this.#calls) {
      if (call.deadlineMs <= nowMs) {
        this.#calls.delete(call);
        call.expire();
      } else earliest = Math.min(earliest, call.deadlineMs);
    }
    if (earliest < this.#timerAtMs) this.#arm(earliest);
  }

  #arm(atMs: number): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timerAtMs = atMs;
    this.#timer = setTimeout(() => this.#expire(), Math.max(0, atMs - Date.now()));
  }

  #disarm(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#timerAtMs = Number.POSITIVE_INFINITY;
  }
}

/**
 * One logical call in flight, bounded by its deadline, its caller's signal and its transport's
 * `close()`. Made for each call (a subclass carries the call's own state): it throws at once when
 * `signal` has aborted or the transport is closed. A signal lent with its abort
 * (`src/runtime/lend.ts`) is the call's own: its abort is aborted here, and no other is made.
 */
export class BoundedCall {
  /** Aborted when the call must stop (caller's abort, deadline, close): what the SDK's own code watches. */
  readonly abort: LazyAbort;
  /** The call's deadline, a `Date.now()` value. */
  readonly deadlineMs: number;
  /** The call's timeout as it started, in milliseconds. */
  readonly startTimeoutMs: number;
  readonly #bounds: CallBounds;
  readonly #signal: AbortSignal | undefined;
  /** True when `abort` was lent with the caller's signal. */
  readonly #lent: boolean;
  readonly #stopWatching: (() => void) | null;
  /** Set only when the deadline aborted the call first (a lent signal's abort is then not its caller's). */
  #expired = false;

  constructor(bounds: CallBounds, deadlineMs: number, signal: AbortSignal | undefined) {
    signal?.throwIfAborted();
    if (bounds.closedReason !== null) throw bounds.closedReason;
    const lent = signal ? borrow(signal) : null;
    const abort = lent ?? new LazyAbort();
    this.#bounds = bounds;
    this.#signal = signal;
    this.deadlineMs = deadlineMs;
    this.startTimeoutMs = deadlineMs - Date.now();
    this.abort = abort;
    this.#lent = lent !== null;
    this.#stopWatching = signal && !lent ? whenAborted(signal, (reason) => abort.abort(reason)) : null;
    bounds.enter(this);
  }

  /** The call's deadline has passed: it aborts (told by its transport's {@link CallBounds}). */
  expire(): void {
    this.#expired = !this.abort.aborted;
    this.abort.abort();
  }

  /** `abort`'s signal, made at the first ask: for code of others (a credential provider, a user's axios). */
  get signal(): AbortSignal {
    return this.abort.signal;
  }

  /**
   * What stopped the call, when something did: the caller's `signal.reason`, the close's error, or
   * {@link EXPIRED} when its deadline did; {@link RUNNING} while nothing has.
   */
  stoppedBy(): unknown {
    const signal = this.#signal;
    if (signal?.aborted && !(this.#lent && this.#expired)) return signal.reason;
    if (this.#bounds.closedReason !== null) return this.#bounds.closedReason;
    return this.abort.aborted ? EXPIRED : RUNNING;
  }

  /** The call is over: its watchers go, and its transport stops counting it. */
  end(): void {
    this.#stopWatching?.();
    this.#bounds.leave(this);
  }
}
