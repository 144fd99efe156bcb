/**
 * Concurrent status requests for one operation in one client share one Get: a poll that comes
 * while another is in flight joins it. So 1 000 `wait()`s on one operation cost the requests of
 * one. Each caller keeps its own deadline and signal: one leaving does not stop the others, and
 * the request is aborted only when every caller has left.
 */
import type { CallOptions, OperationTransport } from '../core/transport';
import { deadlineError } from '../transport/http-failure';
import { SharedFlight } from './shared-flight';

export class SharedPolls {
  readonly #transport: OperationTransport;
  readonly #flights = new Map<string, SharedFlight<unknown>>();

  constructor(transport: OperationTransport) {
    this.#transport = transport;
  }

  /** The operation's wire JSON, from a Get of its own or one already in flight. */
  async get(id: string, { timeoutMs, signal }: CallOptions): Promise<unknown> {
    signal?.throwIfAborted();
    let flight = this.#flights.get(id);
    if (!flight) {
      flight = new SharedFlight<unknown>();
      this.#flights.set(id, flight);
    }
    const own = new AbortController();
    const endpoint = `${this.#transport.endpoint}/operations/${encodeURIComponent(id)}`;
    const timer = setTimeout(() => own.abort(deadlineError(timeoutMs, { endpoint, clientRequestId: null, attempts: 0, authProvider: null })), timeoutMs);
    const onAbort = () => own.abort(signal!.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await flight.run((shared) => this.#transport.getOperation(id, { timeoutMs, signal: shared }), own.signal);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (!flight.busy) this.#flights.delete(id);
    }
  }
}
