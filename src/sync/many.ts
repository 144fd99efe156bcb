/**
 * The blocking runner of the many-operations scheduler (`src/core/scheduler.ts`): on the caller's
 * thread it performs the effect due first (sleeping until it is due), feeds its outcome back, and
 * yields the operations as they finish.
 */

import { INTERNALS } from '../client/operation';
import { type ManyOptions, planMany } from '../core/many';
import { plan } from '../core/poll';
import { ManyScheduler } from '../core/scheduler';
import type { BaseOperationStatus } from '../core/status';
import { BaseOperation, performSync, type SyncInternals } from './base-operation';
import { KeyboardInterrupt } from './interrupt';

type AnyBlocking<T> = BaseOperation<BaseOperationStatus, T>;

/** The machine and requester of a blocking operation; a TypeError for anything else. */
export function syncInternals(op: unknown): SyncInternals<BaseOperationStatus, unknown> {
  if (op instanceof BaseOperation) return op[INTERNALS];
  throw new TypeError('waitAll/asCompleted of the blocking flavour take Operations (BaseOperation) only');
}

/**
 * Yields each operation once its wait has seen it finish (succeeded or failed: its `getResult()`
 * then answers without a request), in the order they finish. A wait that fails (timeout, API
 * error) throws from the iterator; leaving the loop early stops the others.
 */
export function* asCompletedSync<O extends AnyBlocking<unknown>>(ops: readonly O[], options?: ManyOptions): Generator<O, void, undefined> {
  const { wait, concurrency, pacer } = planMany(options);
  const parts = ops.map((op) => {
    const found = syncInternals(op);
    return { op, ...found, plan: plan(found.machine, wait) };
  });
  const byOp = new Map(parts.map((p) => [p.op as O, p]));
  const scheduler = new ManyScheduler<O, BaseOperationStatus>(
    parts.map((p) => ({ op: p.op, start: () => p.machine.watch(p.plan, pacer) })),
    concurrency,
  );
  try {
    for (;;) {
      for (let op = scheduler.popFinished(); op !== undefined; op = scheduler.popFinished()) yield op;
      if (scheduler.failure) throw scheduler.failure.error;
      const task = scheduler.next();
      if (task === null) return;
      try {
        scheduler.resume(task, { value: performSync(task.effect, byOp.get(task.op)!.requester) });
      } catch (error) {
        if (error instanceof KeyboardInterrupt) throw error; // not a failure of the operation: every wait ends here
        scheduler.resume(task, { error });
      }
    }
  } finally {
    scheduler.stop();
  }
}

/** The results of all the operations, in their order; throws the first error and stops the rest. */
export function waitAllSync<T>(ops: ReadonlyArray<AnyBlocking<T>>, options?: ManyOptions): T[] {
  const results = new Map<AnyBlocking<T>, T>();
  for (const op of asCompletedSync(ops, options)) results.set(op, op.getResult());
  return ops.map((op) => results.get(op)!);
}
