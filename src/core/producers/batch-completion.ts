/**
 * AI Studio's batch completion (`POST /foundationModels/v1/completionBatch` on the `llm` endpoint):
 * the request, checked. Its operation names a batch inference task (`metadata.taskId`), which is
 * then tracked by `BatchInferenceService` (`src/core/batch-task.ts`), as the Python SDK does.
 */
import { WireDecodeError } from '../errors';
import { typeName } from '../options';
import { nonEmptyString, requestObject, type StartRoute } from './producer';

/** A batch completion request, as the API takes it. */
export interface BatchCompletionRequest {
  /** The model, such as `gpt://<folder id>/yandexgpt-lite/latest`. */
  modelUri: string;
  /** The dataset of requests to run. */
  sourceDatasetId: string;
  /** Generation options as the API takes them (`temperature`, `maxTokens`, `reasoningOptions`). */
  completionOptions?: Record<string, unknown>;
  dataLoggingEnabled?: boolean;
  jsonObject?: boolean;
  jsonSchema?: { schema: Record<string, unknown> };
}

function checkBatchCompletionRequest(request: unknown): BatchCompletionRequest {
  const r = requestObject('a batch completion request', request);
  nonEmptyString('batch completion request', 'modelUri', r.modelUri);
  nonEmptyString('batch completion request', 'sourceDatasetId', r.sourceDatasetId);
  if (r.completionOptions !== undefined) requestObject('batch completion request: completionOptions', r.completionOptions);
  return r as unknown as BatchCompletionRequest;
}

/** The start of `completionBatch` (Python: `model.batch.run_deferred(dataset)`). */
export const COMPLETION_BATCH: StartRoute<BatchCompletionRequest> = {
  method: 'completionBatch',
  endpoint: 'llm',
  path: '/foundationModels/v1/completionBatch',
  options: ['serviceEndpoint'],
  check: checkBatchCompletionRequest,
};

/** The batch task's id in a batch completion's Operation JSON (`metadata.taskId`). */
export function batchTaskIdOf(wire: object): string {
  const taskId = (wire as { metadata?: { taskId?: unknown } | null }).metadata?.taskId;
  if (typeof taskId !== 'string' || taskId === '') {
    throw new WireDecodeError(`the batch completion's operation names no batch task (its metadata.taskId is ${typeName(taskId)})`);
  }
  return taskId;
}
