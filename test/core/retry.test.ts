import { describe, expect, test } from 'vitest';
import { isTransient, parseRetryAfterMs, resolveRetryPolicy, retryDelayMs } from '../../src/core/retry';

const policy = resolveRetryPolicy(undefined);
const http = (httpStatus: number, retryAfterMs: number | null = null) => ({ httpStatus, networkCode: null, retryAfterMs });
const net = (networkCode: string) => ({ httpStatus: null, networkCode, retryAfterMs: null });

describe('the reference retry policy', () => {
  test('defaults: 5 attempts, 1 s initial, x1.5, 10 s cap, 1 s jitter', () => {
    expect(policy).toEqual({
      maxAttempts: 5,
      initialBackoffMs: 1000,
      maxBackoffMs: 10000,
      backoffMultiplier: 1.5,
      jitterMs: 1000,
      hooks: null,
    });
  });

  test.each([[503], [429], [502], [504]])('HTTP %i is transient', (status) => expect(isTransient(http(status))).toBe(true));
  test.each([[400], [401], [403], [404], [409], [500], [501], [200]])('HTTP %i is not', (status) =>
    expect(isTransient(http(status))).toBe(false),
  );
  test.each([['ECONNRESET'], ['ECONNREFUSED'], ['EPIPE']])('%s is transient', (code) => expect(isTransient(net(code))).toBe(true));
  test('an unknown network failure is not', () => expect(isTransient(net('EWEIRD'))).toBe(false));
  const grpc = (grpcCode: number) => ({ httpStatus: null, networkCode: null, grpcCode, retryAfterMs: null });
  test.each([[14], [8]])('gRPC code %i (UNAVAILABLE, RESOURCE_EXHAUSTED) is transient', (code) =>
    expect(isTransient(grpc(code))).toBe(true),
  );
  test.each([[4], [13], [2], [16], [5]])('gRPC code %i is not', (code) => expect(isTransient(grpc(code))).toBe(false));

  test('before attempt n+1 it sleeps min(1.0 * 1.5**n + uniform(0, 1.0), 10.0, time left)', () => {
    expect(retryDelayMs(policy, 1, http(503), 60_000, 0)).toBe(1500);
    expect(retryDelayMs(policy, 2, http(503), 60_000, 0.5)).toBe(2250 + 500);
    expect(retryDelayMs(policy, 4, http(503), 60_000, 0.999)).toBeCloseTo(5062.5 + 999, 5);
    expect(retryDelayMs(resolveRetryPolicy({ maxAttempts: 20 }), 10, http(503), 60_000, 0)).toBe(10_000);
    expect(retryDelayMs(policy, 1, http(503), 700, 0)).toBe(700);
  });

  test('it gives up after maxAttempts, on a permanent error, or with no time left', () => {
    expect(retryDelayMs(policy, 5, http(503), 60_000, 0)).toBeNull();
    expect(retryDelayMs(policy, 1, http(404), 60_000, 0)).toBeNull();
    expect(retryDelayMs(policy, 1, http(503), 0, 0)).toBeNull();
    expect(retryDelayMs(resolveRetryPolicy(false), 1, http(503), 60_000, 0)).toBeNull();
  });

  test('Retry-After lengthens the sleep, and one past the deadline gives up at once', () => {
    expect(retryDelayMs(policy, 1, http(429, 4000), 60_000, 0)).toBe(4000);
    expect(retryDelayMs(policy, 1, http(429, 100), 60_000, 0)).toBe(1500);
    expect(retryDelayMs(policy, 1, http(429, 90_000), 60_000, 0)).toBeNull();
  });

  test('Retry-After is read in seconds or as an HTTP-date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfterMs('3', now)).toBe(3000);
    expect(parseRetryAfterMs('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfterMs('soon', now)).toBeNull();
    expect(parseRetryAfterMs(null, now)).toBeNull();
  });

  test.each([
    [{ maxAttempts: 0 }, /retry.maxAttempts/],
    [{ maxAttempts: 1.5 }, /retry.maxAttempts/],
    [{ jitter: -1 }, /retry.jitter/],
    [{ backoffMultiplier: Number.NaN }, /retry.backoffMultiplier/],
    [{ attempts: 3 }, /retry has no option "attempts"/],
  ])('bad retry options are refused by name: %o', (options, message) => {
    expect(() => resolveRetryPolicy(options as never)).toThrow(message);
  });
});
