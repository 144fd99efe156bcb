/**
 * The members both clients have, documented once: each is one line over the client layer
 * (`./layer.ts`), typed for the flavour (`./flavour.ts`). {@link AsyncOperationsClient} and
 * {@link OperationsClient} extend it and add only what is their own: how they are made and closed.
 */
import type { AssistantRunResult, AssistantRunStatus } from '../core/assistant-run';
import type { BatchTaskStatus } from '../core/batch-task';
import type { DatasetInfo } from '../core/dataset';
import { type BatchCompletionRequest, PRODUCERS, type ValidateDatasetRequest } from '../core/producers';
import type { CompletionRequest, CompletionResponse } from '../core/producers/completion';
import type { ImageGenerationRequest, ImageGenerationResponse } from '../core/producers/image-generation';
import type { SearchIndex, SearchIndexFile, SearchIndexFilesRequest, SearchIndexRequest } from '../core/producers/search-index';
import type { ParsedWebSearchResponse, WebSearchRequest, WebSearchResponse } from '../core/producers/web-search';
import type { TunedModel, TuningRequest, TuningStatus } from '../core/tuning';
import type { RunOptions } from './assistant-run';
import type {
  AnswerOf,
  AnyOperationOf,
  ClientFlavour,
  CompletingOf,
  ManyOptionsOf,
  OperationOf,
  OperationOptionsOf,
  StartOptionsOf,
  TrackedOf,
} from './flavour';
import type { ClientLayer } from './layer';
import type { BatchTaskOptions, TuningOptions } from './tasks';

/**
 * What both clients do, with promises ({@link AsyncOperationsClient}) or blocking
 * ({@link OperationsClient}). Members that make a request (the start helpers, `waitAll`) give a
 * promise in the promise flavour and block in the blocking one; the others make no request.
 * Times are in seconds.
 */
export abstract class OperationsClientMembers<F extends ClientFlavour> {
  readonly #layer: ClientLayer;

  /** @internal */
  constructor(layer: ClientLayer) {
    this.#layer = layer;
  }

  /** The base URL this client polls. */
  get endpoint(): string {
    return this.#layer.settings.endpoint;
  }

  /** The operation with this id; no request is made until you call one of its members. */
  operation<T = unknown, M = unknown>(id: string, options?: OperationOptionsOf<F, T, M>): OperationOf<F, T, M> {
    return this.#layer.operation(id, options as never) as OperationOf<F, T, M>;
  }

  /**
   * The operation described by an Operation JSON, such as the answer of the call that started
   * it, or by an `Operation` object of the official SDK (`@yandex-cloud/nodejs-sdk`), whose
   * `Any` values are decoded to JSON with their `"@type"` (a type this package has no `.proto`
   * for keeps its bytes, as over gRPC): its status is known at once, without a request.
   * @throws TypeError when it cannot read the object, naming the field
   */
  fromOperation<T = unknown, M = unknown>(wire: object, options?: OperationOptionsOf<F, T, M>): OperationOf<F, T, M> {
    return this.#layer.fromOperation(wire, options as never) as OperationOf<F, T, M>;
  }

  /**
   * The operation saved by `toJSON()` (by either flavour): its status is known at once, without a
   * request. `options` (decoders, defaultPollTimeout) apply as to `operation()`.
   */
  restore<T = unknown, M = unknown>(saved: unknown, options?: OperationOptionsOf<F, T, M>): OperationOf<F, T, M> {
    return this.#layer.restore(saved, options as never) as OperationOf<F, T, M>;
  }

  /**
   * Starts an AI Studio deferred completion (`POST /foundationModels/v1/completionAsync` on
   * `llm`) and returns its operation, whose result is the completion. Python:
   * `sdk.models.completions(uri).run_deferred(messages)`. `endpoint` is where the start call goes
   * (default `llm`); the operation is polled on this client's endpoint. `timeout` bounds the start
   * call, in seconds (default 60). Waits default to 3600 s, polled every 10 s.
   */
  completionAsync(request: CompletionRequest, options?: StartOptionsOf<F>): AnswerOf<F, OperationOf<F, CompletionResponse>> {
    return this.#layer.start(PRODUCERS.completion, request, options) as AnswerOf<F, OperationOf<F, CompletionResponse>>;
  }

