/**
 * AI Studio datasets (`yandex.cloud.ai.dataset.v1.DatasetService`, gRPC only): a dataset as
 * `Describe` gives it, what a validation's operation finishes with, and the rule of the Python
 * SDK: a validation that found errors raises {@link DatasetValidationError}; one that found none
 * gives the dataset, described again (it is READY by then).
 */
import type { Call, Calls } from './calls';
import { AIStudioError, WireDecodeError } from './errors';
import { typeName } from './options';

/** The service of datasets, with its message types' package. */
const PACKAGE = 'yandex.cloud.ai.dataset.v1';
const SERVICE = `/${PACKAGE}.DatasetService`;

/** A dataset's status, as the API spells it. */
export type DatasetStatusName = 'STATUS_UNSPECIFIED' | 'DRAFT' | 'VALIDATING' | 'READY' | 'INVALID' | 'DELETING';

/** A dataset, as `DatasetService.Describe` gives it (proto3 JSON: int64 fields as strings). */
export interface DatasetInfo {
  datasetId: string;
  folderId?: string;
  name?: string;
  description?: string;
  metadata?: string;
  status: DatasetStatusName;
  taskType?: string;
  createdAt?: string;
  updatedAt?: string;
  rows?: string;
  sizeBytes?: string;
  labels?: Record<string, string>;
  createdBy?: string;
  updatedBy?: string;
}

/** One error a validation found, and the rows it is in. */
export interface DatasetValidationProblem {
  error: string;
  errorDescription?: string;
  rowNumbers?: string[];
}

/** What a validation's operation finishes with (`ValidateDatasetResponse`). */
export interface ValidateDatasetResponse {
  '@type'?: string;
  datasetId: string;
  isValid: boolean;
  errors?: DatasetValidationProblem[];
}

/** What a validation's operation carries while it runs (`ValidateDatasetMetadata`). */
export interface ValidateDatasetMetadata {
  datasetId: string;
  validRows?: string;
  processedRows?: string;
  totalRows?: string;
}

/** A dataset validation finished and found errors (Python: `DatasetValidationError`). */
export class DatasetValidationError extends AIStudioError {
  override name = 'DatasetValidationError';
  readonly datasetId: string;
  /** The errors found, as the service sent them. */
  readonly errors: readonly DatasetValidationProblem[];

  constructor(datasetId: string, errors: readonly DatasetValidationProblem[]) {
    super(
      `dataset ${datasetId} is not valid: ${errors.length === 0 ? 'the service gave no reason' : errors.map((e) => e.error).join('; ')}`,
    );
    this.datasetId = datasetId;
    this.errors = Object.freeze([...errors]);
  }
}

/** The Describe call of a dataset. */
export function describeDatasetCall(endpoint: string, datasetId: string): Call {
  return {
    to: 'service',
    endpoint,
    call: {
      method: `${SERVICE}/Describe`,
      requestType: `${PACKAGE}.DescribeDatasetRequest`,
      responseType: `${PACKAGE}.DescribeDatasetResponse`,
      request: { datasetId },
      subject: datasetId,
    },
  };
}

/** The dataset with this id, described on `endpoint`. */
export function* describeDataset(endpoint: string, datasetId: string): Calls<DatasetInfo> {
  const answer = (yield describeDatasetCall(endpoint, datasetId)) as { dataset?: Partial<DatasetInfo> } | null;
  const dataset = answer?.dataset;
  if (typeof dataset?.datasetId !== 'string' || dataset.datasetId !== datasetId) {
    throw new WireDecodeError(
      `the server did not answer a DescribeDataset for dataset ${JSON.stringify(datasetId)} with that dataset (got ${typeName(dataset)})`,
    );
  }
  return { ...dataset, status: dataset.status ?? 'STATUS_UNSPECIFIED' } as DatasetInfo;
}

/** The result of a finished validation: the dataset, or a {@link DatasetValidationError} when it has errors. */
export function* validatedDataset(endpoint: string, response: unknown): Calls<DatasetInfo> {
  const r = response as Partial<ValidateDatasetResponse> | null;
  if (r === null || typeof r !== 'object' || typeof r.datasetId !== 'string' || r.datasetId === '') {
    throw new WireDecodeError(`the dataset validation's response has no datasetId (got ${typeName(r)})`);
  }
  if (r.isValid !== true) throw new DatasetValidationError(r.datasetId, Array.isArray(r.errors) ? r.errors : []);
  return yield* describeDataset(endpoint, r.datasetId);
}

/** The start call of a validation (`DatasetService.Validate`), which answers an Operation. */
export const VALIDATE_METHOD = { method: `${SERVICE}/Validate`, requestType: `${PACKAGE}.ValidateDatasetRequest` } as const;
