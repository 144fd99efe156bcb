/**
 * The durable queue's path: a `WaitQueue` and one `WaitWorker` on a real `redis-server` started for
 * the file (test/bullmq/redis.ts), its worker's client on the emulator over REST. A row's wait is
 * `enqueue(id, options)`, then `result(id)`; its outcome is what `result()` gives. `workerOptions`
 * are added to the worker's (the table again with `holdFor`).
 */
import { AsyncOperationsClient } from 'yc-operation';
import { jobIdOf, type WaitJobData, WaitQueue, WaitWorker, type WaitWorkerOptions } from 'yc-operation/bullmq';
import { startEmulator } from 'yc-operation/testing';
import { startRedis } from '../../bullmq/redis';
import { outcomeOf } from '../outcome';
import type { Row } from '../table';
import { getsOf, type OpenPath, operationIdOf, QUICK_RETRY, startCompletion, USER_HEADERS } from './client';

/** A valid job's data for `operationId`, with the row's fields written over it. */
function storedData(operationId: string, fields: Record<string, unknown>): WaitJobData {
  const startedAt = Date.now();
  return {
    v: 1,
    operationId,
    saved: null,
    pollInterval: 0.05,
    pollTimeout: 5,
    timeout: 2,
    startedAt,
    deadlineAt: startedAt + 5000,
    failures: 0,
    ...fields,
  };
}

export async function openQueuePath(workerOptions: Partial<WaitWorkerOptions> = {}): Promise<OpenPath> {
  const [redis, emu] = await Promise.all([startRedis(), startEmulator()]);
  const location = { connection: redis.connection, queueName: redis.queueName() };
  const queue = new WaitQueue(location);
  const worker = new WaitWorker({
    ...location,
    client: { endpoint: emu.url, auth: null, headers: USER_HEADERS },
    maxRequestsPerSecond: 1000,
    rateLimitDelay: 0.05,
    // The clients' quick retry policy (paths/client.ts), so that a row's tries come as fast on every path.
    retry: QUICK_RETRY,
    ...workerOptions,
  });
  await worker.ready();
  // Another process's client, for the cancel of a row that cancels, then waits.
  const other = new AsyncOperationsClient({ endpoint: emu.url, auth: null });

  async function call(id: string, row: Row): Promise<unknown> {
    const { call } = row;
    switch (call.kind) {
      case 'cancel, then wait':
        await other.operation(id).cancel();
        await queue.enqueue(id, call.options as never);
        return queue.result(id);
      case 'wait':
        await queue.enqueue(id, call.options as never);
        return queue.result(id);
      case 'stored job':
        await queue.queue.add('wait', storedData(id, call.data), { jobId: jobIdOf(id) });
        return queue.result(id);
      default:
        throw new Error(`the queue has no ${call.kind}: the row should exclude it`);
    }
  }

  return {
    async run(row) {
      const id = await operationIdOf(emu, row, (headers) => startCompletion(AsyncOperationsClient, emu, headers));
      return outcomeOf(
        () => call(id as string, row),
        () => getsOf(emu, id),
      );
    },
    async close() {
      other.close();
      await worker.close(true);
      await queue.close();
      await Promise.all([redis.stop(), emu.close()]);
    },
  };
}
