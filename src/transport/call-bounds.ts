/**
 * The bounds of the logical calls of one transport (REST or gRPC alike): each call's abort (a
 * `LazyAbort`, whose signal is made only if asked for) is aborted by the caller's signal, by the
 * call's deadline, and by `close()`; a call that ended so tells what stopped it: the caller's
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

/** The calls in flight of one transport, which `close()` fails, and later ones at once. */
export class CallBounds {
  readonly #calls = new Set<LazyAbort>();
  #closedReason: AIStudioError | null = null;

  constructor(private readonly endpoint: string) {}

  /** Set by `close()`. */
  get closedReason(): AIStudioError | null {
    return this.#closedReason;
  }

  /** Fails the calls in flight, and every later one, with "closed". */
  close(): AIStudioError {
    this.#closedReason ??= new AIStudioError(`the client of ${this.endpoint} is closed`);
    for (const call of this.#calls) call.abort(this.#closedReason);
    this.#calls.clear();
    return this.#closedReason;
  }

  /** Counts `abort` in flight: a call's start. */
  enter(abort: LazyAbort): void {
    this.#calls.add(abort);
  }

  /** A call's end. */
  leave(abort: LazyAbort): void {
    this.#calls.delete(abort);
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
  readonly #timer: NodeJS.Timeout;
  /** Set only when the deadline aborted the call first (a lent signal's abort is then not its caller's). */
  #expired = false;

  constructor(bounds: CallBounds, deadlineMs: number, signal: AbortSignal | undefined) {
    signal?.throwIfAborted();
    if (bounds.closedReason !== null) throw bounds.closedReason;
    const lent = signal ? borrow(signal) : null;
    const abort = lent ?? new LazyAbort();
    bounds.enter(abort);
    this.#bounds = bounds;
    this.#signal = signal;
    this.deadlineMs = deadlineMs;
    this.startTimeoutMs = deadlineMs - Date.now();
    this.abort = abort;
    this.#lent = lent !== null;
    this.#stopWatching = signal && !lent ? whenAborted(signal, (reason) => abort.abort(reason)) : null;
    this.#timer = setTimeout(
      () => {
        this.#expired = !abort.aborted;
        abort.abort();
      },
      Math.max(0, this.startTimeoutMs),
    );
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

  /** The call is over: its timer and watchers go. */
  end(): void {
    clearTimeout(this.#timer);
    this.#stopWatching?.();
    this.#bounds.leave(this.abort);
  }
}
