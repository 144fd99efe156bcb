/**
 * Issue 10, "Must show" 7: a Get answered with the status of another operation (its `id` differs
 * from the one asked) is a WireDecodeError, not this operation's status. The stand-in server runs
 * in a worker thread, so it answers while the blocking flavour blocks this one.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { WireDecodeError } from 'yc-operation';
import { FLAVOURS } from '../helpers/flavours';
import {
  activeResources,
  expectNothingLeft,
  failOnUnhandledRejections,
  keepSdkWorker,
  type StandIns,
  startStandIns,
} from '../resilience/harness';

let servers: StandIns;
beforeAll(async () => {
  servers = await startStandIns({
    api: {
      host: '127.0.0.1',
      // "flip-*" operations answer their first Get as themselves, running, and every later one as another.
      reply: `(() => {
        const seen = {};
        return (req) => {
          const asked = decodeURIComponent(req.url.split('/')[2].split(':')[0]);
          seen[asked] = (seen[asked] || 0) + 1;
          if (asked.startsWith('flip-')) {
            const body = seen[asked] === 1 ? { id: asked, done: false, metadata: { step: 1 } } : { id: 'other', done: true, response: {} };
            return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
          }
          const id = asked === 'same-id' ? 'same-id' : asked === 'no-id' ? undefined : 'other';
          return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id, done: true, response: {} }) };
        };
      })()`,
    },
  });
});
afterAll(() => servers.close());
failOnUnhandledRejections();

describe.each(FLAVOURS)('$name: an answer for another operation', (flavour) => {
  keepSdkWorker(flavour, () => servers.urls.api!);

  test('getStatus(), wait(), cancel() and getResult() reject it with WireDecodeError and keep no status, leaving nothing behind', async () => {
    const before = await activeResources();
    const client = flavour.client({ endpoint: servers.urls.api, auth: null, retry: false });
    const op = client.operation('mine');
    for (const call of [() => op.getStatus(), () => op.wait({ pollInterval: 0.05 }), () => op.cancel(), () => op.getResult()]) {
      const error = await call().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WireDecodeError);
      expect((error as Error).message).toMatch(/operation "mine" with the status of another operation/);
      expect((error as Error).message).not.toContain('other"');
    }
    expect(op.lastKnownStatus).toBeNull();
    client.close();
    await expectNothingLeft(before);
  });

  test('after a status of its own, an answer for another operation leaves the last known status as it was', async () => {
    const client = flavour.client({ endpoint: servers.urls.api, auth: null, retry: false });
    const op = client.operation(`flip-${flavour.name}`);
    const own = await op.getStatus();
    expect(own).toMatchObject({ isRunning: true, metadata: { step: 1 } });
    expect(await op.getStatus().catch((e: unknown) => e)).toBeInstanceOf(WireDecodeError);
    expect(op.lastKnownStatus).toEqual(own);
    expect(await op.wait({ pollInterval: 0.01 }).catch((e: unknown) => e)).toBeInstanceOf(WireDecodeError);
    expect(op.lastKnownStatus).toEqual(own);
    client.close();
  });

  test('an answer with the same id, or with none, is taken', async () => {
    const client = flavour.client({ endpoint: servers.urls.api, auth: null, retry: false });
    expect((await client.operation('same-id').getStatus()).isSucceeded).toBe(true);
    expect((await client.operation('no-id').getStatus()).isSucceeded).toBe(true);
    client.close();
  });
});
