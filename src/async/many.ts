/**
 * Waiting on many operations with promises: at most `concurrency` polled at once, their requests
 * paced under `maxRequestsPerSecond`. The first error stops the rest: nothing is left polling.
 */
import { planMany, type ManyOptions } from '../core/many';
import type { BaseOperationStatus } from '../core/status';
import { PACE, type BaseAsyncOperation } from './base-operation';
import { sleep } from './sleep';

/** Options of the promise flavour's `waitAll()` and `asCompleted()`. */
export interface AsyncManyOptions extends ManyOptions {
  /** Stops every wait; rejects with `signal.reason`. */
  signal?: AbortSignal;
}

type AnyAsync<T> = BaseAsyncOperation<BaseOperationStatus, T>;

/**
 * Yields each operation once its wait has seen it finish (succeeded or failed: its `getResult()`
 * then answers without a request), in the order they finish. A wait that fails (timeout, API
 * error, abort) ends the iteration with its error; leaving the loop early stops the others.
 */
export async function* asCompletedAsync<O extends AnyAsync<unknown>>(ops: readonly O[], options?: AsyncManyOptions): AsyncGenerator<O, void, undefined> {
  const { wait, concurrency, pacer } = planMany(options, ['signal']);
  const stop = new AbortController();
  const signal = options?.signal;
  const onAbort = () => stop.abort(signal!.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  const pace = pacer && ((s?: AbortSignal) => sleep(pacer.reserve(Date.now()), s));
  const watchOptions = { ...wait, signal: stop.signal, ...(pace ? { [PACE]: pace } : {}) };
  const finished = completionQueue<O>();
  let next = 0;
  const worker = async () => {
    while (next < ops.length) {
      const op = ops[next++]!;
      for await (const status of op.watch(watchOptions)) void status;
      finished.push(op);
    }
  };
  try {
    signal?.throwIfAborted();
    Promise.all(Array.from({ length: Math.min(concurrency, ops.length) }, worker)).catch(finished.fail);
    for (let i = 0; i < ops.length; i++) yield await finished.take();
  } finally {
    stop.abort(new Error('asCompleted has ended'));
    signal?.removeEventListener('abort', onAbort);
  }
}

/** The results of all the operations, in their order; rejects with the first error and stops the rest. */
export async function waitAllAsync<T>(ops: ReadonlyArray<AnyAsync<T>>, options?: AsyncManyOptions): Promise<T[]> {
  const results = new Map<AnyAsync<T>, T>();
  for await (const op of asCompletedAsync(ops, options)) results.set(op, await op.getResult());
  return ops.map((op) => results.get(op)!);
}

/** Finished operations in the order they finish, or the first failure. */
function completionQueue<T>() {
  const items: T[] = [];
  let failure: { error: unknown } | null = null;
  let waiter: { resolve: (item: T) => void; reject: (error: unknown) => void } | null = null;
  return {
    push(item: T): void {
      if (waiter) waiter.resolve(item);
      else items.push(item);
      waiter = null;
    },
    fail(error: unknown): void {
      failure ??= { error };
      waiter?.reject(error);
      waiter = null;
    },
    take(): Promise<T> {
      if (items.length) return Promise.resolve(items.shift()!);
      if (failure) return Promise.reject(failure.error);
      return new Promise((resolve, reject) => (waiter = { resolve, reject }));
    },
  };
}
