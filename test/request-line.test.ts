/**
 * The client's request line: the rule (src/core/request-line.ts) on a fake clock, and its runner
 * (src/runtime/request-line.ts) with real timers.
 */
import { expect, test } from 'vitest';
import { LINE_CAP, LINE_SLOTS, lineEntry, RequestLine, SLOW_AFTER_MS } from '../src/core/request-line';
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

test('slow flights stop counting, but no more than LINE_CAP are in flight: slow answers do not lift the cap', () => {
  const line = new RequestLine<ReturnType<typeof lineEntry> & { n: number }>();
  const flights = [];
  // Each batch of LINE_SLOTS turns slow, and the next batch goes, up to the cap.
  for (let t = 0; line.inFlight < LINE_CAP; t += SLOW_AFTER_MS) {
    expect(line.mayGoNow(t)).toBe(true);
    for (let i = 0; i < LINE_SLOTS; i++) flights.push(line.start(t));
  }
  expect(line.inFlight).toBe(LINE_CAP);
  const late = 100 * SLOW_AFTER_MS;
  expect(line.mayGoNow(late)).toBe(false);
  line.enqueue({ ...lineEntry(late, late + 600_000), n: 1 });
  // Every flight is slow, none frees a place: only a flight's end or the entry's half-time does.
  expect(line.due(late + 1)).toEqual([]);
  expect(line.nextCheckMs()).toBe(late + 300_000);
  line.finish(flights[0]!);
  expect(line.due(late + 2).map((e) => e.n)).toEqual([1]);
  line.start(late + 2);
  expect(line.inFlight).toBe(LINE_CAP);
});

test('the half-time rule is the one way past LINE_CAP', () => {
  const line = new RequestLine<ReturnType<typeof lineEntry>>();
  for (let i = 0; i < LINE_CAP; i++) line.start(0);
  const entry = lineEntry(0, 1000);
  line.enqueue(entry);
  expect(line.due(499)).toEqual([]);
  expect(line.due(500)).toEqual([entry]);
});

test("half of the call's time counts from its start: a request that waited in another line is not held again", () => {
  // A call of 4 s that comes to this line after 2 s elsewhere must go at once.
  expect(lineEntry(2000, 4000, 4000).mustGoMs).toBe(2000);
  // Arriving at its start, it may wait half of its time.
  expect(lineEntry(0, 4000, 4000).mustGoMs).toBe(2000);
  expect(lineEntry(0, 4000).mustGoMs).toBe(2000);
  // One that arrives later than half of its time goes at once, not in the past.
  expect(lineEntry(3000, 4000, 4000).mustGoMs).toBe(3000);
});

test('an entry leaves the line from any place, and the rest keep their order', () => {
  const line = new RequestLine<ReturnType<typeof lineEntry> & { n: number }>();
  for (let i = 0; i < LINE_SLOTS; i++) line.start(0);
  const entries = [1, 2, 3, 4].map((n) => ({ ...lineEntry(0, 600_000), n }));
  for (const e of entries) line.enqueue(e);
  line.remove(entries[0]!);
  line.remove(entries[2]!);
  expect(line.waiting).toBe(2);
  expect(line.nextCheckMs()).toBe(SLOW_AFTER_MS);
  expect(line.due(SLOW_AFTER_MS).map((e) => e.n)).toEqual([2, 4]);
  expect(line.waiting).toBe(0);
});
