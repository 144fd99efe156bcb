/**
 * Waiting on many operations, blocking: one scheduler on the caller's thread steps the core wait
 * loop of each operation (at most `concurrency` at once), performs the earliest due effect, and
 * sleeps until the next one is due. Requests are paced under `maxRequestsPerSecond`.
 */
import { planMany, type ManyOptions } from '../core/many';
import type { WaitEffect } from '../core/poll';
import type { BaseOperationStatus } from '../core/status';
import { WAIT_LOOP, type BaseOperation } from './base-operation';
import { sleepSync } from './drive';

type AnyBlocking<T> = BaseOperation<BaseOperationStatus, T>;

interface Running<O> {
  op: O;
  loop: Generator<WaitEffect<BaseOperationStatus>, BaseOperationStatus, unknown>;
  fetch: (timeoutMs: number) => BaseOperationStatus;
  /** When its next step is due (`Date.now()` value). */
  dueMs: number;
  /** What to resume its loop with. */
  input: { value: unknown } | { error: unknown };
}

/**
 * Yields each operation once its wait loop has seen it finish (succeeded or failed: its
 * `getResult()` then answers without a request), in the order they finish. A wait that fails
 * (timeout, API error) throws from the iterator; leaving the loop early stops the others.
 */
export function* asCompletedSync<O extends AnyBlocking<unknown>>(ops: readonly O[], options?: ManyOptions): Generator<O, void, undefined> {
  const { wait, concurrency, pacer } = planMany(options);
  const queue = [...ops];
  const running: Array<Running<O>> = [];
  const admit = () => {
    while (running.length < concurrency && queue.length) {
      const op = queue.shift()!;
      running.push({ op, ...op[WAIT_LOOP](wait), dueMs: Date.now(), input: { value: undefined } });
    }
  };
  try {
    for (admit(); running.length; admit()) {
      const due = running.reduce((a, b) => (b.dueMs < a.dueMs ? b : a));
      sleepSync(due.dueMs - Date.now());
      const step = 'error' in due.input ? due.loop.throw(due.input.error) : due.loop.next(due.input.value);
      due.input = { value: undefined };
      if (step.done) {
        running.splice(running.indexOf(due), 1);
        yield due.op;
      } else if (step.value.type === 'sleep') {
        due.dueMs = step.value.untilMs;
      } else if (step.value.type === 'fetch') {
        const waitedMs = pacer ? pacer.reserve(Date.now()) : 0;
        sleepSync(waitedMs);
        try {
          due.input = { value: due.fetch(Math.max(1, step.value.timeoutMs - waitedMs)) };
        } catch (error) {
          due.input = { error };
        }
      }
    }
  } finally {
    for (const r of running) r.loop.return(undefined as never);
  }
}

/** The results of all the operations, in their order; throws the first error and stops the rest. */
export function waitAllSync<T>(ops: ReadonlyArray<AnyBlocking<T>>, options?: ManyOptions): T[] {
  const results = new Map<AnyBlocking<T>, T>();
  for (const op of asCompletedSync(ops, options)) results.set(op, op.getResult());
  return ops.map((op) => results.get(op)!);
}
