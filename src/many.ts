/**
 * `waitAll` and `asCompleted` for either flavour: promises for `AsyncOperation`s, blocking for
 * `Operation`s (one call takes operations of one flavour).
 */
import { asCompletedAsync, waitAllAsync, type AsyncManyOptions } from './async/many';
import { BaseAsyncOperation } from './async/base-operation';
import type { ManyOptions } from './core/many';
import type { BaseOperationStatus } from './core/status';
import { asCompletedSync, waitAllSync } from './sync/many';
import { BaseOperation } from './sync/base-operation';

type AnyAsync<T> = BaseAsyncOperation<BaseOperationStatus, T> | BaseAsyncOperation<never, T>;
type AnyBlocking<T> = BaseOperation<BaseOperationStatus, T> | BaseOperation<never, T>;

function flavourOf(ops: readonly unknown[]): 'async' | 'blocking' {
  if (!Array.isArray(ops)) throw new TypeError('waitAll/asCompleted take an array of operations');
  if (ops.every((op) => op instanceof BaseAsyncOperation)) return 'async';
  if (ops.every((op) => op instanceof BaseOperation)) return 'blocking';
  throw new TypeError('waitAll/asCompleted take operations of one flavour: all AsyncOperation or all Operation');
}

/**
 * Waits for every operation and returns their results in their order. Promise flavour: resolves
 * the results; blocking flavour: returns them. The first failure (a failed operation's RunError,
 * a timeout, an API error) is thrown at once and stops the other waits.
 * `concurrency` bounds how many are polled at once; `maxRequestsPerSecond` paces their requests.
 */
export function waitAll<T>(ops: ReadonlyArray<AnyAsync<T>>, options?: AsyncManyOptions): Promise<T[]>;
export function waitAll<T>(ops: ReadonlyArray<AnyBlocking<T>>, options?: ManyOptions): T[];
export function waitAll<T>(ops: ReadonlyArray<AnyAsync<T> | AnyBlocking<T>>, options?: AsyncManyOptions): Promise<T[]> | T[] {
  return flavourOf(ops) === 'async'
    ? waitAllAsync(ops as never, options)
    : waitAllSync(ops as never, options);
}

/**
 * The operations in the order they finish (succeeded or failed; `getResult()` then needs no
 * request). Promise flavour: an async iterable; blocking flavour: an iterable. A wait that fails
 * (timeout, API error) ends the iteration with its error; breaking out stops the other waits.
 */
export function asCompleted<O extends AnyAsync<unknown>>(ops: readonly O[], options?: AsyncManyOptions): AsyncIterable<O>;
export function asCompleted<O extends AnyBlocking<unknown>>(ops: readonly O[], options?: ManyOptions): Iterable<O>;
export function asCompleted(ops: readonly unknown[], options?: AsyncManyOptions): AsyncIterable<unknown> | Iterable<unknown> {
  return flavourOf(ops) === 'async' ? asCompletedAsync(ops as never, options) : asCompletedSync(ops as never, options);
}
