import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { Nap, type Sleeper } from '../src/runtime/sleep';

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

function sleeper(): Sleeper & { log: string[] } {
  const log: string[] = [];
  return { log, wake: () => log.push('wake'), onAbort: (reason) => log.push(`abort ${String(reason)}`) };
}

test('one nap sleeps again and again: woken at each moment, asleep only in between', () => {
  const s = sleeper();
  const nap = new Nap(s);
  nap.sleep(Date.now() + 100);
  expect(nap.asleep).toBe(true);
  vi.advanceTimersByTime(100);
  expect(s.log).toEqual(['wake']);
  expect(nap.asleep).toBe(false);
  nap.sleep(Date.now() + 50);
  vi.advanceTimersByTime(50);
  expect(s.log).toEqual(['wake', 'wake']);
  expect(vi.getTimerCount()).toBe(0);
});

test('naps of one moment share one timer; the last to cancel clears it, and a cancelled nap is not woken', () => {
  const a = sleeper();
  const b = sleeper();
  const napA = new Nap(a);
  const napB = new Nap(b);
  const at = Date.now() + 100;
  napA.sleep(at);
  napB.sleep(at);
  expect(vi.getTimerCount()).toBe(1);
  napA.cancel();
  expect(vi.getTimerCount()).toBe(1);
  vi.advanceTimersByTime(100);
  expect(a.log).toEqual([]);
  expect(b.log).toEqual(['wake']);
  napB.sleep(Date.now() + 10);
  napB.cancel();
  expect(vi.getTimerCount()).toBe(0);
});

test("a signal's abort ends the sleep with its reason, at once if it has aborted already", () => {
  const s = sleeper();
  const nap = new Nap(s);
  const controller = new AbortController();
  nap.sleep(Date.now() + 100, controller.signal);
  controller.abort('stop');
  expect(s.log).toEqual(['abort stop']);
  expect(nap.asleep).toBe(false);
  expect(vi.getTimerCount()).toBe(0);
  nap.sleep(Date.now() + 100, controller.signal);
  expect(s.log).toEqual(['abort stop', 'abort stop']);
  expect(nap.asleep).toBe(false);
  vi.advanceTimersByTime(100);
  expect(s.log).toHaveLength(2);
});
