/**
 * The retry decisions of the reference client's default policy
 * (https://github.com/yc-operation/yc-operation/blob/main/docs/behaviour.md): which failures are transient, and how long to wait
 * before the next attempt. The transport's retry driver sleeps and calls; this module only decides.
 */
import type { ApiError } from './errors';
import { checkFunction, checkOptions, integerInRange, numberInRange } from './options';

/** The hooks of a retry policy, as the drivers call them (the blocking worker's ask the caller's thread). */
export interface RetryHooks {
  shouldRetry?: (error: ApiError, attempt: number) => boolean | Promise<boolean>;
  onRetry?: (attempt: number, error: ApiError, delay: number) => void | Promise<void>;
}

/** The retry policy, in seconds, as users give it. Every field is optional. */
export interface RetryOptions {
  /** Attempts in all, the first included. @default 5 */
  maxAttempts?: number;
  /** The backoff before the first retry is `initialBackoff * backoffMultiplier`, in seconds. @default 1.0 */
  initialBackoff?: number;
  /** The longest backoff, in seconds. @default 10.0 */
  maxBackoff?: number;
  /** The growth of the backoff per attempt. @default 1.5 */
  backoffMultiplier?: number;
  /** A uniform random 0..jitter seconds added to each backoff. @default 1.0 */
  jitter?: number;
  /**
   * Decides whether a failed attempt is retried, when attempts and time are left: `true` retries
   * it after the policy's backoff, `false` raises its error at once. `attempt` is the failed
   * attempt's number (1-based). An error it throws ends the call with that error. The blocking
   * flavour calls it on the caller's thread. @default the reference's rule: HTTP 429, 502, 503,
   * 504, gRPC RESOURCE_EXHAUSTED and UNAVAILABLE, and resets and refusals are retried
   */
  shouldRetry?: (error: ApiError, attempt: number) => boolean;
  /**
   * Told before each retry: the failed attempt's number (1-based), its error, and the delay before
   * the next attempt, in seconds. The blocking flavour calls it on the caller's thread. @default none
   */
  onRetry?: (attempt: number, error: ApiError, delay: number) => void;
}

/** The policy in milliseconds, checked. */
export interface RetryPolicy {
  maxAttempts: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
  backoffMultiplier: number;
  jitterMs: number;
  /** The user's hooks, when any was given. */
  hooks: RetryHooks | null;
}

const DEFAULTS = { maxAttempts: 5, initialBackoff: 1.0, maxBackoff: 10.0, backoffMultiplier: 1.5, jitter: 1.0 };
const HOOKS = ['shouldRetry', 'onRetry'] as const;

/** The checked policy; `false` means one attempt only. */
export function resolveRetryPolicy(options: RetryOptions | false | undefined): RetryPolicy {
  if (options === false) return { ...resolveRetryPolicy(undefined), maxAttempts: 1 };
  const o = { ...DEFAULTS, ...checkOptions('retry', options, [...Object.keys(DEFAULTS), ...HOOKS]) };
  for (const hook of HOOKS) checkFunction(`retry.${hook}`, o[hook]);
  const hooks = o.shouldRetry || o.onRetry ? { shouldRetry: o.shouldRetry, onRetry: o.onRetry } : null;
  return {
    maxAttempts: integerInRange('retry.maxAttempts', o.maxAttempts, 1, 100),
    initialBackoffMs: numberInRange('retry.initialBackoff', o.initialBackoff, 0, 3600) * 1000,
    maxBackoffMs: numberInRange('retry.maxBackoff', o.maxBackoff, 0, 3600) * 1000,
    backoffMultiplier: numberInRange('retry.backoffMultiplier', o.backoffMultiplier, 1, 100),
    jitterMs: numberInRange('retry.jitter', o.jitter, 0, 3600) * 1000,
    hooks,
  };
}

/** What a failed attempt looked like, as far as retrying cares. */
export interface AttemptFailure {
  /** The HTTP status of the answer, or `null` when none came. */
  httpStatus: number | null;
  /** The network error code when no answer came (`ECONNRESET`, `ECONNREFUSED`, ...). */
  networkCode: string | null;
  /** The status code of a gRPC answer; absent or `null` over REST, where `httpStatus` tells. */
  grpcCode?: number | null;
  /** The server's `Retry-After`, in milliseconds from now, when it sent one. */
  retryAfterMs: number | null;
}

/** HTTP statuses of UNAVAILABLE (503) and RESOURCE_EXHAUSTED (429), plus gateway errors. */
const TRANSIENT_STATUSES = new Set([429, 502, 503, 504]);
/** Failures to reach the server or to hear its answer. */
const TRANSIENT_NETWORK = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ERR_SOCKET_CLOSED',
]);

/** The gRPC codes the reference retries: RESOURCE_EXHAUSTED and UNAVAILABLE. */
const TRANSIENT_GRPC_CODES = new Set([8, 14]);

/** True when the reference policy retries this failure. */
export function isTransient(failure: AttemptFailure): boolean {
  if (failure.grpcCode !== undefined && failure.grpcCode !== null) return TRANSIENT_GRPC_CODES.has(failure.grpcCode);
  if (failure.httpStatus !== null) return TRANSIENT_STATUSES.has(failure.httpStatus);
  return failure.networkCode !== null && TRANSIENT_NETWORK.has(failure.networkCode);
}

/**
 * What to do after attempt number `attempt` (1-based) failed with `failure`, with `remainingMs`
 * left of the call's deadline and `random` drawn from [0, 1); `retriable` is the user's
 * `shouldRetry` answer when there is one, else the reference's rule:
 * - `null`: give up and raise the failure (not retriable, attempts used up, or the server asks
 *   to come back after the deadline);
 * - a delay in milliseconds: `min(initial * multiplier**attempt + random * jitter, max, remaining)`,
 *   at least the server's `Retry-After`.
 */
export function retryDelayMs(
  policy: RetryPolicy,
  attempt: number,
  failure: AttemptFailure,
  remainingMs: number,
  random: number,
  retriable = isTransient(failure),
): number | null {
  if (!retriable || attempt >= policy.maxAttempts || remainingMs <= 0) return null;
  const backoff = Math.min(policy.initialBackoffMs * policy.backoffMultiplier ** attempt + random * policy.jitterMs, policy.maxBackoffMs);
  const delay = Math.max(backoff, failure.retryAfterMs ?? 0);
  if (failure.retryAfterMs !== null && failure.retryAfterMs > remainingMs) return null;
  return Math.min(delay, remainingMs);
}

const RETRY_INFO = 'type.googleapis.com/google.rpc.RetryInfo';

/**
 * The delay a `google.rpc.RetryInfo` detail of an error's body asks for (`retryDelay: "1.5s"`),
 * in milliseconds; `null` when there is none, or it is unreadable.
 */
export function retryInfoDelayMs(details: readonly unknown[]): number | null {
  for (const detail of details) {
    const d = detail as { '@type'?: unknown; retryDelay?: unknown } | null;
    if (d?.['@type'] !== RETRY_INFO) continue;
    const match = typeof d.retryDelay === 'string' ? /^(\d+(?:\.\d+)?)s$/.exec(d.retryDelay) : null;
    if (match) return Number(match[1]) * 1000;
  }
  return null;
}

/** `Retry-After` (seconds or an HTTP-date) in milliseconds from `nowMs`; `null` when absent or unreadable. */
export function parseRetryAfterMs(value: string | null | undefined, nowMs: number): number | null {
  if (!value) return null;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}
