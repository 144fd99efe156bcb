/**
 * The retry driver: runs attempts of one logical call until one succeeds, the policy gives up,
 * or the call's deadline passes. It sleeps; `src/core/retry.ts` decides.
 */
import { isTransient, type RetryPolicy, retryDelayMs } from '../core/retry';
import type { Stopper } from '../runtime/abort';
import { sleep } from '../runtime/sleep';
import type { Failure } from './http-failure';
import { type AttemptRunner, type TraceSource, traced } from './tracing';

/** The outcome of one attempt: a value, or a failure to retry or raise. */
export type AttemptOutcome<T> = { ok: true; value: T } | { ok: false; failure: Failure };

export interface RetryRun<T> extends AttemptRunner<AttemptOutcome<T>> {
  policy: RetryPolicy;
  /** The call's deadline, as a `nowMs()` value. */
  deadlineMs: number;
  /** Aborted when the caller aborts or the deadline passes; stops the sleeps. */
  stop: Stopper;
  nowMs: () => number;
  random: () => number;
  /** Attempt number `attempt` (1-based). */
  attempt: (attempt: number) => Promise<AttemptOutcome<T>>;
  /** Told before each retry (for the debug log). */
  onRetry: (attempt: number, delayMs: number, failure: Failure) => void;
  /** The error of a call whose deadline passed; `last` is the failure that came back too late. */
  deadlineError: (last: Failure) => Error;
  /** What the call says of itself in the tracing events of its attempts (`src/transport/tracing.ts`). */
  trace?: TraceSource;
  /** What the call rejects with when its attempts ended with `error` (what stopped it, if anything did); default: `error`. */
  thrown?(error: unknown): unknown;
  /** The call is over, however it ended (told before its promise settles). */
  end?(): void;
}

/**
 * Runs the attempts; resolves with the first value, rejects with `run.thrown()` of the last
 * failure's error; ends the run before either. One async frame for the whole call: its caller's
 * promise is this one.
 *
 * A failure the policy would retry but for the deadline (it came back once the deadline had
 * passed) is the deadline's doing, not the failure's: it rejects with `deadlineError`, as when
 * the deadline passes during an attempt or a sleep, whichever of the answer and the deadline's
 * timer comes first.
 */
export async function retrying<T>(run: RetryRun<T>): Promise<T> {
  try {
    const { policy } = run;
    const hooks = policy.hooks;
    for (let attempt = 1; ; attempt++) {
      const outcome = await traced(run.trace, attempt, run);
      if (outcome.ok) return outcome.value;
      const { failure } = outcome;
      // The user's shouldRetry decides when attempts and time are left; the reference's rule otherwise.
      const ask = hooks?.shouldRetry !== undefined && attempt < policy.maxAttempts && run.deadlineMs > run.nowMs();
      const retriable = ask ? (await hooks!.shouldRetry!(failure.error, attempt)) === true : isTransient(failure);
      const remainingMs = run.deadlineMs - run.nowMs();
      const delayMs = retryDelayMs(policy, attempt, failure, remainingMs, run.random(), retriable);
      if (delayMs === null) {
        const retriableButLate =
          remainingMs <= 0 && retryDelayMs(policy, attempt, failure, Number.POSITIVE_INFINITY, 0, retriable) !== null;
        throw retriableButLate ? run.deadlineError(failure) : failure.error;
      }
      run.onRetry(attempt, delayMs, failure);
      await hooks?.onRetry?.(attempt, failure.error, delayMs / 1000);
      await sleep(delayMs, run.stop);
    }
  } catch (error) {
    throw run.thrown ? run.thrown(error) : error;
  } finally {
    run.end?.();
  }
}
