/**
 * `Symbol.dispose` and `Symbol.asyncDispose` on the clients (`using` / `await using`): disposing a
 * client closes it, as `close()` does: a wait in progress ends with the closed error, later calls
 * fail the same way, and disposing twice is fine.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AIStudioError, AsyncOperationsClient, OperationsClient } from 'yc-operation';
import { type Emulator, startEmulator } from 'yc-operation/testing';
import { failOnUnhandledRejections, until } from './resilience/harness';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.close());
failOnUnhandledRejections();

const polled = (id: string) => until(async () => (await emu.requests()).some((r) => r.operationId === id));

describe('AsyncOperationsClient', () => {
  test.each([
    ['Symbol.dispose', (c: AsyncOperationsClient) => c[Symbol.dispose]()],
    ['Symbol.asyncDispose', (c: AsyncOperationsClient) => c[Symbol.asyncDispose]()],
  ])('%s closes it: the sleeping wait ends with the closed error, and so does a later call', async (_name, dispose) => {
    const id = await emu.create({ never: true });
    const client = new AsyncOperationsClient({ endpoint: emu.url, auth: null });
    const waiting = client
      .operation(id)
      .wait({ pollInterval: 30 })
      .catch((e: unknown) => e);
    await polled(id);
    const result = dispose(client);
    if (_name === 'Symbol.asyncDispose') expect(result).toBeInstanceOf(Promise);
    await result;
    const error = await waiting;
    expect(error).toBeInstanceOf(AIStudioError);
    expect((error as Error).message).toMatch(/AsyncOperationsClient of .* is closed/);
    await expect(client.operation(id).getStatus()).rejects.toThrow(/is closed/);
    await dispose(client); // twice is fine
  });
});

describe('OperationsClient', () => {
  test('Symbol.dispose closes it: a later call fails with the closed error; twice is fine', async () => {
    const id = await emu.create({});
    const client = new OperationsClient({ endpoint: emu.url, auth: null });
    expect(client.operation(id).getStatus().isSucceeded).toBe(true);
    client[Symbol.dispose]();
    expect(() => client.operation(id).getStatus()).toThrow(/OperationsClient of .* is closed/);
    expect(() => client[Symbol.dispose]()).not.toThrow();
  });
});
