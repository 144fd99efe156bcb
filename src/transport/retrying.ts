/**
 * The retry driver: runs attempts of one logical call until one succeeds, the policy gives up,
 * or the call's deadline passes. It sleeps; `src/core/retry.ts` decides.
 */
import { isTransient, retryDelayMs, type RetryPolicy } from '../core/retry';
import { sleep } from '../async/sleep';
import type { Failure } from './http-failure';

/** The outcome of one attempt: a value, or a failure to retry or raise. */
export type AttemptOutcome<T> = { ok: true; value: T } | { ok: false; failure: Failure };

export interface RetryRun<T> {
  policy: RetryPolicy;
  /** The call's deadline, as a `nowMs()` value. */
  deadlineMs: number;
  /** Aborted when the caller aborts or the deadline passes; stops the sleeps. */
  signal: AbortSignal;
  nowMs: () => number;
  random: () => number;
  /** Attempt number `attempt` (1-based). */
  attempt: (attempt: number) => Promise<AttemptOutcome<T>>;
  /** Told before each retry (for the debug log). */
  onRetry: (attempt: number, delayMs: number, failure: Failure) => void;
}

/**
 * The longest wait, in milliseconds, for `signal` to report a deadline that `nowMs()` says has
 * passed (its timer is due on the next turn of the event loop; the bound only guards against a
 * caller whose signal never aborts).
 */
const DEADLINE_GRACE_MS = 1000;

/**
 * Runs the attempts; resolves with the first value, rejects with the last failure's error.
 *
 * A transient failure that comes back once the deadline has passed (with attempts left) is the
 * deadline's doing, not the failure's: the driver waits for `signal` to report the deadline, so
 * that the caller sees an aborted signal and raises its deadline error, as it does when the
 * deadline passes during an attempt or a sleep. Which of the two happens first is a race between
 * the answer and the deadline's timer; the outcome must not depend on it.
 */
export async function retrying<T>(run: RetryRun<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const outcome = await run.attempt(attempt);
    if (outcome.ok) return outcome.value;
    const remainingMs = run.deadlineMs - run.nowMs();
    const delayMs = retryDelayMs(run.policy, attempt, outcome.failure, remainingMs, run.random());
    if (delayMs === null) {
      if (remainingMs <= 0 && isTransient(outcome.failure) && attempt < run.policy.maxAttempts) {
        await aborted(run.signal, DEADLINE_GRACE_MS);
      }
      throw outcome.failure.error;
    }
    run.onRetry(attempt, delayMs, outcome.failure);
    await sleep(delayMs, run.signal);
  }
}

/** Resolves when `signal` aborts, or after `boundMs` at the latest. */
function aborted(signal: AbortSignal, boundMs: number): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, boundMs);
    signal.addEventListener('abort', done, { once: true });
  });
}
