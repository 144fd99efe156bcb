/**
 * The promise flavour's client: it owns the REST transport (one socket pool, one credential
 * provider) and makes {@link AsyncOperation}s that share it.
 */
import { checkOperationId } from '../core/options';
import { kindFromOperationJson, kindFromSavedOperation, operationKind, type ApiOperationKind, type OperationOptions } from '../core/kind';
import type { BaseOperationStatus, OperationStatus } from '../core/status';
import type { CallOptions, ClientTransport } from '../core/transport';
import { resolveClientConfig, type ClientOptions } from '../transport/config';
import { createTransport } from '../transport/create-transport';
import { AsyncOperation } from './operation';
import { BaseAsyncOperation, linkToClient, type ClientLink } from './base-operation';
import { SharedPolls } from './shared-polls';
import { ApiOperationParts, type ApiClientParts } from './api-parts';
import { AIStudioError } from '../core/errors';
import { CallScope } from '../runtime/call-scope';
import { readAny } from '../runtime/load';
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

/** Options of the promise flavour's start helpers: where the start call goes, its bound, its signal. */
export interface AsyncStartOptions extends StartOptions {
  /** Stops the start call: the request is aborted and the promise rejects with `signal.reason`. */
  signal?: AbortSignal;
}

export class AsyncOperationsClient {
  readonly #transport: ClientTransport;
  /** What this client's Operation API operations share. */
  readonly #api: ApiClientParts;
  readonly #allowInsecureHttp: boolean;
  readonly #folderId: string | null;
  readonly #logger;
  readonly #link: ClientLink;

