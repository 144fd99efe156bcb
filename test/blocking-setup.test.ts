/**
 * What a blocking call sends its worker: a client's options go once, with its first call to a
 * worker, and again to a fresh worker after the last client closed the one before; every other
 * call carries only what changes (test/fixtures/counting-worker.mjs counts the messages).
 */

import { fileURLToPath } from 'node:url';
import { BroadcastChannel } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { OperationsClient } from 'yc-operation';
import { type Emulator, startEmulator } from 'yc-operation/testing';

const COUNTING_WORKER = fileURLToPath(new URL('./fixtures/counting-worker.mjs', import.meta.url));

interface Counts {
  threadId: number;
  calls: number;
  setups: number;
  loose: number;
}

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.close());

/** The counts the worker says once it has seen `calls` calls (within 10 s). */
function countsAfter(calls: number): Promise<Counts> {
  const channel = new BroadcastChannel('yc-operation.test.worker-messages');
  return new Promise<Counts>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the worker did not count ${calls} calls`)), 10_000);
    channel.onmessage = (event) => {
      const counts = (event as MessageEvent).data as Counts;
      if (counts.calls < calls) return;
      clearTimeout(timer);
      resolve(counts);
    };
  }).finally(() => channel.close());
}

describe("a blocking client's options", () => {
  test('go to the worker with its first call only, for each client, and again to a fresh worker', async () => {
    const id = await emu.create({ never: true });
    const first = new OperationsClient({ endpoint: emu.url, auth: null, workerPath: COUNTING_WORKER, headers: { 'x-which': 'first' } });
    const second = new OperationsClient({ endpoint: emu.url, auth: null, workerPath: COUNTING_WORKER, headers: { 'x-which': 'second' } });
    let counted = countsAfter(5);
    for (let i = 0; i < 3; i++) expect(first.operation(id).getStatus().isRunning).toBe(true);
    for (let i = 0; i < 2; i++) expect(second.operation(id).getStatus().isRunning).toBe(true);
    const before = await counted;
    expect(before).toMatchObject({ calls: 5, setups: 2, loose: 0 });
    const headers = (await emu.requests()).filter((r) => r.operationId === id).map((r) => r.headers['x-which']);
    expect(headers.slice(-5)).toEqual(['first', 'first', 'first', 'second', 'second']);

    first.close();
    second.close(); // the last client of that worker: it ends
    const third = new OperationsClient({ endpoint: emu.url, auth: null, workerPath: COUNTING_WORKER });
    counted = countsAfter(2);
    third.operation(id).getStatus();
    third.operation(id).getStatus();
    const after = await counted;
    third.close();
    expect(after.threadId).not.toBe(before.threadId);
    expect(after).toMatchObject({ calls: 2, setups: 1, loose: 0 });
  });
});
