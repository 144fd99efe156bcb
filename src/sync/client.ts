/**
 * The blocking flavour's client. Its options are plain data: they travel to the worker thread
 * that sends the requests. The worker starts on the first blocking call.
 */
import { AIStudioError } from '../core/errors';
import { kindFromOperationJson, kindFromSavedOperation, operationKind, type ApiOperationKind, type OperationOptions } from '../core/kind';
import { checkOperationId, checkOptions, typeName } from '../core/options';
import type { BaseOperationStatus, OperationStatus } from '../core/status';
import type { Logger } from '../core/transport';
import { resolveAuth } from '../transport/auth';
import { envLogger } from '../transport/env-logger';
import { CLIENT_OPTIONS, resolveClientConfig, type ClientOptions } from '../transport/config';
import { resolveWorkerPath, unwrap, WorkerBridge } from './bridge';
import { errorFromData, errorToData } from './error-data';
import { republish, tracingWanted } from '../transport/tracing';
import type { RetryOptions } from '../core/retry';
import type { ApiError } from '../core/errors';
import { Operation } from './operation';
import { BaseOperation, linkToSyncClient, type SyncClientLink } from './base-operation';
import type { RetryAnswer, RetryQuestion, WorkerCall, WorkerClientOptions } from './protocol';
import { checkStartAnswer, operationOptions, planStart, type StartOptions } from '../transport/start';
import { batchTaskIdOf, PRODUCERS, STARTS, type BatchCompletionRequest, type Producer, type StartRoute, type ValidateDatasetRequest } from '../core/producers';
import type { CompletionRequest, CompletionResponse } from '../core/producers/completion';
import type { ImageGenerationRequest, ImageGenerationResponse } from '../core/producers/image-generation';
import type { ParsedWebSearchResponse, WebSearchRequest, WebSearchResponse } from '../core/producers/web-search';
import type { SearchIndex, SearchIndexFile, SearchIndexFilesRequest, SearchIndexRequest } from '../core/producers/search-index';
import { decodeRun, refuseCancel, type AssistantRunResult, type AssistantRunStatus } from '../core/assistant-run';
import { planRun, type RunOptions } from '../transport/assistant-run';
import { drive, type Call, type CallRunner, type TrackedKind } from '../core/calls';
import type { DatasetInfo } from '../core/dataset';
import { trackTuning, tuningStatusOf, type TunedModel, type TuningRequest, type TuningStatus } from '../core/tuning';
import { trackBatchTask, type BatchTaskStatus } from '../core/batch-task';
import { planBatchTask, planTuning, serviceEndpoint, type BatchTaskOptions, type TuningOptions } from '../transport/tasks';
import { readAny } from '../runtime/load';

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
  readonly #retryHooks: Pick<RetryOptions, 'shouldRetry' | 'onRetry'>;
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
    const { maxRequestsPerSecond: _spentHere, ca: _sentAsText, retry, ...forWorker } = rest;
    // The retry hooks stay here, on the caller's thread: the worker asks for them by name.
    const { shouldRetry, onRetry, ...plainRetry } = retry === false || retry === undefined ? ({} as RetryOptions) : retry;
    this.#retryHooks = { shouldRetry, onRetry };
    const retryHooks = (['shouldRetry', 'onRetry'] as const).filter((hook) => this.#retryHooks[hook] !== undefined);
    this.#options = {
      ...forWorker,
      ...(retry === undefined ? {} : { retry: retry === false ? false : plainRetry }),
      ...(retryHooks.length ? { retryHooks } : {}),
      endpoint: config.endpoint,
      folderId: config.folderId ?? undefined,
      log: logger !== undefined || envLogger() !== null,
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

  /**
   * The operation described by an Operation JSON, or by an `Operation` object of the official
   * SDK (`@yandex-cloud/nodejs-sdk`), as {@link AsyncOperationsClient.fromOperation} reads them:
   * its status is known at once, without a request.
   * @throws TypeError when it cannot read the object, naming the field
   */
  fromOperation<T = unknown, M = unknown>(wire: object, options?: SyncOperationOptions<T, M>): Operation<T, M> {
    const { id, kind, status } = kindFromOperationJson(wire, options, readAny);
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
   * Starts an AI Studio deferred completion (`POST /foundationModels/v1/completionAsync` on
   * `llm`) and returns its operation, whose result is the completion; blocks for the start call.
   * Python: `sdk.models.completions(uri).run_deferred(messages)`. `endpoint` is where the start
   * call goes (default `llm`); the operation is polled on this client's endpoint. `timeout` bounds
   * the start call, in seconds (default 60). Waits default to 3600 s, polled every 10 s.
   */
  completionAsync(request: CompletionRequest, options?: StartOptions): Operation<CompletionResponse> {
    return this.#start(PRODUCERS.completion, request, options);
  }

  /**
   * Starts a YandexART image generation (`POST /foundationModels/v1/imageGenerationAsync` on
   * `llm`); the operation's result has the image as bytes. Python:
   * `sdk.models.image_generation(uri).run_deferred(messages)`. Options as `completionAsync`'s;
   * waits default to 3600 s, polled every 10 s.
   */
  imageGenerationAsync(request: ImageGenerationRequest, options?: StartOptions): Operation<ImageGenerationResponse> {
    return this.#start(PRODUCERS.imageGeneration, request, options);
  }

  /**
   * Starts a deferred web search (`POST /v2/web/searchAsync` on `searchapi`, the request's
   * `folderId` defaulting to the client's); the result's `rawData` is the XML or HTML page as
   * bytes, and with `parse: true` also as `text`. Python:
   * `sdk.search_api.web(search_type).run_deferred(query)`. Waits default to 3600 s, polled every 10 s.
   */
  webSearchAsync(request: WebSearchRequest, options?: StartOptions & { parse?: false }): Operation<WebSearchResponse>;
  webSearchAsync(request: WebSearchRequest, options: StartOptions & { parse: true }): Operation<ParsedWebSearchResponse>;
  webSearchAsync(request: WebSearchRequest, options?: StartOptions & { parse?: boolean }): Operation<WebSearchResponse | ParsedWebSearchResponse> {
    return this.#start(PRODUCERS.webSearch, request, options);
  }

  /**
   * Starts creating an assistants search index (`POST /assistants/v1/searchIndex` on
   * `rest-assistant`, the request's `folderId` defaulting to the client's); the result is the
   * index. Python: `sdk.search_indexes.create_deferred(files, index_type=...)`. Waits default to
   * 3600 s, polled every 10 s.
   */
  createSearchIndex(request: SearchIndexRequest, options?: StartOptions): Operation<SearchIndex> {
    return this.#start(PRODUCERS.createSearchIndex, request, options);
  }

  /**
   * Starts adding files to a search index (`POST /assistants/v1/searchIndexFile:batchCreate` on
   * `rest-assistant`); the result is the files added. Python: `search_index.add_files_deferred(files)`.
   * Waits default to 3600 s, polled every 10 s.
   */
  addSearchIndexFiles(request: SearchIndexFilesRequest, options?: StartOptions): Operation<SearchIndexFile[]> {
    return this.#start(PRODUCERS.addSearchIndexFiles, request, options);
  }

  /**
   * Starts validating an AI Studio dataset (`DatasetService.Validate`, gRPC only, on `llm`, over
   * gRPC whatever this client's protocol), blocking for the start call; the result is the dataset
   * (described again once valid), or a `DatasetValidationError` listing the errors found. Python:
   * the validation of `sdk.datasets.draft_from_path(...).upload_deferred()`. Waits default to 6 h,
   * polled every 60 s. The operation is polled on this client's endpoint.
   */
  validateDataset(request: ValidateDatasetRequest, options?: StartOptions): Operation<DatasetInfo> {
    return this.#start(PRODUCERS.validateDataset, request, options);
  }

  /**
   * Starts a tuning (`TuningService.Tune`, gRPC only, on `llm`, over gRPC whatever this client's
   * protocol), blocking for the start call. Its status is a {@link TuningStatus} (the task's
   * state), read from the tuning's operation on this client's endpoint, and from
   * `TuningService.Describe` of its task once the operation expired; `cancel()` cancels it; the
   * result is the tuned model's URI. Python: `model.tune_deferred(train_datasets, ...)`. Waits
   * default to 72 h, polled every 60 s.
   */
  tune(request: TuningRequest, options?: StartOptions): BaseOperation<TuningStatus, TunedModel> {
    const { wire, plan } = this.#startCall(STARTS.tune, request, options);
    const initial = tuningStatusOf(wire, wire.id);
    return this.#tracked(wire.id, trackTuning({ operationId: wire.id, taskId: initial.taskId, expired: false }, plan.endpoint, this.#run), initial);
  }

  /**
   * The tuning of this operation id (or, with `operationId` `null`, of `options.taskId` alone),
   * waited on as {@link OperationsClient.tune}'s. Python: `sdk.tuning.get(task_id)`. No request is
   * made until you call one of its members.
   */
  tuning(operationId: string | null, options?: TuningOptions): BaseOperation<TuningStatus, TunedModel> {
    const { id, track, endpoint } = planTuning(operationId, options, this.#allowInsecureHttp);
    return this.#tracked(id, trackTuning(track, endpoint, this.#run));
  }

  /**
   * Starts a batch completion (`POST /foundationModels/v1/completionBatch` on `llm`), blocking for
   * the start call, and returns its batch task, tracked by `BatchInferenceService` (gRPC only; on
   * `serviceEndpoint`, default `llm`): its status is a {@link BatchTaskStatus}, its result the
   * result dataset, and `cancel()` cancels the task. Python: `model.batch.run_deferred(dataset)`.
   * Waits default to 72 h, polled every 10 s.
   */
  completionBatch(request: BatchCompletionRequest, options?: StartOptions & { serviceEndpoint?: string }): BaseOperation<BatchTaskStatus, DatasetInfo> {
    const { wire, plan } = this.#startCall(STARTS.completionBatch, request, options);
    const taskId = batchTaskIdOf(wire);
    return this.#tracked(taskId, trackBatchTask(taskId, serviceEndpoint(plan.options.serviceEndpoint, this.#allowInsecureHttp), this.#run));
  }

  /**
   * The batch task with this id, waited on as {@link OperationsClient.completionBatch}'s. Python:
   * `sdk.batch.get(task_id)`. No request is made until you call one of its members.
   */
  batchTask(taskId: string, options?: BatchTaskOptions): BaseOperation<BatchTaskStatus, DatasetInfo> {
    const { id, endpoint } = planBatchTask(taskId, options, this.#allowInsecureHttp);
    return this.#tracked(id, trackBatchTask(id, endpoint, this.#run));
  }

  /**
   * The assistant run with this id (`GET /assistants/v1/runs/{id}` on `rest-assistant`, or
   * `endpoint`), waited on like an operation, blocking: its status is an {@link AssistantRunStatus},
   * its result the run (`TOOL_CALLS` counts as succeeded). Waits default to 300 s, polled every
   * 0.5 s; `cancel()` throws `CancelNotSupportedError`. Python: `run.wait()` of `thread.run(...)`.
   * No request is made until you call one of its members.
   */
  run(id: string, options?: RunOptions): BaseOperation<AssistantRunStatus, AssistantRunResult> {
    const { id: runId, url, kind } = planRun(id, options, this.#allowInsecureHttp);
    return new BaseOperation(linkToSyncClient({
      id: runId,
      kind,
      logger: this.#logger,
      fetch: (bounds) => decodeRun(this.#call(bounds, { op: 'fetch', url }), runId),
      cancel: () => refuseCancel(runId),
    }, this.#link));
  }

  /** {@link OperationsClient.run}, by its longer name. */
  assistantRun(id: string, options?: RunOptions): BaseOperation<AssistantRunStatus, AssistantRunResult> {
    return this.run(id, options);
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
  #call({ deadlineMs, timeoutMs }: { deadlineMs: number; timeoutMs?: number }, call: WorkerCall): unknown {
    const head = { client: this.#client, options: this.#options, deadlineMs, timeoutMs: timeoutMs ?? deadlineMs - Date.now(), trace: tracingWanted() };
    const reply = this.#bridge().call(head, call, (question) => this.#runRetryHook(question));
    for (const [level, message] of reply.logs ?? []) this.#logger[level](message);
    if (reply.traces) republish(reply.traces);
    return unwrap(reply);
  }

  /** A retry hook the worker asked for, run here, on the caller's thread. */
  #runRetryHook(question: RetryQuestion): RetryAnswer {
    try {
      const error = errorFromData(question.error) as ApiError;
      if (question.hook === 'shouldRetry') return { value: this.#retryHooks.shouldRetry?.(error, question.attempt) === true };
      this.#retryHooks.onRetry?.(question.attempt, error, question.delay);
      return { value: null };
    } catch (thrown) {
      return { thrown: errorToData(thrown) };
    }
  }

  /** The start call of a producer row, blocking, then its operation (known at once from the answer). */
  #start<R, T>(producer: Producer<R, T>, request: R, options: StartOptions | undefined): Operation<T> {
    const { wire, plan } = this.#startCall(producer, request, options);
    const { id, kind, status } = kindFromOperationJson(wire, operationOptions(producer, plan, this.#run));
    return this.#make(id, kind, status);
  }

  /** The start call of a row, blocking: the Operation JSON it answers, and its plan. */
  #startCall<R>(route: StartRoute<R>, request: R, options: StartOptions | undefined) {
    const plan = planStart(route, request, options, { allowInsecureHttp: this.#allowInsecureHttp, folderId: this.#options.folderId ?? null, flavourOptions: [] });
    const { target } = plan;
    const call: WorkerCall = target.kind === 'rest' ? { op: 'start', url: target.url, body: target.body } : { op: 'service', endpoint: target.endpoint, call: target.call };
    const wire = checkStartAnswer(this.#call({ deadlineMs: Date.now() + plan.timeoutMs, timeoutMs: plan.timeoutMs }, call)) as { id: string };
    return { wire, plan };
  }

  /** Runs a kind's calls through the worker, blocking, within `bounds`. */
  readonly #run: CallRunner = (calls, bounds) =>
    drive(calls, (c: Call) => this.#call(bounds, c.to === 'service' ? { op: 'service', endpoint: c.endpoint, call: c.call } : { op: c.method, id: c.operationId }));

  /** An operation of a kind tracked by calls of its own (a tuning, a batch task). */
  #tracked<S extends BaseOperationStatus, T>(id: string, tracked: TrackedKind<S, T>, initialStatus: S | null = null): BaseOperation<S, T> {
    return new BaseOperation(linkToSyncClient({
      id,
      kind: tracked.kind,
      initialStatus,
      logger: this.#logger,
      fetch: (bounds) => this.#run(tracked.fetch(), bounds) as S,
      cancel: (bounds) => this.#run(tracked.cancel(), bounds) as S,
    }, this.#link));
  }

  #make<T, M>(id: string, kind: ApiOperationKind<T, M>, initialStatus: OperationStatus<M> | null): Operation<T, M> {
    const request = (op: 'get' | 'cancel', bounds: { deadlineMs: number; timeoutMs?: number }) => kind.decodeAnswer(this.#call(bounds, { op, id }), id).status;
    return new Operation<T, M>(linkToSyncClient({
      id,
      kind,
      initialStatus,
      endpoint: this.endpoint,
      logger: this.#logger,
      fetch: (bounds) => request('get', bounds),
      cancel: (bounds) => request('cancel', bounds),
    }, this.#link));
  }
}
