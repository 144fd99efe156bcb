/**
 * AI Studio's tuning (`TuningService.Tune`, gRPC only, on the `llm` endpoint): the request,
 * checked. The operation it starts is a tuning (`src/core/tuning.ts`), not an Operation API kind.
 */
import { TUNE_METHOD, type TuningRequest } from '../tuning';
import { nonEmptyString, requestObject, type StartRoute } from './producer';

const TUNING_TYPES = ['textToTextCompletion', 'textClassificationMultilabel', 'textClassificationMulticlass'] as const;

function checkDatasets(field: string, value: unknown, required: boolean): void {
  if (value === undefined && !required) return;
  if (!Array.isArray(value) || (required && value.length === 0))
    throw new TypeError(`tuning request: ${field} must be a ${required ? 'non-empty ' : ''}array of { datasetId, weight? }`);
  value.forEach((d: { datasetId?: unknown; weight?: unknown } | null, i) => {
    if (typeof d?.datasetId !== 'string' || d.datasetId === '' || !['undefined', 'number'].includes(typeof d.weight)) {
      throw new TypeError(`tuning request: ${field}[${i}] must be { datasetId, weight? } with a non-empty datasetId and a number weight`);
    }
  });
}

function checkTuningRequest(request: unknown): TuningRequest {
  const r = requestObject('a tuning request', request);
  nonEmptyString('tuning request', 'baseModelUri', r.baseModelUri);
  checkDatasets('trainDatasets', r.trainDatasets, true);
  checkDatasets('validationDatasets', r.validationDatasets, false);
  const types = TUNING_TYPES.filter((type) => r[type] !== undefined);
  if (types.length > 1) throw new TypeError(`tuning request: give at most one of ${TUNING_TYPES.join(', ')}`);
  for (const type of types) requestObject(`tuning request: ${type}`, r[type]);
  return r as unknown as TuningRequest;
}

/** The start of `tune` (Python: `model.tune_deferred(train_datasets, ...)`). */
export const TUNE: StartRoute<TuningRequest> = {
  method: 'tune',
  endpoint: 'llm',
  grpc: TUNE_METHOD,
  check: checkTuningRequest,
};