  /**
   * Starts a YandexART image generation (`POST /foundationModels/v1/imageGenerationAsync` on
   * `llm`); the operation's result has the image as bytes. Python:
   * `sdk.models.image_generation(uri).run_deferred(messages)`. Options as `completionAsync`'s;
   * waits default to 3600 s, polled every 10 s.
   */
  imageGenerationAsync(request: ImageGenerationRequest, options?: StartOptionsOf<F>): AnswerOf<F, OperationOf<F, ImageGenerationResponse>> {
    return this.#layer.start(PRODUCERS.imageGeneration, request, options) as AnswerOf<F, OperationOf<F, ImageGenerationResponse>>;
  }

  /**
   * Starts a deferred web search (`POST /v2/web/searchAsync` on `searchapi`, the request's
   * `folderId` defaulting to the client's); the result's `rawData` is the XML or HTML page as
   * bytes, and with `parse: true` also as `text`. Python:
   * `sdk.search_api.web(search_type).run_deferred(query)`. Waits default to 3600 s, polled every 10 s.
   */
  webSearchAsync(
    request: WebSearchRequest,
    options?: StartOptionsOf<F> & { parse?: false },
  ): AnswerOf<F, OperationOf<F, WebSearchResponse>>;
  webSearchAsync(
    request: WebSearchRequest,
    options: StartOptionsOf<F> & { parse: true },
  ): AnswerOf<F, OperationOf<F, ParsedWebSearchResponse>>;
  webSearchAsync(request: WebSearchRequest, options?: StartOptionsOf<F> & { parse?: boolean }): unknown {
    return this.#layer.start(PRODUCERS.webSearch, request, options);
  }

  /**
   * Starts creating an assistants search index (`POST /assistants/v1/searchIndex` on
   * `rest-assistant`, the request's `folderId` defaulting to the client's); the result is the
   * index. Python: `sdk.search_indexes.create_deferred(files, index_type=...)`. Waits default to
   * 3600 s, polled every 10 s.
   */
  createSearchIndex(request: SearchIndexRequest, options?: StartOptionsOf<F>): AnswerOf<F, OperationOf<F, SearchIndex>> {
    return this.#layer.start(PRODUCERS.createSearchIndex, request, options) as AnswerOf<F, OperationOf<F, SearchIndex>>;
  }

  /**
   * Starts adding files to a search index (`POST /assistants/v1/searchIndexFile:batchCreate` on
   * `rest-assistant`); the result is the files added. Python: `search_index.add_files_deferred(files)`.
   * Waits default to 3600 s, polled every 10 s.
   */
  addSearchIndexFiles(request: SearchIndexFilesRequest, options?: StartOptionsOf<F>): AnswerOf<F, OperationOf<F, SearchIndexFile[]>> {
    return this.#layer.start(PRODUCERS.addSearchIndexFiles, request, options) as AnswerOf<F, OperationOf<F, SearchIndexFile[]>>;
  }

  /**
   * Starts validating an AI Studio dataset (`DatasetService.Validate`, gRPC only, on `llm`, over
   * gRPC whatever this client's protocol); the result is the dataset (described again once
   * valid), or a `DatasetValidationError` listing the errors found. Python: the validation of
   * `sdk.datasets.draft_from_path(...).upload_deferred()`. Waits default to 6 h, polled every
   * 60 s. The operation is polled on this client's endpoint.
   */
  validateDataset(request: ValidateDatasetRequest, options?: StartOptionsOf<F>): AnswerOf<F, OperationOf<F, DatasetInfo>> {
    return this.#layer.start(PRODUCERS.validateDataset, request, options) as AnswerOf<F, OperationOf<F, DatasetInfo>>;
  }

  /**
   * Starts a tuning (`TuningService.Tune`, gRPC only, on `llm`, over gRPC whatever this client's
   * protocol). Its status is a {@link TuningStatus} (the task's state), read from the tuning's
   * operation on this client's endpoint, and from `TuningService.Describe` of its task once the
   * operation expired; `cancel()` cancels it; the result is the tuned model's URI. Python:
   * `model.tune_deferred(train_datasets, ...)`. Waits default to 72 h, polled every 60 s.
   */
  tune(request: TuningRequest, options?: StartOptionsOf<F>): AnswerOf<F, TrackedOf<F, TuningStatus, TunedModel>> {
    return this.#layer.tune(request, options) as AnswerOf<F, TrackedOf<F, TuningStatus, TunedModel>>;
  }

