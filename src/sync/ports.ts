/**
 * What the blocking flavour supplies to the client layer: each call is a
 * blocking round trip to the SDK's worker, made after the check that the client is open, and the
 * flavour's operations. The worker's plumbing lives here: the client's options as plain data, its
 * retry hooks run on this thread, its logs and traces sent back, and the round trips themselves.
 *
 * The round trips go through synckit, whose CommonJS build is loaded when the first worker starts
 * (async-only users never load it). The worker starts when {@link WorkerBridge.start} is called (a
 * blocking client does at its construction, so that the thread boots while the caller does other
 * work) or at the first call. A worker that times out or dies fails that call with an
 * {@link AIStudioError} and is replaced on the next call; a call the worker keeps past its
 * deadline fails as its deadline's (`ApiError` DEADLINE_EXCEEDED, marked).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { startWorkerThread } from 'synckit';
import type { ClientFlavour } from '../client/flavour';
import type { ClientPorts, KindParts } from '../client/layer';
import { saidWarnings } from '../client/operation';
import type { ClientCall } from '../client/send';
import { markDeadline } from '../core/deadline';
import { AIStudioError, ApiError } from '../core/errors';
import type { ApiOperationKind, OperationOptions } from '../core/kind';
import type { ManyOptions } from '../core/many';
import type { RequestPacer } from '../core/pacer';
import type { RetryOptions } from '../core/retry';
import type { BaseOperationStatus, OperationStatus } from '../core/status';
import type { CallOptions, Logger } from '../core/transport';
import { buildUrl, loadAtFirstUse } from '../runtime/load';
import { republish, tracingWanted } from '../transport/tracing';
import { BaseOperation, type OperationParts, type SyncContext } from './base-operation';
import { errorFromData, errorToData } from './error-data';
import { SigintWatch } from './interrupt';
import { asCompletedSync, waitAllSync } from './many';
import { Operation } from './operation';
import {
  IN_WORKER,
  type RetryAnswer,
  type RetryQuestion,
  type WorkerCall,
  type WorkerClientOptions,
  type WorkerReply,
  type WorkerRequest,
} from './protocol';

/** How long the worker may keep one round trip before it answers `pending`, in milliseconds. */
const SLICE_MS = 1000;
/** How much longer than a slice the caller waits for an answer before it gives up on the worker. */
const SLACK_MS = 5000;

type SyncFn = (request: WorkerRequest) => WorkerReply;

/** Where the worker's prebuilt JavaScript is: the option, else `YC_OPERATION_WORKER`, else next to this build. */
export function resolveWorkerPath(option: string | undefined): string {
  const path = option ?? process.env.YC_OPERATION_WORKER ?? fileURLToPath(new URL('./sync/worker.js', buildUrl()));
  if (!existsSync(path)) {
    throw new AIStudioError(
      `the blocking flavour's worker is not at ${path}; if you bundle this SDK, ship dist/sync/worker.js and pass its path as the workerPath option or YC_OPERATION_WORKER`,
    );
  }
  return path;
}

/** A blocking client as its worker knows it: its number, and the options its first call to a worker carries. */
interface BridgeClient {
  id: number;
  options: WorkerClientOptions;
}

/** One worker, shared by the blocking clients that use the same worker file. */
class WorkerBridge {
  /** Ctrl-C while the caller's thread blocks in a call of this worker's clients (`./interrupt.ts`). */
  readonly sigint = new SigintWatch();
  readonly #path: string;
  #syncFn: SyncFn | null = null;
  /** The clients whose setup the running worker has (their first call carried it). */
  readonly #opened = new Set<number>();

  constructor(path: string) {
    this.#path = path;
  }

