/**
 * yc-operation/bullmq against a real Redis and the emulator, workers in this process: the
 * outcomes (result, RunError, OperationTimeoutError, ApiError) as a local wait() gives them,
 * progress, the deadline across restarts, duplicates sharing polls, 429 backing the queue off.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ApiError, AsyncOperationsClient, type OperationStatus, OperationTimeoutError, RunError } from 'yc-operation';
import { WaitJobError, WaitQueue, type WaitWorkerOptions } from 'yc-operation/bullmq';
import { type Emulator, startEmulator } from 'yc-operation/testing';
import { inProcessFleet, skipReason, startRedis, type TestRedis } from './redis';

const RESPONSE = { '@type': 'type.googleapis.com/example.Result', text: 'done' };

describe.skipIf(skipReason !== null)('yc-operation/bullmq, workers in this process', () => {
  let redis: TestRedis;
  let emu: Emulator;
  const closers: Array<() => Promise<unknown>> = [];

  beforeAll(async () => {
    [redis, emu] = await Promise.all([startRedis(), startEmulator()]);
  });
  afterAll(async () => {
    for (const close of closers.reverse()) await close();
    await Promise.all([redis?.stop(), emu?.close()]);
  });

  const fleet = (workerOptions: Partial<WaitWorkerOptions> = {}) => inProcessFleet(redis, emu.url, closers, workerOptions);

  const requestsOf = async (id: string) => (await emu.requests()).filter((r) => r.operationId === id);

  test('success: the result, progress as job progress, one Get per job run', async () => {
    const { queue, startWorker } = fleet();
    startWorker();
    const id = await emu.create({ donePolls: 3, metadata: [{ p: 10 }, { p: 50 }, { p: 100 }], response: RESPONSE });
    const job = await queue.enqueue(id, { pollInterval: 0.05 });
    expect(job).toEqual({ jobId: `op-${id}`, operationId: id });
    const seen: unknown[] = [];
    const result = await queue.result(job, { onProgress: (s: OperationStatus) => seen.push(s.isRunning && s.metadata) });
    expect(result).toEqual(RESPONSE);
    expect(seen.length).toBeGreaterThanOrEqual(1);
    for (const m of seen) expect([{ p: 10 }, { p: 50 }]).toContainEqual(m);
    expect(await requestsOf(id)).toHaveLength(3);
    // A finished job answers a later reader at once, with no request.
    expect(await queue.result(id, { resultDecoder: (r) => (r as typeof RESPONSE).text })).toBe('done');
    expect(await requestsOf(id)).toHaveLength(3);
  });

  test('a saved operation (toJSON) is waited on, from a client of the same endpoint', async () => {
    const { queue, startWorker } = fleet();
    startWorker();
    const client = new AsyncOperationsClient({ endpoint: emu.url, auth: null });
    const op = client.operation(await emu.create({ donePolls: 2, response: RESPONSE }));
    await op.getStatus();
    client.close();
    await queue.enqueue(op.toJSON(), { pollInterval: 0.05 });
    expect(await queue.result(op.id)).toEqual(RESPONSE);
  });

  test('failure: RunError with its fields, as a local wait() throws it', async () => {
    const { queue, startWorker } = fleet();
    startWorker();
    const id = await emu.create({
      donePolls: 2,
      error: { code: 9, message: 'no rows', details: [{ '@type': 'type.googleapis.com/x.Detail', a: 1 }] },
    });
    await queue.enqueue(id, { pollInterval: 0.05 });
    const error = await queue.result(id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunError);
    expect(error).toMatchObject({ code: 9, errorMessage: 'no rows', operationId: id, name: 'RunError' });
    expect((error as RunError).message).toMatch(new RegExp(`^Operation ${id} failed with message: no rows \\(code 9\\)\n`));
    expect((error as RunError).details).toHaveLength(1);
  });

  test('an API error that is not transient (404) fails the wait with the ApiError', async () => {
    const { queue, startWorker } = fleet();
    startWorker();
    await queue.enqueue('d7qnosuchoperation00', { pollInterval: 0.05 });
    const error = await queue.result('d7qnosuchoperation00').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ grpcCode: 5, httpStatus: 404 });
  });

  test('transient failures (503) are polled again later; the wait then succeeds', async () => {
    const { queue, startWorker } = fleet();
    startWorker();
    // The SDK's retry rule: the next try waits 1 s x 1.5^n plus up to 1 s, at least the server's RetryInfo.
    const body = JSON.stringify({
      code: 14,
      message: 'try later',
      details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '0.1s' }],
    });
    const id = await emu.create({
      donePolls: 1,
      response: RESPONSE,
      faults: [{ status: 503, times: 2, body, contentType: 'application/json' }],
    });
    await queue.enqueue(id, { pollInterval: 0.05 });
    expect(await queue.result(id)).toEqual(RESPONSE);
    const requests = await requestsOf(id);
    expect(requests.map((r) => r.fault !== null)).toEqual([true, true, false]);
  }, 20_000);

  test('deadline: OperationTimeoutError with the last status, pollTimeout counted from the enqueue', async () => {
    const { queue, startWorker } = fleet();
    const id = await emu.create({ never: true, metadata: [{ stage: 'training' }] });
    const startedAt = Date.now();
    await queue.enqueue(id, { pollInterval: 0.1, pollTimeout: 1.5 });
    // No worker for the first 0.5 s, then one that stops, then another: the deadline stays the wait's.
    await new Promise((r) => setTimeout(r, 500));
    const first = startWorker();
    await new Promise((r) => setTimeout(r, 300));
    await first.close();
    startWorker();
    const error = await queue.result(id).catch((e: unknown) => e);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(1500);
    expect(error).toBeInstanceOf(OperationTimeoutError);
    const timeout = error as OperationTimeoutError;
    expect(timeout).toMatchObject({ operationId: id, pollTimeout: 1.5 });
    expect(String(timeout.lastStatus)).toBe('OperationStatus<running>');
    expect((timeout.lastStatus as OperationStatus).metadata).toEqual({ stage: 'training' });
    // No poll sent after the deadline the job stores (the emulator logs a request when it comes
    // in, so each may arrive up to 50 ms after it was sent on a loaded machine), and none after the timeout.
    const { deadlineAt } = (await queue.queue.getJob(`op-${id}`))!.data as { deadlineAt: number };
    expect(deadlineAt).toBeGreaterThanOrEqual(startedAt + 1500);
    const polls = await requestsOf(id);
    for (const r of polls) expect(r.at).toBeLessThan(deadlineAt + 50);
    await new Promise((r) => setTimeout(r, 250));
    expect((await requestsOf(id)).length).toBe(polls.length);
  });

  test('duplicates share polls: one job per operation id, many readers in two queue objects', async () => {
    const { location, queue, startWorker } = fleet();
    const other = new WaitQueue(location);
    closers.push(() => other.close());
    const id = await emu.create({ donePolls: 4, response: RESPONSE });
    const jobs = await Promise.all([1, 2, 3, 4, 5].map((i) => (i % 2 ? queue : other).enqueue(id, { pollInterval: 0.05 })));
    expect(new Set(jobs.map((j) => j.jobId)).size).toBe(1);
    const readers = Array.from({ length: 10 }, (_, i) => (i % 2 ? queue : other).result(id));
    startWorker();
    startWorker();
    expect(await Promise.all(readers)).toEqual(Array(10).fill(RESPONSE));
    expect(await requestsOf(id)).toHaveLength(4);
  });

  test('429: the whole queue pauses as the RetryInfo says, then goes on', async () => {
    // One job at a time: a poll already in flight when the 429 comes is not paused (it has left).
    const { queue, startWorker } = fleet({ rateLimitDelay: 5, concurrency: 1 });
    startWorker();
    const retryInfo = { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '1s' };
    const body = JSON.stringify({ code: 8, message: 'quota exceeded', details: [retryInfo] });
    const limited = await emu.create({
      donePolls: 2,
      response: RESPONSE,
      faults: [{ status: 429, body, contentType: 'application/json' }],
    });
    const busy = await emu.create({ donePolls: 30, response: RESPONSE });
    await queue.enqueue(busy, { pollInterval: 0.05 });
    await new Promise((r) => setTimeout(r, 300));
    await queue.enqueue(limited, { pollInterval: 0.05 });
    expect(await Promise.all([queue.result(limited), queue.result(busy)])).toEqual([RESPONSE, RESPONSE]);
    const log = (await emu.requests()).filter((r) => r.operationId === limited || r.operationId === busy);
    const at429 = log.findIndex((r) => r.fault !== null);
    expect(log[at429]!.operationId).toBe(limited);
    // Nobody polls for the second the server asked (RetryInfo, not the 5 s default), then both go on.
    const gap = log[at429 + 1]!.at - log[at429]!.at;
    expect(gap).toBeGreaterThanOrEqual(900);
    expect(gap).toBeLessThan(4000);
  });

  test('bad input is refused before anything is stored; an unknown job is a WaitJobError', async () => {
    const { queue } = fleet();
    await expect(queue.enqueue('d7qabc', { pollInterval: -1 })).rejects.toThrow(RangeError);
    await expect(queue.enqueue('d7qabc', { pollTimeout: Number.NaN })).rejects.toThrow(RangeError);
    await expect(queue.enqueue('d7qabc', { pollTimeout: '5' as unknown as number })).rejects.toThrow(TypeError);
    await expect(queue.enqueue('d7qabc', { pollInterval: 1e12 })).rejects.toThrow(/pollInterval must be at most/);
    await expect(queue.enqueue('d7qabc', { polInterval: 1 } as object)).rejects.toThrow(/enqueue has no option "polInterval"/);
    await expect(queue.enqueue('d7q:abc')).rejects.toThrow(/operation id/);
    await expect(queue.enqueue('d7qabc', { pollInterval: { multiplier: 0 } })).rejects.toThrow(/backoff.multiplier/);
    const error = await queue.result('d7qneverenqueued').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaitJobError);
    expect(error).toMatchObject({ jobId: 'op-d7qneverenqueued', operationId: 'd7qneverenqueued' });
    expect(await queue.queue.getJobCounts()).toEqual(expect.objectContaining({ waiting: 0, delayed: 0 }));
  });
});
