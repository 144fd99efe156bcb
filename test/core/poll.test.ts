import { describe, expect, test } from 'vitest';
import { markDeadline } from '../../src/core/deadline';
import { ApiError, OperationTimeoutError } from '../../src/core/errors';
import { type Effect, OperationMachine } from '../../src/core/machine';
import { RequestPacer } from '../../src/core/pacer';
import { planWait } from '../../src/core/poll';
import { backoff } from '../../src/core/poll-policy';
import { type BaseOperationStatus, OperationStatus } from '../../src/core/status';
import { apiErrorFields } from '../helpers/api-error';

const running = new OperationStatus({ done: false, error: null, response: null, metadata: null });
const success = new OperationStatus({ done: true, error: null, response: { ok: 1 }, metadata: null });
const silent = { debug() {}, info() {}, warn() {}, error() {} };
const kind = {
  defaultPollTimeoutS: 3600,
  runError: () => {
    throw new Error('unused');
  },
  result: (s: BaseOperationStatus) => s,
};

const apiError = (grpcCode: number) => new ApiError(apiErrorFields({ grpcCode, message: 'timeout' }));

/** A machine of operation `op1` on the clock `nowMs`, its jitter always 0.5. */
function machineOf(nowMs: () => number, budget: RequestPacer | null = null) {
  return new OperationMachine<BaseOperationStatus, unknown>({
    id: 'op1',
    kind,
    logger: silent,
    initialStatus: null,
    describe: () => 'op1',
    env: { endpoint: 'x', budget, nowMs, random: () => 0.5 },
  });
}

/**
 * Runs the machine's `watch` on a fake clock: each request takes `fetchMs` and answers the next
 * scripted status (or throws it, when it is an Error), or runs out at its deadline, with an error
 * marked with that deadline; each sleep advances the clock. Returns the trace.
 */
function run(
  script: Array<BaseOperationStatus | Error>,
  options: Parameters<typeof planWait>[0],
  { fetchMs = 0, defaultPollTimeout = 3600, trace = [] as string[], receivedAgoMs = 0, budget = null as RequestPacer | null } = {},
) {
  let now = 1_000_000;
  const machine = machineOf(() => now, budget);
  const loop = machine.watch(planWait(options, defaultPollTimeout));
  let input: { value?: unknown; error?: unknown } = {};
  for (;;) {
    const next = 'error' in input ? loop.throw(input.error) : loop.next(input.value);
    if (next.done) return { trace, result: next.value, elapsedMs: now - 1_000_000, machine };
    const effect = next.value as Effect<BaseOperationStatus>;
    input = {};
    if (effect.type === 'sleep') {
      trace.push(`sleep ${effect.untilMs - now}`);
      now = Math.max(now, effect.untilMs);
    } else if (effect.type === 'progress') {
      trace.push('progress');
    } else if (effect.type === 'request') {
      const timeoutMs = effect.deadlineMs - now;
      trace.push(`fetch ${timeoutMs}`);
      const answer = script.shift() ?? running;
      const took = Math.min(fetchMs, timeoutMs);
      now += took;
      if (answer instanceof Error) input = { error: answer };
      else if (took < fetchMs) input = { error: markDeadline(apiError(4), effect.deadlineMs) };
      else input = { value: { status: answer, receivedAtMs: now - receivedAgoMs } };
    }
  }
}

