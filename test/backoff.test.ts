/**
 * `backoff()` as a wait's `pollInterval`, through a real client of each flavour: the emulator sees
 * the polls spaced as the policy says (each interval `initial * multiplier^(n-1)`, up to `max`;
 * no jitter here, so that the spacing is exact), counted from each answer.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { backoff } from 'yc-operation';
import { type Emulator, startEmulator } from 'yc-operation/testing';
import { FLAVOURS } from './helpers/flavours';
import { failOnUnhandledRejections, getsOf } from './resilience/harness';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.close());
failOnUnhandledRejections();

describe.each(FLAVOURS)('$name flavour', (flavour) => {
  test('wait({ pollInterval: backoff({ initial: 0.05, multiplier: 2, max: 0.4, jitter: 0 }) }) polls 50, 100, 200, 400, 400 ms apart', async () => {
    const id = await emu.create({ donePolls: 6, response: { '@type': 'x' } });
    const client = flavour.client({ endpoint: emu.url, auth: null });
    await client.operation(id).wait({ pollInterval: backoff({ initial: 0.05, multiplier: 2, max: 0.4, jitter: 0 }) });
    client.close();
    const times = (await getsOf(emu, id)).map((get) => get.at);
    expect(times).toHaveLength(6);
    const gaps = times.slice(1).map((at, n) => at - times[n]!);
    [50, 100, 200, 400, 400].forEach((ms, n) => {
      expect(gaps[n], `gap ${n + 1}`).toBeGreaterThanOrEqual(ms - 5); // sleeps count from the answer: never shorter
      expect(gaps[n], `gap ${n + 1}`).toBeLessThan(ms + 1000); // bounded, not a speed claim
    });
    // Growing, then capped: the policy, not a fixed interval.
    expect(gaps[2]!).toBeGreaterThan(gaps[0]! + 100);
  });
});
