/**
 * Tunings (`yandex.cloud.ai.tuning.v1.TuningService`, gRPC only): an operation kind of its own on
 * the {@link OperationKind} extension point, tracked as the Python SDK tracks it. Its status comes
 * from a Get of the tuning's Operation; once the Operation API has forgotten it (it answers
 * NOT_FOUND some two weeks after it finished), from `TuningService.Describe` of its task, whose
 * id the operation's metadata named. Either way the status is a {@link TuningStatus}, with the
 * task's enum state. A cancel goes through the Operation API (the task's own Cancel once the
 * operation expired); the result is the tuned model's URI. Waits default to 72 h, polled every 60 s.
 */
import { boundsOf, type Call, type CallRunner, type Calls, type TrackedKind } from './calls';
import { OperationNotFoundError, RunError, WireDecodeError, WrongAsyncOperationStatusError } from './errors';
import { deepFreeze } from './immutable';
import { operationKind } from './kind';
import { typeName } from './options';
import { StateStatus, TASK_STATES, type TaskState } from './state-status';
import type { OperationErrorInfo, OperationStatus } from './status';

const PACKAGE = 'yandex.cloud.ai.tuning.v1';
const SERVICE = `/${PACKAGE}.TuningService`;

/** A tuning task's state, as the API spells it. */
export type TuningState = TaskState;

/** A tuning task, as `TuningService.Describe` gives it. */
export interface TuningTaskInfo {
  taskId: string;
  operationId?: string;
  status: TuningState;
  folderId?: string;
  createdBy?: string;
  createdAt?: string;
  startedAt?: string;
  finishedAt?: string;
  sourceModelUri?: string;
  targetModelUri?: string;
}

/** What a tuning's operation carries while it runs (`TuningMetadata`). */
export interface TuningMetadata {
  tuningTaskId: string;
  status?: TuningState;
  totalSteps?: string;
  currentStep?: string;
}

/** What a tuning's operation finishes with (`TuningResponse`). */
export interface TuningResponse {
  tuningTaskId: string;
  status?: TuningState;
  targetModelUri?: string;
}

/** The result of a tuning: the tuned model (Python: the model object of `target_model_uri`). */
export interface TunedModel {
  /** The tuned model's URI, to use as a `modelUri`: `gpt://<folder>/<base model>@<suffix>`. */
  uri: string;
  /** The tuning task's id. */
  taskId: string;
}

/** A tuning request (`TuningRequest`), as the API takes it. */
export interface TuningRequest {
  /** The model to tune: `gpt://<folder id>/yandexgpt-lite/latest`. */
  baseModelUri: string;
  trainDatasets: ReadonlyArray<{ datasetId: string; weight?: number }>;
  validationDatasets?: ReadonlyArray<{ datasetId: string; weight?: number }>;
  /** One of the three, as the API takes them (`seed`, `lr`, `nSamples`, `lora` or `promptTune`, `scheduler`, `optimizer`, ...). */
  textToTextCompletion?: Record<string, unknown>;
  textClassificationMultilabel?: Record<string, unknown>;
  textClassificationMulticlass?: Record<string, unknown>;
  name?: string;
  description?: string;
  labels?: Record<string, string>;
}

/**
 * The status of a tuning at one moment: the task's state, and where it was read (the Operation,
 * or the task once the operation expired). Immutable.
 */
export class TuningStatus extends StateStatus<TuningState> {
  /** The tuning task's id, once known. */
  readonly taskId: string | null;
  /** The tuning's operation status, when this status came from a Get or a Cancel of it. */
  readonly operation: OperationStatus | null;
  /** The task as `Describe` gave it, when this status came from there (deep-frozen). */
  readonly task: Readonly<TuningTaskInfo> | null;

  /**
   * From an operation, the state is `IN_PROGRESS` (or the metadata's running state) while it
   * runs, and `COMPLETED`, `FAILED` or `CANCELED` (error code 1) once done; from a task, its own.
   */
  constructor(from: { operation: OperationStatus } | { task: TuningTaskInfo }) {
    const operation = 'operation' in from ? from.operation : null;
    super('TuningStatus', operation ? stateOfOperation(operation) : (from as { task: TuningTaskInfo }).task.status, TASK_STATES);
    this.operation = operation;
    this.task = 'task' in from ? deepFreeze(from.task) : null;
    this.taskId = operation ? (taskIdOf(operation.metadata) ?? taskIdOf(operation.response)) : (this.task as TuningTaskInfo).taskId;
    Object.freeze(this);
  }

  /** The operation's error, when it failed with one. */
  get error(): OperationErrorInfo | null {
    return this.operation?.error ?? null;
  }
}

function stateOfOperation(operation: OperationStatus): TuningState {
  if (operation.isRunning) {
    const reported = (operation.metadata as { status?: unknown } | null)?.status;
    return typeof reported === 'string' && TASK_STATES.running.has(reported) ? (reported as TuningState) : 'IN_PROGRESS';
  }
  if (operation.isFailed) return operation.error?.code === 1 ? 'CANCELED' : 'FAILED';
  return operation.isSucceeded ? 'COMPLETED' : 'STATUS_UNSPECIFIED';
}

