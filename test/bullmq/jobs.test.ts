/**
 * Issue 21 and issue 19, the durable queue's jobs against a real Redis and the emulator: the
 * worker refuses job data it did not write (as strictly as `enqueue` checks), `enqueue` takes
 * `wait()`'s defaults, the boolean and number forms of `removeOnComplete`/`removeOnFail`, no
 * progress written by a worker frozen past its lock after the job completed, and the build
 * imports from `yc-operation` only what the root exports.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ApiError, OperationTimeoutError } from 'yc-operation';
import { type WaitJobData, WaitJobError, WaitQueue, WaitWorker, type WaitWorkerOptions } from 'yc-operation/bullmq';
import { type Emulator, startEmulator } from 'yc-operation/testing';
import { ROOT } from '../helpers/child';
import { inProcessFleet, skipReason, startRedis, type TestRedis, untilPrinted } from './redis';

const RESPONSE = { '@type': 'type.googleapis.com/example.Result', text: 'done' };
const FIXTURE = fileURLToPath(new URL('../fixtures/bullmq-worker.mjs', import.meta.url));

describe.skipIf(skipReason !== null)('yc-operation/bullmq jobs', () => {
  let redis: TestRedis;
  let emu: Emulator;
  const closers: Array<() => Promise<unknown>> = [];
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    [redis, emu] = await Promise.all([startRedis(), startEmulator()]);
  });
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await Promise.all(closers.map((close) => close().catch(() => undefined)));
    await Promise.all([redis?.stop(), emu?.close()]);
  });

  const fleet = (workerOptions: Partial<WaitWorkerOptions> = {}) => inProcessFleet(redis, emu.url, closers, workerOptions);

  const requestsOf = async (id: string) => (await emu.requests()).filter((r) => r.operationId === id);

  test("enqueue applies wait()'s fallbacks: pollInterval and pollTimeout 0 are the defaults", async () => {
    const { queue } = fleet();
    const id = await emu.create({ never: true });
    await queue.enqueue(id, { pollInterval: 0, pollTimeout: 0 });
    const job = await queue.queue.getJob(`op-${id}`);
    expect(job!.data).toMatchObject({ v: 1, operationId: id, pollInterval: 10, pollTimeout: 3600, timeout: 60, failures: 0, polls: 0 });
    expect(job!.data.deadlineAt - job!.data.startedAt).toBe(3600 * 1000);
  });

  describe('job data the worker did not write is refused with a WaitJobError naming the field, and never polled', () => {
    const valid = (operationId: string): WaitJobData => {
      const startedAt = Date.now();
      return {
        v: 1,
        operationId,
        saved: null,
        pollInterval: 0.05,
        pollTimeout: 60,
        timeout: 5,
        startedAt,
        deadlineAt: startedAt + 60_000,
        failures: 0,
      };
    };
    const cases: Array<[string, (d: WaitJobData) => unknown, RegExp]> = [
      ['pollInterval 0', (d) => ({ ...d, pollInterval: 0 }), /pollInterval must be a positive, finite number of seconds, got 0/],
      ['pollInterval -1', (d) => ({ ...d, pollInterval: -1 }), /pollInterval must be a positive, finite number of seconds, got -1/],
      ['pollInterval 1e12', (d) => ({ ...d, pollInterval: 1e12 }), /pollInterval must be at most 2147483 s/],
      ['backoff options out of range', (d) => ({ ...d, pollInterval: { initial: 0 } }), /backoff.initial must be a number from 0.001/],
      ['timeout a string', (d) => ({ ...d, timeout: '5' }), /timeout must be a number of seconds, got a string/],
      [
        "a deadline that is not the poll timeout's",
        (d) => ({ ...d, deadlineAt: d.deadlineAt + 1e9 }),
        /deadlineAt must be startedAt \+ pollTimeout \* 1000/,
      ],
      ['an unknown field', (d) => ({ ...d, extra: 1 }), /the job data has no option "extra"/],
      ['another version', (d) => ({ ...d, v: 2 }), /version \(v\) must be 1/],
      ['an operation id with ".."', (d) => ({ ...d, operationId: 'a..b' }), /operation id must be/],
      ['negative failures', (d) => ({ ...d, failures: -1 }), /failures must be a whole number/],
    ];
    test.each(cases)('%s', async (_, corrupt, message) => {
      const { queue, startWorker } = fleet();
      startWorker();
      const id = await emu.create({ donePolls: 1, response: RESPONSE });
      const jobId = `op-${id}`;
      await queue.queue.add('wait', corrupt(valid(id)) as WaitJobData, { jobId });
      const error = await queue.result(id).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WaitJobError);
      expect((error as Error).message).toMatch(/its data is not a wait job's/);
      expect((error as Error).message).toMatch(message);
      expect(await requestsOf(id)).toEqual([]);
      expect(await queue.queue.getJobCounts('failed', 'delayed', 'wait')).toEqual({ failed: 1, delayed: 0, wait: 0 });
    });
  });

  test("the job holds the wait's state: a backoff policy's poll count grows; a fixed interval has none to write", async () => {
    const { queue, startWorker } = fleet();
    startWorker();
    const [grows, fixed] = await Promise.all([emu.create({ never: true }), emu.create({ never: true })]);
    await queue.enqueue(grows, { pollInterval: { initial: 0.02, multiplier: 1.1, jitter: 0 } });
    await queue.enqueue(fixed, { pollInterval: 0.02 });
    while ((await requestsOf(grows)).length < 4 || (await requestsOf(fixed)).length < 4) await new Promise((r) => setTimeout(r, 20));
    const data = async (id: string) => (await queue.queue.getJob(`op-${id}`))!.data;
    expect((await data(grows)).polls).toBeGreaterThanOrEqual(3);
    expect(await data(fixed)).toMatchObject({ polls: 0, failures: 0 });
  });

  test("code 4 (no answer in time) is not transient: the wait fails with it, as the SDK's retry rule says", async () => {
    const { queue, startWorker } = fleet();
    startWorker();
    const id = await emu.create({ donePolls: 2, response: RESPONSE, faults: [{ hang: true }] });
    await queue.enqueue(id, { pollInterval: 0.05, timeout: 0.5 });
    const error = await queue.result(id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).not.toBeInstanceOf(OperationTimeoutError);
    expect(error).toMatchObject({ grpcCode: 4, httpStatus: null });
    expect(await requestsOf(id)).toHaveLength(1);
  });

  test('removeOnComplete: true and removeOnFail: true are taken (jobs removed once finished); readers still get the outcome', async () => {
    const { queue, startWorker } = fleet({ removeOnComplete: true, removeOnFail: true });
    startWorker();
    const ok = await emu.create({ donePolls: 2, response: RESPONSE });
    const bad = await emu.create({ donePolls: 2, error: { code: 9, message: 'no rows' } });
    await Promise.all([queue.enqueue(ok, { pollInterval: 0.05 }), queue.enqueue(bad, { pollInterval: 0.05 })]);
    const [result, failure] = await Promise.all([queue.result(ok), queue.result(bad).catch((e: unknown) => e)]);
    expect(result).toEqual(RESPONSE);
    // The failed job is removed with the error it stored: the reader gets its message.
    expect(failure).toBeInstanceOf(WaitJobError);
    expect((failure as Error).message).toMatch(/the job was removed \(Operation .* failed with message: no rows \(code 9\)/);
    expect(await queue.queue.getJobCounts('completed', 'failed', 'delayed', 'active')).toEqual({
      completed: 0,
      failed: 0,
      delayed: 0,
      active: 0,
    });
  });

  test('removeOnComplete as a number keeps the latest that many; a wrong form is refused when the worker is made', async () => {
    const { queue, startWorker } = fleet({ removeOnComplete: 1 });
    startWorker();
    const ids = await Promise.all([1, 2, 3].map(() => emu.create({ donePolls: 1, response: RESPONSE })));
    for (const id of ids) {
      await queue.enqueue(id, { pollInterval: 0.05 });
      expect(await queue.result(id)).toEqual(RESPONSE);
    }
    expect(await queue.queue.getJobCounts('completed')).toEqual({ completed: 1 });
    const location = { connection: redis.connection, queueName: redis.queueName() };
    expect(() => new WaitWorker({ ...location, removeOnComplete: 'yes' as unknown as boolean })).toThrow(
      /removeOnComplete options must be an object/,
    );
    expect(() => new WaitWorker({ ...location, removeOnFail: -1 })).toThrow(/removeOnFail must be a whole number/);
    expect(() => new WaitWorker({ ...location, removeOnFail: { cnt: 1 } as never })).toThrow(/removeOnFail has no option "cnt"/);
    expect(() => new WaitWorker({ ...location, retry: { maxAttempts: 0 } })).toThrow(
      /retry.maxAttempts must be a whole number from 1 to 100/,
    );
    // The hooks run in a client, not in a job: the worker's retry takes the policy's numbers only.
    expect(() => new WaitWorker({ ...location, retry: { shouldRetry: () => true } as never })).toThrow(
      /WaitWorker retry has no option "shouldRetry"/,
    );
    expect(() => new WaitWorker({ ...location, concurency: 2 } as object as WaitWorkerOptions)).toThrow(
      /WaitWorker has no option "concurency"/,
    );
    expect(() => new WaitQueue({ ...location, redisTimeout: 0 })).toThrow(/redisTimeout must be a positive, finite number of seconds/);
    expect(() => new WaitQueue({ ...location, queue: 'x' } as object as typeof location)).toThrow(/WaitQueue has no option "queue"/);
  });

  test('a worker frozen past its lock and woken after the job completed writes no progress after the terminal event', async () => {
    const { queue, location } = fleet();
    const start = async () => {
      const env = {
        ...process.env,
        REDIS_URL: redis.url,
        QUEUE: location.queueName,
        EMU: emu.url,
        RATE: '1000',
        CONCURRENCY: '4',
        LOCK: '1',
        STALLED: '0.5',
      };
      const child = spawn(process.execPath, [FIXTURE], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
      children.push(child);
      await untilPrinted(child, 'READY\n');
      return child;
    };
    const frozen = await start();
    // Its first Get is answered late: the worker is frozen with that answer (running, new metadata) on its way.
    const id = await emu.create({ donePolls: 3, metadata: [{ p: 1 }, { p: 2 }], response: RESPONSE, faults: [{ latency: 0.5 }] });
    await queue.enqueue(id, { pollInterval: 0.05 });
    while ((await requestsOf(id)).length === 0) await new Promise((r) => setTimeout(r, 10));
    frozen.kill('SIGSTOP');
    // Another worker takes the job over once the lock ran out, and finishes it.
    const other = await start();
    expect(await queue.result(id)).toEqual(RESPONSE);
    frozen.kill('SIGCONT');
    await new Promise((r) => setTimeout(r, 1500));
    const client = new Redis(redis.url);
    closers.push(async () => client.disconnect());
    const entries = await client.xrange(`bull:${location.queueName}:events`, '-', '+');
    const ofJob = entries
      .map(([, fields]) => fields)
      .filter((f) => f[f.indexOf('jobId') + 1] === `op-${id}`)
      .map((f) => f[f.indexOf('event') + 1]);
    expect(ofJob).toContain('completed');
    expect(ofJob.slice(ofJob.lastIndexOf('completed') + 1)).not.toContain('progress');
    for (const child of [frozen, other]) {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    }
  }, 30_000);

  test('the build imports from yc-operation only names the root exports (ESM and CommonJS)', async () => {
    const root = createRequire(import.meta.url)(`${ROOT}/dist/index.cjs`) as Record<string, unknown>;
    const esm = readFileSync(`${ROOT}/dist/bullmq/index.js`, 'utf8');
    const names = [...esm.matchAll(/import \{([^}]*)\} from "yc-operation"/g)]
      .flatMap((m) => m[1]!.split(',').map((n) => n.trim().split(/\s+as\s+/)[0]!))
      .filter(Boolean);
    expect(names.length).toBeGreaterThan(3);
    expect(names.filter((n) => !(n in root))).toEqual([]);
    const cjs = readFileSync(`${ROOT}/dist/bullmq/index.cjs`, 'utf8');
    const used = [...cjs.matchAll(/import_(?:yc_operation|errors|status)\d*\.(\w+)/g)].map((m) => m[1]!);
    expect(used.filter((n) => !(n in root))).toEqual([]);
    // No class of the root is bundled a second time: a worker's errors are the root's classes.
    expect(esm).not.toMatch(/class (RunError|OperationTimeoutError|ApiError|OperationStatus) /);
  });
});
