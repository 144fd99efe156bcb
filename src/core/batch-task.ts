/**
 * Batch inference tasks (`yandex.cloud.ai.batch_inference.v1.BatchInferenceService`, gRPC only),
 * which are not Operations: an operation kind of its own on the {@link OperationKind} extension
 * point, as the Python SDK tracks them. The status is the task's enum state from `Describe`
 * (CREATED, PENDING and IN_PROGRESS run, COMPLETED succeeds, FAILED and CANCELED fail); a cancel
 * is the task's `Cancel`, then its `Describe`; the result is the result dataset, described. Waits
 * default to 72 h, polled every 10 s.
 */
import { boundsOf, type Call, type CallRunner, type Calls, type TrackedKind } from './calls';
import { type DatasetInfo, describeDataset } from './dataset';
import { RunError, WireDecodeError, WrongAsyncOperationStatusError } from './errors';
import { deepFreeze } from './immutable';
import { typeName } from './options';
import { StateStatus, TASK_STATES, type TaskState } from './state-status';

const PACKAGE = 'yandex.cloud.ai.batch_inference.v1';
const SERVICE = `/${PACKAGE}.BatchInferenceService`;

/** A batch task's state, as the API spells it. */
export type BatchTaskState = TaskState;

/** A batch inference task, as `BatchInferenceService.Describe` gives it (proto3 JSON). */
export interface BatchTaskInfo {
  taskId: string;
  operationId?: string;
  folderId?: string;
  modelUri?: string;
  sourceDatasetId?: string;
  status: BatchTaskState;
  /** The dataset of the answers, once COMPLETED. */
  resultDatasetId?: string;
  labels?: Record<string, string>;
  createdBy?: string;
  createdAt?: string;
  startedAt?: string;
  finishedAt?: string;
  /** Why a FAILED task failed: its status, and the lines and batches in error. */
  errors?: {
    status?: { code?: number; message?: string; details?: unknown[] };
    lineErrors?: Array<{ lineNumber?: string; message?: string }>;
    batchErrors?: Array<{ batchNumber?: string; firstLine?: string; lastLine?: string; message?: string }>;
  };
  completionRequest?: Record<string, unknown>;
}

/** The status of a batch task at one moment: its state, and the task as it was then. Immutable. */
export class BatchTaskStatus extends StateStatus<BatchTaskState> {
  /** The task as the service sent it (deep-frozen). */
  readonly task: Readonly<BatchTaskInfo>;

  constructor(task: BatchTaskInfo) {
    super('BatchTaskStatus', task.status, TASK_STATES);
    this.task = deepFreeze(task);
    Object.freeze(this);
  }
}

function taskCall(endpoint: string, method: 'Describe' | 'Cancel', taskId: string): Call {
  return {
    to: 'service',
    endpoint,
    call: {
      method: `${SERVICE}/${method}`,
      requestType: `${PACKAGE}.${method}BatchInferenceRequest`,
      responseType: `${PACKAGE}.${method}BatchInferenceResponse`,
      request: { taskId },
      subject: taskId,
    },
  };
}

/** The task's status: its Describe. */
export function* fetchBatchTask(taskId: string, endpoint: string): Calls<BatchTaskStatus> {
  const answer = (yield taskCall(endpoint, 'Describe', taskId)) as { task?: Partial<BatchTaskInfo> } | null;
  const task = answer?.task;
  if (typeof task?.taskId !== 'string' || task.taskId !== taskId) {
    throw new WireDecodeError(
      `the server did not answer a DescribeBatchInference for batch task ${JSON.stringify(taskId)} with that task (got ${typeName(task)})`,
    );
  }
  return new BatchTaskStatus({ ...task, status: task.status ?? 'STATUS_UNSPECIFIED' } as BatchTaskInfo);
}

/** Cancels the task (its Cancel), then answers its status (its Describe). */
export function* cancelBatchTask(taskId: string, endpoint: string): Calls<BatchTaskStatus> {
  yield taskCall(endpoint, 'Cancel', taskId);
  return yield* fetchBatchTask(taskId, endpoint);
}

function* resultDataset(endpoint: string, succeeded: BatchTaskStatus): Calls<DatasetInfo> {
  const { resultDatasetId, taskId } = succeeded.task;
  if (!resultDatasetId) throw new WrongAsyncOperationStatusError(`batch task ${taskId} is COMPLETED but has no result_dataset_id`);
  return yield* describeDataset(endpoint, resultDatasetId);
}

/** The batch task `taskId`: 72 h / 10 s, the result dataset as the result; its calls run with `run`. */
export function trackBatchTask(taskId: string, endpoint: string, run: CallRunner): TrackedKind<BatchTaskStatus, DatasetInfo> {
  return {
    kind: {
      defaultPollTimeoutS: 72 * 3600,
      defaultPollIntervalS: 10,
      runError: (id, failed) => {
        const status = failed.task.errors?.status;
        return new RunError({
          code: failed.state === 'CANCELED' ? 1 : status?.code || 13,
          message: status?.message ?? `the batch task is ${failed.state}`,
          details: null,
          operationId: id,
        });
      },
      result: (succeeded, { timeout }) => run(resultDataset(endpoint, succeeded), boundsOf(timeout)),
    },
    fetch: () => fetchBatchTask(taskId, endpoint),
    cancel: () => cancelBatchTask(taskId, endpoint),
  };
}
