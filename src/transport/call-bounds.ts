/**
 * The bounds of the logical calls of one transport (REST or gRPC alike): each call's abort (a
 * `LazyAbort`, whose signal is made only if asked for) is aborted by the caller's signal, by the
 * call's deadline (one timer per transport, for the earliest), and by `close()`; a call that ended so tells what stopped it: the caller's
 * `signal.reason`, the close's error, or its deadline.
 */
import { AIStudioError } from '../core/errors';
import { type AbortWatcher, unwatchAbort, watchAbort } from '../runtime/abort';
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
  /** The calls in flight, linked through themselves (no Set: a call's start and end allocate nothing). */
  #first: BoundedCall | null = null;
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
    for (const call of this.#takeAll()) call.abort.abort(this.#closedReason);
    this.#disarm();
    return this.#closedReason;
  }

  /** Counts `call` in flight until its deadline: a call's start. */
  enter(call: BoundedCall): void {
    const wasIdle = this.#first === null;
    call.inBounds = true;
    call.nextInBounds = this.#first;
    if (this.#first !== null) this.#first.previousInBounds = call;
    this.#first = call;
    if (call.deadlineMs < this.#timerAtMs) this.#arm(call.deadlineMs);
    else if (wasIdle) this.#timer?.ref();
  }

  /**
   * A call's end. The timer stays: it fires at the latest at the deadline it was set for, and
   * finds what is left then. With no call left it stops holding the process (unref), so that calls
   * one after another set no timer each: one is set again only when it has fired, or for an
   * earlier deadline.
   */
  leave(call: BoundedCall): void {
    this.#unlink(call);
    if (this.#first === null) this.#timer?.unref();
  }

  #unlink(call: BoundedCall): void {
    if (!call.inBounds) return;
    const { previousInBounds: previous, nextInBounds: next } = call;
    if (previous !== null) previous.nextInBounds = next;
    else this.#first = next;
    if (next !== null) next.previousInBounds = previous;
    call.inBounds = false;
    call.previousInBounds = null;
    call.nextInBounds = null;
  }

  /** The calls in flight, taken out (for `close()`: aborting one may end another). */
  #takeAll(): BoundedCall[] {
    const calls: BoundedCall[] = [];
    while (this.#first !== null) {
      calls.push(this.#first);
      this.#unlink(this.#first);
    }
    return calls;
  }

  /** The calls whose deadline has passed expire; the timer is set again for the earliest left. */
  #expire(): void {
    this.#timer = null;
    this.#timerAtMs = Number.POSITIVE_INFINITY;
    const nowMs = Date.now();
    const expired: BoundedCall[] = [];
    let earliest = Number.POSITIVE_INFINITY;
    for (let call = this.#first; call !== null; call = call.nextInBounds) {
      if (call.deadlineMs <= nowMs) expired.push(call);
      else earliest = Math.min(earliest, call.deadlineMs);
    }
    // Taken out first, then told: an expiring call may end others (a shared poll's callers).
    for (const call of expired) this.#unlink(call);
    for (const call of expired) call.expire();
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
 * Another signal is watched by the call itself ({@link BoundedCall.onAbort}: no closure).
 */
export class BoundedCall implements AbortWatcher {
  /** Aborted when the call must stop (caller's abort, deadline, close): what the SDK's own code watches. */
  readonly abort: LazyAbort;
  /** The call's deadline, a `Date.now()` value. */
  readonly deadlineMs: number;
  /** The call's timeout as it started, in milliseconds. */
  readonly startTimeoutMs: number;
  /** Its place among its transport's calls in flight ({@link CallBounds}). @internal */
  inBounds = false;
  /** @internal */
  previousInBounds: BoundedCall | null = null;
  /** @internal */
  nextInBounds: BoundedCall | null = null;
  readonly #bounds: CallBounds;
  readonly #signal: AbortSignal | undefined;
  /** True when `abort` was lent with the caller's signal. */
  readonly #lent: boolean;
  /** Set only when the deadline aborted the call first (a lent signal's abort is then not its caller's). */
  #expired = false;

  constructor(bounds: CallBounds, deadlineMs: number, signal: AbortSignal | undefined) {
    signal?.throwIfAborted();
    if (bounds.closedReason !== null) throw bounds.closedReason;
    const lent = signal ? borrow(signal) : null;
    this.#bounds = bounds;
    this.#signal = signal;
    this.deadlineMs = deadlineMs;
    this.startTimeoutMs = deadlineMs - Date.now();
    this.abort = lent ?? new LazyAbort();
    this.#lent = lent !== null;
    if (signal && !lent) watchAbort(signal, this);
    bounds.enter(this);
  }

  /** The caller's signal aborted: so does the call, with its reason. */
  onAbort(reason: unknown): void {
    this.abort.abort(reason);
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

  /** The call is over: its watch goes, and its transport stops counting it. */
  end(): void {
    if (this.#signal && !this.#lent) unwatchAbort(this.#signal, this);
    this.#bounds.leave(this);
  }
}
