/**
 * Concurrent status requests for one operation in one client share one Get: a poll that comes
 * while another is in flight joins it. So 1 000 `wait()`s on one operation cost the requests of
 * one. Each caller keeps its own deadline and signal: one leaving does not stop the others, and
 * the request is aborted only when every caller has left.
 */
import type { CallOptions, OperationTransport } from '../core/transport';
import { deadlineError } from '../transport/http-failure';
import { SharedFlight } from './shared-flight';

interface Poll {
  flight: SharedFlight<unknown>;
  /** The deadline of the request in flight (`Date.now()` value). */
  deadlineMs: number;
}

export class SharedPolls {
  readonly #transport: OperationTransport;
  readonly #polls = new Map<string, Poll>();
  /** When each answer arrived, by answer (every caller of one request gets the same object). */
  readonly #received = new WeakMap<object, number>();

  constructor(transport: OperationTransport) {
    this.#transport = transport;
  }

  /** When the request that answered `wire` got its answer (`Date.now()` value). */
  receivedAtMs(wire: unknown): number | undefined {
    return typeof wire === 'object' && wire !== null ? this.#received.get(wire) : undefined;
  }

  /** The operation's wire JSON, from a Get of its own or one already in flight. */
  async get(id: string, { timeoutMs, signal }: CallOptions): Promise<unknown> {
    signal?.throwIfAborted();
    const deadlineMs = Date.now() + timeoutMs;
    let poll = this.#polls.get(id);
    if (!poll?.flight.busy) {
      poll = { flight: new SharedFlight<unknown>(), deadlineMs };
      this.#polls.set(id, poll);
    }
    const task = async (shared: AbortSignal) => {
      const wire = await this.#transport.getOperation(id, { timeoutMs, signal: shared });
      if (typeof wire === 'object' && wire !== null) this.#received.set(wire, Date.now());
      return wire;
    };
    // A caller that joins a request due to end after its own deadline leaves at its deadline; a
    // caller with neither that nor a signal needs no way out of its own.
    const ownDeadline = deadlineMs < poll.deadlineMs;
    if (!ownDeadline && !signal) return this.#settle(id, poll, poll.flight.run(task));
    const own = new AbortController();
    const timer = ownDeadline
      ? setTimeout(() => own.abort(deadlineError(timeoutMs, { endpoint: this.#endpointOf(id), clientRequestId: null, attempts: 0, authProvider: null })), timeoutMs)
      : undefined;
    const onAbort = () => own.abort(signal!.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await this.#settle(id, poll, poll.flight.run(task, own.signal));
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** `answer`, forgetting the poll once its request is over. */
  async #settle(id: string, poll: Poll, answer: Promise<unknown>): Promise<unknown> {
    try {
      return await answer;
    } finally {
      if (!poll.flight.busy && this.#polls.get(id) === poll) this.#polls.delete(id);
    }
  }

  #endpointOf(id: string): string {
    return `${this.#transport.endpoint}/operations/${encodeURIComponent(id)}`;
  }
}
