/**
 * AI Studio's batch inference tasks (BatchInferenceService, gRPC only) as the emulator plays them:
 * the task a batch completion (`batch-completion.ts`) starts, PENDING for the first of its three
 * batches, IN_PROGRESS for the others, then COMPLETED with the id of its result dataset (READY in
 * the dataset store from then on), FAILED with the scripted error, or CANCELED; `Describe` and
 * `Cancel` address it (`tasks.ts`).
 */
import type { GrpcRoutes } from './grpc-method';
import type { Stage } from './operations';
import { type Task, type TaskStatus, type TaskStore, taskFields, taskMethods, taskStatus } from './tasks';

const SERVICE = 'yandex.cloud.ai.batch_inference.v1.BatchInferenceService';
/** The batches of every task: each takes an equal share of its operation's time. */
export const TOTAL_BATCHES = 3;

/** A batch inference task: the model it runs on which dataset, and the dataset it writes. */
export interface BatchTask extends Task {
  modelUri: string;
  sourceDatasetId: string;
  resultDatasetId: string;
}

/** A batch task's status at its operation's stage (the operation's metadata shows the same). */
export function batchStatus(stage: Stage): TaskStatus {
  return taskStatus(stage, stage.step === 0 ? 'PENDING' : 'IN_PROGRESS');
}

/** BatchInferenceService's Describe and Cancel of the tasks in `batches`. */
export function batchInferenceMethods(batches: TaskStore<BatchTask>): GrpcRoutes {
  return taskMethods(batches, { service: SERVICE, noun: 'BatchInference', idField: 'taskId', taskField: 'task', json: batchTaskJson });
}

/** The BatchInferenceTask message at `nowMs`. */
function batchTaskJson(task: BatchTask, nowMs: number): unknown {
  const stage = task.operation.stage(nowMs);
  const status = batchStatus(stage);
  return {
    ...taskFields(task, stage, status),
    modelUri: task.modelUri,
    sourceDatasetId: task.sourceDatasetId,
    ...(status === 'COMPLETED' ? { resultDatasetId: task.resultDatasetId } : {}),
    ...(stage.error ? { errors: { status: stage.error } } : {}),
  };
}
