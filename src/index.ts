/**
 * yc-operation: wait on Yandex Cloud long-running operations, with promises
 * ({@link AsyncOperationsClient}) or blocking calls ({@link OperationsClient}).
 */
export { AsyncOperationsClient } from './async/client';
export { AsyncOperation } from './async/operation';
export { BaseAsyncOperation } from './async/base-operation';
export type { AsyncCallOptions, AsyncWaitOptions, AsyncWatchOptions, AsyncOperationParts } from './async/base-operation';

export { OperationsClient } from './sync/client';
export type { SyncClientOptions } from './sync/client';
export type { BlockingFlavour, SyncOperationOptions } from './sync/ports';
export { Operation } from './sync/operation';
export { BaseOperation } from './sync/base-operation';
export type { CallOptionsSync, WaitOptionsSync, OperationParts } from './sync/base-operation';
export { KeyboardInterrupt } from './sync/interrupt';

export { OperationStatus, OperationErrorInfo, isFinished, statusNameOf } from './core/status';
export type { BaseOperationStatus, OperationStatusFields, StatusName } from './core/status';
export {
  AIStudioError, RunError, AsyncOperationError, WrongAsyncOperationStatusError, OperationTimeoutError,
  ApiError, WireDecodeError, OperationNotFoundError, CancelNotSupportedError, isAIStudioError,
} from './core/errors';
export type { ApiErrorFields } from './core/errors';
export { errorToData, errorFromData } from './sync/error-data';
export type { ErrorData } from './sync/error-data';
export { backoff } from './core/poll-policy';
export type { PollPolicy, BackoffOptions } from './core/poll-policy';
export type { WaitOptions } from './core/poll';
export type { OperationKind, OperationOptions } from './core/kind';
export type { RetryOptions } from './core/retry';
export type { AuthProvider, CallOptions, Logger } from './core/transport';
export type { ClientOptions, AuthData } from './transport/config';
export { SHORT_ENDPOINTS } from './transport/config';
export { GrpcCode } from './core/grpc-codes';
export { envLogger } from './transport/env-logger';
export type { LogStream } from './transport/env-logger';
export { waitAll, asCompleted } from './many';
export type { ManyOptions } from './core/many';
export type { AsyncManyOptions } from './client/flavour';
export type { SavedOperation } from './core/resume';
export type {
  CompletionRequest, CompletionResponse, ImageGenerationRequest, ImageGenerationResponse,
  WebSearchRequest, WebSearchResponse, ParsedWebSearchResponse, SearchIndexRequest, SearchIndex,
  SearchIndexFilesRequest, SearchIndexFile, ValidateDatasetRequest, BatchCompletionRequest,
} from './core/producers';
export { DatasetValidationError } from './core/dataset';
export type { DatasetInfo, DatasetStatusName, DatasetValidationProblem, ValidateDatasetResponse, ValidateDatasetMetadata } from './core/dataset';
export { TuningStatus } from './core/tuning';
export type { TunedModel, TuningMetadata, TuningRequest, TuningResponse, TuningState, TuningTaskInfo } from './core/tuning';
export { BatchTaskStatus } from './core/batch-task';
export type { BatchTaskInfo, BatchTaskState } from './core/batch-task';
export type { BatchTaskOptions, TuningOptions } from './client/tasks';
export type { PromiseFlavour } from './async/ports';
export { OperationsClientMembers } from './client/members';
export type {
  AnswerOf, AnyOperationOf, ClientFlavour, CompletingOf, ManyOptionsOf, Of, OperationOf, OperationOptionsOf, StartOptionsOf, TrackedOf,
} from './client/flavour';
export type { AsyncStartOptions, StartOptions } from './client/start';
export { StateStatus } from './core/state-status';
export type { StateTable, TaskState } from './core/state-status';
export { AssistantRunStatus } from './core/assistant-run';
export type { AssistantRunResult, AssistantRunState } from './core/assistant-run';
export type { RunOptions } from './client/assistant-run';
export { TRACE_CHANNELS } from './transport/tracing';
export type { RequestTrace, RequestEndTrace, RequestErrorTrace } from './transport/tracing';
