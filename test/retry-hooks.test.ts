/**
 * The retry hooks (`retry.onRetry`, `retry.shouldRetry`) in both flavours: the blocking flavour
 * calls them on the caller's thread, between the attempts its worker makes.
 */
import { isMainThread, threadId } from 'node:worker_threads';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { ApiError } from 'yc-operation';
import { type Emulator, startEmulator } from 'yc-operation/testing';
import { FLAVOURS } from './helpers/flavours';

const QUICK = { initialBackoff: 0.01, maxBackoff: 0.02, jitter: 0 };

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.close());
beforeEach(() => emu.clearRequests());

describe.each(FLAVOURS)('$name flavour', (flavour) => {
  test("onRetry is told each retry on the caller's thread: the failed attempt, its ApiError, the delay in seconds", async () => {
    const seen: Array<[number, number | null, number, boolean, number]> = [];
    const client = flavour.client({
      endpoint: emu.url,
      auth: null,
      retry: {
        ...QUICK,
        onRetry: (attempt: number, error: ApiError, delay: number) => seen.push([attempt, error.httpStatus, delay, isMainThread, threadId]),
      },
    });
    const id = await emu.create({ faults: [{ status: 503, times: 2 }] });
    expect((await client.operation(id).getStatus()).isSucceeded).toBe(true);
    client.close();
    expect(seen.map(([attempt, status]) => [attempt, status])).toEqual([
      [1, 503],
      [2, 503],
    ]);
    for (const [, , delay, main, thread] of seen) {
      expect(delay).toBeGreaterThan(0);
      expect(delay).toBeLessThanOrEqual(0.02);
      expect([main, thread]).toEqual([isMainThread, threadId]);
    }
  });

  test('shouldRetry false raises a transient failure at once; true retries a failure the reference would not', async () => {
    const asked: Array<[number, number]> = [];
    const client = flavour.client({
      endpoint: emu.url,
      auth: null,
      retry: {
        ...QUICK,
        shouldRetry: (error: ApiError, attempt: number) => (asked.push([attempt, error.grpcCode]), error.grpcCode === 13),
      },
    });
    const unavailable = await emu.create({ faults: [{ status: 503, times: 1 }] });
    const error = await client
      .operation(unavailable)
      .getStatus()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ httpStatus: 503, attempts: 1 });
    const internal = await emu.create({ faults: [{ status: 500, times: 2 }] });
    expect((await client.operation(internal).getStatus()).isSucceeded).toBe(true);
    client.close();
    expect(asked).toEqual([
      [1, 14],
      [1, 13],
      [2, 13],
    ]);
    expect(await emu.requests()).toHaveLength(4);
  });

  test('a hook that throws ends the call with its error', async () => {
    const client = flavour.client({
      endpoint: emu.url,
      auth: null,
      retry: {
        ...QUICK,
        shouldRetry: () => {
          throw new RangeError('no more');
        },
      },
    });
    const id = await emu.create({ faults: [{ status: 503, times: 1 }] });
    await expect(client.operation(id).getStatus()).rejects.toThrow('no more');
    client.close();
  });

  test('a hook that is not a function is refused when the client is made', () => {
    expect(() => flavour.client({ endpoint: emu.url, auth: null, retry: { onRetry: 'log' } })).toThrow(/retry.onRetry must be a function/);
  });
});
