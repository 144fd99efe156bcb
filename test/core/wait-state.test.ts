/**
 * The wait's step function (src/core/wait-state.ts) on a fake clock: the rules the machine's
 * watch and the durable queue's worker both step.
 */
import { describe, expect, test } from 'vitest';
import { ApiError, type ApiErrorFields, OperationTimeoutError } from '../../src/core/errors';
import { planWait } from '../../src/core/poll';
import { backoff, type PollPolicy } from '../../src/core/poll-policy';
import { resolveRetryPolicy } from '../../src/core/retry';
import { OperationStatus } from '../../src/core/status';
import { overdue, pollDeadlineMs, startWait, stepWait, type WaitRules, type WaitState } from '../../src/core/wait-state';
import { apiErrorFields } from '../helpers/api-error';

const T0 = 1_000_000;
const running = (metadata: unknown = null) => new OperationStatus({ done: false, error: null, response: null, metadata });
const success = new OperationStatus({ done: true, error: null, response: { ok: 1 }, metadata: null });

function apiError(fields: Partial<ApiErrorFields>, cause?: unknown): ApiError {
  return new ApiError(apiErrorFields({ endpoint: 'e', ...fields }), cause === undefined ? undefined : { cause });
}

const rules = (options: Parameters<typeof planWait>[0], retry: WaitRules['retry'] = null): WaitRules => ({
  ...planWait(options, 3600),
  operationId: 'op1',
  retry,
});

