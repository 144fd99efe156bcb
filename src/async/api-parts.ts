/**
 * The parts of the Operation API operations of one client ({@link AsyncOperationsClient.operation}
 * and the like). Their fetcher and canceller are methods, shared by every operation of every
 * client, and what they share per client is one {@link ApiClientParts}: an operation holds its
 * id, kind and initial status, and no closure of its own.
 */
import type { ApiOperationKind } from '../core/kind';
import type { OperationStatus } from '../core/status';
import type { CallOptions, Logger, OperationTransport } from '../core/transport';
import type { AsyncContext, AsyncOperationParts } from './base-operation';
import type { SharedPolls } from './shared-polls';

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

  async fetch(options: CallOptions): Promise<OperationStatus<M>> {
    const { wire, receivedAtMs } = await this.client.polls.get(this.id, options);
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
