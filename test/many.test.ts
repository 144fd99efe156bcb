/**
 * Beyond the reference, in both flavours: waitAll / asCompleted with concurrency and a request
 * rate, resume with toJSON / restore (also across flavours), and concurrent waits on one
 * operation sharing their requests (promise flavour).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { AsyncOperationsClient, asCompleted, OperationsClient, OperationTimeoutError, RunError, waitAll } from 'yc-operation';
import { type Emulator, startEmulator } from 'yc-operation/testing';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.close());
beforeEach(() => emu.clearRequests());

const FLAVOURS = [
  { name: 'async', make: () => new AsyncOperationsClient({ endpoint: emu.url, auth: null }) },
  { name: 'blocking', make: () => new OperationsClient({ endpoint: emu.url, auth: null }) },
] as const;

const response = (n: number) => ({ '@type': 'type.googleapis.com/test.Result', n });

describe.each(FLAVOURS)('$name: many operations', ({ make }) => {
  test('waitAll returns the results in the order of the operations', async () => {
    const client = make();
    const ids = await Promise.all([3, 1, 2].map((polls, n) => emu.create({ donePolls: polls, response: response(n) })));
    const ops = ids.map((id) => client.operation(id));
    expect(await waitAll(ops as never, { pollInterval: 0.01 })).toEqual([response(0), response(1), response(2)]);
    client.close();
  });

  test('asCompleted yields the operations in the order they finish', async () => {
    const client = make();
    const ids = await Promise.all([4, 1, 2].map((polls) => emu.create({ donePolls: polls })));
    const seen: string[] = [];
    for await (const op of asCompleted(ids.map((id) => client.operation(id)) as never, { pollInterval: 0.02 }) as AsyncIterable<{
      id: string;
    }>) {
      seen.push(op.id);
    }
    expect(seen).toEqual([ids[1], ids[2], ids[0]]);
    client.close();
  });

  test('asCompleted yields a failed operation in its turn, whose getResult() throws its RunError without a request, and goes on', async () => {
    const client = make();
    const failing = await emu.create({ donePolls: 1, error: { code: 9, message: 'bad state' } });
    const later = await emu.create({ donePolls: 3, response: response(1) });
    const seen: Array<{ id: string; status: string | undefined }> = [];
    let failed: { getResult(): unknown } | null = null;
    for await (const op of asCompleted([client.operation(failing), client.operation(later)] as never, {
      pollInterval: 0.02,
    }) as AsyncIterable<{ id: string; lastKnownStatus: { statusName: string } | null; getResult(): unknown }>) {
      seen.push({ id: op.id, status: op.lastKnownStatus?.statusName });
      if (op.id === failing) failed = op;
    }
    expect(seen).toEqual([
      { id: failing, status: 'failed' },
      { id: later, status: 'success' },
    ]);
    const requests = (await emu.requests()).length;
    const error = await Promise.resolve()
      .then(() => failed!.getResult())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunError);
    expect(error).toMatchObject({ code: 9, errorMessage: 'bad state' });
    expect((await emu.requests()).length).toBe(requests);
    client.close();
  });

  test('a failed operation makes waitAll throw its RunError and stops the rest', async () => {
    const client = make();
    const never = await emu.create({ never: true });
    const failing = await emu.create({ donePolls: 2, error: { code: 9, message: 'bad state' } });
    await expect(
      (async () => waitAll([client.operation(never), client.operation(failing)] as never, { pollInterval: 0.02 }))(),
    ).rejects.toBeInstanceOf(RunError);
    const before = (await emu.requests()).length;
    await new Promise((r) => setTimeout(r, 100));
    expect((await emu.requests()).length).toBe(before);
    client.close();
  });

  test('a pollTimeout applies to each operation', async () => {
    const client = make();
    const id = await emu.create({ never: true });
    await expect((async () => waitAll([client.operation(id)] as never, { pollInterval: 0.02, pollTimeout: 0.2 }))()).rejects.toBeInstanceOf(
      OperationTimeoutError,
    );
    client.close();
  });

  test('concurrency bounds how many operations are polled at once', async () => {
    const client = make();
    const ids = await Promise.all([0, 1, 2, 3].map(() => emu.create({ donePolls: 2 })));
    await waitAll(ids.map((id) => client.operation(id)) as never, { pollInterval: 0.05, concurrency: 1 });
    const order = (await emu.requests()).map((r) => r.operationId);
    expect(order).toEqual(ids.flatMap((id) => [id, id]));
    client.close();
  });

  test('maxRequestsPerSecond spaces the requests', async () => {
    const client = make();
    const ids = await Promise.all([0, 1, 2, 3, 4].map(() => emu.create({ donePolls: 1 })));
    await client.operation(ids[0]!).getStatus(); // the blocking flavour's worker is up before the clock starts
    await emu.clearRequests();
    await waitAll(ids.map((id) => client.operation(id)) as never, { pollInterval: 0.01, maxRequestsPerSecond: 20 });
    const at = (await emu.requests()).map((r) => r.at);
    expect(at).toHaveLength(5);
    expect(at[4]! - at[0]!).toBeGreaterThanOrEqual(4 * 50 - 10);
    client.close();
  });
});

describe('resume', () => {
  test.each([
    ['async', 'blocking'],
    ['blocking', 'async'],
    ['async', 'async'],
    ['blocking', 'blocking'],
  ] as const)('an operation saved by the %s flavour is restored by the %s flavour without a request', async (from, to) => {
    const [saver, restorer] = [from, to].map((f) => FLAVOURS.find((x) => x.name === f)!.make());
    const id = await emu.create({ donePolls: 3, response: response(7) });
    const op = saver!.operation(id, { defaultPollTimeout: 120 });
    await op.getStatus();
    const json = JSON.parse(JSON.stringify(op));
    expect(json).toEqual({ v: 1, id, endpoint: emu.url, lastKnownStatus: { id, done: false }, defaultPollTimeout: 120 });
    await emu.clearRequests();
    const restored = restorer!.restore(json);
    expect(restored.lastKnownStatus).toMatchObject({ isRunning: true });
    expect(await emu.requests()).toHaveLength(0);
    expect(await restored.wait({ pollInterval: 0.01 })).toEqual(response(7));
    expect(JSON.parse(JSON.stringify(restored)).lastKnownStatus).toEqual({ id, done: true, response: response(7) });
    saver!.close();
    restorer!.close();
  });

  test.each([
    [null, /restore takes what toJSON\(\) gave, got null/],
    [{ v: 2 }, /version 1/],
    [{ v: 1, id: 'a/b', endpoint: 'x' }, /operation id/],
    [{ v: 1, id: 'abc', endpoint: 'https://elsewhere.example' }, /saved for "https:\/\/elsewhere.example"/],
  ])('restore(%o) is refused clearly', (saved, message) => {
    const client = new AsyncOperationsClient({ endpoint: emu.url, auth: null });
    expect(() => client.restore(saved)).toThrow(message);
    client.close();
  });
});

describe('shared polls (promise flavour)', () => {
  test('1 000 concurrent waits on one operation cost the requests of one', async () => {
    const client = new AsyncOperationsClient({ endpoint: emu.url, auth: null });
    const single = await emu.create({ donePolls: 3 });
    await client.operation(single).wait({ pollInterval: 0.05 });
    const alone = (await emu.requests()).length;
    await emu.clearRequests();
    const shared = await emu.create({ donePolls: 3 });
    const results = await Promise.all(Array.from({ length: 1000 }, () => client.operation(shared).wait({ pollInterval: 0.05 })));
    expect(results).toHaveLength(1000);
    expect((await emu.requests()).length).toBe(alone);
    client.close();
  });

  test('one waiter aborting does not stop the others', async () => {
    const client = new AsyncOperationsClient({ endpoint: emu.url, auth: null });
    const id = await emu.create({ donePolls: 3, faults: [{ latency: 0.2 }] });
    const controller = new AbortController();
    const leaving = client.operation(id).wait({ pollInterval: 0.02, signal: controller.signal });
    const staying = client.operation(id).wait({ pollInterval: 0.02 });
    setTimeout(() => controller.abort(new Error('left')), 50);
    await expect(leaving).rejects.toThrow('left');
    await expect(staying).resolves.toBeTruthy();
    client.close();
  });
});
