import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { type Ringer, ringAt, sleepUntil } from '../src/runtime/sleep';

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

/** A ringer that logs its rings. */
function ringer(): Ringer & { log: string[] } {
  const log: string[] = [];
  return { log, ring: () => log.push('ring') };
}

/** `promise`'s outcome so far: 'pending', 'resolved', or 'rejected <reason>'. */
function outcomeOf(promise: Promise<void>): { now: string } {
  const outcome = { now: 'pending' };
  promise.then(
    () => (outcome.now = 'resolved'),
    (reason: unknown) => (outcome.now = `rejected ${String(reason)}`),
  );
  return outcome;
}

test('sleeps one after another: each ends at its moment, asleep only until then, and no timer is left', async () => {
  const first = outcomeOf(sleepUntil(Date.now() + 100));
  await vi.advanceTimersByTimeAsync(99);
  expect(first.now).toBe('pending');
  await vi.advanceTimersByTimeAsync(1);
  expect(first.now).toBe('resolved');
  const second = outcomeOf(sleepUntil(Date.now() + 50));
  await vi.advanceTimersByTimeAsync(50);
  expect(second.now).toBe('resolved');
  expect(vi.getTimerCount()).toBe(0);
});

test('sleeps of one moment share one timer; the last to leave clears it, and one that left is not rung', () => {
  const a = ringer();
  const b = ringer();
  const at = Date.now() + 100;
  const wakeup = ringAt(at, a);
  expect(ringAt(at, b)).toBe(wakeup);
  expect(vi.getTimerCount()).toBe(1);
  wakeup.leave(a);
  expect(vi.getTimerCount()).toBe(1);
  vi.advanceTimersByTime(100);
  expect(a.log).toEqual([]);
  expect(b.log).toEqual(['ring']);
  ringAt(Date.now() + 10, b).leave(b);
  expect(vi.getTimerCount()).toBe(0);
});

test("a signal's abort ends the sleep with its reason, at once if it has aborted already", async () => {
  const controller = new AbortController();
  const first = outcomeOf(sleepUntil(Date.now() + 100, controller.signal));
  controller.abort('stop');
  await vi.advanceTimersByTimeAsync(0);
  expect(first.now).toBe('rejected stop');
  expect(vi.getTimerCount()).toBe(0);
  const second = outcomeOf(sleepUntil(Date.now() + 100, controller.signal));
  await vi.advanceTimersByTimeAsync(0);
  expect(second.now).toBe('rejected stop');
  expect(vi.getTimerCount()).toBe(0);
});
