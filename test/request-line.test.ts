/**
 * The client's request line: the rule (src/core/request-line.ts) on a fake clock, and its runner
 * (src/runtime/request-line.ts) with real timers.
 */
import { expect, test } from 'vitest';
import { LINE_SLOTS, lineEntry, RequestLine, SLOW_AFTER_MS } from '../src/core/request-line';
import { RequestSlots } from '../src/runtime/request-line';

test('at most LINE_SLOTS go at once; the others go in order as flights end', () => {
  const line = new RequestLine<ReturnType<typeof lineEntry> & { n: number }>();
  const flights = Array.from({ length: LINE_SLOTS }, () => line.start(0));
  expect(line.mayGoNow(0)).toBe(false);
  for (const n of [1, 2, 3]) line.enqueue({ ...lineEntry(0, 60_000), n });
  expect(line.due(10)).toEqual([]);
  line.finish(flights[0]!);
  expect(line.due(10).map((e) => e.n)).toEqual([1]);
  line.finish(flights[1]!);
  line.finish(flights[2]!);
  expect(line.due(10).map((e) => e.n)).toEqual([2, 3]);
});

test('a flight in the air for SLOW_AFTER_MS stops holding its slot: hung requests do not hold the line', () => {
  const line = new RequestLine<ReturnType<typeof lineEntry>>();
  for (let i = 0; i < LINE_SLOTS; i++) line.start(0);
  line.enqueue(lineEntry(10, 60_000));
  expect(line.due(SLOW_AFTER_MS - 1)).toHaveLength(0);
  expect(line.nextCheckMs()).toBe(SLOW_AFTER_MS);
  expect(line.due(SLOW_AFTER_MS)).toHaveLength(1);
  expect(line.inFlight).toBe(LINE_SLOTS);
});

test('a request that waited half of its time left goes at once, whatever the count', () => {
  const line = new RequestLine<ReturnType<typeof lineEntry>>();
  for (let i = 0; i < LINE_SLOTS; i++) line.start(0);
  const ahead = lineEntry(0, 600_000);
  const urgent = lineEntry(0, 400);
  line.enqueue(ahead);
  line.enqueue(urgent);
  expect(line.nextCheckMs()).toBe(200);
  expect(line.due(199)).toEqual([]);
  expect(line.due(200)).toEqual([urgent]);
  expect(line.waiting).toBe(1);
});

test('the runner wakes the next in line when a slot is released, and an abort leaves the line', async () => {
  const slots = new RequestSlots();
  const held = await Promise.all(
    Array.from({ length: LINE_SLOTS }, () => slots.acquire(Date.now() + 60_000, new AbortController().signal)),
  );
  const controller = new AbortController();
  let left: { waitedMs: number; inFlight: number } | null = null;
  const leaving = slots.acquire(Date.now() + 60_000, controller.signal, (wait) => (left = wait));
  const order: string[] = [];
  const staying = slots.acquire(Date.now() + 60_000, new AbortController().signal).then((slot) => {
    order.push('staying');
    return slot;
  });
  controller.abort(new Error('gone'));
  await expect(leaving).rejects.toThrow('gone');
  expect(left).toMatchObject({ inFlight: LINE_SLOTS });
  held[0]!.release();
  (await staying).release();
  expect(order).toEqual(['staying']);
  for (const slot of held) slot.release();
  expect(slots.inFlight).toBe(0);
});
