import type { OperationStatus } from '../core/status';
import { BaseAsyncOperation } from './base-operation';

/**
 * An operation of the Operation API, with promises: `getStatus`, `getResult`, `wait`, `watch`,
 * `cancel`. Get one from {@link AsyncOperationsClient.operation} or `fromOperation`.
 * Not thenable on purpose: `await op` is the operation itself, `await op.wait()` waits.
 */
export class AsyncOperation<T = unknown, M = unknown> extends BaseAsyncOperation<OperationStatus<M>, T> {}
