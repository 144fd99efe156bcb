/**
 * Issue 10, "Must show" 3: `close()` settles every pending call, wait and watch at once (sleeping
 * ones included) with the "client is closed" error, leaves no timer or socket, and never throws.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AIStudioError, AsyncOperationsClient, type OperationStatus, OperationsClient } from 'yc-operation';
import { type Emulator, startEmulator } from 'yc-operation/testing';
import { activeResources, expectNothingLeft, failOnUnhandledRejections, until } from '../resilience/harness';

const CRASHING_WORKER = fileURLToPath(new URL('../fixtures/crashing-worker.mjs', import.meta.url));

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.close());
failOnUnhandledRejections();

/** Resolves once the emulator has answered `n` Gets for `id`. */
const polled = (id: string, n = 1) => until(async () => (await emu.requests()).filter((r) => r.operationId === id).length >= n);

describe('promise flavour: close()', () => {
  test('ends at once a wait() sleeping between polls (pollInterval 30), leaving no timer or socket', async () => {
    const id = await emu.create({ never: true });
    const before = await activeResources();
    const client = new AsyncOperationsClient({ endpoint: emu.url, auth: null });
    const waiting = client
      .operation(id)
      .wait({ pollInterval: 30 })
      .catch((e: unknown) => e);
    await polled(id);
    await new Promise((r) => setTimeout(r, 50)); // the answer is in: the wait sleeps its 30 s
    const closedAt = performance.now();
    client.close();
    const error = await waiting;
    expect(performance.now() - closedAt).toBeLessThan(1000);
    expect(error).toBeInstanceOf(AIStudioError);
    expect((error as Error).message).toMatch(/AsyncOperationsClient of .* is closed/);
    await expectNothingLeft(before);
  });

  test('ends at once a watch() sleeping between polls, leaving no timer or socket', async () => {
    const id = await emu.create({ never: true });
    const before = await activeResources();
    const client = new AsyncOperationsClient({ endpoint: emu.url, auth: null });
    const seen: string[] = [];
    const watching = (async () => {
      for await (const s of client.operation(id).watch({ pollInterval: 30 })) seen.push(s.statusName);
    })().catch((e: unknown) => e);
    await polled(id);
    await new Promise((r) => setTimeout(r, 50));
    const closedAt = performance.now();
    client.close();
    const error = await watching;
    expect(performance.now() - closedAt).toBeLessThan(1000);
    expect(seen).toEqual(['running']);
    expect(error).toBeInstanceOf(AIStudioError);
    expect((error as Error).message).toMatch(/is closed/);
    await expectNothingLeft(before);
  });

  test('ends a request in flight and a call made later; never throws, closing twice is fine', async () => {
    const hung = await emu.create({ never: true, faults: [{ hang: true }] });
    const before = await activeResources();
    const client = new AsyncOperationsClient({ endpoint: emu.url, auth: null });
    const pending = client
      .operation(hung)
      .getStatus({ timeout: 20 })
      .catch((e: unknown) => e);
    await polled(hung);
    expect(() => client.close()).not.toThrow();
    expect(() => client.close()).not.toThrow();
    expect((await pending) as Error).toBeInstanceOf(AIStudioError);
    expect(((await pending) as Error).message).toMatch(/is closed/);
    await expect(client.operation(hung).getStatus()).rejects.toThrow(/is closed/);
    await expectNothingLeft(before);
  });
});

describe('blocking flavour: close()', () => {
  test('called from onProgress, the wait fails at its next step with the closed error (no 30 s sleep)', async () => {
    const id = await emu.create({ never: true });
    const client = new OperationsClient({ endpoint: emu.url, auth: null });
    const started = performance.now();
    const statuses: string[] = [];
    let error: unknown;
    try {
      client.operation(id).wait({
        pollInterval: 30,
        onProgress: (s: OperationStatus) => {
          statuses.push(s.statusName);
          client.close();
        },
      });
    } catch (e) {
      error = e;
    }
    expect(statuses).toEqual(['running']);
    expect(error).toBeInstanceOf(AIStudioError);
    expect((error as Error).message).toMatch(/OperationsClient of .* is closed/);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(() => client.close()).not.toThrow();
  });

  test('a call after close() fails with the closed error', async () => {
    const id = await emu.create({});
    const client = new OperationsClient({ endpoint: emu.url, auth: null });
    expect(client.operation(id).getStatus().isSucceeded).toBe(true);
    client.close();
    expect(() => client.operation(id).getStatus()).toThrow(/is closed/);
  });

  test('close() after the worker died between calls does not throw, and does not hang', async () => {
    const client = new OperationsClient({ endpoint: emu.url, auth: null, workerPath: CRASHING_WORKER });
    expect(() => client.operation('die-soon').getStatus()).toThrow(/not found|404|NOT_FOUND/i); // answered, then the worker ends
    await new Promise((r) => setTimeout(r, 1500));
    const started = performance.now();
    expect(() => client.close()).not.toThrow();
    expect(() => client.close()).not.toThrow();
    expect(performance.now() - started).toBeLessThan(2000); // it does not wait out the worker's 6 s bound
  });

  test('close() after the worker died mid-call does not throw, twice', async () => {
    const id = await emu.create({});
    const client = new OperationsClient({ endpoint: emu.url, auth: null, workerPath: CRASHING_WORKER });
    expect(client.operation(id).getStatus().isSucceeded).toBe(true);
    expect(() => client.operation('crash-me').getStatus()).toThrow(/worker failed/);
    expect(() => client.close()).not.toThrow();
    expect(() => client.close()).not.toThrow();
  });
});
