/**
 * Issue 23 item 6: on a Redis Cluster of three masters that the test starts on loopback, a queue
 * and a worker without a hash-tagged prefix are refused when they are made (rather than every
 * script failing with CROSSSLOT), and with `prefix: '{yc}'` waits complete.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { WaitQueue, WaitWorker } from 'yc-operation/bullmq';
import { type Emulator, startEmulator } from 'yc-operation/testing';
import { skipReason, startRedisCluster } from './redis';

const RESPONSE = { '@type': 'type.googleapis.com/example.Result', text: 'done' };

describe.skipIf(skipReason !== null)('yc-operation/bullmq on a Redis Cluster', () => {
  let cluster: Awaited<ReturnType<typeof startRedisCluster>>;
  let emu: Emulator;
  const dir = mkdtempSync(join(tmpdir(), 'yc-cluster-'));
  const closers: Array<() => Promise<unknown>> = [];

  beforeAll(async () => {
    [cluster, emu] = await Promise.all([startRedisCluster(dir), startEmulator()]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all(closers.map((close) => close().catch(() => undefined)));
    await Promise.all([cluster?.stop(), emu?.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  const connect = () => {
    const connection = new Cluster(
      cluster.ports.map((port) => ({ host: '127.0.0.1', port })),
      { redisOptions: { maxRetriesPerRequest: null } },
    );
    connection.on('error', () => undefined);
    closers.push(async () => connection.disconnect());
    return connection;
  };

  test('without a hash tag in the prefix, the queue and the worker are refused when made, naming the fix', () => {
    const connection = connect();
    for (const prefix of [undefined, 'bull', 'yc{}', '{}{yc}']) {
      expect(() => new WaitQueue({ connection, prefix })).toThrow(
        /a Redis Cluster connection needs a key prefix with a hash tag, such as prefix: '\{yc\}'/,
      );
      expect(() => new WaitWorker({ connection, prefix })).toThrow(TypeError);
    }
  });

  test("with prefix '{yc}', waits complete", async () => {
    const location = { connection: connect(), prefix: '{yc}', queueName: 'cluster' };
    const queue = new WaitQueue(location);
    const worker = new WaitWorker({ ...location, client: { endpoint: emu.url, auth: null }, maxRequestsPerSecond: 1000 });
    closers.push(
      () => worker.close(),
      () => queue.close(),
    );
    await worker.ready();
    const ids = await Promise.all(Array.from({ length: 20 }, () => emu.create({ donePolls: 2, response: RESPONSE })));
    await Promise.all(ids.map((id) => queue.enqueue(id, { pollInterval: 0.05 })));
    expect(await Promise.all(ids.map((id) => queue.result(id)))).toEqual(ids.map(() => RESPONSE));
  }, 60_000);
});
