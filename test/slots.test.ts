/** The line of requests a client keeps (src/async/slots.ts): at most N in flight, in order, and an abort leaves the line. */
import { expect, test } from 'vitest';
import { Slots } from '../src/async/slots';

test('at most N hold a slot; the others take theirs in order as slots are released', async () => {
  const slots = new Slots(2);
  const order: number[] = [];
  await slots.acquire();
  await slots.acquire();
  const waiting = [3, 4, 5].map((n) => slots.acquire().then(() => order.push(n)));
  await Promise.resolve();
  expect(order).toEqual([]);
  slots.release();
  await waiting[0];
  slots.release();
  slots.release();
  await Promise.all(waiting);
  expect(order).toEqual([3, 4, 5]);
});

test('a waiter whose signal aborts leaves the line with the reason, and does not take a slot later', async () => {
  const slots = new Slots(1);
  await slots.acquire();
  const controller = new AbortController();
  const leaving = slots.acquire(controller.signal);
  const staying = slots.acquire();
  controller.abort(new Error('gone'));
  await expect(leaving).rejects.toThrow('gone');
  slots.release();
  await staying; // the next in line got the slot, not the one that left
  await expect(slots.acquire(AbortSignal.abort(new Error('already')))).rejects.toThrow('already');
});