describe('a wait stepped as data', () => {
  test('starts with its deadline; a poll is bounded by its timeout cut to the deadline', () => {
    const r = rules({ pollTimeout: 100, timeout: 60 });
    const state = startWait(r, T0, null);
    expect(state).toEqual({ deadlineMs: T0 + 100_000, polls: 0, failures: 0, lastStatus: null });
    expect(pollDeadlineMs(state, r, T0)).toBe(T0 + 60_000);
    expect(pollDeadlineMs(state, r, T0 + 70_000)).toBe(T0 + 100_000);
  });

  test('a running status: poll again the interval after it arrived, never past the deadline; counted as a poll', () => {
    const r = rules({ pollInterval: 2, pollTimeout: 5 });
    let state = startWait<OperationStatus>(r, T0, null);
    const first = stepWait(state, r, { status: running(), receivedAtMs: T0 + 300 }, T0 + 400, 0.5);
    expect(first.decision).toEqual({ type: 'poll', atMs: T0 + 2300 });
    expect(first.state).toMatchObject({ polls: 1, failures: 0 });
    state = first.state;
    const late = stepWait(state, r, { status: running(), receivedAtMs: T0 + 4000 }, T0 + 4000, 0.5);
    expect(late.decision).toEqual({ type: 'poll', atMs: T0 + 5000 });
    // At the deadline, no poll: the wait's timeout, with the last status.
    const timeout = overdue(late.state, r, T0 + 5000);
    expect(timeout).toBeInstanceOf(OperationTimeoutError);
    expect(timeout).toMatchObject({ operationId: 'op1', pollTimeout: 5, lastStatus: late.state.lastStatus });
    expect(overdue(late.state, r, T0 + 4999)).toBeNull();
  });

  test('a status that is not running ends the wait with it', () => {
    const r = rules({});
    const { decision, state } = stepWait(startWait<OperationStatus>(r, T0, null), r, { status: success, receivedAtMs: T0 }, T0, 0);
    expect(decision).toEqual({ type: 'done', status: success });
    expect(state.lastStatus).toBe(success);
  });

  test("the policy's state is the poll count: backoff grows from poll to poll, with the random drawn as given", () => {
    const r = rules({ pollInterval: backoff({ initial: 1, multiplier: 2, max: 10, jitter: 0 }) });
    let state = startWait<OperationStatus>(r, T0, null);
    const sleeps: number[] = [];
    for (let i = 0; i < 5; i++) {
      const step = stepWait(state, r, { status: running(), receivedAtMs: T0 }, T0, 0.9);
      sleeps.push((step.decision as { atMs: number }).atMs - T0);
      state = step.state;
    }
    expect(sleeps).toEqual([1000, 2000, 4000, 8000, 10_000]);
  });

  test('a policy that gives no finite interval fails the wait with a RangeError naming it', () => {
    const bad: PollPolicy = { kind: 'poll-policy', intervalMs: () => Number.NaN, toString: () => 'bad()' };
    const r = rules({ pollInterval: bad });
    const { decision } = stepWait(startWait<OperationStatus>(r, T0, null), r, { status: running(), receivedAtMs: T0 }, T0, 0);
    expect(decision).toMatchObject({ type: 'fail', error: expect.any(RangeError) });
    expect(String((decision as { error: Error }).error.message)).toMatch(/the poll policy bad\(\) gave an interval of NaN ms/);
  });

  test("a failed poll that the wait's deadline cut short is the wait's timeout, with the error as cause; any other fails as it is", () => {
    const r = rules({ pollTimeout: 10 });
    const state = { ...startWait<OperationStatus>(r, T0, null), lastStatus: running({ a: 1 }) };
    const cut = apiError({ grpcCode: 4 });
    const timedOut = stepWait(state, r, { error: cut, deadlineMs: state.deadlineMs }, T0 + 10_000, 0).decision as {
      type: 'fail';
      error: OperationTimeoutError;
    };
    expect(timedOut.error).toBeInstanceOf(OperationTimeoutError);
    expect(timedOut.error.cause).toBe(cut);
    expect(timedOut.error.lastStatus).toBe(state.lastStatus);
    // The call's own deadline (not the wait's) or a server's DEADLINE_EXCEEDED: the error itself.
    expect(stepWait(state, r, { error: cut, deadlineMs: T0 + 5 }, T0 + 5, 0).decision).toEqual({ type: 'fail', error: cut });
    expect(stepWait(state, r, { error: cut, deadlineMs: null }, T0, 0).decision).toEqual({ type: 'fail', error: cut });
    // Without a retry of its own (the machine's: the transport retried), a transient error fails too.
    const unavailable = apiError({ grpcCode: 14, httpStatus: 503 });
    expect(stepWait(state, r, { error: unavailable, deadlineMs: null }, T0, 0).decision).toEqual({ type: 'fail', error: unavailable });
  });

  describe("with a retry of its own (the queue's): the core retry rule", () => {
    const r = rules({ pollTimeout: 60 }, resolveRetryPolicy({ maxAttempts: 3 }));
    const state = startWait<OperationStatus>(r, T0, null);
    const afterError = (error: unknown, s: WaitState<OperationStatus> = state, random = 0) =>
      stepWait(s, r, { error, deadlineMs: null }, T0, random);

    test.each([
      ['HTTP 503', apiError({ grpcCode: 14, httpStatus: 503 })],
      ['HTTP 504', apiError({ grpcCode: 4, httpStatus: 504 })],
      ['gRPC 14', apiError({ grpcCode: 14 })],
      ['a refused connection', apiError({ grpcCode: 14 }, Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))],
    ])('%s is transient: polled again after 1 s x 1.5^n plus the jitter drawn', (_, error) => {
      const step = afterError(error, state, 0.5);
      expect(step.decision).toEqual({ type: 'poll', atMs: T0 + 1500 + 500 });
      expect(step.state.failures).toBe(1);
      const second = afterError(error, step.state, 0);
      expect(second.decision).toEqual({ type: 'poll', atMs: T0 + 2250 });
      // The third failure in a row is the last one allowed (maxAttempts 3): the wait fails with it.
      expect(afterError(error, second.state).decision).toEqual({ type: 'fail', error });
    });

    test.each([
      ['gRPC 4 (no answer in time)', apiError({ grpcCode: 4 })],
      ['gRPC 4 whose last attempt was refused', apiError({ grpcCode: 4 }, Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }))],
      ['HTTP 404', apiError({ grpcCode: 5, httpStatus: 404 })],
      ['a name-resolution failure', apiError({ grpcCode: 14 }, Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }))],
      ['not an ApiError', new TypeError('decoder')],
    ])('%s is not transient: the wait fails with it', (_, error) => {
      expect(afterError(error).decision).toEqual({ type: 'fail', error });
    });

    test("the server's RetryInfo is a least delay; a retry never goes past the deadline", () => {
      const slow = apiError({ grpcCode: 14, details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '7.5s' }] });
      expect(afterError(slow).decision).toEqual({ type: 'poll', atMs: T0 + 7500 });
      const nearEnd = { ...state, deadlineMs: T0 + 1000 };
      expect(afterError(apiError({ grpcCode: 14 }), nearEnd).decision).toEqual({ type: 'poll', atMs: T0 + 1000 });
      // A server that asks to come back after the deadline: the wait fails with its error.
      expect(afterError(slow, nearEnd).decision).toEqual({ type: 'fail', error: slow });
    });

    test('a status resets the failures in a row', () => {
      const failed = afterError(apiError({ grpcCode: 14 })).state;
      expect(stepWait(failed, r, { status: running(), receivedAtMs: T0 }, T0, 0).state.failures).toBe(0);
    });
  });

  test('the state is plain data: a JSON round trip steps the same way', () => {
    const r = rules({ pollInterval: backoff({ initial: 1, jitter: 0 }) }, resolveRetryPolicy({ maxAttempts: 5 }));
    const plain = { deadlineMs: T0 + 60_000, polls: 3, failures: 1, lastStatus: { done: false } };
    const copy = JSON.parse(JSON.stringify(plain)) as typeof plain;
    const status = { isRunning: true };
    const a = stepWait({ ...plain, lastStatus: status }, r, { status, receivedAtMs: T0 }, T0, 0.3);
    const b = stepWait({ ...copy, lastStatus: status }, r, { status, receivedAtMs: T0 }, T0, 0.3);
    expect(a).toEqual(b);
    expect(a.state).toMatchObject({ polls: 4, failures: 0 });
  });
});
