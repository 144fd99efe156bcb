/**
 * The blocking flavour's client. Its options are plain data: they travel to the worker thread
 * that sends the requests. The worker starts on the first blocking call.
 */
import { AIStudioError } from '../core/errors';
import { kindFromOperationJson, kindFromSavedOperation, operationKind, type ApiOperationKind, type OperationOptions } from '../core/kind';
import { checkOperationId, checkOptions, typeName } from '../core/options';
import type { OperationStatus } from '../core/status';
import type { Logger } from '../core/transport';
import { resolveAuth } from '../transport/auth';
import { CLIENT_OPTIONS, resolveClientConfig, type ClientOptions } from '../transport/config';
import { resolveWorkerPath, unwrap, WorkerBridge } from './bridge';
import { Operation } from './operation';
import { linkToSyncClient, type SyncClientLink } from './base-operation';
import type { WorkerCall, WorkerClientOptions } from './protocol';
import { checkStartAnswer, planCompletion } from '../transport/completion';
import type { CompletionRequest, CompletionResponse } from '../core/completion';

/** The client options the blocking flavour takes: all but `axios` (its requests are sent in the worker thread). */
const SYNC_CLIENT_OPTIONS = [...CLIENT_OPTIONS.filter((name) => name !== 'axios'), 'workerPath'];

/** Options of a blocking client: the async client's, as plain data, plus where the worker is. */
export interface SyncClientOptions extends Omit<ClientOptions, 'auth' | 'axios'> {
  auth?: WorkerClientOptions['auth'];
  /**
   * The path of the SDK's worker file (`dist/sync/worker.js` of this package), for apps that
   * bundle the SDK. @default process.env.YC_OPERATION_WORKER, else the file next to this build
   */
  workerPath?: string;
}

/** The blocking operation type of `OperationsClient.operation()`, for a synchronous decoder. */
export type SyncOperationOptions<T, M> = Omit<OperationOptions<T, M>, 'resultDecoder'> & {
  resultDecoder?: (response: unknown, ctx: { timeout: number }) => T;
};

const bridges = new Map<string, { bridge: WorkerBridge; clients: number }>();
let nextClient = 1;

export class OperationsClient {
  readonly endpoint: string;
  readonly #client = nextClient++;
  readonly #options: WorkerClientOptions;
  readonly #logger: Logger;
  readonly #workerPath: string;
  readonly #allowInsecureHttp: boolean;
  readonly #bridgeEntry: { bridge: WorkerBridge; clients: number };
  readonly #link: SyncClientLink;
  #closed = false;

