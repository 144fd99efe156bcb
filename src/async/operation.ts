import { type SavedOperation, saveOperation } from '../core/resume';
import type { OperationStatus } from '../core/status';
import { type AsyncOperationParts, BaseAsyncOperation } from './base-operation';

/**
 * An operation of the Operation API, with promises: `getStatus`, `getResult`, `wait`, `watch`,
 * `cancel`. Get one from {@link AsyncOperationsClient.operation} or `fromOperation`.
 * Not thenable on purpose: `await op` is the operation itself, `await op.wait()` waits.
 */
export class AsyncOperation<T = unknown, M = unknown> extends BaseAsyncOperation<OperationStatus<M>, T> {
  readonly #endpoint: string;
  readonly #defaultPollTimeoutS: number;

  /** Made by the client; `endpoint` is the base URL it polls. */
  constructor(parts: AsyncOperationParts<OperationStatus<M>, T> & { endpoint: string }) {
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
