/**
 * The calls of one client, so that `close()` settles them all at once: every call, wait and watch
 * runs under a signal that the scope aborts when the client closes. A call without a signal of
 * its caller's runs under the scope's own signal, shared by all such calls (no controller of its
 * own); a call with one gets a signal of its own that follows it as well (with one listener per
 * caller signal, however many calls share it).
 */
import { whenAborted } from './abort';
import { RequestSlots } from './request-line';

/** One call's signal, and its client's line; `end()` once the call is over. */
export interface ScopedCall {
  readonly signal: AbortSignal;
  /** Where the call's requests wait before they are made (`src/async/run.ts`), by `src/core/request-line.ts`'s rules. */
  readonly line: RequestSlots;
  end(): void;
}

export class CallScope {
  /** The line of the scope's calls' requests. */
  readonly line = new RequestSlots();
  readonly #calls = new Set<AbortController>();
  readonly #closedError: () => Error;
  #closed: Error | null = null;
  /** The signal of every call that has no signal of its caller's, and the call that lends it (made at the first such call). */
  #shared: { controller: AbortController; call: ScopedCall } | null = null;

  /** @param closedError The error calls fail with once the scope is closed. */
  constructor(closedError: () => Error) {
    this.#closedError = closedError;
  }

  /** A signal for one call: aborted with `signal.reason`, or with the closed error on `close()`. */
  open(signal?: AbortSignal): ScopedCall {
    if (this.#closed) throw this.#closed;
    if (!signal) return this.#sharedCall();
    signal.throwIfAborted();
    const controller = new AbortController();
    const stop = whenAborted(signal, (reason) => controller.abort(reason));
    this.#calls.add(controller);
    return {
      signal: controller.signal,
      line: this.line,
      end: () => {
        stop();
        this.#calls.delete(controller);
      },
    };
  }

  /**
   * True for this scope's own signal (the signal of its calls that have none of their caller's):
   * it aborts only when the scope closes, and the signal of every call of the scope follows it.
   */
  owns(signal: AbortSignal | undefined): boolean {
    return signal !== undefined && signal === this.#shared?.controller.signal;
  }

  /** Aborts every call in flight with the closed error; later calls fail with it at once. Never throws. */
  close(): void {
    this.#closed ??= this.#closedError();
    this.#shared?.controller.abort(this.#closed);
    for (const call of this.#calls) call.abort(this.#closed);
    this.#calls.clear();
  }

  #sharedCall(): ScopedCall {
    if (this.#shared) return this.#shared.call;
    const controller = new AbortController();
    this.#shared = { controller, call: { signal: controller.signal, line: this.line, end: () => {} } };
    return this.#shared.call;
  }
}
