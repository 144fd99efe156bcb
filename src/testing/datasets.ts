/**
 * AI Studio's datasets (DatasetService, gRPC only) as the emulator plays them: `Validate` starts
 * an operation (`Dataset validation`) that processes 100 rows over the scripted time and registers
 * the dataset, VALIDATING until it finishes, then READY, or INVALID when it found the errors of an
 * `x-emulator-dataset-errors` header (or failed, or was cancelled); a batch completion's result
 * dataset (`batch-completion.ts`) appears READY once its batch completes. `Describe` shows one.
 * A dataset's status is read from its operation's stage, so the two agree at every instant.
 */
import { type GrpcRoutes, notFound, startMethod, unaryMethod } from './grpc-method';
import { CREATED_BY, type EmulatedOperation, type OperationStore, type Stage, unusedId } from './operations';
import { isObject } from './route';
import { headerValue, type RequestHeaders } from './scripting';
import { requiredString, type StartCall } from './start';

/**
 * The request header (gRPC metadata) that makes a validation find errors: a JSON array of
 * `{error, errorDescription, rowNumbers}` (google's ValidationError in proto3 JSON). The
 * validation then finishes with `isValid: false` and these errors, and the dataset is INVALID.
 */
export const DATASET_ERRORS_HEADER = 'x-emulator-dataset-errors';

const PACKAGE = 'yandex.cloud.ai.dataset.v1';
const METADATA_TYPE = `type.googleapis.com/${PACKAGE}.ValidateDatasetMetadata`;
const RESPONSE_TYPE = `type.googleapis.com/${PACKAGE}.ValidateDatasetResponse`;
const TOTAL_ROWS = 100;
const ROW_BYTES = 256;
/** A validation's steps: a quarter of the rows each. */
const VALIDATION_STEPS = 4;

type DatasetStatus = 'VALIDATING' | 'READY' | 'INVALID';

interface ValidationError {
  error: string;
  errorDescription: string;
  rowNumbers: string[];
}

interface EmulatedDataset {
  id: string;
  folderId: string;
  /** When it was registered; `null` for a batch's result, created when its batch finishes. */
  createdAtMs: number | null;
  /** The operation its status follows: its latest validation, or the batch that writes it. */
  operation: EmulatedOperation;
  /** Its status at the operation's stage; `null` while it does not exist yet. */
  status(stage: Stage): DatasetStatus | null;
}

/** Every dataset of one emulator, by id. */
export class DatasetStore {
  private readonly datasets = new Map<string, EmulatedDataset>();

  /** An id no dataset has. */
  newId(): string {
    return unusedId(this.datasets);
  }

  /** Registers a dataset (or validates one again): its status follows `validation`, INVALID when it finds errors. */
  validate(id: string, folderId: string, validation: EmulatedOperation, findsErrors: boolean): void {
    const known = this.datasets.get(id);
    this.datasets.set(id, {
      id,
      folderId: known?.folderId ?? folderId,
      createdAtMs: known?.createdAtMs ?? validation.createdAtMs,
      operation: validation,
      status: ({ outcome }) => (outcome === 'running' ? 'VALIDATING' : outcome === 'succeeded' && !findsErrors ? 'READY' : 'INVALID'),
    });
  }

  /** The result dataset of `batch`: READY once the batch completes, absent before and otherwise. */
  addResult(id: string, folderId: string, batch: EmulatedOperation): void {
    this.datasets.set(id, {
      id,
      folderId,
      createdAtMs: null,
      operation: batch,
      status: ({ outcome }) => (outcome === 'succeeded' ? 'READY' : null),
    });
  }

