/**
 * yc-operation: wait on Yandex Cloud long-running operations, with promises
 * ({@link AsyncOperationsClient}) or blocking calls ({@link OperationsClient}).
 */

export type { AsyncCallOptions, AsyncOperationParts, AsyncWaitOptions, AsyncWatchOptions } from './async/base-operation';
export { BaseAsyncOperation } from './async/base-operation';
export { AsyncOperationsClient } from './async/client';
export { AsyncOperation } from './async/operation';
export type { PromiseFlavour } from './async/ports';
export type { RunOptions } from './client/assistant-run';
export type {
  AnswerOf,
  AnyOperationOf,
  AsyncManyOptions,
  ClientFlavour,
  CompletingOf,
  ManyOptionsOf,
  Of,
  OperationOf,
  OperationOptionsOf,
  StartOptionsOf,
  TrackedOf,
} from './client/flavour';
export { OperationsClientMembers } from './client/members';
export type { AsyncStartOptions, StartOptions } from './client/start';
export type { BatchTaskOptions, TuningOptions } from './client/tasks';
export type { AssistantRunResult, AssistantRunState } from './core/assistant-run';
export { AssistantRunStatus } from './core/assistant-run';
export type { BatchTaskInfo, BatchTaskState } from './core/batch-task';
export { BatchTaskStatus } from './core/batch-task';
export type {
  DatasetInfo,
  DatasetStatusName,
  DatasetValidationProblem,
  ValidateDatasetMetadata,
  ValidateDatasetResponse,
} from './core/dataset';
export { DatasetValidationError } from './core/dataset';
export type { ApiErrorFields } from './core/errors';
export {
  AIStudioError,
  ApiError,
  AsyncOperationError,
  CancelNotSupportedError,
  isAIStudioError,
  OperationNotFoundError,
  OperationTimeoutError,
  RunError,
  WireDecodeError,
  WrongAsyncOperationStatusError,
} from './core/errors';
export { GrpcCode } from './core/grpc-codes';
export type { OperationKind, OperationOptions } from './core/kind';
export type { ManyOptions } from './core/many';
export type { WaitOptions } from './core/poll';
export type { BackoffOptions, PollPolicy } from './core/poll-policy';
export { backoff } from './core/poll-policy';
export type {
  BatchCompletionRequest,
  CompletionRequest,
  CompletionResponse,
  ImageGenerationRequest,
  ImageGenerationResponse,
  ParsedWebSearchResponse,
  SearchIndex,
  SearchIndexFile,
  SearchIndexFilesRequest,
  SearchIndexRequest,
  ValidateDatasetRequest,
  WebSearchRequest,
  WebSearchResponse,
} from './core/producers';
export type { SavedOperation } from './core/resume';
export type { RetryOptions } from './core/retry';
export type { StateTable, TaskState } from './core/state-status';
export { StateStatus } from './core/state-status';
export type { BaseOperationStatus, OperationStatusFields, StatusName } from './core/status';
export { isFinished, OperationErrorInfo, OperationStatus, statusNameOf } from './core/status';
export type { AuthProvider, CallOptions, Logger } from './core/transport';
export type { TunedModel, TuningMetadata, TuningRequest, TuningResponse, TuningState, TuningTaskInfo } from './core/tuning';
export { TuningStatus } from './core/tuning';
export { asCompleted, waitAll } from './many';
export type { CallOptionsSync, OperationParts, WaitOptionsSync } from './sync/base-operation';
export { BaseOperation } from './sync/base-operation';
export type { SyncClientOptions } from './sync/client';
export { OperationsClient } from './sync/client';
export type { ErrorData } from './sync/error-data';
export { errorFromData, errorToData } from './sync/error-data';
export { KeyboardInterrupt } from './sync/interrupt';
export { Operation } from './sync/operation';
export type { BlockingFlavour, SyncOperationOptions } from './sync/ports';
export type { AuthData, ClientOptions } from './transport/config';
export { SHORT_ENDPOINTS } from './transport/config';
export type { LogStream } from './transport/env-logger';
export { envLogger } from './transport/env-logger';
export type { RequestEndTrace, RequestErrorTrace, RequestTrace } from './transport/tracing';
export { TRACE_CHANNELS } from './transport/tracing';
