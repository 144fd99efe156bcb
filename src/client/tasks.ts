/**
 * Where the kinds tracked by a gRPC-only service are tracked (a tuning, a batch task), checked
 * once for both flavours: the ids, and the endpoint of their service.
 */

import { checkOperationId, checkOptions } from '../core/options';
import type { TuningTrack } from '../core/tuning';
import { resolveEndpoint } from '../transport/config';

/** Options of `client.tuning()`. */
export interface TuningOptions {
  /** The tuning task's id, when known (it is asked of the operation's metadata otherwise). */
  taskId?: string;
  /** Where `TuningService` is called (over gRPC): a base URL or a short name. @default 'llm' */
  endpoint?: string;
}

/** Options of `client.batchTask()`. */
export interface BatchTaskOptions {
  /** Where `BatchInferenceService` and `DatasetService` are called (over gRPC): a base URL or a short name. @default 'llm' */
  endpoint?: string;
}

/** The service endpoint of `endpoint` (a short name or a URL), `llm` by default. */
export function serviceEndpoint(endpoint: unknown, allowInsecureHttp: boolean): string {
  return resolveEndpoint(endpoint ?? 'llm', allowInsecureHttp);
}

/**
 * The track of a tuning known by its operation's id (`null` for one known by its task only, then
 * `taskId` is required), and where its task's service is.
 */
export function planTuning(
  operationId: string | null,
  options: TuningOptions | undefined,
  allowInsecureHttp: boolean,
): { id: string; track: TuningTrack; endpoint: string } {
  const o = checkOptions('tuning', options, ['taskId', 'endpoint']);
  const taskId = o.taskId === undefined ? null : checkOperationId(o.taskId);
  if (operationId === null && taskId === null) throw new TypeError('tuning needs an operation id or a taskId');
  const opId = operationId === null ? null : checkOperationId(operationId);
  return {
    id: (opId ?? taskId) as string,
    track: { operationId: opId, taskId, expired: false },
    endpoint: serviceEndpoint(o.endpoint, allowInsecureHttp),
  };
}

/** A batch task's checked id and where its service is. */
export function planBatchTask(
  taskId: string,
  options: BatchTaskOptions | undefined,
  allowInsecureHttp: boolean,
): { id: string; endpoint: string } {
  const o = checkOptions('batchTask', options, ['endpoint']);
  return { id: checkOperationId(taskId), endpoint: serviceEndpoint(o.endpoint, allowInsecureHttp) };
}
