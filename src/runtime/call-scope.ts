/**
 * The calls of one client, so that `close()` settles them all at once: every call, wait and watch
 * runs under a signal of its own that the scope aborts when the client closes (and that follows
 * the caller's signal, with one listener per caller signal, however many calls share it).
 */
import { whenAborted } from './abort';

/** One call's signal; `end()` once the call is over. */
export interface ScopedCall {
  readonly signal: AbortSignal;
  end(): void;
}

export class CallScope {
  readonly #calls = new Set<AbortController>();
  readonly #closedError: () => Error;
  #closed: Error | null = null;

  /** @param closedError The error calls fail with once the scope is closed. */
  constructor(closedError: () => Error) {
    this.#closedError = closedError;
  }

  /** A signal for one call: aborted with `signal.reason`, or with the closed error on `close()`. */
  open(signal?: AbortSignal): ScopedCall {
    if (this.#closed) throw this.#closed;
    signal?.throwIfAborted();
    const controller = new AbortController();
    const stop = signal ? whenAborted(signal, (reason) => controller.abort(reason)) : null;
    this.#calls.add(controller);
    return {
      signal: controller.signal,
      end: () => {
        stop?.();
        this.#calls.delete(controller);
      },
    };
  }

  /** Aborts every call in flight with the closed error; later calls fail with it at once. Never throws. */
  close(): void {
    this.#closed ??= this.#closedError();
    for (const call of this.#calls) call.abort(this.#closed);
    this.#calls.clear();
  }
}
