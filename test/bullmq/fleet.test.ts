/**
 * yc-operation/bullmq with worker PROCESSES (test/fixtures/bullmq-worker.mjs, the built package
 * imported by name): a worker killed mid-poll and another finishing the job, two workers under
 * one request budget (counted at the emulator), 1 000 operations over 4 workers.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { WaitQueue } from 'yc-operation/bullmq';
import { type Emulator, startEmulator } from 'yc-operation/testing';
import { ROOT } from '../helpers/child';
import { skipReason, startRedis, type TestRedis } from './redis';

const FIXTURE = fileURLToPath(new URL('../fixtures/bullmq-worker.mjs', import.meta.url));
const RESPONSE = { '@type': 'type.googleapis.com/example.Result', text: 'done' };

/** A worker process; `stop()` ends it gracefully and gives its job-run count. */
interface WorkerProcess {
  child: ChildProcess;
  stop(): Promise<number>;
}

describe.skipIf(skipReason !== null)('yc-operation/bullmq, worker processes', () => {
  let redis: TestRedis;
  let emu: Emulator;
  const children: ChildProcess[] = [];
  const queues: WaitQueue[] = [];

  beforeAll(async () => {
    [redis, emu] = await Promise.all([startRedis(), startEmulator()]);
  });
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await Promise.all(queues.map((q) => q.close()));
    await Promise.all([redis?.stop(), emu?.close()]);
  });

  function newQueue() {
    const queueName = redis.queueName();
    const queue = new WaitQueue({ connection: redis.connection, queueName });
    queues.push(queue);
    return { queue, queueName };
  }

  async function startWorker(
    queueName: string,
    settings: { rate: number; concurrency: number; lock: number; stalled: number },
  ): Promise<WorkerProcess> {
    const env = {
      ...process.env,
      REDIS_URL: redis.url,
      QUEUE: queueName,
      EMU: emu.url,
      RATE: String(settings.rate),
      CONCURRENCY: String(settings.concurrency),
      LOCK: String(settings.lock),
      STALLED: String(settings.stalled),
    };
    const child = spawn(process.execPath, [FIXTURE], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let out = '';
    let err = '';
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk));
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk;
        if (out.includes('READY\n')) resolve();
      });
      child.on('exit', (code, signal) => reject(new Error(`worker exited (${code ?? signal}) before READY: ${err}`)));
    });
    return {
      child,
      async stop() {
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        const [code] = await exited;
        expect(code, err).toBe(0);
        return Number(/RAN (\d+)/.exec(out)?.[1]);
      },
    };
  }

  const requestsOf = async (ids: Set<string>) => (await emu.requests()).filter((r) => r.operationId !== null && ids.has(r.operationId));

  test('a worker process killed with SIGKILL mid-poll loses nothing: another one finishes the job, once', async () => {
    const { queue, queueName } = newQueue();
    const settings = { rate: 100, concurrency: 4, lock: 1, stalled: 0.5 };
    const doomed = await startWorker(queueName, settings);
    // The first Get hangs: the worker is in the middle of a poll when it is killed.
    const id = await emu.create({ donePolls: 2, response: RESPONSE, faults: [{ hang: true }] });
    await queue.enqueue(id, { pollInterval: 0.05 });
    while ((await requestsOf(new Set([id]))).length === 0) await new Promise((r) => setTimeout(r, 20));
    doomed.child.kill('SIGKILL');
    await once(doomed.child, 'exit');
    expect(doomed.child.signalCode).toBe('SIGKILL');

    const survivor = await startWorker(queueName, settings);
    expect(await queue.result(id)).toEqual(RESPONSE);
    expect(await survivor.stop()).toBeGreaterThanOrEqual(2);
    expect((await requestsOf(new Set([id]))).map((r) => r.fault)).toEqual([expect.stringMatching(/hang/), null, null]);
    expect(await queue.queue.getJobCounts('completed', 'failed', 'active', 'wait', 'delayed')).toEqual({
      completed: 1,
      failed: 0,
      active: 0,
      wait: 0,
      delayed: 0,
    });
  });

  test('two worker processes under one budget make at most the budgeted requests per second, together', async () => {
    const { queue, queueName } = newQueue();
    const RATE = 10;
    const settings = { rate: RATE, concurrency: 8, lock: 30, stalled: 30 };
    const workers = await Promise.all([startWorker(queueName, settings), startWorker(queueName, settings)]);
    // Forty waits that would each poll every 10 ms: far more than the budget wants.
    const ids = await Promise.all(Array.from({ length: 40 }, () => emu.create({ never: true })));
    await Promise.all(ids.map((id) => queue.enqueue(id, { pollInterval: 0.01, pollTimeout: 60 })));
    const idSet = new Set(ids);
    let log = await requestsOf(idSet);
    while (log.length === 0 || log.at(-1)!.at - log[0]!.at < 3000) {
      await new Promise((r) => setTimeout(r, 100));
      log = await requestsOf(idSet);
    }
    const runs = await Promise.all(workers.map((w) => w.stop()));
    for (const n of runs) expect(n).toBeGreaterThan(0);
    log = await requestsOf(idSet);
    const times = log.map((r) => r.at);
    const spanS = (times.at(-1)! - times[0]!) / 1000;
    // BullMQ's limiter counts in windows of 1 s: over the run, the budget plus one window at most;
    // within any second, at most two windows' worth (one ending, one starting).
    expect(times.length).toBeLessThanOrEqual(RATE * (Math.ceil(spanS) + 1));
    for (let i = 0; i < times.length; i++) {
      const inSecond = times.filter((t) => t >= times[i]! && t < times[i]! + 1000).length;
      expect(inSecond).toBeLessThanOrEqual(2 * RATE);
    }
  }, 30_000);

  test('1 000 operations over 4 worker processes: every wait ends once, with its result', async () => {
    const { queue, queueName } = newQueue();
    const settings = { rate: 10_000, concurrency: 32, lock: 30, stalled: 30 };
    const workers = await Promise.all([1, 2, 3, 4].map(() => startWorker(queueName, settings)));
    const ids = await Promise.all(Array.from({ length: 1000 }, (_, i) => emu.create({ donePolls: 2, response: { ...RESPONSE, i } })));
    await Promise.all(ids.map((id) => queue.enqueue(id, { pollInterval: 0.05 })));
    const results = await Promise.all(ids.map((id) => queue.result(id)));
    expect(results).toEqual(ids.map((_, i) => ({ ...RESPONSE, i })));
    const runs = await Promise.all(workers.map((w) => w.stop()));
    for (const n of runs) expect(n).toBeGreaterThan(0);
    expect(runs.reduce((a, b) => a + b, 0)).toBe(2000);
    const perOperation = new Map<string, number>();
    for (const r of await requestsOf(new Set(ids))) perOperation.set(r.operationId!, (perOperation.get(r.operationId!) ?? 0) + 1);
    expect([...new Set(perOperation.values())]).toEqual([2]);
    expect(await queue.queue.getJobCounts('completed', 'failed')).toEqual({ completed: 1000, failed: 0 });
  }, 60_000);
});
