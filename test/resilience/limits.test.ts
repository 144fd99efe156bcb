/**
 * Limits found by the resilience tests: times beyond what a timer can hold, a non-boolean
 * `allowInsecureHttp`, and bad credentials given to the blocking client: each refused at once,
 * before any request, in both flavours.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { AsyncOperationsClient, OperationsClient } from 'yc-operation';
import { type Emulator, startEmulator } from 'yc-operation/testing';
import { FLAVOURS } from '../helpers/flavours';
import { failOnUnhandledRejections, outcomeOf } from './harness';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.close());
beforeEach(() => emu.clearRequests());
failOnUnhandledRejections();

/** Node's timers hold at most 2^31 - 1 ms (24.8 days); a longer delay fires after 1 ms, with a warning. */
const BEYOND_TIMERS_S = 3_000_000; // 34.7 days

describe('timeouts and intervals beyond what a timer can hold (src/core/options.ts)', () => {
  const warnings: Error[] = [];
  const onWarning = (warning: Error) => warnings.push(warning);
  beforeAll(() => {
    process.on('warning', onWarning);
  });
  afterAll(() => {
    process.off('warning', onWarning);
  });

  test.each(FLAVOURS)(
    '$name: getStatus({ timeout: 3e6 }) is refused with a RangeError before any request, never cut to 1 ms',
    async (flavour) => {
      const id = await emu.create({ faults: [{ latency: 0.3 }] });
      await emu.clearRequests();
      const client = flavour.client({ endpoint: emu.url, auth: null });
      const outcome = await outcomeOf(() => client.operation(id).getStatus({ timeout: BEYOND_TIMERS_S }));
      client.close();
      expect(outcome.ok).toBe(false);
      expect((outcome as { error: Error }).error).toBeInstanceOf(RangeError);
      expect((outcome as { error: Error }).error.message).toMatch(/^timeout must be at most 2147483 s/);
      expect(await emu.requests()).toEqual([]);
      expect(warnings.filter((w) => w.name === 'TimeoutOverflowWarning')).toEqual([]);
    },
  );

  test('async: wait({ pollInterval: 3e6 }) is refused with a RangeError before any poll, never a busy loop of polls', async () => {
    const id = await emu.create({ donePolls: 50 });
    await emu.clearRequests();
    const client = new AsyncOperationsClient({ endpoint: emu.url, auth: null });
    const outcome = await outcomeOf(() => client.operation(id).wait({ pollInterval: BEYOND_TIMERS_S, pollTimeout: 1e8 }));
    client.close();
    expect(outcome.ok).toBe(false);
    expect((outcome as { error: Error }).error).toBeInstanceOf(RangeError);
    expect((outcome as { error: Error }).error.message).toMatch(/^pollInterval must be at most 2147483 s/);
    expect(await emu.requests()).toEqual([]);
  });
});

describe('allowInsecureHttp takes a boolean only (src/transport/config.ts)', () => {
  test.each(FLAVOURS)("$name: allowInsecureHttp: 'false' (a string) is refused, not taken as true", (flavour) => {
    // A string from an environment variable or a config file would otherwise turn plain http on.
    expect(() => flavour.client({ endpoint: 'http://10.0.0.1:8080', auth: null, allowInsecureHttp: 'false' })).toThrow(TypeError);
    expect(() => flavour.client({ endpoint: 'http://10.0.0.1:8080', auth: null, allowInsecureHttp: 1 })).toThrow(
      /allowInsecureHttp must be a boolean/,
    );
  });
});

describe('the blocking client checks its credentials when made, as the async one does (src/sync/client.ts)', () => {
  test.each([
    ['an empty API key', { apiKey: '' }],
    ['a key that is a number', { apiKey: 42 }],
    ['two kinds at once', { apiKey: 'a', iamToken: 't1.b' }],
  ])('new OperationsClient({ auth: %s }) throws a TypeError at once', (_what, auth) => {
    expect(() => new AsyncOperationsClient({ endpoint: emu.url, auth: auth as never })).toThrow(TypeError);
    expect(() => new OperationsClient({ endpoint: emu.url, auth: auth as never }).close()).toThrow(TypeError);
  });
});
