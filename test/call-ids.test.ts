/**
 * The ids of a call (src/runtime/call-ids.ts): two random version-4 UUIDs from one block of random
 * bytes, as docs/wire.md sends them in `x-client-request-id` and `idempotency-key`.
 */
import { expect, test } from 'vitest';
import { callIds } from '../src/runtime/call-ids';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('each call gets two version-4 UUIDs, all different, across refills of the random pool', () => {
  const seen = new Set<string>();
  // 1 000 calls: the pool of random bytes (128 calls' worth) is drawn again several times.
  for (let i = 0; i < 1000; i++) {
    const { clientRequestId, idempotencyKey } = callIds();
    expect(clientRequestId).toMatch(UUID);
    expect(idempotencyKey).toMatch(UUID);
    seen.add(clientRequestId).add(idempotencyKey);
  }
  expect(seen.size).toBe(2000);
});

test('every hex digit turns up in every random position (the bytes are read, not a fixed pattern)', () => {
  const digits = Array.from({ length: 36 }, () => new Set<string>());
  for (let i = 0; i < 2000; i++) {
    const { clientRequestId } = callIds();
    for (let at = 0; at < 36; at++) digits[at]!.add(clientRequestId[at]!);
  }
  // Dashes at 8, 13, 18, 23; the version digit at 14; the variant digit at 19 (8, 9, a or b).
  for (let at = 0; at < 36; at++) {
    if ([8, 13, 18, 23].includes(at)) expect(digits[at]).toEqual(new Set(['-']));
    else if (at === 14) expect(digits[at]).toEqual(new Set(['4']));
    else if (at === 19) expect(digits[at]).toEqual(new Set(['8', '9', 'a', 'b']));
    else expect(digits[at]!.size).toBe(16);
  }
});
