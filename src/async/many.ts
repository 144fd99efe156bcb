/**
 * The promise runner of the many-operations scheduler: it performs every
 * effect the scheduler hands out at once, feeds the outcomes back as they come, and yields the
 * operations as they finish. The first error stops the rest: nothing is left polling.
 */

import type { AsyncManyOptions } from '../client/flavour';
import { INTERNALS } from '../client/operation';
import { planMany } from '../core/many';
import { plan } from '../core/poll';
import { ManyScheduler } from '../core/scheduler';
import type { BaseOperationStatus } from '../core/status';
import { whenAborted } from '../runtime/abort';
import type { ScopedCall } from '../runtime/call-scope';
import { type AsyncInternals, BaseAsyncOperation } from './base-operation';
import { performAsync } from './run';

type AnyAsync<T> = BaseAsyncOperation<BaseOperationStatus, T>;

/** The machine, requester and scope of a promise-flavour operation; a TypeError for anything else. */
export function asyncInternals(op: unknown): AsyncInternals<BaseOperationStatus, unknown> {
  if (op instanceof BaseAsyncOperation) return op[INTERNALS];
  throw new TypeError('waitAll/asCompleted of the promise flavour take AsyncOperations (BaseAsyncOperation) only');
}

/**
 * Yields each operation once its wait has seen it finish (succeeded or failed: its `getResult()`
 * then answers without a request), in the order they finish. A wait that fails (timeout, API
 * error, abort) ends the iteration with its error; leaving the loop early stops the others.
 */
export async function* asCompletedAsync<O extends AnyAsync<unknown>>(
  ops: readonly O[],
  options?: AsyncManyOptions,
): AsyncGenerator<O, void, undefined> {
  const { wait, concurrency, pacer } = planMany(options, ['signal']);
  const signal = options?.signal;
  const parts = ops.map((op) => {
    const found = asyncInternals(op);
    return { op, ...found, plan: plan(found.machine, wait) };
  });
  const stop = new AbortController();
  const calls: ScopedCall[] = [];
  const stopWatching: Array<() => void> = [];
  const byOp = new Map(parts.map((p) => [p.op as O, p]));
  const scheduler = new ManyScheduler<O, BaseOperationStatus>(
    parts.map((p) => ({ op: p.op, start: () => p.machine.watch(p.plan, pacer) })),
    concurrency,
  );
  let wake: (() => void) | null = null;
  let woken = false;
  const notify = () => {
    woken = true;
    wake?.();
  };
  try {
    // Each operation's client scope: closing any of their clients stops the whole iteration.
    for (const p of parts) {
      const call = p.scope.open(signal);
      calls.push(call);
      stopWatching.push(whenAborted(call.signal, (reason) => stop.abort(reason)));
    }
    for (;;) {
      for (const task of scheduler.take()) {
        performAsync(task.effect, byOp.get(task.op)!.requester, stop.signal)
          .then(
            (value) => scheduler.resume(task, { value }),
            (error: unknown) => scheduler.resume(task, { error }),
          )
          .finally(notify);
      }
      for (let op = scheduler.popFinished(); op !== undefined; op = scheduler.popFinished()) yield op;
      if (scheduler.failure) throw scheduler.failure.error;
      if (scheduler.done) return;
      if (!woken) await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
      woken = false;
    }
  } finally {
    stop.abort(new Error('asCompleted has ended'));
    scheduler.stop();
    for (const s of stopWatching) s();
    for (const call of calls) call.end();
  }
}

/** The results of all the operations, in their order; rejects with the first error and stops the rest. */
export async function waitAllAsync<T>(ops: ReadonlyArray<AnyAsync<T>>, options?: AsyncManyOptions): Promise<T[]> {
  const results = new Map<AnyAsync<T>, T>();
  for await (const op of asCompletedAsync(ops, options)) results.set(op, await op.getResult());
  return ops.map((op) => results.get(op)!);
}
