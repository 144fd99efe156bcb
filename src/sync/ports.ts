/**
 * What the blocking flavour supplies to the client layer (`src/client/layer.ts`): each call is a
 * blocking round trip to the SDK's worker (`./bridge.ts`), made after the check that the client
 * is open, and the flavour's operations. The worker's plumbing (the client's options as plain
 * data, its retry hooks run on this thread, its logs and traces sent back) lives here.
 */
import type { ApiError } from '../core/errors';
import type { ApiOperationKind, OperationOptions } from '../core/kind';
import type { ManyOptions } from '../core/many';
import type { RequestPacer } from '../core/pacer';
import type { RetryOptions } from '../core/retry';
import type { BaseOperationStatus, OperationStatus } from '../core/status';
import type { CallOptions, Logger } from '../core/transport';
import { AIStudioError } from '../core/errors';
import { republish, tracingWanted } from '../transport/tracing';
import type { ClientPorts, KindParts } from '../client/layer';
import type { ClientCall } from '../client/send';
import { unwrap, WorkerBridge } from './bridge';
import { BaseOperation, type OperationParts, type SyncContext } from './base-operation';
import { errorFromData, errorToData } from './error-data';
import { asCompletedSync, waitAllSync } from './many';
import { Operation } from './operation';
import type { RetryAnswer, RetryQuestion, WorkerClientOptions } from './protocol';
import type { ClientFlavour } from '../client/flavour';

/**
 * The worker of each worker file, and how many open clients use it: process state (one worker
 * thread per file, however many clients), not a dependency of any operation.
 */
const bridges = new Map<string, { bridge: WorkerBridge; clients: number }>();
let nextClient = 1;

/** What a blocking client is made of. */
export interface BlockingSetup {
  /** The client's options as they travel to the worker. */
  options: WorkerClientOptions;
  /** The retry hooks, run on the caller's thread when the worker asks. */
  retryHooks: Pick<RetryOptions, 'shouldRetry' | 'onRetry'>;
  logger: Logger;
  budget: RequestPacer | null;
  endpoint: string;
  workerPath: string;
}

/**
 * The options of `OperationsClient.operation()`: a synchronous decoder only (it runs on the
 * caller's thread), so a `resultDecoder` that returns a Promise does not type-check.
 */
export type SyncOperationOptions<T, M> = Omit<OperationOptions<T, M>, 'resultDecoder'> & {
  resultDecoder?: (response: unknown, ctx: { timeout: number }) => T;
} & (T extends PromiseLike<unknown> ? { resultDecoder?: 'the blocking client takes a synchronous resultDecoder only' } : unknown);

/** The types of the blocking flavour: {@link Operation}s, returned when their call is over. */
export interface BlockingFlavour extends ClientFlavour {
  readonly operation: Operation<this['T'], this['M']>;
  readonly tracked: BaseOperation<this['S'], this['T']>;
  readonly promises: false;
  readonly operationOptions: SyncOperationOptions<this['T'], this['M']>;
}

export class BlockingPorts implements ClientPorts {
  readonly #client = nextClient++;
  readonly #setup: BlockingSetup;
  readonly #entry: { bridge: WorkerBridge; clients: number };
  readonly #context: SyncContext;
  #closed = false;

  /** Starts the worker thread (unref'd) if none runs yet for this worker file. */
  constructor(setup: BlockingSetup) {
    this.#setup = setup;
    this.#context = { budget: setup.budget, endpoint: setup.endpoint, nowMs: Date.now, random: Math.random, guard: { checkOpen: () => this.#checkOpen() } };
    const entry = bridges.get(setup.workerPath) ?? { bridge: new WorkerBridge(setup.workerPath), clients: 0 };
    entry.clients += 1;
    bridges.set(setup.workerPath, entry);
    this.#entry = entry;
    entry.bridge.start();
  }

  /** One blocking call through the worker: its wire JSON, or its error rebuilt. */
  send(call: ClientCall, { deadlineMs, timeoutMs }: CallOptions): unknown {
    this.#checkOpen();
    const { options, logger } = this.#setup;
    const head = { client: this.#client, options, deadlineMs, timeoutMs: timeoutMs ?? deadlineMs - Date.now(), trace: tracingWanted() };
    const reply = this.#entry.bridge.call(head, call, (question) => this.#runRetryHook(question));
    for (const [level, message] of reply.logs ?? []) logger[level](message);
    if (reply.traces) republish(reply.traces);
    return unwrap(reply);
  }

  within<R>(bounds: CallOptions, body: (bounds: CallOptions) => R): R {
    this.#checkOpen();
    return body(bounds);
  }

  answer<R>(body: () => R): R {
    return body();
  }

  operation(id: string, kind: ApiOperationKind<unknown, unknown>, initialStatus: OperationStatus<unknown> | null): Operation {
    const request = (op: 'get' | 'cancel', bounds: CallOptions) => kind.decodeAnswer(this.send({ op, id }, bounds), id).status;
    return new Operation({
      id,
      kind,
      initialStatus,
      endpoint: this.#setup.endpoint,
      logger: this.#setup.logger,
      fetch: (bounds) => request('get', bounds),
      cancel: (bounds) => request('cancel', bounds),
      context: this.#context,
    });
  }

  other(parts: KindParts<BaseOperationStatus, unknown>): unknown {
    return new BaseOperation({ ...parts, context: this.#context } as OperationParts<BaseOperationStatus, unknown>);
  }

  waitAll(ops: readonly unknown[], options: ManyOptions | undefined): unknown[] {
    return waitAllSync(ops as never, options);
  }

  asCompleted(ops: readonly unknown[], options: ManyOptions | undefined): Iterable<unknown> {
    return asCompletedSync(ops as never, options);
  }

  /** Frees the client's sockets in the worker; the last open client of a worker also ends it. Never throws. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const entry = this.#entry;
    const { workerPath } = this.#setup;
    entry.clients -= 1;
    entry.bridge.close(this.#client, entry.clients === 0);
    if (entry.clients === 0 && bridges.get(workerPath) === entry) bridges.delete(workerPath);
  }

  #checkOpen(): void {
    if (this.#closed) throw new AIStudioError(`this OperationsClient of ${this.#setup.endpoint} is closed`);
  }

  /** A retry hook the worker asked for, run here, on the caller's thread. */
  #runRetryHook(question: RetryQuestion): RetryAnswer {
    try {
      const error = errorFromData(question.error) as ApiError;
      const hooks = this.#setup.retryHooks;
      if (question.hook === 'shouldRetry') return { value: hooks.shouldRetry?.(error, question.attempt) === true };
      hooks.onRetry?.(question.attempt, error, question.delay);
      return { value: null };
    } catch (thrown) {
      return { thrown: errorToData(thrown) };
    }
  }
}