describe("the machine's watch decides as the reference wait does", () => {
  test('the first poll is immediate, then sleep the interval between polls', () => {
    const { trace, result } = run([running, running, success], { pollInterval: 2 });
    expect(trace).toEqual(['fetch 60000', 'progress', 'sleep 2000', 'fetch 60000', 'progress', 'sleep 2000', 'fetch 60000', 'progress']);
    expect(result).toBe(success);
  });

  test('it polls once even when the last known status is already final', () => {
    const { trace } = run([success], {});
    expect(trace).toEqual(['fetch 60000', 'progress']);
  });

  test.each([[undefined], [0], [null]])('pollInterval %s falls back to 10 s', (pollInterval) => {
    const { trace } = run([running, success], { pollInterval: pollInterval as number });
    expect(trace).toContain('sleep 10000');
  });

  test.each([[undefined], [0]])('pollTimeout %s falls back to the operation default, then 3600 s', (pollTimeout) => {
    expect(planWait({ pollTimeout }, 120).pollTimeoutS).toBe(120);
    expect(planWait({ pollTimeout }, 3600).pollTimeoutS).toBe(3600);
  });

  test('pollTimeout bounds the whole wait and the error carries the last status', () => {
    let caught: unknown;
    try {
      run([running, running, running, running], { pollTimeout: 5, pollInterval: 2 });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(OperationTimeoutError);
    const error = caught as OperationTimeoutError;
    expect(error.pollTimeout).toBe(5);
    expect(error.lastStatus).toBe(running);
    expect(error.message).toBe('Operation op1 did not finish within its poll timeout of 5 s (last status: OperationStatus<running>)');
  });

  test('the last sleep is cut to the time left, and no poll is made after the deadline', () => {
    const trace: string[] = [];
    expect(() => run([running, running, running, running], { pollTimeout: 5, pollInterval: 2 }, { trace })).toThrow(OperationTimeoutError);
    expect(trace.filter((t) => t !== 'progress')).toEqual([
      'fetch 5000',
      'sleep 2000',
      'fetch 3000',
      'sleep 2000',
      'fetch 1000',
      'sleep 1000',
    ]);
  });

  test('each request timeout is clipped to the time left, and a clipped request that runs out is the wait timing out', () => {
    let caught: unknown;
    try {
      run([running, running], { pollTimeout: 5, pollInterval: 1, timeout: 60 }, { fetchMs: 3000 });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(OperationTimeoutError);
    expect((caught as Error).cause).toBeInstanceOf(ApiError);
  });

  test('a request that runs out of its own (unclipped) timeout is not a wait timeout', () => {
    expect(() => run([running], { pollTimeout: 100, timeout: 1 }, { fetchMs: 5000 })).toThrow(ApiError);
  });

  test("an error shaped like a deadline but not marked with the wait's (an auth provider's own timeout) is not a wait timeout", () => {
    const foreign = apiError(4);
    let caught: unknown;
    try {
      run([running, foreign], { pollTimeout: 5, pollInterval: 1, timeout: 60 });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBe(foreign);
  });

  test("the request budget is spent as sleeps before requests, within the wait's deadline", () => {
    const budget = new RequestPacer(0.5); // one request every 2 s
    const trace: string[] = [];
    expect(() => run([running, running, running, running], { pollTimeout: 5, pollInterval: 0.1 }, { budget, trace })).toThrow(
      OperationTimeoutError,
    );
    expect(trace.filter((t) => t !== 'progress')).toEqual([
      'fetch 5000',
      'sleep 100',
      'sleep 1900',
      'fetch 3000',
      'sleep 100',
      'sleep 1900',
      'fetch 1000',
      'sleep 100',
      'sleep 900',
    ]);
  });

  test('a failed request ends the wait with its error', () => {
    const boom = new Error('boom');
    expect(() => run([running, boom], { pollInterval: 1 })).toThrow(boom);
  });

  test('the sleep counts from when the status was received, not from when the loop saw it', () => {
    const { trace } = run([running, success], { pollInterval: 2 }, { receivedAgoMs: 300 });
    expect(trace).toContain('sleep 1700');
  });

  test('a backoff policy grows the sleeps and caps them', () => {
    const { trace } = run([running, running, running, running, success], {
      pollInterval: backoff({ initial: 1, multiplier: 2, max: 3, jitter: 0 }),
    });
    expect(trace.filter((t) => t.startsWith('sleep'))).toEqual(['sleep 1000', 'sleep 2000', 'sleep 3000', 'sleep 3000']);
  });

  test.each([
    [{ timeout: -1 }, RangeError, /timeout must be a positive, finite number of seconds, got -1/],
    [{ timeout: Number.NaN }, RangeError, /timeout/],
    [{ timeout: Number.POSITIVE_INFINITY }, RangeError, /timeout/],
    [{ timeout: 0 }, RangeError, /timeout/],
    [{ pollTimeout: -5 }, RangeError, /pollTimeout/],
    [{ pollInterval: Number.NaN }, RangeError, /pollInterval/],
    [{ pollInterval: '5' }, TypeError, /pollInterval must be a number of seconds, got a string/],
  ])('planWait(%o) refuses the value by name', (options, type, message) => {
    expect(() => planWait(options as never, 3600)).toThrow(type);
    expect(() => planWait(options as never, 3600)).toThrow(message);
  });
});

test('a poll policy that gives no usable interval ends the wait with a RangeError, not a busy loop', () => {
  const broken = { kind: 'poll-policy' as const, intervalMs: () => Number.NaN, toString: () => 'broken' };
  expect(() => run([running], { pollInterval: broken })).toThrow(/the poll policy broken gave an interval of NaN ms/);
});

test('a poll whose answer says the same as the last status keeps that status object; a changed one replaces it', () => {
  const again = new OperationStatus({ done: false, error: null, response: null, metadata: null });
  const moved = new OperationStatus({ done: false, error: null, response: null, metadata: { progress: 50 } });
  const seen: BaseOperationStatus[] = [];
  const machine = machineOf(() => 0);
  const loop = machine.watch(planWait({ pollInterval: 1 }, 3600));
  const script = [running, again, moved, success];
  let input: unknown;
  for (let next = loop.next(); !next.done; next = loop.next(input)) {
    const effect = next.value as Effect<BaseOperationStatus>;
    input = effect.type === 'request' ? { status: script.shift(), receivedAtMs: 0 } : undefined;
    if (effect.type === 'progress') seen.push(effect.status);
  }
  expect(seen).toEqual([running, running, moved, success]);
  expect(seen[1]).toBe(running);
  expect(seen[2]).toBe(moved);
  expect(machine.lastKnownStatus).toBe(success);
});
