/**
 * Abort in the promise flavour: the promise rejects with the signal's reason, and no timer or
 * socket of the call is left behind (`process.getActiveResourcesInfo()`).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AsyncOperationsClient } from 'yc-operation';
import { type Emulator, startEmulator } from 'yc-operation/testing';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.close());

const resources = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout' || r === 'TCPSocketWrap').length;

/** Waits for the event loop to settle what was freed (closed sockets report on the next turn). */
const settle = () => new Promise((r) => setTimeout(r, 50));

describe('abort', () => {
  test('during the sleep between polls: rejects with the reason, clears the timer', async () => {
    const client = new AsyncOperationsClient({ endpoint: emu.url, auth: null });
    const op = client.operation(await emu.create({ never: true }));
    await settle();
    const before = resources();
    const controller = new AbortController();
    const reason = new Error('user stopped');
    const waiting = op.wait({ pollInterval: 30, signal: controller.signal });
    await op.getStatus(); // one poll has certainly been answered: the wait is in its 30 s sleep or about to be
    await new Promise((r) => setTimeout(r, 100));
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    client.close();
    await settle();
    expect(resources()).toBeLessThanOrEqual(before);
  });

  test('during a request: the request is aborted and the socket freed', async () => {
    const client = new AsyncOperationsClient({ endpoint: emu.url, auth: null });
    const op = client.operation(await emu.create({ never: true, faults: [{ hang: true }] }));
    await settle();
    const before = resources();
    const controller = new AbortController();
    const waiting = op.getStatus({ signal: controller.signal });
    await new Promise((r) => setTimeout(r, 100));
    controller.abort();
    const error = await waiting.catch((e: unknown) => e);
    expect((error as Error).name).toBe('AbortError');
    client.close();
    await settle();
    expect(resources()).toBeLessThanOrEqual(before);
  });

  test('an already aborted signal sends nothing', async () => {
    const client = new AsyncOperationsClient({ endpoint: emu.url, auth: null });
    const id = await emu.create({});
    await emu.clearRequests();
    const reason = new Error('too late');
    await expect(client.operation(id).wait({ signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    await expect(client.operation(id).cancel({ signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    client.close();
    expect(await emu.requests()).toHaveLength(0);
  });

  test('an abort during watch() ends the iteration with the reason', async () => {
    const client = new AsyncOperationsClient({ endpoint: emu.url, auth: null });
    const op = client.operation(await emu.create({ never: true }));
    const controller = new AbortController();
    const seen: string[] = [];
    const error = await (async () => {
      for await (const s of op.watch({ pollInterval: 0.05, signal: controller.signal })) {
        seen.push(s.statusName);
        if (seen.length === 2) controller.abort(new Error('enough'));
      }
    })().catch((e: unknown) => e);
    client.close();
    expect((error as Error).message).toBe('enough');
    expect(seen).toEqual(['running', 'running']);
  });
});

describe('close', () => {
  test('a call in flight when the client closes fails, and so does any later call', async () => {
    const client = new AsyncOperationsClient({ endpoint: emu.url, auth: null });
    const id = await emu.create({ never: true, faults: [{ latency: 0.3 }] });
    await emu.clearRequests();
    const inFlight = client
      .operation(id)
      .getStatus()
      .catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 50));
    client.close();
    expect(await inFlight).toMatchObject({ name: 'AIStudioError', message: `this AsyncOperationsClient of ${emu.url} is closed` });
    await expect(client.operation(id).getStatus()).rejects.toThrow('is closed');
    expect(await emu.requests()).toHaveLength(1);
  });
});
