/**
 * AI Studio's dataset validation (`DatasetService.Validate`, gRPC only, on the `llm` endpoint): the
 * request, checked, and the result: the dataset once valid (described again), or a
 * `DatasetValidationError` with the errors found. Waits default to 6 h, polled every 60 s.
 */
import { boundsOf } from '../calls';
import { type DatasetInfo, VALIDATE_METHOD, validatedDataset } from '../dataset';
import { nonEmptyString, type Producer, requestObject } from './producer';

/** A validation request (`ValidateDatasetRequest`). */
export interface ValidateDatasetRequest {
  datasetId: string;
}

function checkValidateDatasetRequest(request: unknown): ValidateDatasetRequest {
  const r = requestObject('a dataset validation request', request);
  nonEmptyString('dataset validation request', 'datasetId', r.datasetId);
  return r as unknown as ValidateDatasetRequest;
}

/** The row of `validateDataset` (Python: the validation of `dataset_draft.upload_deferred()`). */
export const VALIDATE_DATASET: Producer<ValidateDatasetRequest, DatasetInfo> = {
  method: 'validateDataset',
  endpoint: 'llm',
  grpc: VALIDATE_METHOD,
  check: checkValidateDatasetRequest,
  decoder:
    (_options, { endpoint, run }) =>
    (response, { timeout }) =>
      run(validatedDataset(endpoint, response), boundsOf(timeout)),
  defaultPollTimeout: 6 * 3600,
  defaultPollInterval: 60,
};
