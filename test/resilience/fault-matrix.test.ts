/**
 * The fault cases beside the matrix (test/resilience/fault-matrix.ts): a server restarted while a
 * poll is in flight, an abort during a retry backoff, and the retry driver at its deadline.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AsyncOperationsClient } from 'yc-operation';
import { type Emulator, type OperationScript, startEmulator } from 'yc-operation/testing';
import { resolveRetryPolicy } from '../../src/core/retry';
import type { Failure } from '../../src/transport/http-failure';
import { retrying } from '../../src/transport/retrying';
import { runNode } from '../helpers/child';
import {
  activeResources,
  DIST_INDEX,
  errorOf,
  expectNothingLeft,
  failOnUnhandledRejections,
  getsOf,
  okValueOf,
  outcomeOf,
  QUICK_RETRY,
  RESPONSE,
  until,
  WAIT,
} from './harness';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ grpc: true });
});
afterAll(() => emu.close());
failOnUnhandledRejections();

/** The GETs the emulator received for one operation, oldest first. */
const getsFor = (id: string) => getsOf(emu, id);

describe('the server restarted while a poll is in flight (same port)', () => {
  const script: OperationScript = { donePolls: 3, response: RESPONSE, faults: [{}, { hang: true }] };
  const hangingGetArrived = (id: string) => async () => (await getsFor(id)).some((g) => g.fault === 'hang');

  test('async flavour: the cut-off poll is sent again and wait returns the result', async () => {
    const before = await activeResources();
    const id = await emu.create(script);
    const client = new AsyncOperationsClient({ endpoint: emu.url, auth: null, retry: QUICK_RETRY });
    const waiting = outcomeOf(() => client.operation(id).wait(WAIT));
    await until(hangingGetArrived(id));
    await emu.restart();
    const outcome = await waiting;
    client.close();
    expect(okValueOf(outcome)).toEqual(RESPONSE);
    expect(outcome.seconds).toBeLessThan(10);
    await expectNothingLeft(before);
  });

  test('blocking flavour (in a child process): the cut-off poll is sent again, wait returns the result, and the process exits at once', async () => {
    const id = await emu.create(script);
    const child = runNode(
      [
        '--input-type=module',
        '-e',
        `
      import { OperationsClient } from ${JSON.stringify(DIST_INDEX)};
      const client = new OperationsClient({ endpoint: process.env.EMU, auth: null, retry: ${JSON.stringify(QUICK_RETRY)} });
      try {
        console.log('RESULT ' + JSON.stringify(client.operation(process.env.OP).wait(${JSON.stringify(WAIT)})));
      } catch (error) {
        console.log('ERROR ' + error.name + ': ' + error.message);
      }
      client.close();
      console.log('LAST');
    `,
      ],
      { EMU: emu.url, OP: id },
    );
    await until(hangingGetArrived(id), 20_000);
    await emu.restart();
    const { stdout, stderr, code, afterLastLineMs } = await child;
    expect(stderr).toBe('');
    expect(stdout).toContain(`RESULT ${JSON.stringify(RESPONSE)}`);
    expect(code).toBe(0);
    expect(afterLastLineMs).toBeLessThan(2000); // nothing left to keep the process alive
  });
});

describe('abort (async flavour)', () => {
  test('an abort during a retry backoff rejects with the reason at once, sends no further request, and leaves no timer', async () => {
    const before = await activeResources();
    const id = await emu.create({ never: true, faults: [{ status: 503, times: Infinity }] });
    // A 30 s backoff: a wait that slept it out before rejecting could not end within the bound.
    const client = new AsyncOperationsClient({ endpoint: emu.url, auth: null, retry: { initialBackoff: 30, maxBackoff: 30, jitter: 0 } });
    const controller = new AbortController();
    const reason = new Error('user stopped');
    const waiting = outcomeOf(() => client.operation(id).wait({ ...WAIT, signal: controller.signal }));
    await until(async () => (await getsFor(id)).length === 1);
    await new Promise((resolve) => setTimeout(resolve, 50)); // the 503 is in: the retry sleeps its 30 s
    const abortedAt = performance.now();
    controller.abort(reason);
    const outcome = await waiting;
    expect(errorOf(outcome)).toBe(reason);
    expect((performance.now() - abortedAt) / 1000).toBeLessThan(5); // not the 30 s backoff
    expect(await getsFor(id)).toHaveLength(1);
    // The backoff's timer went with the abort (a sleep left running would show here, and send later).
    await expectNothingLeft(before);
    client.close();
  });
});

describe('the retry driver (src/transport/retrying.ts)', () => {
  /** A run whose clock says the deadline has passed when the first attempt's failure comes back. */
  const lateFailure = (httpStatus: number, maxAttempts = 5) => {
    const failure = {
      httpStatus,
      networkCode: null,
      retryAfterMs: null,
      error: new Error(`${httpStatus} after the deadline`),
    } as unknown as Failure;
    return {
      policy: resolveRetryPolicy({ ...QUICK_RETRY, maxAttempts }),
      deadlineMs: 1000,
      stop: new AbortController().signal,
      nowMs: () => 1001,
      random: () => 0,
      attempt: async () => ({ ok: false, failure }) as const,
      onRetry: () => expect.unreachable('no retry after the deadline'),
      deadlineError: (last: Failure) => new Error(`deadline passed, last: ${last.error.message}`),
    };
  };

  test('a transient failure that comes back after the deadline ends as the deadline, whatever the timer did', async () => {
    const error = await retrying(lateFailure(503)).catch((e: unknown) => e);
    expect((error as Error).message).toBe('deadline passed, last: 503 after the deadline');
  });

  test('a permanent failure, or the last attempt, after the deadline stays that failure', async () => {
    expect(((await retrying(lateFailure(404)).catch((e: unknown) => e)) as Error).message).toBe('404 after the deadline');
    expect(((await retrying(lateFailure(503, 1)).catch((e: unknown) => e)) as Error).message).toBe('503 after the deadline');
  });
});