  /**
   * Starts the worker thread now, if none runs (unref'd: it never holds the process open).
   * Never throws; from inside the SDK's own worker, starts nothing.
   */
  start(): void {
    if (this.#syncFn !== null || (globalThis as Record<symbol, unknown>)[IN_WORKER]) return;
    try {
      this.#syncFn = this.#startWorker();
    } catch {
      // the first call starts it again and reports what failed
    }
  }

  /**
   * Sends `call` and blocks until its answer, at most until its `deadlineMs` plus slack; a call the
   * worker is still working on then is abandoned (its HTTP request aborted). The client's setup goes
   * with its first call to this worker only. A retry hook the worker asks for runs here, on the
   * caller's thread, through `onAsk`, and the call goes on. A SIGINT abandons the call too, and
   * throws `KeyboardInterrupt` within a slice.
   */
  call(
    client: BridgeClient,
    bounds: { deadlineMs: number; timeoutMs: number; trace: boolean },
    call: WorkerCall,
    onAsk: (question: RetryQuestion) => RetryAnswer,
  ): WorkerReply {
    this.sigint.check();
    const { id } = client;
    const first = !this.#opened.has(id);
    const request: WorkerRequest = { type: 'call', client: id, ...bounds, waitMs: SLICE_MS, ...call };
    if (first) request.setup = { options: client.options, sigint: this.sigint.buffer };
    let reply = this.#send(request);
    if (first) this.#opened.add(id);
    if (reply.state !== 'pending' && reply.state !== 'ask') return reply;
    const deadline = bounds.deadlineMs + SLACK_MS;
    const logs = [...(reply.logs ?? [])];
    const traces = [...(reply.traces ?? [])];
    while (reply.state === 'pending' || reply.state === 'ask') {
      if (reply.state === 'ask') {
        reply = this.#send({ type: 'answer', ticket: reply.ticket, answer: onAsk(reply.question), waitMs: SLICE_MS });
      } else {
        if (this.sigint.pending || Date.now() > deadline) {
          this.#send({ type: 'abandon', ticket: reply.ticket });
          this.sigint.check();
          throw noAnswer(bounds.deadlineMs, client.options.endpoint ?? null);
        }
        reply = this.#send({ type: 'poll', ticket: reply.ticket, waitMs: SLICE_MS });
      }
      logs.push(...(reply.logs ?? []));
      traces.push(...(reply.traces ?? []));
    }
    return { ...reply, ...(logs.length ? { logs } : {}), ...(traces.length ? { traces } : {}) };
  }

  /**
   * Frees a client's sockets in the worker; `exit` also ends the worker (the next call starts
   * another). Never throws: a worker that already died has nothing left to free.
   */
  close(client: number, exit: boolean): void {
    const opened = this.#opened.delete(client);
    if (this.#syncFn === null || !(opened || exit)) return;
    try {
      this.#send({ type: 'close', client, exit });
    } catch {
      // the worker is gone (it died or stalled): its sockets went with it
    }
    if (exit) this.#drop();
  }

  /** Forgets the worker (it ended, died or stalled): the next call starts a fresh one, which knows no client yet. */
  #drop(): void {
    this.#syncFn = null;
    this.#opened.clear();
  }

  #send(request: WorkerRequest): WorkerReply {
    if ((globalThis as Record<symbol, unknown>)[IN_WORKER]) {
      throw new AIStudioError("the blocking API cannot be called from inside the SDK's own worker thread");
    }
    try {
      this.#syncFn ??= this.#startWorker();
      return this.#syncFn(request);
    } catch (cause) {
      this.#drop(); // timed out or died
      throw new AIStudioError(`the blocking flavour's worker failed: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    }
  }

  #startWorker(): SyncFn {
    const synckit = loadAtFirstUse<{ startWorkerThread: typeof startWorkerThread }>('synckit');
    return synckit.startWorkerThread(this.#path, { timeout: SLICE_MS + SLACK_MS }) as SyncFn;
  }
}

/**
 * The error of a call whose worker gave no answer until its deadline and the slack after it: the
 * call's deadline ran out (gRPC DEADLINE_EXCEEDED), marked with that deadline, so that a wait whose
 * deadline it is ends with its `OperationTimeoutError`, as at every other place (`src/core/deadline.ts`).
 */
function noAnswer(deadlineMs: number, endpoint: string | null): ApiError {
  return markDeadline(
    new ApiError({
      grpcCode: 4,
      httpStatus: null,
      message: `the blocking call got no answer from its worker within ${SLACK_MS / 1000} s after its deadline`,
      details: [],
      requestId: null,
      serverTraceId: null,
      clientRequestId: null,
      endpoint: endpoint ?? "the blocking flavour's worker",
      attempts: 0,
      authProvider: null,
    }),
    deadlineMs,
  );
}

/** The answer of a `call` (its JSON parsed here), or its error rebuilt as the class it was thrown as. */
function unwrap(reply: WorkerReply): unknown {
  if (reply.state === 'done') return JSON.parse(reply.json);
  if (reply.state === 'failed') throw errorFromData(reply.error);
  throw new AIStudioError(`unexpected answer from the blocking flavour's worker: ${reply.state}`);
}

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
  readonly #client: BridgeClient;
  readonly #setup: BlockingSetup;
  readonly #entry: { bridge: WorkerBridge; clients: number };
  readonly #context: SyncContext;
  #closed = false;

  /** Starts the worker thread (unref'd) if none runs yet for this worker file. */
  constructor(setup: BlockingSetup) {
    this.#setup = setup;
    this.#client = { id: nextClient++, options: setup.options };
    const entry = bridges.get(setup.workerPath) ?? { bridge: new WorkerBridge(setup.workerPath), clients: 0 };
    this.#context = {
      budget: setup.budget,
      endpoint: setup.endpoint,
      nowMs: Date.now,
      random: Math.random,
      guard: { checkOpen: () => this.#checkOpen(), sigint: entry.bridge.sigint },
      said: saidWarnings(),
    };
    entry.clients += 1;
    bridges.set(setup.workerPath, entry);
    this.#entry = entry;
    entry.bridge.start();
  }

  /** One blocking call through the worker: its wire JSON, or its error rebuilt. */
  send(call: ClientCall, { deadlineMs, timeoutMs }: CallOptions): unknown {
    this.#checkOpen();
    const bounds = { deadlineMs, timeoutMs: timeoutMs ?? deadlineMs - Date.now(), trace: tracingWanted() };
    const reply = this.#entry.bridge.call(this.#client, bounds, call, this.#onAsk);
    if (reply.logs) for (const [level, message] of reply.logs) this.#setup.logger[level](message);
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
    entry.bridge.close(this.#client.id, entry.clients === 0);
    if (entry.clients === 0 && bridges.get(workerPath) === entry) bridges.delete(workerPath);
  }

  #checkOpen(): void {
    if (this.#closed) throw new AIStudioError(`this OperationsClient of ${this.#setup.endpoint} is closed`);
  }

  /** A retry hook the worker asked for, run here, on the caller's thread. */
  readonly #onAsk = (question: RetryQuestion): RetryAnswer => {
    try {
      const error = errorFromData(question.error) as ApiError;
      const hooks = this.#setup.retryHooks;
      if (question.hook === 'shouldRetry') return { value: hooks.shouldRetry?.(error, question.attempt) === true };
      hooks.onRetry?.(question.attempt, error, question.delay);
      return { value: null };
    } catch (thrown) {
      return { thrown: errorToData(thrown) };
    }
  };
}
