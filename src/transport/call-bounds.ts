/**
 * The bounds of the logical calls of one transport (REST or gRPC alike): each call's abort (a
 * `LazyAbort`, whose signal is made only if asked for) is aborted by the caller's signal, by the
 * call's deadline, and by `close()`; and a call that ended so rejects with the caller's
 * `signal.reason`, the close's error, or the deadline's error.
 */
import { AIStudioError } from '../core/errors';
import type { RetryPolicy } from '../core/retry';
import type { Logger } from '../core/transport';
import { whenAborted } from '../runtime/abort';
import { LazyAbort } from '../runtime/lazy-abort';
import { borrow } from '../runtime/lend';
import type { Failure } from './http-failure';
import { retrying, type AttemptOutcome } from './retrying';
import type { CallTrace } from './tracing';

/** How a call's attempts run. */
export interface CallAttempts<T> {
  policy: RetryPolicy;
  deadlineMs: number;
  /** Attempt number `n` (1-based). */
  attempt: (n: number) => Promise<AttemptOutcome<T>>;
  /** The (marked) error of the call's deadline; `cause` is the last failure, when there was one. */
  timedOut: (cause: unknown) => Error;
  logger: Logger;
  /** What the call is, for the debug log (`GET https://...`). */
  what: string;
  /** What the call says of itself in its attempts' tracing events. */
  trace: CallTrace;
}

/** One logical call in flight. */
export interface BoundedCall {
  /** Aborted when the call must stop (caller's abort, deadline, close): what the SDK's own code watches. */
  readonly abort: LazyAbort;
  /** `abort`'s signal, made at the first ask: for code of others (a credential provider, a user's axios, a gRPC channel). */
  readonly signal: AbortSignal;
  /** The call's timeout as it started, in milliseconds. */
  readonly timeoutMs: number;
  /** The error the call rejects with after `error`: `timedOut()` when the deadline stopped it. */
  failure(error: unknown, timedOut: () => Error): unknown;
  /** The call is over: its timer and watchers go. */
  end(): void;
  /**
   * Runs the attempts under the retry policy within the deadline, then ends the call. Rejects with
   * the caller's `signal.reason`, the close's error, `timedOut(...)`, or the last failure's error.
   */
  run<T>(attempts: CallAttempts<T>): Promise<T>;
}

export class CallBounds {
  readonly #calls = new Set<LazyAbort>();
  #closedReason: AIStudioError | null = null;

  constructor(private readonly endpoint: string) {}

  /** Set by `close()`. */
  get closedReason(): AIStudioError | null {
    return this.#closedReason;
  }

  /**
   * Starts a call; throws at once when `signal` has aborted or the transport is closed. A signal
   * lent with its abort (`src/runtime/lend.ts`) is the call's own: its abort is aborted here, and no
   * other is made.
   */
  open(deadlineMs: number, signal: AbortSignal | undefined): BoundedCall {
    signal?.throwIfAborted();
    if (this.#closedReason !== null) throw this.#closedReason;
    return new Call(this, this.#calls, deadlineMs, signal);
  }

  /** Fails the calls in flight, and every later one, with "closed". */
  close(): AIStudioError {
    this.#closedReason ??= new AIStudioError(`the client of ${this.endpoint} is closed`);
    for (const call of this.#calls) call.abort(this.#closedReason);
    this.#calls.clear();
    return this.#closedReason;
  }
}

/** A call of {@link CallBounds.open}. */
class Call implements BoundedCall {
  readonly abort: LazyAbort;
  readonly timeoutMs: number;
  readonly #bounds: CallBounds;
  readonly #calls: Set<LazyAbort>;
  readonly #signal: AbortSignal | undefined;
  /** True when `abort` was lent with the caller's signal. */
  readonly #lent: boolean;
  readonly #stopWatching: (() => void) | null;
  readonly #timer: NodeJS.Timeout;
  /** Set only when the deadline aborted the call first (a lent signal's abort is then not its caller's). */
  #expired = false;

  constructor(bounds: CallBounds, calls: Set<LazyAbort>, deadlineMs: number, signal: AbortSignal | undefined) {
    this.#bounds = bounds;
    this.#calls = calls;
    this.#signal = signal;
    this.timeoutMs = deadlineMs - Date.now();
    const lent = signal ? borrow(signal) : null;
    const abort = lent ?? new LazyAbort();
    this.abort = abort;
    this.#lent = lent !== null;
    this.#stopWatching = signal && !lent ? whenAborted(signal, (reason) => abort.abort(reason)) : null;
    calls.add(abort);
    this.#timer = setTimeout(() => {
      this.#expired = !abort.aborted;
      abort.abort();
    }, Math.max(0, this.timeoutMs));
  }

  get signal(): AbortSignal {
    return this.abort.signal;
  }

  failure(error: unknown, timedOut: () => Error): unknown {
    const signal = this.#signal;
    if (signal?.aborted && !(this.#lent && this.#expired)) return signal.reason;
    if (this.#bounds.closedReason !== null) return this.#bounds.closedReason;
    return this.abort.aborted ? timedOut() : error;
  }

  end(): void {
    clearTimeout(this.#timer);
    this.#stopWatching?.();
    this.#calls.delete(this.abort);
  }

  run<T>(attempts: CallAttempts<T>): Promise<T> {
    return runAttempts(this, attempts);
  }
}

async function runAttempts<T>(call: BoundedCall, { policy, deadlineMs, attempt, timedOut, logger, what, trace }: CallAttempts<T>): Promise<T> {
  let lastFailure: Failure | null = null;
  try {
    return await retrying({
      policy,
      deadlineMs,
      signal: call.abort,
      nowMs: Date.now,
      random: Math.random,
      attempt,
      deadlineError: (last) => timedOut(last.error),
      trace,
      onRetry: (n, delayMs, failure) => {
        lastFailure = failure;
        logger.debug(`${what}: attempt ${n} failed (${failure.error.rawMessage}), retrying in ${Math.round(delayMs)} ms`);
      },
    });
  } catch (error) {
    throw call.failure(error, () => timedOut((lastFailure as Failure | null)?.error ?? error));
  } finally {
    call.end();
  }
}
