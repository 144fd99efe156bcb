/**
 * Issue 10, "Must show" 10: the client-wide request budget `maxRequestsPerSecond`. Counted at the
 * emulator (each request's arrival time): concurrent calls of one client start at most about
 * `budget` requests per second; time spent waiting for the budget is not "no answer" (a call whose
 * slot comes within its timeout succeeds, one whose slot comes after it fails at once with gRPC 8
 * saying nothing was sent, and a wait whose next slot is past its pollTimeout ends at that
 * pollTimeout); `waitAll`'s own `maxRequestsPerSecond` composes with the client's. The rates are
 * real: one file per flavour (test/engine/budget*.test.ts), so that they run side by side.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ApiError, AsyncOperationsClient, OperationsClient, OperationTimeoutError, waitAll } from 'yc-operation';
import { type Emulator, startEmulator } from 'yc-operation/testing';
import type { Flavour } from '../helpers/flavours';
import { failOnUnhandledRejections } from '../resilience/harness';

let emu: Emulator;

/** The emulator of the calling file, started before its tests. */
export function useEmulator(): () => Emulator {
  beforeAll(async () => {
    emu = await startEmulator();
  });
  afterAll(() => emu.close());
  failOnUnhandledRejections();
  return () => emu;
}

const CLIENTS = { async: AsyncOperationsClient, blocking: OperationsClient } as const;

/** The arrival times (ms) of the requests for `ids`, oldest first. */
export async function arrivals(ids: readonly string[]): Promise<number[]> {
  return (await emu.requests())
    .filter((r) => ids.includes(r.operationId ?? ''))
    .map((r) => r.at)
    .sort((a, b) => a - b);
}

/** The most requests that arrived within any 1 s window. */
export function busiestSecond(times: readonly number[]): number {
  let most = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= 1000) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