function taskIdOf(value: unknown): string | null {
  if (value === null || typeof value !== 'object') return null;
  const id = (value as { tuningTaskId?: unknown }).tuningTaskId;
  return typeof id === 'string' && id !== '' ? id : null;
}

/** What a tuning object knows of its tuning: its operation (until it expired) and its task. */
export interface TuningTrack {
  /** The operation's id, `null` for a tuning known by its task only. */
  readonly operationId: string | null;
  taskId: string | null;
  /** The Operation API answered NOT_FOUND for the operation: the task is asked from then on. */
  expired: boolean;
}

function operationCall(method: 'get' | 'cancel', operationId: string): Call {
  return { to: 'operation', method, operationId };
}

function taskCall(endpoint: string, method: 'Describe' | 'Cancel', taskId: string): Call {
  return {
    to: 'service',
    endpoint,
    call: {
      method: `${SERVICE}/${method}`,
      requestType: `${PACKAGE}.${method}TuningRequest`,
      responseType: `${PACKAGE}.${method}TuningResponse`,
      request: { tuningTaskId: taskId },
      subject: taskId,
    },
  };
}

/** The tuning's status of an Operation JSON answered for it. */
export function tuningStatusOf(wire: unknown, operationId: string): TuningStatus {
  return new TuningStatus({ operation: operationKind(undefined).decodeAnswer(wire, operationId).status });
}

/**
 * One call through the Operation API while it knows the operation, then (NOT_FOUND, the task's id
 * known) through the task's service from then on.
 */
function* viaOperation(track: TuningTrack, method: 'get' | 'cancel'): Generator<Call, TuningStatus | null, unknown> {
  const { operationId } = track;
  if (operationId === null || track.expired) return null;
  try {
    const status = tuningStatusOf(yield operationCall(method, operationId), operationId);
    track.taskId ??= status.taskId;
    return status;
  } catch (error) {
    if (!(error instanceof OperationNotFoundError) || track.taskId === null) throw error;
    track.expired = true;
    return null;
  }
}

function* describeTask(taskId: string, endpoint: string): Calls<TuningStatus> {
  const answer = (yield taskCall(endpoint, 'Describe', taskId)) as { tuningTask?: Partial<TuningTaskInfo> } | null;
  const task = answer?.tuningTask;
  if (typeof task?.taskId !== 'string' || task.taskId !== taskId) {
    throw new WireDecodeError(
      `the server did not answer a DescribeTuning for tuning task ${JSON.stringify(taskId)} with that task (got ${typeName(task)})`,
    );
  }
  return new TuningStatus({ task: { ...task, status: task.status ?? 'STATUS_UNSPECIFIED' } as TuningTaskInfo });
}

/** The tuning's status: a Get of its operation, or the Describe of its task. */
export function* fetchTuning(track: TuningTrack, endpoint: string): Calls<TuningStatus> {
  return (yield* viaOperation(track, 'get')) ?? (yield* describeTask(track.taskId as string, endpoint));
}

/** Cancels the tuning: a Cancel of its operation, or the Cancel of its task and then its Describe. */
export function* cancelTuning(track: TuningTrack, endpoint: string): Calls<TuningStatus> {
  const viaOp = yield* viaOperation(track, 'cancel');
  if (viaOp !== null) return viaOp;
  const taskId = track.taskId as string; // viaOperation answers null only with a task id known
  yield taskCall(endpoint, 'Cancel', taskId);
  return yield* describeTask(taskId, endpoint);
}

/** The tuned model of a COMPLETED tuning: its URI from the response or the task, else from a Describe of the task. */
function* tunedModel(track: TuningTrack, endpoint: string, succeeded: TuningStatus): Calls<TunedModel> {
  const known = succeeded.task?.targetModelUri ?? (succeeded.operation?.response as TuningResponse | null)?.targetModelUri;
  const taskId = succeeded.taskId ?? track.taskId;
  if (known && taskId) return { uri: known, taskId };
  if (taskId !== null) {
    const uri = (yield* describeTask(taskId, endpoint)).task?.targetModelUri;
    if (uri) return { uri, taskId };
  }
  throw new WrongAsyncOperationStatusError(`tuning ${track.operationId ?? taskId} is COMPLETED but has no target_model_uri`);
}

/** A tuning, tracked as `track` says: 72 h / 60 s, the tuned model as the result; its calls run with `run`. */
export function trackTuning(track: TuningTrack, endpoint: string, run: CallRunner): TrackedKind<TuningStatus, TunedModel> {
  return {
    kind: {
      defaultPollTimeoutS: 72 * 3600,
      defaultPollIntervalS: 60,
      runError: (id, failed) =>
        failed.error
          ? RunError.fromErrorInfo(id, failed.error)
          : new RunError({
              code: failed.state === 'CANCELED' ? 1 : 2,
              message: `the tuning task is ${failed.state}`,
              details: null,
              operationId: id,
            }),
      result: (succeeded, { timeout }) => run(tunedModel(track, endpoint, succeeded), boundsOf(timeout)),
    },
    fetch: () => fetchTuning(track, endpoint),
    cancel: () => cancelTuning(track, endpoint),
  };
}

/** The start call of a tuning (`TuningService.Tune`), which answers an Operation. */
export const TUNE_METHOD = { method: `${SERVICE}/Tune`, requestType: `${PACKAGE}.TuningRequest` } as const;