  /** The DatasetInfo message of a dataset at `nowMs`, or `undefined` when there is none (yet). */
  describe(id: string, nowMs: number): unknown {
    const dataset = this.datasets.get(id);
    if (dataset === undefined) return undefined;
    const stage = dataset.operation.stage(nowMs);
    const status = dataset.status(stage);
    if (status === null) return undefined;
    const updatedAtMs = stage.outcome === 'running' ? dataset.operation.createdAtMs : stage.sinceMs;
    return {
      datasetId: id,
      folderId: dataset.folderId,
      name: `dataset-${id}`,
      status,
      taskType: 'TextToTextGeneration',
      createdAt: new Date(dataset.createdAtMs ?? stage.sinceMs).toISOString(),
      updatedAt: new Date(updatedAtMs).toISOString(),
      rows: String(TOTAL_ROWS),
      sizeBytes: String(TOTAL_ROWS * ROW_BYTES),
      createdBy: CREATED_BY,
    };
  }
}

/** DatasetService's methods, creating their operations in `operations` and their datasets in `datasets`. */
export function datasetMethods(datasets: DatasetStore, operations: OperationStore): GrpcRoutes {
  return {
    [`/${PACKAGE}.DatasetService/Validate`]: startMethod(`${PACKAGE}.ValidateDatasetRequest`, validateCall(datasets), operations),
    [`/${PACKAGE}.DatasetService/Describe`]: unaryMethod(
      `${PACKAGE}.DescribeDatasetRequest`,
      `${PACKAGE}.DescribeDatasetResponse`,
      ({ request }) => {
        const id = String(request.datasetId ?? '');
        const dataset = datasets.describe(id, Date.now());
        return dataset === undefined ? notFound(`Dataset ${id} not found`) : { response: { dataset } };
      },
    ),
  };
}

function validateCall(datasets: DatasetStore): StartCall {
  return {
    description: 'Dataset validation',
    respond(request, { folderId, headers }) {
      const datasetId = requiredString(request, 'datasetId');
      if (datasetId === undefined) return { invalid: 'datasetId is required' };
      const errors = readDatasetErrors(headers);
      if (!Array.isArray(errors)) return errors;
      const invalidRows = [...new Set(errors.flatMap((error) => error.rowNumbers.map(Number)))];
      return {
        response: { '@type': RESPONSE_TYPE, datasetId, isValid: errors.length === 0, errors },
        metadata: {
          steps: VALIDATION_STEPS,
          at: ({ step }) => {
            const processedRows = (TOTAL_ROWS * step) / VALIDATION_STEPS;
            const validRows = processedRows - invalidRows.filter((row) => row <= processedRows).length;
            return {
              '@type': METADATA_TYPE,
              datasetId,
              validRows: String(validRows),
              processedRows: String(processedRows),
              totalRows: String(TOTAL_ROWS),
            };
          },
        },
        track: (operation) => datasets.validate(datasetId, folderId, operation, errors.length > 0),
      };
    },
  };
}

/** The errors of {@link DATASET_ERRORS_HEADER} (none without it), or why it is invalid. */
function readDatasetErrors(headers: RequestHeaders): ValidationError[] | { invalid: string } {
  const header = headerValue(headers, DATASET_ERRORS_HEADER);
  if (header === undefined) return [];
  let errors: unknown;
  try {
    errors = JSON.parse(header);
  } catch {
    errors = null;
  }
  if (!Array.isArray(errors) || !errors.every(isValidationError)) {
    return { invalid: `${DATASET_ERRORS_HEADER} must be a JSON array of {error, errorDescription, rowNumbers}` };
  }
  return errors.map(({ error, errorDescription = '', rowNumbers = [] }) => ({
    error,
    errorDescription,
    rowNumbers: rowNumbers.map(String),
  }));
}

function isValidationError(value: unknown): value is { error: string; errorDescription?: string; rowNumbers?: (number | string)[] } {
  if (!isObject(value) || typeof value.error !== 'string') return false;
  const { errorDescription, rowNumbers } = value;
  const isRowNumber = (row: unknown) =>
    (typeof row === 'number' && Number.isInteger(row) && row >= 0) || (typeof row === 'string' && /^\d+$/.test(row));
  return (
    (errorDescription === undefined || typeof errorDescription === 'string') &&
    (rowNumbers === undefined || (Array.isArray(rowNumbers) && rowNumbers.every(isRowNumber)))
  );
}
