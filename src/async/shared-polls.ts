/**
 * Concurrent status requests for one operation in one client share one Get: a poll that comes
 * while another is in flight joins it. So 1 000 `wait()`s on one operation cost the requests of
 * one. Each caller keeps its own deadline and signal: one leaving does not stop the others, the
 * request is aborted only when every caller has left, and a caller whose joined request ran out
 * of its starter's earlier deadline asks again within its own.
 */
import { deadlineOf, markDeadline } from '../core/deadline';
import type { CallOptions, OperationTransport } from '../core/transport';
import { whenAborted } from '../runtime/abort';
import { isScopeSignal } from '../runtime/call-scope';
import { SharedFlight } from '../runtime/shared-flight';
import { deadlineError } from '../transport/http-failure';

/** An answer, with when it arrived (a `Date.now()` value): the same moment for every caller of one request. */
export interface PolledAnswer {
  wire: unknown;
  receivedAtMs: number;
}

interface Poll {
  flight: SharedFlight<PolledAnswer>;
  /** The deadline of the request in flight (`Date.now()` value). */
  deadlineMs: number;
}

export class SharedPolls {
  readonly #transport: OperationTransport;
  /** The operations with a request in flight; an entry goes when its request is over. */
  readonly #polls = new Map<string, Poll>();

  constructor(transport: OperationTransport) {
    this.#transport = transport;
  }

  /** How many operations have a request in flight (for tests of the bookkeeping). */
  get inFlight(): number {
    return this.#polls.size;
  }

  /** The operation's wire JSON, from a Get of its own or one already in flight. */
  async get(id: string, { deadlineMs, timeoutMs, signal }: CallOptions): Promise<PolledAnswer> {
    for (;;) {
      const { joined, answer } = this.#poll(id, deadlineMs, timeoutMs, signal);
      try {
        return await answer;
      } catch (error) {
        const theirs = deadlineOf(error);
        const askAgain = joined && theirs !== null && theirs < deadlineMs && Date.now() < deadlineMs && !signal?.aborted;
        if (!askAgain) throw error;
      }
    }
  }

  /** Joins the request in flight for `id`, or starts one bounded by `deadlineMs`. */
  #poll(id: string, deadlineMs: number, timeoutMs: number | undefined, signal: AbortSignal | undefined): { joined: boolean; answer: Promise<PolledAnswer> } {
    if (signal?.aborted) return { joined: false, answer: Promise.reject(signal.reason) };
    let poll = this.#polls.get(id);
    const joined = poll !== undefined && poll.flight.busy;
    if (!poll || !joined) {
      const fresh: Poll = { flight: new SharedFlight<PolledAnswer>(() => this.#polls.get(id) === fresh && this.#polls.delete(id)), deadlineMs };
      poll = fresh;
      this.#polls.set(id, poll);
    }
    const task = async (shared: AbortSignal): Promise<PolledAnswer> => {
      const wire = await this.#transport.getOperation(id, { deadlineMs, timeoutMs, signal: shared });
      return { wire, receivedAtMs: Date.now() };
    };
    // A caller that joins a request due to end after its own deadline leaves at its deadline; a
    // caller with neither that nor a signal needs no way out of its own.
    const ownDeadline = deadlineMs < poll.deadlineMs;
    // Without a deadline of its own, the caller's signal is all this caller's part needs: no controller
    // of its own. Every caller comes from this client's scope: a request its signal starts runs under it.
    if (!ownDeadline) return { joined, answer: poll.flight.run(task, signal, isScopeSignal(signal)) };
    const own = new AbortController();
    const leftMs = deadlineMs - Date.now();
    const timer = setTimeout(() => own.abort(markDeadline(deadlineError(timeoutMs ?? leftMs, { endpoint: this.#endpointOf(id), clientRequestId: null, attempts: 0, authProvider: null, redact: String }), deadlineMs)), leftMs);
    const stop = signal ? whenAborted(signal, (reason) => own.abort(reason)) : null;
    const answer = poll.flight.run(task, own.signal).finally(() => {
      clearTimeout(timer);
      stop?.();
    });
    return { joined, answer };
  }

  #endpointOf(id: string): string {
    return `${this.#transport.endpoint}/operations/${encodeURIComponent(id)}`;
  }
}
