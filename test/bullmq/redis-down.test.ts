/**
 * Issue 21, the durable queue, against a real redis-server that each test starts, stops (SIGTERM),
 * kills (SIGKILL) and starts again, with and without AOF: every call has a bound and a clear
 * error when Redis is away, a reader whose job Redis lost is told so, a wait survives a restart
 * with AOF, and connection errors go to the logger, never to stderr.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { isAIStudioError } from 'yc-operation';
import { type QueueLocation, RedisUnavailableError, WaitJobError, WaitQueue, WaitWorker } from 'yc-operation/bullmq';
import { type Emulator, startEmulator } from 'yc-operation/testing';
import { runNode } from '../helpers/child';
import { type RedisServer, skipReason, startRedisServer } from './redis';

const RESPONSE = { '@type': 'type.googleapis.com/example.Result', text: 'done' };

/** A logger that keeps its lines. */
function keptLogger() {
  const lines: string[] = [];
  const keep = (level: string) => (message: string) => void lines.push(`${level}: ${message}`);
  return { lines, logger: { debug: keep('debug'), info: keep('info'), warn: keep('warn'), error: keep('error') } };
}

describe.skipIf(skipReason !== null)('yc-operation/bullmq when Redis goes away', () => {
  let emu: Emulator;
  const closers: Array<() => Promise<unknown>> = [];
  const servers: RedisServer[] = [];
  const dirs: string[] = [];

  beforeAll(async () => {
    emu = await startEmulator();
  });
  afterAll(async () => {
    await Promise.all(closers.map((close) => close().catch(() => undefined)));
    await Promise.all(servers.map((s) => s.stop('SIGKILL')));
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    await emu?.close();
  });

  async function server(aof = false): Promise<RedisServer> {
    const dir = aof ? mkdtempSync(join(tmpdir(), 'yc-redis-')) : undefined;
    if (dir) dirs.push(dir);
    const s = await startRedisServer({ aof, dir });
    servers.push(s);
    return s;
  }

  function location(s: RedisServer, extra: Partial<QueueLocation> = {}): QueueLocation {
    return { connection: { url: s.url }, queueName: 'downs', redisTimeout: 1, ...extra };
  }

  function worker(loc: QueueLocation) {
    const w = new WaitWorker({
      ...loc,
      client: { endpoint: emu.url, auth: null },
      maxRequestsPerSecond: 1000,
      lockDuration: 2,
      stalledInterval: 1,
    });
    closers.push(() => w.close(true));
    return w;
  }

  function queue(loc: QueueLocation) {
    const q = new WaitQueue(loc);
    closers.push(() => q.close());
    return q;
  }

  test('Redis down from the start: every call fails within its bound with RedisUnavailableError; nothing on stderr; the process exits', async () => {
    // In a process of its own, to see its stderr and that nothing keeps it alive afterwards.
    const s = await server();
    await s.stop();
    const code = `
      import { WaitQueue, WaitWorker, RedisUnavailableError } from 'yc-operation/bullmq';
      const lines = [];
      const logger = { debug() {}, info() {}, warn: (m) => lines.push(m), error: (m) => lines.push(m) };
      const loc = { connection: { url: process.env.REDIS_URL }, redisTimeout: 0.5, logger };
      const queue = new WaitQueue(loc);
      const worker = new WaitWorker({ ...loc, client: { endpoint: 'http://127.0.0.1:9', auth: null } });
      const outcome = async (promise) => promise.then(() => 'resolved', (e) => e instanceof RedisUnavailableError ? e.call + ': ' + e.message : 'other: ' + e);
      console.log(await outcome(queue.enqueue('d7qdown')));
      console.log(await outcome(queue.result('d7qdown')));
      console.log(await outcome(worker.ready()));
      console.log(await outcome(worker.close()));
      console.log(await outcome(queue.close()));
      console.log('logged ' + lines.filter((l) => /ECONNREFUSED/.test(l)).length);
    `;
    const child = await runNode(['--input-type=module', '-e', code], { REDIS_URL: s.url }, 60_000);
    expect(child.stderr).toBe('');
    expect(child.code).toBe(0);
    const lines = child.stdout.trim().split('\n');
    expect(lines.slice(0, 4)).toEqual([
      expect.stringMatching(
        /^enqueue: Redis did not answer enqueue\(\) of queue yc-operation-waits within 0\.5 s \(last connection error: connect ECONNREFUSED 127\.0\.0\.1:\d+\)$/,
      ),
      expect.stringMatching(/^result: Redis did not answer result\(\) .* within 0\.5 s/),
      expect.stringMatching(/^ready: Redis did not answer ready\(\) .* within 0\.5 s/),
      expect.stringMatching(/^close: Redis did not answer close\(\) .* within 0\.5 s/),
    ]);
    // A queue that never connected has nothing to close.
    expect(lines[4]).toBe('resolved');
    expect(Number(/^logged (\d+)$/.exec(lines[5]!)![1])).toBeGreaterThan(0);
  }, 60_000);

  test('Redis killed (SIGKILL) under a reader: result() rejects with RedisUnavailableError within its bound; errors go to the logger', async () => {
    const s = await server();
    const { lines, logger } = keptLogger();
    const q = queue(location(s, { logger }));
    const id = await emu.create({ never: true });
    await q.enqueue(id);
    const reading = q.result(id).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 200));
    await s.stop('SIGKILL');
    const error = await reading;
    expect(error).toBeInstanceOf(RedisUnavailableError);
    expect(isAIStudioError(error)).toBe(true);
    expect(error).toMatchObject({ call: 'result', queueName: 'downs', timeout: 1 });
    expect(
      lines.some((l) =>
        /^warn: yc-operation\/bullmq: .* of queue downs: Redis connection error: .*(ECONNREFUSED|ECONNRESET|Connection is closed)/.test(l),
      ),
    ).toBe(true);
    // Still down: the next calls fail the same way, within their bound.
    await expect(q.enqueue(await emu.create({ never: true }))).rejects.toBeInstanceOf(RedisUnavailableError);
    await expect(q.result(id)).rejects.toBeInstanceOf(RedisUnavailableError);
  }, 30_000);

  test('Redis restarted without persistence: a reader of the lost job rejects with a WaitJobError saying the job is gone', async () => {
    const s = await server(false);
    const q = queue(location(s, { redisTimeout: 5 }));
    const id = await emu.create({ never: true });
    await q.enqueue(id);
    const reading = q.result(id).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 200));
    await s.stop('SIGTERM');
    await s.start();
    const error = await reading;
    expect(error).toBeInstanceOf(WaitJobError);
    expect(error).toMatchObject({ jobId: `op-${id}`, operationId: id, queueName: 'downs' });
    expect((error as Error).message).toMatch(/the job is gone: Redis lost it/);
  }, 30_000);

  test('Redis killed and restarted with AOF: the wait goes on, its worker finishes it, its reader gets the result', async () => {
    const s = await server(true);
    const loc = location(s, { redisTimeout: 10 });
    const q = queue(loc);
    const w = worker(loc);
    await w.ready();
    const id = await emu.create({ donePolls: 8, response: RESPONSE });
    await q.enqueue(id, { pollInterval: 0.2 });
    const reading = q.result(id);
    while ((await emu.requests()).filter((r) => r.operationId === id).length < 2) await new Promise((r) => setTimeout(r, 50));
    await s.stop('SIGKILL');
    await new Promise((r) => setTimeout(r, 500));
    await s.start();
    expect(await reading).toEqual(RESPONSE);
    expect((await emu.requests()).filter((r) => r.operationId === id).length).toBeGreaterThanOrEqual(8);
  }, 30_000);
});
