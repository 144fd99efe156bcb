/**
 * AI Studio's tuning (TuningService, gRPC only) as the emulator plays it: `Tune` starts an
 * operation (`Tuning`) and the tuning task it names, ten steps over the scripted time, that
 * finishes with the tuned model's URI (the base model's URI, `@`, the task id); `Describe` and
 * `Cancel` address the task (`tasks.ts`).
 */
import { type GrpcRoutes, startMethod } from './grpc-method';
import type { OperationStore } from './operations';
import { isObject } from './route';
import { requiredString, type StartCall } from './start';
import { type Task, type TaskStore, taskFields, taskMethods, taskStatus } from './tasks';

const PACKAGE = 'yandex.cloud.ai.tuning.v1';
const METADATA_TYPE = `type.googleapis.com/${PACKAGE}.TuningMetadata`;
const RESPONSE_TYPE = `type.googleapis.com/${PACKAGE}.TuningResponse`;
const TOTAL_STEPS = 10;

/** A tuning task: the model it tunes, and the model it makes once COMPLETED. */
export interface TuningTask extends Task {
  sourceModelUri: string;
  targetModelUri: string;
}

/** TuningService's methods, creating their operations in `operations` and their tasks in `tunings`. */
export function tuningMethods(tunings: TaskStore<TuningTask>, operations: OperationStore): GrpcRoutes {
  return {
    [`/${PACKAGE}.TuningService/Tune`]: startMethod(`${PACKAGE}.TuningRequest`, tuneCall(tunings), operations),
    ...taskMethods(tunings, {
      service: `${PACKAGE}.TuningService`,
      noun: 'Tuning',
      idField: 'tuningTaskId',
      taskField: 'tuningTask',
      json: tuningTaskJson,
    }),
  };
}

function tuneCall(tunings: TaskStore<TuningTask>): StartCall {
  return {
    description: 'Tuning',
    respond(request, { folderId }) {
      const baseModelUri = requiredString(request, 'baseModelUri');
      if (baseModelUri === undefined) return { invalid: 'baseModelUri is required' };
      const { trainDatasets } = request;
      if (
        !Array.isArray(trainDatasets) ||
        trainDatasets.length === 0 ||
        !trainDatasets.every((d) => isObject(d) && requiredString(d, 'datasetId'))
      ) {
        return { invalid: 'trainDatasets must be a non-empty list of {datasetId, weight}' };
      }
      const id = tunings.newId();
      const targetModelUri = `${baseModelUri}@${id}`;
      return {
        response: { '@type': RESPONSE_TYPE, tuningTaskId: id, status: 'COMPLETED', targetModelUri },
        metadata: {
          steps: TOTAL_STEPS,
          at: (stage) => ({
            '@type': METADATA_TYPE,
            tuningTaskId: id,
            status: taskStatus(stage, 'IN_PROGRESS'),
            totalSteps: String(TOTAL_STEPS),
            currentStep: String(stage.step),
          }),
        },
        track: (operation) => tunings.add({ id, operation, folderId, sourceModelUri: baseModelUri, targetModelUri }),
      };
    },
  };
}

/** The TuningTask message at `nowMs`: CREATED at its creation instant, then IN_PROGRESS until it finishes. */
function tuningTaskJson(task: TuningTask, nowMs: number): unknown {
  const stage = task.operation.stage(nowMs);
  const status = taskStatus(stage, nowMs === task.operation.createdAtMs ? 'CREATED' : 'IN_PROGRESS');
  return {
    ...taskFields(task, stage, status),
    sourceModelUri: task.sourceModelUri,
    ...(status === 'COMPLETED' ? { targetModelUri: task.targetModelUri } : {}),
  };
}
