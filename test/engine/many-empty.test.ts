/**
 * Issue 10, "Must show" 6: `waitAll([])` is `[]` at once (an array, not a Promise: the blocking
 * flavour's caller gets it without `await`), and `asCompleted([])` is empty to `for` and `for await`.
 */
import { expect, test } from 'vitest';
import { type AsyncOperation, asCompleted, type Operation, waitAll } from 'yc-operation';

test('waitAll([]) returns [] itself, not a Promise', () => {
  const blocking: Operation[] = [];
  const result: unknown[] = waitAll(blocking); // typed as an array, and is one
  expect(waitAll([] as AsyncOperation[])).toEqual([]);
  expect(result).not.toBeInstanceOf(Promise);
  expect(Array.isArray(result)).toBe(true);
  expect(result).toEqual([]);
  expect(waitAll([], { pollTimeout: 1, maxRequestsPerSecond: 2, concurrency: 3 })).toEqual([]);
});

test('waitAll([]) still checks its options', () => {
  expect(() => waitAll([], { concurrency: 0 })).toThrow(RangeError);
  expect(() => waitAll([], { nope: 1 } as never)).toThrow(TypeError);
});

test('asCompleted([]) is empty in for and in for await', async () => {
  const seen: unknown[] = [];
  const blocking: Operation[] = [];
  const promised: AsyncOperation[] = [];
  for (const op of asCompleted(blocking)) seen.push(op);
  for await (const op of asCompleted(promised)) seen.push(op);
  for await (const op of asCompleted(blocking)) seen.push(op);
  expect(seen).toEqual([]);
});
