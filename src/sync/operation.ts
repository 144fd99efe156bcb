import type { OperationStatus } from '../core/status';
import { BaseOperation } from './base-operation';

/**
 * An operation of the Operation API whose members block until they have their answer, as the
 * Python SDK's `Operation` does. Get one from {@link OperationsClient.operation} or `fromOperation`.
 */
export class Operation<T = unknown, M = unknown> extends BaseOperation<OperationStatus<M>, T> {}