  /**
   * Checks the options at once, and starts the worker thread (unref'd) if none runs yet, so that
   * it boots while the caller does other work: the first blocking call waits only for what is left.
   */
  constructor(options?: SyncClientOptions) {
    const { workerPath, logger, ...rest } = checkOptions('client', options, SYNC_CLIENT_OPTIONS);
    if (rest.auth !== undefined && rest.auth !== null && typeof rest.auth === 'object' && 'getHeaders' in rest.auth) {
      throw new TypeError('the blocking client takes credentials as plain data (a string or { apiKey | iamToken | oauthToken }), not an AuthProvider');
    }
    if (workerPath !== undefined && typeof workerPath !== 'string') throw new TypeError(`workerPath must be a string, got ${typeName(workerPath)}`);
    resolveAuth(rest.auth); // checks the credentials now, as the async client does (providers do no I/O until used)
    const config = resolveClientConfig({ ...rest, logger });
    this.endpoint = config.endpoint;
    this.#logger = config.logger;
    const { maxRequestsPerSecond: _spentHere, ca: _sentAsText, ...forWorker } = rest;
    this.#options = {
      ...forWorker,
      endpoint: config.endpoint,
      folderId: config.folderId ?? undefined,
      log: logger !== undefined,
      ...(config.ca === null ? {} : { ca: config.ca.toString() }),
    };
    this.#link = { checkOpen: () => this.#checkOpen(), budget: config.budget, endpoint: config.endpoint };
    this.#allowInsecureHttp = rest.allowInsecureHttp ?? false;
    this.#workerPath = resolveWorkerPath(workerPath);
    const entry = bridges.get(this.#workerPath) ?? { bridge: new WorkerBridge(this.#workerPath), clients: 0 };
    entry.clients += 1;
    bridges.set(this.#workerPath, entry);
    this.#bridgeEntry = entry;
    entry.bridge.start();
  }

  /** The operation with this id; no request is made until you call one of its members. */
  operation<T = unknown, M = unknown>(id: string, options?: SyncOperationOptions<T, M>): Operation<T, M> {
    return this.#make(checkOperationId(id), operationKind(options), null);
  }

  /** The operation described by an Operation JSON: its status is known at once, without a request. */
  fromOperation<T = unknown, M = unknown>(wire: object, options?: SyncOperationOptions<T, M>): Operation<T, M> {
    const { id, kind, status } = kindFromOperationJson(wire, options);
    return this.#make(id, kind, status);
  }

  /**
   * The operation saved by `toJSON()` (by either flavour): its status is known at once, without a
   * request. `options` (decoders, defaultPollTimeout) apply as to `operation()`.
   */
  restore<T = unknown, M = unknown>(saved: unknown, options?: SyncOperationOptions<T, M>): Operation<T, M> {
    const { id, kind, status } = kindFromSavedOperation(saved, this.endpoint, options);
    return this.#make(id, kind, status);
  }

  /**
   * Starts an AI Studio deferred completion (`POST /foundationModels/v1/completionAsync`) and
   * returns its operation, whose result is the completion. Blocks for the start call.
   * `endpoint` is where the start call goes (default `llm`); the operation is polled on this
   * client's endpoint. `timeout` bounds the start call, in seconds (default 60).
   */
  completionAsync(request: CompletionRequest, options?: { endpoint?: string; timeout?: number }): Operation<CompletionResponse> {
    const { url, timeoutMs } = planCompletion(request, options, this.#allowInsecureHttp, ['endpoint', 'timeout']);
    const wire = checkStartAnswer(this.#call(Date.now() + timeoutMs, { op: 'start', url, body: request }));
    const { id, kind, status } = kindFromOperationJson<CompletionResponse, unknown>(wire, undefined);
    return this.#make(id, kind, status);
  }

  /**
   * Frees the client's sockets; the last open client also ends the worker thread. A wait of this
   * client still running (closed from its `onProgress`, say) fails with an `AIStudioError` at its
   * next step, and so does any later call. Never throws, even when the worker has died.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const entry = this.#bridgeEntry;
    entry.clients -= 1;
    entry.bridge.close(this.#client, entry.clients === 0);
    if (entry.clients === 0 && bridges.get(this.#workerPath) === entry) bridges.delete(this.#workerPath);
  }

  /** `using client = new OperationsClient()`: closes it at the end of the scope. */
  [Symbol.dispose](): void {
    this.close();
  }

  /** `OperationsClient<https://...>`: never the credentials. */
  toString(): string {
    return `OperationsClient<${this.endpoint}>`;
  }

  #bridge(): WorkerBridge {
    this.#checkOpen();
    return this.#bridgeEntry.bridge;
  }

  #checkOpen(): void {
    if (this.#closed) throw new AIStudioError(`this OperationsClient of ${this.endpoint} is closed`);
  }

  /** One blocking call through the worker: its wire JSON, or its error rebuilt. */
  #call(deadlineMs: number, call: WorkerCall): unknown {
    const reply = this.#bridge().call({ client: this.#client, options: this.#options, deadlineMs }, call);
    for (const [level, message] of reply.logs ?? []) this.#logger[level](message);
    return unwrap(reply);
  }

  #make<T, M>(id: string, kind: ApiOperationKind<T, M>, initialStatus: OperationStatus<M> | null): Operation<T, M> {
    const request = (op: 'get' | 'cancel', deadlineMs: number) => kind.decode(this.#call(deadlineMs, { op, id }), id).status;
    return new Operation<T, M>(linkToSyncClient({
      id,
      kind,
      initialStatus,
      endpoint: this.endpoint,
      logger: this.#logger,
      fetch: ({ deadlineMs }) => request('get', deadlineMs),
      cancel: ({ deadlineMs }) => request('cancel', deadlineMs),
    }, this.#link));
  }
}