  /** Checks the options at once (a bad option throws here); credentials are looked up at the first request. */
  constructor(options?: ClientOptions) {
    const config = resolveClientConfig(options);
    this.#logger = config.logger;
    this.#transport = createTransport(config);
    this.#allowInsecureHttp = options?.allowInsecureHttp ?? false;
    this.#folderId = config.folderId;
    this.#api = { transport: this.#transport, polls: new SharedPolls(this.#transport), logger: this.#logger, arrivals: new WeakMap() };
    this.#link = {
      scope: new CallScope(() => new AIStudioError(`this AsyncOperationsClient of ${this.#transport.endpoint} is closed`)),
      budget: config.budget,
      endpoint: this.#transport.endpoint,
    };
  }

  /** The base URL this client calls. */
  get endpoint(): string {
    return this.#transport.endpoint;
  }

  /** The operation with this id; no request is made until you call one of its members. */
  operation<T = unknown, M = unknown>(id: string, options?: OperationOptions<T, M>): AsyncOperation<T, M> {
    return this.#make(checkOperationId(id), operationKind(options), null);
  }

  /**
   * The operation described by an Operation JSON, such as the answer of the call that started
   * it, or by an `Operation` object of the official SDK (`@yandex-cloud/nodejs-sdk`), whose
   * `Any` values are decoded to JSON with their `"@type"` (a type this package has no `.proto`
   * for keeps its bytes, as over gRPC): its status is known at once, without a request.
   * @throws TypeError when it cannot read the object, naming the field
   */
  fromOperation<T = unknown, M = unknown>(wire: object, options?: OperationOptions<T, M>): AsyncOperation<T, M> {
    const { id, kind, status } = kindFromOperationJson(wire, options, readAny);
    return this.#make(id, kind, status);
  }

  /**
   * The operation saved by `toJSON()` (by either flavour): its status is known at once, without a
   * request. `options` (decoders, defaultPollTimeout) apply as to `operation()`.
   */
  restore<T = unknown, M = unknown>(saved: unknown, options?: OperationOptions<T, M>): AsyncOperation<T, M> {
    const { id, kind, status } = kindFromSavedOperation(saved, this.endpoint, options);
    return this.#make(id, kind, status);
  }

  /**
   * Starts an AI Studio deferred completion (`POST /foundationModels/v1/completionAsync` on
   * `llm`) and returns its operation, whose result is the completion. Python:
   * `sdk.models.completions(uri).run_deferred(messages)`. `endpoint` is where the start call goes
   * (default `llm`); the operation is polled on this client's endpoint. `timeout` bounds the start
   * call, in seconds (default 60). Waits default to 3600 s, polled every 10 s.
   */
  completionAsync(request: CompletionRequest, options?: AsyncStartOptions): Promise<AsyncOperation<CompletionResponse>> {
    return this.#start(PRODUCERS.completion, request, options);
  }

  /**
   * Starts a YandexART image generation (`POST /foundationModels/v1/imageGenerationAsync` on
   * `llm`); the operation's result has the image as bytes. Python:
   * `sdk.models.image_generation(uri).run_deferred(messages)`. Options as `completionAsync`'s;
   * waits default to 3600 s, polled every 10 s.
   */
  imageGenerationAsync(request: ImageGenerationRequest, options?: AsyncStartOptions): Promise<AsyncOperation<ImageGenerationResponse>> {
    return this.#start(PRODUCERS.imageGeneration, request, options);
  }

  /**
   * Starts a deferred web search (`POST /v2/web/searchAsync` on `searchapi`, the request's
   * `folderId` defaulting to the client's); the result's `rawData` is the XML or HTML page as
   * bytes, and with `parse: true` also as `text`. Python:
   * `sdk.search_api.web(search_type).run_deferred(query)`. Waits default to 3600 s, polled every 10 s.
   */
  webSearchAsync(request: WebSearchRequest, options?: AsyncStartOptions & { parse?: false }): Promise<AsyncOperation<WebSearchResponse>>;
  webSearchAsync(request: WebSearchRequest, options: AsyncStartOptions & { parse: true }): Promise<AsyncOperation<ParsedWebSearchResponse>>;
  webSearchAsync(request: WebSearchRequest, options?: AsyncStartOptions & { parse?: boolean }): Promise<AsyncOperation<WebSearchResponse | ParsedWebSearchResponse>> {
    return this.#start(PRODUCERS.webSearch, request, options);
  }

  /**
   * Starts creating an assistants search index (`POST /assistants/v1/searchIndex` on
   * `rest-assistant`, the request's `folderId` defaulting to the client's); the result is the
   * index. Python: `sdk.search_indexes.create_deferred(files, index_type=...)`. Waits default to
   * 3600 s, polled every 10 s.
   */
  createSearchIndex(request: SearchIndexRequest, options?: AsyncStartOptions): Promise<AsyncOperation<SearchIndex>> {
    return this.#start(PRODUCERS.createSearchIndex, request, options);
  }

  /**
   * Starts adding files to a search index (`POST /assistants/v1/searchIndexFile:batchCreate` on
   * `rest-assistant`); the result is the files added. Python: `search_index.add_files_deferred(files)`.
   * Waits default to 3600 s, polled every 10 s.
   */
  addSearchIndexFiles(request: SearchIndexFilesRequest, options?: AsyncStartOptions): Promise<AsyncOperation<SearchIndexFile[]>> {
    return this.#start(PRODUCERS.addSearchIndexFiles, request, options);
  }

  /**
   * Starts validating an AI Studio dataset (`DatasetService.Validate`, gRPC only, on `llm`, over
   * gRPC whatever this client's protocol); the result is the dataset (described again once
   * valid), or a rejection with `DatasetValidationError` listing the errors found. Python: the
   * validation of `sdk.datasets.draft_from_path(...).upload_deferred()`. Waits default to 6 h,
   * polled every 60 s. The operation is polled on this client's endpoint.
   */
  validateDataset(request: ValidateDatasetRequest, options?: AsyncStartOptions): Promise<AsyncOperation<DatasetInfo>> {
    return this.#start(PRODUCERS.validateDataset, request, options);
  }

  /**
   * Starts a tuning (`TuningService.Tune`, gRPC only, on `llm`, over gRPC whatever this client's
   * protocol). Its status is a {@link TuningStatus} (the task's state), read from the tuning's
   * operation on this client's endpoint, and from `TuningService.Describe` of its task once the
   * operation expired; `cancel()` cancels it; the result is the tuned model's URI. Python:
   * `model.tune_deferred(train_datasets, ...)`. Waits default to 72 h, polled every 60 s.
   */
  async tune(request: TuningRequest, options?: AsyncStartOptions): Promise<BaseAsyncOperation<TuningStatus, TunedModel>> {
    const { wire, plan } = await this.#startCall(STARTS.tune, request, options);
    const initial = tuningStatusOf(wire, wire.id);
    return this.#tracked(wire.id, trackTuning({ operationId: wire.id, taskId: initial.taskId, expired: false }, plan.endpoint, this.#run), initial);
  }

  /**
   * The tuning of this operation id (or, with `operationId` `null`, of `options.taskId` alone),
   * waited on as {@link AsyncOperationsClient.tune}'s. Python: `sdk.tuning.get(task_id)`. No
   * request is made until you call one of its members.
   */
  tuning(operationId: string | null, options?: TuningOptions): BaseAsyncOperation<TuningStatus, TunedModel> {
    const { id, track, endpoint } = planTuning(operationId, options, this.#allowInsecureHttp);
    return this.#tracked(id, trackTuning(track, endpoint, this.#run));
  }

  /**
   * Starts a batch completion (`POST /foundationModels/v1/completionBatch` on `llm`) and returns
   * its batch task, tracked by `BatchInferenceService` (gRPC only; on `serviceEndpoint`, default
   * `llm`): its status is a {@link BatchTaskStatus}, its result the result dataset, and
   * `cancel()` cancels the task. Python: `model.batch.run_deferred(dataset)`. Waits default to
   * 72 h, polled every 10 s.
   */
  async completionBatch(request: BatchCompletionRequest, options?: AsyncStartOptions & { serviceEndpoint?: string }): Promise<BaseAsyncOperation<BatchTaskStatus, DatasetInfo>> {
    const { wire, plan } = await this.#startCall(STARTS.completionBatch, request, options);
    const taskId = batchTaskIdOf(wire);
    return this.#tracked(taskId, trackBatchTask(taskId, serviceEndpoint(plan.options.serviceEndpoint, this.#allowInsecureHttp), this.#run));
  }

  /**
   * The batch task with this id, waited on as {@link AsyncOperationsClient.completionBatch}'s.
   * Python: `sdk.batch.get(task_id)`. No request is made until you call one of its members.
   */
  batchTask(taskId: string, options?: BatchTaskOptions): BaseAsyncOperation<BatchTaskStatus, DatasetInfo> {
    const { id, endpoint } = planBatchTask(taskId, options, this.#allowInsecureHttp);
    return this.#tracked(id, trackBatchTask(id, endpoint, this.#run));
  }

  /**
   * The assistant run with this id (`GET /assistants/v1/runs/{id}` on `rest-assistant`, or
   * `endpoint`), waited on like an operation: its status is an {@link AssistantRunStatus}, its
   * result the run (`TOOL_CALLS` counts as succeeded). Waits default to 300 s, polled every 0.5 s;
   * `cancel()` rejects with `CancelNotSupportedError`. Python: `run.wait()` of `thread.run(...)`.
   * No request is made until you call one of its members.
   */
  run(id: string, options?: RunOptions): BaseAsyncOperation<AssistantRunStatus, AssistantRunResult> {
    const { id: runId, url, kind } = planRun(id, options, this.#allowInsecureHttp);
    const transport = this.#transport;
    return new BaseAsyncOperation(linkToClient({
      id: runId,
      kind,
      logger: this.#logger,
      fetch: async (o) => decodeRun(await transport.getJson(url, o), runId),
      cancel: async () => refuseCancel(runId),
    }, this.#link));
  }

  /** {@link AsyncOperationsClient.run}, by its longer name. */
  assistantRun(id: string, options?: RunOptions): BaseAsyncOperation<AssistantRunStatus, AssistantRunResult> {
    return this.run(id, options);
  }

  /**
   * Frees the client's sockets. Every call, wait and watch in progress (sleeping ones included)
   * rejects at once with an `AIStudioError` saying the client is closed, and so does any later
   * call. Leaves no timer or socket; never throws; closing twice does nothing more.
   */
  close(): void {
    this.#link.scope.close();
    this.#transport.close();
  }

  /** `using client = new AsyncOperationsClient()`: closes it at the end of the scope. */
  [Symbol.dispose](): void {
    this.close();
  }

  /** `await using client = new AsyncOperationsClient()`: closes it at the end of the scope. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
  }

  /** `AsyncOperationsClient<https://...>`: never the credentials. */
  toString(): string {
    return `AsyncOperationsClient<${this.endpoint}>`;
  }

  /** The start call of a producer row, then its operation (known at once from the answer). */
  async #start<R, T>(producer: Producer<R, T>, request: R, options: AsyncStartOptions | undefined): Promise<AsyncOperation<T>> {
    const { wire, plan } = await this.#startCall(producer, request, options);
    const { id, kind, status } = kindFromOperationJson(wire, operationOptions(producer, plan, this.#run));
    return this.#make(id, kind, status);
  }

  /** The start call of a row: the Operation JSON it answers, and its plan. */
  async #startCall<R>(route: StartRoute<R>, request: R, options: AsyncStartOptions | undefined) {
    const plan = planStart(route, request, options, { allowInsecureHttp: this.#allowInsecureHttp, folderId: this.#folderId, flavourOptions: ['signal'] });
    const call = this.#link.scope.open(options?.signal);
    try {
      const bounds = { deadlineMs: Date.now() + plan.timeoutMs, timeoutMs: plan.timeoutMs, signal: call.signal };
      const { target } = plan;
      const wire = await (target.kind === 'rest'
        ? this.#transport.startOperation(target.url, target.body, bounds)
        : this.#transport.callService(target.endpoint, target.call, bounds));
      return { wire: checkStartAnswer(wire) as { id: string }, plan };
    } finally {
      call.end();
    }
  }

  /** Runs a kind's calls through this client, within `bounds` and this client's scope (`close()` stops them). */
  readonly #run: CallRunner = async (calls, bounds) => {
    const call = this.#link.scope.open(bounds.signal);
    const options: CallOptions = { ...bounds, signal: call.signal };
    try {
      // A sequence may end without a call (a result already known): drive then answers a value.
      return await drive(calls, (c: Call) => this.#send(c, options));
    } finally {
      call.end();
    }
  };

  #send(c: Call, options: CallOptions): Promise<unknown> {
    if (c.to === 'service') return this.#transport.callService(c.endpoint, c.call, options);
    return c.method === 'get' ? this.#transport.getOperation(c.operationId, options) : this.#transport.cancelOperation(c.operationId, options);
  }

  /** An operation of a kind tracked by calls of its own (a tuning, a batch task). */
  #tracked<S extends BaseOperationStatus, T>(id: string, tracked: TrackedKind<S, T>, initialStatus: S | null = null): BaseAsyncOperation<S, T> {
    return new BaseAsyncOperation(linkToClient({
      id,
      kind: tracked.kind,
      initialStatus,
      logger: this.#logger,
      fetch: async (o) => this.#run(tracked.fetch(), o),
      cancel: async (o) => this.#run(tracked.cancel(), o),
    }, this.#link));
  }

  #make<T, M>(id: string, kind: ApiOperationKind<T, M>, initialStatus: OperationStatus<M> | null): AsyncOperation<T, M> {
    return new AsyncOperation<T, M>(linkToClient(new ApiOperationParts(id, kind, initialStatus, this.#api), this.#link));
  }
}
