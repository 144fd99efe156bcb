/**
 * Issue 23 item 5, the queue's events stream: a poll that leaves the operation running writes no
 * BullMQ `delayed` event unless the worker asks for it (`delayedEvents: true`, which writes it as
 * BullMQ's `moveToDelayed` does), the readers still get every progress change and the outcome,
 * and the workers keep the stream trimmed to `maxEvents` without the `delayed` event's trimming.
 */
import { describe, expect, test } from 'vitest';
import { WaitQueue, WaitWorker } from 'yc-operation/bullmq';
import { inProcessFleet, redisAndEmulator, skipReason } from './redis';

const RESPONSE = { '@type': 'type.googleapis.com/example.Result', text: 'done' };

describe.skipIf(skipReason !== null)('yc-operation/bullmq events stream', () => {
  const env = redisAndEmulator();

  /** The events of job `jobId` in the stream `key`: each as its fields. */
  const eventsOf = async (key: string, jobId: string) =>
    (await env.client.xrange(key, '-', '+'))
      .map(([, fields]) => Object.fromEntries(fields.flatMap((v, i) => (i % 2 === 0 ? [[v, fields[i + 1]]] : []))))
      .filter((event) => event.jobId === jobId);

  /** Until the job has started `runs` runs (bounded: 600 looks, 25 ms apart). */
  const untilRuns = async (
    queue: { queue: { getJob(id: string): Promise<{ attemptsStarted: number } | undefined> } },
    jobId: string,
    runs: number,
  ) => {
    for (let i = 0; i < 600; i++) {
      if (((await queue.queue.getJob(jobId))?.attemptsStarted ?? 0) >= runs) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`job ${jobId} did not reach ${runs} runs`);
  };

  test('by default no `delayed` event is written; readers still get each progress change and the result', async () => {
    const { queue, startWorker } = inProcessFleet(env.redis, env.emu.url, env.closers);
    const id = await env.emu.create({ donePolls: 4, metadata: [{ p: 10 }, { p: 50 }, { p: 90 }], response: RESPONSE });
    const job = await queue.enqueue(id, { pollInterval: 0.02 });
    const seen: unknown[] = [];
    // The reader first, the worker once it listens (the operation's progress moves with its polls).
    const reading = queue.result(job, { onProgress: (status) => seen.push(status.metadata) });
    await new Promise((resolve) => setTimeout(resolve, 100));
    startWorker();
    expect(await reading).toEqual(RESPONSE);
    expect(seen).toEqual([{ p: 10 }, { p: 50 }, { p: 90 }]);
    const kinds = (await eventsOf(queue.queue.keys.events!, job.jobId)).map((event) => event.event);
    expect(kinds).toContain('active');
    expect(kinds).toContain('progress');
    expect(kinds).toContain('completed');
    expect(kinds).not.toContain('delayed');
  });

  test('a reader that comes while progress is being written shows each change once, in order', async () => {
    // No worker: this test writes the job's progress and its `progress` event as the worker's
    // script does (both at once), starts a reader after the 50th write, and goes on until the
    // reader has shown 50 changes (at most 20 000 writes).
    const { queue } = inProcessFleet(env.redis, env.emu.url, env.closers);
    const job = await queue.enqueue(await env.emu.create({ never: true }), { pollInterval: 60 });
    const key = queue.queue.toKey(job.jobId);
    const stream = queue.queue.keys.events!;
    const seen: number[] = [];
    let reading: Promise<unknown> | undefined;
    let p = 0;
    while (seen.length < 50 && p < 20_000) {
      p++;
      const data = JSON.stringify({ done: false, error: null, metadata: { p } });
      await env.client.multi().hset(key, 'progress', data).xadd(stream, '*', 'event', 'progress', 'jobId', job.jobId, 'data', data).exec();
      if (p === 50) reading = queue.result(job, { onProgress: (status) => seen.push((status.metadata as { p: number }).p) });
    }
    await env.client.xadd(stream, '*', 'event', 'completed', 'jobId', job.jobId, 'returnvalue', JSON.stringify(RESPONSE));
    expect(await reading).toEqual(RESPONSE);
    // The snapshot and at least one event after it (50 unless the machine is very slow).
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(seen.at(-1)).toBe(p);
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBe(seen[i - 1]! + 1);
  });

  test('with delayedEvents: true each poll that leaves the operation running writes `delayed`, as BullMQ does', async () => {
    const { queue, startWorker } = inProcessFleet(env.redis, env.emu.url, env.closers, { delayedEvents: true });
    startWorker();
    const id = await env.emu.create({ donePolls: 3, response: RESPONSE });
    const job = await queue.enqueue(id, { pollInterval: 0.02 });
    expect(await queue.result(job)).toEqual(RESPONSE);
    const delayed = (await eventsOf(queue.queue.keys.events!, job.jobId)).filter((event) => event.event === 'delayed');
    expect(delayed.length).toBe(2);
    for (const event of delayed) expect(Number(event.delay)).toBeGreaterThan(1e12);
  });

  test('the workers keep the stream trimmed to maxEvents', async () => {
    // A stalled check every 30 s: its own trimming does not run meanwhile.
    const location = { connection: env.redis.connection, queueName: env.redis.queueName(), maxEvents: 10 };
    const queue = new WaitQueue(location);
    const worker = new WaitWorker({
      ...location,
      client: { endpoint: env.emu.url, auth: null },
      maxRequestsPerSecond: 1000,
      stalledInterval: 30,
    });
    env.closers.push(
      () => worker.close(),
      () => queue.close(),
    );
    await worker.ready();
    const id = await env.emu.create({ never: true });
    const { jobId } = await queue.enqueue(id, { pollInterval: 0.005 });
    // Each run adds `waiting` and `active`: 200 entries and more untrimmed.
    await untilRuns(queue, jobId, 100);
    expect(await env.client.hget(queue.queue.keys.meta!, 'opts.maxLenEvents')).toBe('10');
    expect(await env.client.xlen(queue.queue.keys.events!)).toBeLessThan(150);
  }, 30_000);

  test('delayedEvents must be a boolean, maxEvents a positive integer', () => {
    expect(() => new WaitWorker({ connection: env.redis.connection, delayedEvents: 'yes' as unknown as boolean })).toThrow(
      /delayedEvents must be a boolean, got a string/,
    );
    expect(() => new WaitQueue({ connection: env.redis.connection, maxEvents: 0 })).toThrow(RangeError);
  });
});
