/**
 * The options of the calls and waits, as users give them, checked and turned into plans with the
 * reference's fallbacks (`value or default`). Seconds in, milliseconds out, once.
 */
import { DEFAULT_CALL_TIMEOUT_S, DEFAULT_POLL_INTERVAL_S, MAX_TIMER_S, secondsOrFallback, secondsToMs } from './options';
import { fixedInterval, isPollPolicy, type PollPolicy } from './poll-policy';

/** The options of `wait()` and `watch()`, in seconds, as users give them. */
export interface WaitOptions {
  /** The bound of each status request (all its retries included), in seconds. @default 60 */
  timeout?: number;
  /**
   * The bound of the whole wait, requests and sleeps included, in seconds. `0` or absent: the
   * operation's `defaultPollTimeout`, else 3600 (as the reference's `or`).
   */
  pollTimeout?: number;
  /**
   * Seconds between polls (`0` or absent: the operation kind's default, 10 for the Operation API,
   * as the reference), or a policy from `backoff()`.
   */
  pollInterval?: number | PollPolicy;
}

/** Checked wait options. */
export interface WaitPlan {
  requestTimeoutMs: number;
  /** Seconds, as the user sees it in errors and logs. */
  pollTimeoutS: number;
  interval: PollPolicy;
}

/**
 * Checks `wait()`'s options and applies the reference's fallbacks: the operation kind's default
 * poll timeout and interval (seconds) stand in for a missing or `0` value.
 */
export function planWait(options: WaitOptions, defaultPollTimeoutS: number, defaultPollIntervalS = DEFAULT_POLL_INTERVAL_S): WaitPlan {
  const interval = isPollPolicy(options.pollInterval)
    ? options.pollInterval
    : fixedInterval(secondsOrFallback('pollInterval', options.pollInterval, defaultPollIntervalS, MAX_TIMER_S));
  return {
    requestTimeoutMs: planCall(options.timeout),
    pollTimeoutS: secondsOrFallback('pollTimeout', options.pollTimeout, defaultPollTimeoutS),
    interval,
  };
}

/** The bound of one call (`getStatus`, `getResult`, `cancel`) from its `timeout` option, in milliseconds. */
export function planCall(timeout: unknown): number {
  return secondsToMs('timeout', timeout, DEFAULT_CALL_TIMEOUT_S);
}
