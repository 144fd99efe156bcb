/**
 * The requests of one client's Operation API operations ({@link AsyncOperationsClient.operation}
 * and the like), with promises.
 *
 * Concurrent status requests for one operation in one client share one Get: a poll that comes
 * while another is in flight joins it, and takes no place in the client's line (`./run.ts`). So 1 000 `wait()`s on one operation cost the requests of
 * one. Each caller keeps its own deadline and signal: one leaving does not stop the others, the
 * request is aborted only when every caller has left, and a caller whose joined request ran out
 * of its starter's earlier deadline asks again within its own.
 *
 * Each operation's parts ({@link ApiOperationParts}) are methods shared by every operation of
 * every client; what they share per client is one {@link ApiClientParts}: an operation holds its
 * id, kind and initial status, and no closure of its own.
 */
import { deadlineOf } from '../core/deadline';
import type { ApiOperationKind } from '../core/kind';
import type { OperationStatus } from '../core/status';
import type { CallOptions, Logger, OperationTransport } from '../core/transport';
import type { CallScope } from '../runtime/call-scope';
import { SharedFlight } from '../runtime/shared-flight';
import { deadlineError } from '../transport/http-failure';
import type { AsyncContext, AsyncOperationParts } from './base-operation';

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
  readonly #scope: CallScope | null;
  /** The operations with a request in flight; an entry goes when its request is over. */
  readonly #polls = new Map<string, Poll>();

  /** @param scope the client's call scope, whose own signal a request may run under (no abort of its own) */
  constructor(transport: OperationTransport, scope: CallScope | null = null) {
    this.#transport = transport;
    this.#scope = scope;
  }

  /** How many operations have a request in flight (for tests of the bookkeeping). */
  get inFlight(): number {
    return this.#polls.size;
  }

  /** True while a Get of `id` is in flight: a poll of it now joins that one. */
  busy(id: string): boolean {
    return this.#polls.get(id)?.flight.busy === true;
  }

  /** The operation's wire JSON, from a Get of its own or one already in flight. */
  get(id: string, options: CallOptions): Promise<PolledAnswer> {
    const { deadlineMs, timeoutMs, signal } = options;
    const { joined, answer } = this.#poll(id, deadlineMs, timeoutMs, signal);
    // No async frame: a poll waiting in line holds its flight's promise, and a joined one a `catch`.
    if (!joined) return answer;
    return answer.catch((error: unknown) => {
      const theirs = deadlineOf(error);
      const askAgain = theirs !== null && theirs < deadlineMs && Date.now() < deadlineMs && !signal?.aborted;
      if (!askAgain) throw error;
      return this.get(id, options);
    });
  }

  /** Joins the request in flight for `id`, or starts one bounded by `deadlineMs`. */
  #poll(
    id: string,
    deadlineMs: number,
    timeoutMs: number | undefined,
    signal: AbortSignal | undefined,
  ): { joined: boolean; answer: Promise<PolledAnswer> } {
    if (signal?.aborted) return { joined: false, answer: Promise.reject(signal.reason) };
    let poll = this.#polls.get(id);
    const joined = this.busy(id);
    if (!poll || !joined) {
      const fresh: Poll = {
        flight: new SharedFlight<PolledAnswer>(() => this.#polls.get(id) === fresh && this.#polls.delete(id)),
        deadlineMs,
      };
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
    // Without a deadline of its own, the caller's signal is all this caller's part needs: no abort
    // of its own. Every caller comes from this client's scope: a request its signal starts runs under it.
    if (!ownDeadline) return { joined, answer: poll.flight.run(task, signal, { scoped: this.#scope?.owns(signal) ?? false }) };
    // The caller leaves at its own deadline, with that deadline's (marked) error.
    const callTimeoutMs = timeoutMs ?? deadlineMs - Date.now();
    const endpoint = this.#endpointOf(id);
    const error = () => deadlineError(callTimeoutMs, { endpoint, clientRequestId: null, attempts: 0, authProvider: null, redact: String });
    return { joined, answer: poll.flight.run(task, signal, { leave: { atMs: deadlineMs, error } }) };
  }

  #endpointOf(id: string): string {
    return `${this.#transport.endpoint}/operations/${encodeURIComponent(id)}`;
  }
}

/** What the Operation API operations of one client share. */
export interface ApiClientParts {
  transport: OperationTransport;
  polls: SharedPolls;
  logger: Logger;
  /** When each polled status arrived (`Date.now()` value), while its operation keeps it. */
  arrivals: WeakMap<object, number>;
  /** What the client lends its operations. */
  context: AsyncContext;
}

/** The parts of one Operation API operation of a client: the Get through the client's shared polls, the Cancel through its transport. */
export class ApiOperationParts<T, M> implements AsyncOperationParts<OperationStatus<M>, T> {
  constructor(
    readonly id: string,
    readonly kind: ApiOperationKind<T, M>,
    readonly initialStatus: OperationStatus<M> | null,
    private readonly client: ApiClientParts,
  ) {}

  /** The base URL the operation is polled on. */
  get endpoint(): string {
    return this.client.transport.endpoint;
  }

  get logger(): Logger {
    return this.client.logger;
  }

  get context(): AsyncContext {
    return this.client.context;
  }

  /** True when a Get now would join one in flight (`AsyncRequester.joins`). */
  joinsFlight(): boolean {
    return this.client.polls.busy(this.id);
  }

  fetch(options: CallOptions): Promise<OperationStatus<M>> {
    return this.client.polls.get(this.id, options).then((answer) => this.#decode(answer));
  }

  #decode({ wire, receivedAtMs }: PolledAnswer): OperationStatus<M> {
    const { status } = this.kind.decodeAnswer(wire, this.id);
    this.client.arrivals.set(status, receivedAtMs);
    return status;
  }

  receivedAtMs(status: OperationStatus<M>): number | undefined {
    return this.client.arrivals.get(status);
  }

  async cancel(options: CallOptions): Promise<OperationStatus<M>> {
    return this.kind.decodeAnswer(await this.client.transport.cancelOperation(this.id, options), this.id).status;
  }
}
