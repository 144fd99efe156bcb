/**
 * The retry driver: runs attempts of one logical call until one succeeds, the policy gives up,
 * or the call's deadline passes. It sleeps; `src/core/retry.ts` decides.
 */
import { retryDelayMs, type RetryPolicy } from '../core/retry';
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

/** Runs the attempts; resolves with the first value, rejects with the last failure's error. */
export async function retrying<T>(run: RetryRun<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const outcome = await run.attempt(attempt);
    if (outcome.ok) return outcome.value;
    const delayMs = retryDelayMs(run.policy, attempt, outcome.failure, run.deadlineMs - run.nowMs(), run.random());
    if (delayMs === null) throw outcome.failure.error;
    run.onRetry(attempt, delayMs, outcome.failure);
    await sleep(delayMs, run.signal);
  }
}