/** The budget's tests for one flavour. */
export function describeBudget(flavour: Flavour): void {
  describe(`${flavour.name}: the client budget`, () => {
    test('calls one after the other keep to it too', async () => {
      const ids = await Promise.all(Array.from({ length: 6 }, () => emu.create({})));
      const client = flavour.client({ endpoint: emu.url, auth: null, maxRequestsPerSecond: 4 });
      for (const id of ids) await client.operation(id).getStatus();
      client.close();
      const times = await arrivals(ids);
      expect(busiestSecond(times)).toBeLessThanOrEqual(5);
      expect(times.at(-1)! - times[0]!).toBeGreaterThan(1000); // 6 requests at 4/s: slots over 1.25 s
    });

    test('waiting for the budget is not "no answer": a slot within the timeout is taken', async () => {
      const [warm, first, second] = await Promise.all([emu.create({}), emu.create({}), emu.create({})]);
      const client = flavour.client({ endpoint: emu.url, auth: null, maxRequestsPerSecond: 1 });
      await client.operation(warm!).getStatus(); // the blocking flavour's worker starts: not part of the spacing
      const started = performance.now();
      await client.operation(first!).getStatus(); // takes the slot of now
      const status = await client.operation(second!).getStatus({ timeout: 3 }); // its slot is 1 s after the first's
      expect(status.isSucceeded).toBe(true);
      expect(performance.now() - started).toBeGreaterThan(800); // the second waited for its slot, 1 s after the first
      const [a, b] = await arrivals([first!, second!]);
      expect(b! - a!).toBeGreaterThan(800);
      client.close();
    });

    test("a slot after the call's deadline: ApiError grpcCode 8, no request sent, at once", async () => {
      const [first, second] = await Promise.all([emu.create({}), emu.create({})]);
      const client = flavour.client({ endpoint: emu.url, auth: null, maxRequestsPerSecond: 0.2 });
      await client.operation(first!).getStatus();
      const started = performance.now();
      const error = await client
        .operation(second!)
        .getStatus({ timeout: 1 })
        .catch((e: unknown) => e); // its slot is 5 s away
      expect(performance.now() - started).toBeLessThan(900); // it did not wait for a slot it cannot have
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({ grpcCode: 8, httpStatus: null, attempts: 0 });
      expect((error as Error).message).toMatch(
        /no request was sent: the request budget of 0\.2 per second has no free slot within the timeout of 1 s/,
      );
      expect(await arrivals([second!])).toEqual([]);
      client.close();
    });

    test('a slow answer does not turn the slots that passed meanwhile into a burst', async () => {
      // The blocking flavour performs one request at a time: while one answer takes 1.5 s, the other
      // waits' slots pass. Spent late, they went out together (19 requests in one second at 10/s).
      const keeper = new CLIENTS[flavour.name]({ endpoint: emu.url, auth: null });
      await keeper.operation(await emu.create({})).getStatus(); // the worker is up
      const slow = await emu.create({ donePolls: 2, faults: [{ latency: 1.5 }] });
      const ids = [slow, ...(await Promise.all(Array.from({ length: 7 }, () => emu.create({ donePolls: 2 }))))];
      const client = new CLIENTS[flavour.name]({ endpoint: emu.url, auth: null, maxRequestsPerSecond: 10 });
      await (waitAll as (ops: unknown[], o: object) => unknown)(
        ids.map((id) => client.operation(id)),
        { pollInterval: 0.01, pollTimeout: 15 },
      );
      client.close();
      keeper.close();
      const times = await arrivals(ids);
      expect(times).toHaveLength(16);
      expect(busiestSecond(times)).toBeLessThanOrEqual(12);
    }, 20_000);

    test("waitAll's own maxRequestsPerSecond composes with the client's: the lower one holds", async () => {
      // The blocking flavour's worker starts on a first call, which would hold the first request back a
      // second (then the slots that passed go together): start it first, with a client kept open.
      const keeper = new CLIENTS[flavour.name]({ endpoint: emu.url, auth: null });
      await keeper.operation(await emu.create({})).getStatus();
      for (const [clientRate, waitAllRate] of [
        [4, 2],
        [2, 4],
      ] as const) {
        const ids = await Promise.all(Array.from({ length: 3 }, () => emu.create({ donePolls: 2, response: { '@type': 'x' } })));
        const client = new CLIENTS[flavour.name]({ endpoint: emu.url, auth: null, maxRequestsPerSecond: clientRate });
        const ops = ids.map((id) => client.operation(id));
        const results = await (waitAll as (ops: unknown[], o: object) => unknown)(ops, {
          maxRequestsPerSecond: waitAllRate,
          pollInterval: 0.01,
          pollTimeout: 15,
        });
        client.close();
        expect(results).toHaveLength(3);
        const times = await arrivals(ids);
        expect(times).toHaveLength(6);
        // 6 requests at 2 per second take about 2.5 s; at 4 per second they would take 1.25 s.
        expect(times.at(-1)! - times[0]!, `client ${clientRate}/s, waitAll ${waitAllRate}/s`).toBeGreaterThan(2000);
        expect(busiestSecond(times)).toBeLessThanOrEqual(3);
      }
      keeper.close();
    }, 20_000);

    test('a wait whose next slot comes after its pollTimeout ends at that pollTimeout with OperationTimeoutError, its last status kept', async () => {
      const id = await emu.create({ never: true });
      const client = flavour.client({ endpoint: emu.url, auth: null, maxRequestsPerSecond: 0.5 }); // a slot every 2 s
      const started = performance.now();
      const error = await client
        .operation(id)
        .wait({ pollInterval: 0.01, pollTimeout: 1 })
        .catch((e: unknown) => e);
      const seconds = (performance.now() - started) / 1000;
      client.close();
      expect(error).toBeInstanceOf(OperationTimeoutError);
      expect(error).toMatchObject({ pollTimeout: 1, lastStatus: { isRunning: true } });
      expect(seconds).toBeGreaterThan(0.9); // it waited to its pollTimeout...
      expect(seconds).toBeLessThan(1.9); // ...not to the slot 2 s after the first
      expect(await arrivals([id])).toHaveLength(1); // the second poll was never sent
    });
  });
}
