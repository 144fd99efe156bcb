/**
 * The wait loop of the reference, as a generator of effects: it decides, the driver acts.
 * The driver performs each effect it yields and feeds the outcome back:
 * - `fetch`: one status request bounded by `timeoutMs`; resume with the status, or throw its error in;
 * - `sleep`: wait `ms`, that is until `untilMs` (a `nowMs()` value); resume with nothing;
 * - `progress`: hand the status to the caller (`onProgress`, a `watch()` consumer); resume with nothing.
 * The generator returns the first status that is not running, or throws an
 * {@link OperationTimeoutError} when `pollTimeout` runs out, or the fetch's own error.
 * The async driver (`src/async/drive.ts`) and the blocking one (`src/sync/drive.ts`) run it unchanged.
 */
import { ApiError, OperationTimeoutError } from './errors';
import { DEFAULT_CALL_TIMEOUT_S, DEFAULT_POLL_INTERVAL_S, MAX_TIMER_S, secondsOrFallback, secondsToMs } from './options';
import { fixedInterval, isPollPolicy, type PollPolicy } from './poll-policy';
import type { BaseOperationStatus } from './status';
import type { Logger } from './transport';

export type WaitEffect<S> =
  | { type: 'fetch'; timeoutMs: number }
  | { type: 'sleep'; ms: number; untilMs: number }
  | { type: 'progress'; status: S };

/** The options of `wait()` and `watch()`, in seconds, as users give them. */
export interface WaitOptions {
  /** The bound of each status request (all its retries included), in seconds. @default 60 */
  timeout?: number;
  /**
   * The bound of the whole wait, requests and sleeps included, in seconds. `0` or absent: the
   * operation's `defaultPollTimeout`, else 3600 (as the reference's `or`).
   */
  pollTimeout?: number;
  /** Seconds between polls (`0` or absent: 10, as the reference), or a policy from `backoff()`. */
  pollInterval?: number | PollPolicy;
}

/** Checked wait options. */
export interface WaitPlan {
  requestTimeoutMs: number;
  /** Seconds, as the user sees it in errors and logs. */
  pollTimeoutS: number;
  interval: PollPolicy;
}

/** Checks `wait()`'s options and applies the reference's fallbacks. */
export function planWait(options: WaitOptions, defaultPollTimeoutS: number): WaitPlan {
  const interval = isPollPolicy(options.pollInterval)
    ? options.pollInterval
    : fixedInterval(secondsOrFallback('pollInterval', options.pollInterval, DEFAULT_POLL_INTERVAL_S, MAX_TIMER_S));
  return {
    requestTimeoutMs: secondsToMs('timeout', options.timeout, DEFAULT_CALL_TIMEOUT_S),
    pollTimeoutS: secondsOrFallback('pollTimeout', options.pollTimeout, defaultPollTimeoutS),
    interval,
  };
}

/** What the loop needs from its surroundings; time and randomness are passed in. */
export interface WaitContext<S extends BaseOperationStatus> {
  operationId: string;
  plan: WaitPlan;
  nowMs: () => number;
  random: () => number;
  /** The operation's last known status (for the timeout error). */
  lastKnownStatus: () => S | null;
  /**
   * When a fetched status was received (a `nowMs()` value). The sleep before the next poll is
   * counted from then, so waits that share one request wake together and share the next one too.
   */
  receivedAtMs: (status: S) => number;
  logger: Logger;
}

/** True for the error of a call that ran out of its own deadline without an answer. */
export function isDeadlineExceeded(error: unknown): boolean {
  return error instanceof ApiError && error.grpcCode === 4 && error.httpStatus === null;
}

/** The reference's wait loop: fetch at once, then sleep and fetch while running, within `pollTimeout`. */
export function* waitLoop<S extends BaseOperationStatus>(ctx: WaitContext<S>): Generator<WaitEffect<S>, S, unknown> {
  const { plan, nowMs, operationId, logger } = ctx;
  const deadlineMs = nowMs() + plan.pollTimeoutS * 1000;
  const timedOut = (cause?: unknown) =>
    new OperationTimeoutError({ operationId, pollTimeout: plan.pollTimeoutS, lastStatus: ctx.lastKnownStatus() }, cause === undefined ? undefined : { cause });
  logger.info(`Polling operation ${operationId}: ${plan.interval}, poll timeout ${plan.pollTimeoutS} s`);
  for (let polls = 1; ; polls++) {
    const remainingMs = deadlineMs - nowMs();
    if (remainingMs <= 0) throw timedOut();
    const clipped = remainingMs <= plan.requestTimeoutMs;
    let status: S;
    try {
      status = (yield { type: 'fetch', timeoutMs: clipped ? remainingMs : plan.requestTimeoutMs }) as S;
    } catch (error) {
      if (clipped && isDeadlineExceeded(error)) throw timedOut(error);
      throw error;
    }
    yield { type: 'progress', status };
    if (!status.isRunning) {
      if (status.isSucceeded) logger.info(`Operation ${operationId} succeeded`);
      else if (status.isFailed) logger.warn(`Operation ${operationId} failed: ${status}`);
      else logger.warn(`Operation ${operationId} is done with neither a result nor an error`);
      return status;
    }
    logger.debug(`Operation ${operationId} is still running (poll ${polls}): ${status}`);
    const intervalMs = plan.interval.intervalMs(polls, ctx.random());
    if (!(intervalMs >= 0 && intervalMs < Number.POSITIVE_INFINITY)) {
      throw new RangeError(`the poll policy ${plan.interval} gave an interval of ${intervalMs} ms; it must be a finite number >= 0`);
    }
    const untilMs = Math.min(ctx.receivedAtMs(status) + intervalMs, deadlineMs);
    yield { type: 'sleep', ms: Math.max(0, untilMs - nowMs()), untilMs };
  }
}
