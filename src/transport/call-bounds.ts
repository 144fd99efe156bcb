/**
 * The bounds of the logical calls of one transport (REST or gRPC alike): each call's controller is
 * aborted by the caller's signal, by the call's deadline, and by `close()`; and a call that ended
 * so rejects with the caller's `signal.reason`, the close's error, or the deadline's error.
 */
import { AIStudioError } from '../core/errors';
import { whenAborted } from '../runtime/abort';

/** One logical call in flight. */
export interface BoundedCall {
  /** Aborted when the call must stop (caller's abort, deadline, close). */
  readonly signal: AbortSignal;
  /** The call's timeout as it started, in milliseconds. */
  readonly timeoutMs: number;
  /** The error the call rejects with after `error`: `timedOut()` when the deadline stopped it. */
  failure(error: unknown, timedOut: () => Error): unknown;
  /** The call is over: its timer and watchers go. */
  end(): void;
}

export class CallBounds {
  readonly #calls = new Set<AbortController>();
  #closedReason: AIStudioError | null = null;

  constructor(private readonly endpoint: string) {}

  /** Set by `close()`. */
  get closedReason(): AIStudioError | null {
    return this.#closedReason;
  }

  /** Starts a call; throws at once when `signal` has aborted or the transport is closed. */
  open(deadlineMs: number, signal: AbortSignal | undefined): BoundedCall {
    signal?.throwIfAborted();
    if (this.#closedReason !== null) throw this.#closedReason;
    const timeoutMs = deadlineMs - Date.now();
    const controller = new AbortController();
    const stopWatching = signal ? whenAborted(signal, (reason) => controller.abort(reason)) : null;
    this.#calls.add(controller);
    const timer = setTimeout(() => controller.abort(), Math.max(0, timeoutMs));
    return {
      signal: controller.signal,
      timeoutMs,
      failure: (error, timedOut) => {
        if (signal?.aborted) return signal.reason;
        if (this.#closedReason !== null) return this.#closedReason;
        return controller.signal.aborted ? timedOut() : error;
      },
      end: () => {
        clearTimeout(timer);
        stopWatching?.();
        this.#calls.delete(controller);
      },
    };
  }

  /** Fails the calls in flight, and every later one, with "closed". */
  close(): AIStudioError {
    this.#closedReason ??= new AIStudioError(`the client of ${this.endpoint} is closed`);
    for (const call of this.#calls) call.abort(this.#closedReason);
    this.#calls.clear();
    return this.#closedReason;
  }
}
