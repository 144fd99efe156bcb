/**
 * Concurrent status requests for one operation in one client share one Get: a poll that comes
 * while another is in flight joins it. So 1 000 `wait()`s on one operation cost the requests of
 * one. Each caller keeps its own deadline and signal: one leaving does not stop the others, the
 * request is aborted only when every caller has left, and a caller whose joined request ran out
 * of its starter's shorter deadline asks again within its own.
 */
import { isDeadlineExceeded } from '../core/poll';
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
  /** The operations with a request in flight; an entry goes when its request is over. */
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

  /** How many operations have a request in flight (for tests of the bookkeeping). */
  get inFlight(): number {
    return this.#polls.size;
  }

  /** The operation's wire JSON, from a Get of its own or one already in flight. */
  async get(id: string, { timeoutMs, signal }: CallOptions): Promise<unknown> {
    const deadlineMs = Date.now() + timeoutMs;
    for (;;) {
      const { joined, answer } = this.#poll(id, deadlineMs, signal);
      try {
        return await answer;
      } catch (error) {
        const timeLeft = deadlineMs - Date.now() > 0;
        if (!(joined && timeLeft && isDeadlineExceeded(error) && !signal?.aborted)) throw error;
      }
    }
  }

  /** Joins the request in flight for `id`, or starts one bounded by `deadlineMs`. */
  #poll(id: string, deadlineMs: number, signal: AbortSignal | undefined): { joined: boolean; answer: Promise<unknown> } {
    if (signal?.aborted) return { joined: false, answer: Promise.reject(signal.reason) };
    let poll = this.#polls.get(id);
    const joined = poll !== undefined && poll.flight.busy;
    if (!poll || !joined) {
      const fresh: Poll = { flight: new SharedFlight<unknown>(() => this.#polls.get(id) === fresh && this.#polls.delete(id)), deadlineMs };
      poll = fresh;
      this.#polls.set(id, poll);
    }
    const timeoutMs = deadlineMs - Date.now();
    const task = async (shared: AbortSignal) => {
      const wire = await this.#transport.getOperation(id, { timeoutMs, signal: shared });
      if (typeof wire === 'object' && wire !== null) this.#received.set(wire, Date.now());
      return wire;
    };
    // A caller that joins a request due to end after its own deadline leaves at its deadline; a
    // caller with neither that nor a signal needs no way out of its own.
    const ownDeadline = deadlineMs < poll.deadlineMs;
    if (!ownDeadline && !signal) return { joined, answer: poll.flight.run(task) };
    const own = new AbortController();
    const timer = ownDeadline
      ? setTimeout(() => own.abort(deadlineError(timeoutMs, { endpoint: this.#endpointOf(id), clientRequestId: null, attempts: 0, authProvider: null })), timeoutMs)
      : undefined;
    const onAbort = () => own.abort(signal!.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    const answer = poll.flight.run(task, own.signal).finally(() => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    });
    return { joined, answer };
  }

  #endpointOf(id: string): string {
    return `${this.#transport.endpoint}/operations/${encodeURIComponent(id)}`;
  }
}
