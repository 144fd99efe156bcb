/**
 * AI Studio's batch completion (`POST /foundationModels/v1/completionBatch`) as the emulator plays
 * it: the request starts an operation and the batch inference task it names
 * (`batch-inference.ts`), whose status its metadata shows from the first answer on; it finishes
 * with the id of the result dataset, which the dataset store (`datasets.ts`) then holds READY.
 */
import { type BatchTask, batchStatus, TOTAL_BATCHES } from './batch-inference';
import type { DatasetStore } from './datasets';
import { isObject, type StartRow } from './route';
import { requiredString } from './start';
import type { TaskStore } from './tasks';

const METADATA_TYPE = 'type.googleapis.com/yandex.cloud.ai.foundation_models.v1.BatchCompletionMetadata';
const RESPONSE_TYPE = 'type.googleapis.com/yandex.cloud.ai.foundation_models.v1.BatchCompletionResponse';
const isBoolean = (value: unknown) => typeof value === 'boolean';
/** The request's optional fields: how a given one is checked, and what it must be. */
const OPTIONAL_FIELDS: Readonly<Record<string, readonly [(value: unknown) => boolean, string]>> = {
  completionOptions: [isObject, 'an object'],
  dataLoggingEnabled: [isBoolean, 'a boolean'],
  jsonObject: [isBoolean, 'a boolean'],
  jsonSchema: [isObject, 'an object'],
};

/** The batch completion row, creating its tasks in `batches` and their result datasets in `datasets`. */
export function batchCompletionRow(batches: TaskStore<BatchTask>, datasets: DatasetStore): StartRow {
  return {
    path: '/foundationModels/v1/completionBatch',
    description: 'Batch completion',
    respond(request, { folderId }) {
      const modelUri = requiredString(request, 'modelUri');
      if (modelUri === undefined) return { invalid: 'modelUri is required' };
      const sourceDatasetId = requiredString(request, 'sourceDatasetId');
      if (sourceDatasetId === undefined) return { invalid: 'sourceDatasetId is required' };
      for (const [field, [isValid, expected]] of Object.entries(OPTIONAL_FIELDS)) {
        if (request[field] !== undefined && !isValid(request[field])) return { invalid: `${field} must be ${expected}` };
      }
      const id = batches.newId();
      const resultDatasetId = datasets.newId();
      return {
        response: { '@type': RESPONSE_TYPE, taskId: id, taskStatus: 'COMPLETED', resultDatasetId },
        metadata: {
          steps: TOTAL_BATCHES,
          at: (stage) => ({
            '@type': METADATA_TYPE,
            taskId: id,
            taskStatus: batchStatus(stage),
            completedBatches: String(stage.step),
            totalBatches: String(TOTAL_BATCHES),
          }),
        },
        track(operation) {
          batches.add({ id, operation, folderId, modelUri, sourceDatasetId, resultDatasetId });
          datasets.addResult(resultDatasetId, folderId, operation);
        },
      };
    },
  };
}
