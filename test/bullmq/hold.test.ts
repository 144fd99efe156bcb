/**
 * Issue 23 item 5, `holdFor`: a job run keeps its job between polls due within the hold, against
 * a real Redis and the emulator. Many polls take few job runs, readers see each progress change
 * once; the fleet's budget holds for held polls (counted at the emulator); `close()` gives held
 * jobs back to the delayed set without waiting for the hold's end; a run that lost its lock stops
 * and writes nothing; a 429 pauses held polls with the rest of the queue; the wait's deadline
 * ends it as without a hold.
 */
import { describe, expect, test } from 'vitest';
import { OperationTimeoutError } from 'yc-operation';
import { type WaitQueue, WaitWorker } from 'yc-operation/bullmq';
import { inProcessFleet, redisAndEmulator, skipReason } from './redis';

const RESPONSE = { '@type': 'type.googleapis.com/example.Result', text: 'done' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(skipReason !== null)('yc-operation/bullmq holdFor', () => {
  const env = redisAndEmulator();

  const requestsOf = async (id: string) => (await env.emu.requests()).filter((r) => r.operationId === id);

  /** Until the emulator has seen `n` polls of `id` (bounded: 400 looks, 25 ms apart). */
  const untilPolls = async (id: string, n: number) => {
    for (let i = 0; i < 400; i++) {
      if ((await requestsOf(id)).length >= n) return;
      await sleep(25);
    }
    throw new Error(`operation ${id} did not reach ${n} polls`);
  };

  /** Until no poll of `id` came for 300 ms (bounded: 40 looks); the polls then. */
  const untilQuiet = async (id: string) => {
    let seen = (await requestsOf(id)).length;
    for (let i = 0; i < 40; i++) {
      await sleep(300);
      const now = (await requestsOf(id)).length;
      if (now === seen) return now;
      seen = now;
    }
    throw new Error(`operation ${id} is still polled`);
  };

  const jobOf = async (queue: WaitQueue, id: string) => (await queue.queue.getJob(`op-${id}`))!;

  test('a wait of many polls takes far fewer job runs; readers see each progress change once, in order', async () => {
    const { queue, startWorker } = inProcessFleet(env.redis, env.emu.url, env.closers, { holdFor: 30 });
    // 24 polls: the metadata changes every other poll (0, 0, 1, 1, ..., 11, 11), done at the 24th.
    const metadata = Array.from({ length: 23 }, (_, i) => ({ p: Math.floor(i / 2) }));
    const id = await env.emu.create({ donePolls: 24, metadata, response: RESPONSE });
    const job = await queue.enqueue(id, { pollInterval: 0.01 });
    const seen: number[] = [];
    // The reader first, the worker once it listens (the progress of the emulator's operation
    // moves with its polls, not with time): it sees every change.
    const reading = queue.result(job, { onProgress: (status) => seen.push((status.metadata as { p: number }).p) });
    await sleep(100);
    startWorker();
    expect(await reading).toEqual(RESPONSE);
    // Each change once, in order, to the last; all of them unless the reader took its first look
    // after the worker's second change (a loaded machine).
    expect(seen.at(-1)).toBe(11);
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBe(seen[i - 1]! + 1);
    expect(seen.length).toBeGreaterThanOrEqual(11);
    const polls = (await requestsOf(id)).length;
    expect(polls).toBe(24);
    expect((await jobOf(queue, id)).attemptsStarted).toBeLessThan(polls / 4);
    // A progress event for each change, none for a poll that changed nothing.
    const progressEvents = (await env.client.xrange(queue.queue.keys.events!, '-', '+')).filter(
      ([, fields]) => fields.includes(job.jobId) && fields.includes('progress'),
    );
    expect(progressEvents).toHaveLength(12);
  }, 30_000);

  test('the budget holds for held polls: two workers under 5 requests/s together', async () => {
    const RATE = 5;
    const { queue, startWorker } = inProcessFleet(env.redis, env.emu.url, env.closers, {
      holdFor: 10,
      maxRequestsPerSecond: RATE,
      concurrency: 8,
    });
    startWorker();
    startWorker();
    // Four waits that would each poll every 10 ms: far more than the budget wants.
    const ids = await Promise.all(Array.from({ length: 4 }, () => env.emu.create({ never: true })));
    const idSet = new Set(ids);
    const log = async () => (await env.emu.requests()).filter((r) => r.operationId !== null && idSet.has(r.operationId));
    await Promise.all(ids.map((id) => queue.enqueue(id, { pollInterval: 0.01, pollTimeout: 60 })));
    let times = (await log()).map((r) => r.at);
    while (times.length === 0 || times.at(-1)! - times[0]! < 3000) {
      await sleep(100);
      times = (await log()).map((r) => r.at);
    }
    const held = await Promise.all(ids.map(async (id) => (await jobOf(queue, id)).attemptsStarted));
    const spanS = (times.at(-1)! - times[0]!) / 1000;
    // As BullMQ's limiter counts job runs, in windows of 1 s: over the run, the budget plus one
    // window, and one more for the time a slot's request takes to arrive; within any second, at
    // most two windows' worth (one ending, one starting). Unlimited, these waits poll hundreds
    // of times a second.
    expect(times.length).toBeLessThanOrEqual(RATE * (Math.ceil(spanS) + 2));
    for (let i = 0; i < times.length; i++) {
      const inSecond = times.filter((t) => t >= times[i]! && t < times[i]! + 1000).length;
      expect(inSecond).toBeLessThanOrEqual(2 * RATE);
    }
    // The polls were held ones: fewer job runs than polls.
    expect(held.reduce((a, b) => a + b, 0)).toBeLessThan(times.length);
  }, 30_000);

  for (const force of [false, true]) {
    test(`close(${force}) during a hold of 30 s gives the job back to the delayed set with its state`, async () => {
      const { queue, startWorker } = inProcessFleet(env.redis, env.emu.url, env.closers, { holdFor: 30 });
      const worker = startWorker();
      const id = await env.emu.create({ never: true, metadata: [{ p: 1 }, { p: 2 }] });
      await queue.enqueue(id, { pollInterval: 0.05 });
      await untilPolls(id, 4);
      expect((await jobOf(queue, id)).attemptsStarted).toBe(1);
      await worker.close(force);
      const job = await jobOf(queue, id);
      expect(await job.getState()).toBe('delayed');
      expect(job.progress).toEqual({ done: false, error: null, metadata: { p: 2 } });
      expect(job.data).toMatchObject({ operationId: id, failures: 0 });
      expect(await env.client.exists(`${queue.queue.toKey(job.id!)}:lock`)).toBe(0);
      // Another worker takes the wait on from there.
      startWorker();
      await untilPolls(id, (await requestsOf(id)).length + 2);
      expect((await jobOf(queue, id)).attemptsStarted).toBe(2);
    }, 15_000);
  }

  const progressions = [
    // Each poll writes the job's progress: the write finds the lock gone.
    ['a new metadata at every poll', Array.from({ length: 1000 }, (_, i) => ({ p: i }))],
    // No poll writes anything: the limiter slot's script finds the lock gone.
    ['the same metadata at every poll', [{ p: 1 }]],
  ] as const;
  test.each(progressions)(
    'a run that lost its lock stops at once and writes nothing more (%s)',
    async (_, metadata) => {
      const { queue, startWorker } = inProcessFleet(env.redis, env.emu.url, env.closers, { holdFor: 30, lockDuration: 30 });
      startWorker();
      const id = await env.emu.create({ never: true, metadata: [...metadata] });
      await queue.enqueue(id, { pollInterval: 0.02 });
      await untilPolls(id, 4);
      const key = queue.queue.toKey(`op-${id}`);
      // Another owner takes the lock; what the job holds then must stay.
      const [[, before], [, taken]] = (await env.client.multi().hgetall(key).set(`${key}:lock`, 'another-worker', 'PX', 60_000).exec()) as [
        [null, Record<string, string>],
        [null, unknown],
      ];
      expect(taken).toBe('OK');
      const atTakeOver = (await requestsOf(id)).length;
      const after = await untilQuiet(id);
      // At most the poll in flight when the lock was taken.
      expect(after).toBeLessThanOrEqual(atTakeOver + 1);
      expect(await env.client.hgetall(key)).toEqual(before);
      expect(await env.client.get(`${key}:lock`)).toBe('another-worker');
      expect(await (await jobOf(queue, id)).getState()).toBe('active');
    },
    30_000,
  );

  test('a 429 during a hold pauses the whole queue, held polls included, then the waits go on', async () => {
    const { queue, startWorker } = inProcessFleet(env.redis, env.emu.url, env.closers, { holdFor: 30, rateLimitDelay: 5 });
    startWorker();
    const retryInfo = { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '1s' };
    const body = JSON.stringify({ code: 8, message: 'quota exceeded', details: [retryInfo] });
    // Three good answers (a held run by then), then the 429.
    const limited = await env.emu.create({
      donePolls: 6,
      response: RESPONSE,
      faults: [
        { latency: 0.001, times: 3 },
        { status: 429, body, contentType: 'application/json' },
      ],
    });
    const busy = await env.emu.create({ donePolls: 40, response: RESPONSE });
    await queue.enqueue(busy, { pollInterval: 0.05 });
    await queue.enqueue(limited, { pollInterval: 0.05 });
    expect(await Promise.all([queue.result(limited), queue.result(busy)])).toEqual([RESPONSE, RESPONSE]);
    const log = (await env.emu.requests()).filter((r) => r.operationId === limited || r.operationId === busy);
    const at429 = log.findIndex((r) => r.fault?.includes('429'));
    expect(log[at429]!.operationId).toBe(limited);
    expect(log.slice(0, at429).filter((r) => r.operationId === limited)).toHaveLength(3);
    // The 429 came in the run of the three polls before it; one more run finished the wait.
    expect((await jobOf(queue, limited)).attemptsStarted).toBe(2);
    // Nobody polls for the second the server asked (the held run of `busy` neither), then both go on.
    const gap = log[at429 + 1]!.at - log[at429]!.at;
    expect(gap).toBeGreaterThanOrEqual(900);
    expect(gap).toBeLessThan(4000);
  }, 30_000);

  test('the deadline ends a held wait with OperationTimeoutError; no poll after the stored deadline', async () => {
    const { queue, startWorker } = inProcessFleet(env.redis, env.emu.url, env.closers, { holdFor: 30 });
    startWorker();
    const id = await env.emu.create({ never: true, metadata: [{ stage: 'training' }] });
    await queue.enqueue(id, { pollInterval: 0.1, pollTimeout: 1 });
    const error = await queue.result(id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OperationTimeoutError);
    expect(error).toMatchObject({ operationId: id, pollTimeout: 1 });
    const job = await jobOf(queue, id);
    expect(job.attemptsStarted).toBe(1);
    const { deadlineAt } = job.data as { deadlineAt: number };
    const polls = await requestsOf(id);
    expect(polls.length).toBeGreaterThan(2);
    // The emulator logs a request when it comes in: each may arrive up to 50 ms after it was sent on a loaded machine.
    for (const r of polls) expect(r.at).toBeLessThan(deadlineAt + 50);
    await sleep(250);
    expect((await requestsOf(id)).length).toBe(polls.length);
  }, 15_000);

  test('holdFor must be a number of seconds from 0 to 2147483', () => {
    const make = (holdFor: unknown) =>
      new WaitWorker({ connection: env.redis.connection, queueName: env.redis.queueName(), holdFor: holdFor as number });
    expect(() => make('1')).toThrow(TypeError);
    expect(() => make('1')).toThrow(/holdFor must be a number of seconds, got a string/);
    expect(() => make(-1)).toThrow(RangeError);
    expect(() => make(-1)).toThrow(/holdFor must be a number from 0 to 2147483, got -1/);
    expect(() => make(Number.NaN)).toThrow(/holdFor/);
    expect(() => make(1e9)).toThrow(/holdFor/);
  });
});
