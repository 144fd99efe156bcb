/**
 * `waitAll` and `asCompleted` for either flavour: promises for `AsyncOperation`s, blocking for
 * `Operation`s (one call takes operations of one flavour). An empty list has no flavour: code
 * typed for one flavour uses its client's `waitAll`/`asCompleted`,
 * which always answers in that flavour.
 */

import { BaseAsyncOperation } from './async/base-operation';
import { asCompletedAsync, waitAllAsync } from './async/many';
import type { AsyncManyOptions } from './client/flavour';
import { type ManyOptions, planMany } from './core/many';
import type { BaseOperationStatus } from './core/status';
import { BaseOperation } from './sync/base-operation';
import { asCompletedSync, waitAllSync } from './sync/many';

type AnyAsync<T> = BaseAsyncOperation<BaseOperationStatus, T> | BaseAsyncOperation<never, T>;
type AnyBlocking<T> = BaseOperation<BaseOperationStatus, T> | BaseOperation<never, T>;

/** The flavour of the operations; `none` for an empty list, which both flavours answer at once. */
function flavourOf(ops: readonly unknown[]): 'async' | 'blocking' | 'none' {
  if (!Array.isArray(ops)) throw new TypeError('waitAll/asCompleted take an array of operations');
  if (ops.length === 0) return 'none';
  if (ops.every((op) => op instanceof BaseAsyncOperation)) return 'async';
  if (ops.every((op) => op instanceof BaseOperation)) return 'blocking';
  throw new TypeError('waitAll/asCompleted take operations of one flavour: all AsyncOperation or all Operation');
}

/** What `asCompleted([])` gives: nothing, to a `for` or a `for await` loop alike. */
const NOTHING: Iterable<never> & AsyncIterable<never> = Object.freeze({
  *[Symbol.iterator]() {},
  async *[Symbol.asyncIterator]() {},
});

/**
 * Waits for every operation and returns their results in their order. Promise flavour: resolves
 * the results; blocking flavour: returns them. An empty list gives `[]` at once, not a promise
 * (`await` gives the same `[]`, but `.then` does not exist on it): code typed for promises that
 * may pass an empty list uses `client.waitAll(ops)` of an `AsyncOperationsClient`, which always
 * gives a promise. The first failure (a failed operation's RunError, a timeout, an API error) is
 * thrown at once and stops the other waits. `concurrency` bounds how many are polled at once;
 * `maxRequestsPerSecond` paces their requests.
 */
export function waitAll<T>(ops: ReadonlyArray<AnyAsync<T>>, options?: AsyncManyOptions): Promise<T[]>;
export function waitAll<T>(ops: ReadonlyArray<AnyBlocking<T>>, options?: ManyOptions): T[];
export function waitAll<T>(ops: ReadonlyArray<AnyAsync<T> | AnyBlocking<T>>, options?: AsyncManyOptions): Promise<T[]> | T[] {
  const flavour = flavourOf(ops);
  if (flavour === 'none') {
    planMany(options, ['signal']);
    return [];
  }
  return flavour === 'async' ? waitAllAsync(ops as never, options) : waitAllSync(ops as never, options);
}

/**
 * The operations in the order they finish (succeeded or failed; `getResult()` then needs no
 * request). Promise flavour: an async iterable; blocking flavour: an iterable. A wait that fails
 * (timeout, API error) ends the iteration with its error; breaking out stops the other waits.
 */
export function asCompleted<O extends AnyAsync<unknown>>(ops: readonly O[], options?: AsyncManyOptions): AsyncIterable<O>;
export function asCompleted<O extends AnyBlocking<unknown>>(ops: readonly O[], options?: ManyOptions): Iterable<O>;
export function asCompleted(ops: readonly unknown[], options?: AsyncManyOptions): AsyncIterable<unknown> | Iterable<unknown> {
  const flavour = flavourOf(ops);
  if (flavour === 'none') {
    planMany(options, ['signal']);
    return NOTHING;
  }
  return flavour === 'async' ? asCompletedAsync(ops as never, options) : asCompletedSync(ops as never, options);
}