  /**
   * The tuning of this operation id (or, with `operationId` `null`, of `options.taskId` alone),
   * waited on as `tune()`'s. Python: `sdk.tuning.get(task_id)`. No request is made until you call
   * one of its members.
   */
  tuning(operationId: string | null, options?: TuningOptions): TrackedOf<F, TuningStatus, TunedModel> {
    return this.#layer.tuning(operationId, options) as TrackedOf<F, TuningStatus, TunedModel>;
  }

  /**
   * Starts a batch completion (`POST /foundationModels/v1/completionBatch` on `llm`) and returns
   * its batch task, tracked by `BatchInferenceService` (gRPC only; on `serviceEndpoint`, default
   * `llm`): its status is a {@link BatchTaskStatus}, its result the result dataset, and
   * `cancel()` cancels the task. Python: `model.batch.run_deferred(dataset)`. Waits default to
   * 72 h, polled every 10 s.
   */
  completionBatch(
    request: BatchCompletionRequest,
    options?: StartOptionsOf<F> & { serviceEndpoint?: string },
  ): AnswerOf<F, TrackedOf<F, BatchTaskStatus, DatasetInfo>> {
    return this.#layer.completionBatch(request, options) as AnswerOf<F, TrackedOf<F, BatchTaskStatus, DatasetInfo>>;
  }

  /**
   * The batch task with this id, waited on as `completionBatch()`'s. Python:
   * `sdk.batch.get(task_id)`. No request is made until you call one of its members.
   */
  batchTask(taskId: string, options?: BatchTaskOptions): TrackedOf<F, BatchTaskStatus, DatasetInfo> {
    return this.#layer.batchTask(taskId, options) as TrackedOf<F, BatchTaskStatus, DatasetInfo>;
  }

  /**
   * The assistant run with this id (`GET /assistants/v1/runs/{id}` on `rest-assistant`, or
   * `endpoint`), waited on like an operation: its status is an {@link AssistantRunStatus}, its
   * result the run (`TOOL_CALLS` counts as succeeded). Waits default to 300 s, polled every 0.5 s;
   * `cancel()` fails with `CancelNotSupportedError`. Python: `run.wait()` of `thread.run(...)`.
   * No request is made until you call one of its members.
   */
  run(id: string, options?: RunOptions): TrackedOf<F, AssistantRunStatus, AssistantRunResult> {
    return this.#layer.run(id, options) as TrackedOf<F, AssistantRunStatus, AssistantRunResult>;
  }

  /** `run()`, by its longer name. */
  assistantRun(id: string, options?: RunOptions): TrackedOf<F, AssistantRunStatus, AssistantRunResult> {
    return this.run(id, options);
  }

  /**
   * Waits for every operation (of this flavour, made by any client) and gives their results in
   * their order: a promise in the promise flavour, always (`[]` for an empty list), and the array
   * itself in the blocking flavour. The first failure (a failed operation's RunError, a timeout,
   * an API error) is raised at once and stops the other waits. `concurrency` bounds how many are
   * polled at once; `maxRequestsPerSecond` paces their requests.
   */
  waitAll<T>(ops: ReadonlyArray<AnyOperationOf<F, T>>, options?: ManyOptionsOf<F>): AnswerOf<F, T[]> {
    return this.#layer.waitAll(ops, options) as AnswerOf<F, T[]>;
  }

  /**
   * The operations (of this flavour) in the order they finish, succeeded or failed (`getResult()`
   * then needs no request): an async iterable in the promise flavour, an iterable in the blocking
   * one. A wait that fails (timeout, API error) ends the iteration with its error; breaking out
   * stops the other waits.
   */
  asCompleted<O extends AnyOperationOf<F, unknown>>(ops: readonly O[], options?: ManyOptionsOf<F>): CompletingOf<F, O> {
    return this.#layer.asCompleted(ops, options) as CompletingOf<F, O>;
  }
}
