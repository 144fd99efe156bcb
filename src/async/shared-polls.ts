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
import type { RequestAnswer } from '../core/machine';
import type { OperationStatus } from '../core/status';
import type { CallOptions, Logger, OperationTransport } from '../core/transport';
import type { CallScope } from '../runtime/call-scope';
import { type JoinOptions, SharedFlight } from '../runtime/shared-flight';
import { deadlineError } from '../transport/http-failure';
import type { AsyncContext, AsyncOperationParts } from './base-operation';
import type { AsyncRequester } from './run';

/** An answer, with when it arrived (a `Date.now()` value): the same moment for every caller of one request. */
export interface PolledAnswer {
  wire: unknown;
  receivedAtMs: number;
}

/** A transport's answer, stamped with when it arrived. */
function arrived(wire: unknown): PolledAnswer {
  return { wire, receivedAtMs: Date.now() };
}

/** How a caller with no deadline of its own joins: under the client's scope's signal, or another. */
const SCOPED: JoinOptions = Object.freeze({ scoped: true });
const UNSCOPED: JoinOptions = Object.freeze({});

/** The Get of one operation in flight, which the polls that come meanwhile join; it leaves its table once settled. */
class Poll extends SharedFlight<PolledAnswer> {
  constructor(
    private readonly table: Map<string, Poll>,
    private readonly id: string,
    /** The deadline of the request (`Date.now()` value). */
    readonly deadlineMs: number,
  ) {
    super();
  }

  protected override idle(): void {
    if (this.table.get(this.id) === this) this.table.delete(this.id);
  }
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

  /** True while a Get of `id` is in flight that a poll now joins. */
  busy(id: string): boolean {
    return this.#polls.get(id)?.busy === true;
  }

  /** The operation's wire JSON, from a Get of its own or one already in flight. */
  get(id: string, options: CallOptions): Promise<PolledAnswer> {
    const { deadlineMs, signal } = options;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const inFlight = this.#polls.get(id);
    if (inFlight === undefined || !inFlight.busy) {
      const poll = new Poll(this.#polls, id, deadlineMs);
      this.#polls.set(id, poll);
      return this.#run(poll, id, options);
    }
    // No async frame: a joined poll holds a `catch`. A caller whose joined request ran out of its
    // starter's earlier deadline asks again within its own.
    return this.#run(inFlight, id, options).catch((error: unknown) => {
      const theirs = deadlineOf(error);
      const askAgain = theirs !== null && theirs < deadlineMs && Date.now() < deadlineMs && !signal?.aborted;
      if (!askAgain) throw error;
      return this.get(id, options);
    });
  }

  /** Starts `poll`'s Get bounded by the caller's `deadlineMs`, or joins it. */
  #run(poll: Poll, id: string, { deadlineMs, timeoutMs, signal }: CallOptions): Promise<PolledAnswer> {
    const task = (shared: AbortSignal): Promise<PolledAnswer> => {
      try {
        return this.#transport.getOperation(id, { deadlineMs, timeoutMs, signal: shared }).then(arrived);
      } catch (error) {
        return Promise.reject(error);
      }
    };
    // A caller that joins a request due to end after its own deadline leaves at its deadline; a
    // caller with neither that nor a signal needs no way out of its own.
    // Without a deadline of its own, the caller's signal is all this caller's part needs: no abort
    // of its own. Every caller comes from this client's scope: a request its signal starts runs under it.
    if (deadlineMs >= poll.deadlineMs) return poll.run(task, signal, this.#scope?.owns(signal) ? SCOPED : UNSCOPED);
    // The caller leaves at its own deadline, with that deadline's (marked) error.
    const callTimeoutMs = timeoutMs ?? deadlineMs - Date.now();
    const endpoint = this.#endpointOf(id);
    const error = () => deadlineError(callTimeoutMs, { endpoint, clientRequestId: null, attempts: 0, authProvider: null, redact: String });
    return poll.run(task, signal, { leave: { atMs: deadlineMs, error } });
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
  /** What the client lends its operations. */
  context: AsyncContext;
}

/**
 * The parts of one Operation API operation of a client: the Get through the client's shared
 * polls, the Cancel through its transport. They are the operation's requester too: a Get's
 * answer comes with when it arrived, as its shared poll stamped it.
 */
export class ApiOperationParts<T, M> implements AsyncOperationParts<OperationStatus<M>, T>, AsyncRequester<OperationStatus<M>> {
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

  /** How the operation's requests go: by these parts themselves. */
  get requester(): AsyncRequester<OperationStatus<M>> {
    return this;
  }

  /** True when a Get now would join one in flight. */
  joins(call: 'get' | 'cancel'): boolean {
    return call === 'get' && this.client.polls.busy(this.id);
  }

  request(
    call: 'get' | 'cancel',
    { deadlineMs, timeoutMs }: { deadlineMs: number; timeoutMs: number },
    signal: AbortSignal,
  ): Promise<RequestAnswer<OperationStatus<M>>> {
    const options = { deadlineMs, timeoutMs, signal };
    if (call === 'cancel') return this.cancel(options).then((status) => ({ status, receivedAtMs: this.client.context.nowMs() }));
    return this.client.polls
      .get(this.id, options)
      .then((answer) => ({ status: this.#decode(answer.wire), receivedAtMs: answer.receivedAtMs }));
  }

  fetch(options: CallOptions): Promise<OperationStatus<M>> {
    return this.client.polls.get(this.id, options).then((answer) => this.#decode(answer.wire));
  }

  async cancel(options: CallOptions): Promise<OperationStatus<M>> {
    return this.#decode(await this.client.transport.cancelOperation(this.id, options));
  }

  #decode(wire: unknown): OperationStatus<M> {
    return this.kind.decodeAnswer(wire, this.id).status;
  }
}
