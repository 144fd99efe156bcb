import { type SavedOperation, saveOperation } from '../core/resume';
import type { OperationStatus } from '../core/status';
import { BaseOperation, type OperationParts } from './base-operation';

/**
 * An operation of the Operation API whose members block until they have their answer, as the
 * Python SDK's `Operation` does. Get one from {@link OperationsClient.operation} or `fromOperation`.
 */
export class Operation<T = unknown, M = unknown> extends BaseOperation<OperationStatus<M>, T> {
  readonly #endpoint: string;
  readonly #defaultPollTimeoutS: number;

  /** Made by the client; `endpoint` is the base URL it polls. */
  constructor(parts: OperationParts<OperationStatus<M>, T> & { endpoint: string }) {
    super(parts);
    this.#endpoint = parts.endpoint;
    this.#defaultPollTimeoutS = parts.kind.defaultPollTimeoutS;
  }

  /**
   * The operation as JSON-safe data (`v: 1`, id, endpoint, last known status without metadata,
   * default poll timeout), for `restore()` by a client of either flavour, in this process or another.
   */
  toJSON(): SavedOperation {
    return saveOperation(this.id, this.#endpoint, this.lastKnownStatus as OperationStatus<unknown> | null, this.#defaultPollTimeoutS);
  }
}
