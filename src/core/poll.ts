/**
 * The options of the calls and waits, as users give them, checked and turned into plans with the
 * reference's fallbacks (`value or default`). Seconds in, milliseconds out, once.
 */
import type { OperationMachine, Run } from './machine';
import {
  checkFunction,
  checkOptions,
  DEFAULT_CALL_TIMEOUT_S,
  DEFAULT_POLL_INTERVAL_S,
  MAX_TIMER_S,
  secondsOrFallback,
  secondsToMs,
  unitWarning,
} from './options';
import { fixedInterval, isPollPolicy, type PollPolicy } from './poll-policy';
import type { BaseOperationStatus } from './status';

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
export function planWait(
  options: WaitOptions,
  defaultPollTimeoutS: number,
  defaultPollIntervalS = DEFAULT_POLL_INTERVAL_S,
  intervalOf: (seconds: number) => PollPolicy = fixedInterval,
): WaitPlan {
  const interval = isPollPolicy(options.pollInterval)
    ? options.pollInterval
    : intervalOf(secondsOrFallback('pollInterval', options.pollInterval, defaultPollIntervalS, MAX_TIMER_S));
  return {
    requestTimeoutMs: planCall(options.timeout),
    pollTimeoutS: secondsOrFallback('pollTimeout', options.pollTimeout, defaultPollTimeoutS),
    interval,
  };
}

/**
 * The bound of one call (`getStatus`, `getResult`, `cancel`) from its `timeout` option, in
 * milliseconds; a `timeout` that looks like milliseconds is noticed to `machine`.
 */
export function planCall(timeout: unknown, machine?: Pick<Machine<BaseOperationStatus, unknown>, 'notice'>): number {
  const ms = secondsToMs('timeout', timeout, DEFAULT_CALL_TIMEOUT_S);
  const message = unitWarning('timeout', timeout);
  if (message !== null) machine?.notice(message);
  return ms;
}

/** Notices to `machine` each checked time option that looks like milliseconds (`unitWarning`). */
function noticeUnits(machine: Pick<Machine<BaseOperationStatus, unknown>, 'notice'> | undefined, options: WaitOptions): void {
  for (const name of ['timeout', 'pollTimeout', 'pollInterval'] as const) {
    const message = unitWarning(name, options[name]);
    if (message !== null) machine?.notice(message);
  }
}

/*
 * Each member of an operation (`getStatus`, `getResult`, `cancel`, `wait`, `watch`) with its
 * options checked, as the machine run it is: one {@link OperationMembers} serves every operation
 * of a flavour, whose class only runs the run, with promises or blocking.
 */

/** A member's run, with what the flavour's runner needs beyond it. */
export interface Planned<S, R> {
  run: Run<S, R>;
  /** The caller's signal (promise flavour). */
  signal: AbortSignal | undefined;
  onProgress?: ((status: S) => void) | undefined;
}

type CallOptions = { timeout?: number; signal?: AbortSignal };
type WatchOptions = WaitOptions & { signal?: AbortSignal };
type Machine<S extends BaseOperationStatus, T> = OperationMachine<S, T>;

export class OperationMembers {
  readonly #call: readonly string[];
  readonly #watch: readonly string[];
  /** The last fixed interval planned: waits of the same interval share it (a sleeping wait holds one object less). */
  #lastInterval: { seconds: number; policy: PollPolicy } | null = null;

  /** @param flavourOptions the flavour's own options of every member (`signal` for promises) */
  constructor(flavourOptions: readonly string[]) {
    this.#call = ['timeout', ...flavourOptions];
    this.#watch = ['timeout', 'pollTimeout', 'pollInterval', ...flavourOptions];
  }

  getStatus<S extends BaseOperationStatus, T>(machine: Machine<S, T>, options: CallOptions | undefined): Planned<S, S> {
    const { timeout, signal } = checkOptions('getStatus', options, this.#call);
    return { run: machine.getStatus(planCall(timeout, machine)), signal };
  }

  getResult<S extends BaseOperationStatus, T>(machine: Machine<S, T>, options: CallOptions | undefined): Planned<S, T> {
    const { timeout, signal } = checkOptions('getResult', options, this.#call);
    return { run: machine.getResult(planCall(timeout, machine)), signal };
  }

  cancel<S extends BaseOperationStatus, T>(machine: Machine<S, T>, options: CallOptions | undefined): Planned<S, void> {
    const { timeout, signal } = checkOptions('cancel', options, this.#call);
    return { run: machine.cancel(planCall(timeout, machine)), signal };
  }

  wait<S extends BaseOperationStatus, T>(
    machine: Machine<S, T>,
    options: (WatchOptions & { onProgress?: (status: S) => void }) | undefined,
  ): Planned<S, T> {
    const { onProgress, signal, ...rest } = checkOptions('wait', options, [...this.#watch, 'onProgress']);
    checkFunction('onProgress', onProgress);
    return { run: machine.wait(plan(machine, rest, this.#intervalOf)), signal, onProgress };
  }

  /** `watch()`'s options, checked when `watch()` is called; each iteration starts a run of its own. */
  watch<S extends BaseOperationStatus, T>(
    machine: Machine<S, T>,
    options: WatchOptions | undefined,
  ): { start: () => Run<S, S>; signal: AbortSignal | undefined } {
    const { signal, ...rest } = checkOptions('watch', options, this.#watch);
    const planned = plan(machine, rest, this.#intervalOf);
    return { start: () => machine.watch(planned), signal };
  }

  /** The fixed interval of `seconds`: the last one planned when it is the same. */
  readonly #intervalOf = (seconds: number): PollPolicy => {
    if (this.#lastInterval?.seconds !== seconds) this.#lastInterval = { seconds, policy: fixedInterval(seconds) };
    return this.#lastInterval.policy;
  };
}

/** A wait of `machine`'s operation, with its kind's defaults. */
export function plan<S extends BaseOperationStatus, T>(
  machine: Machine<S, T>,
  options: WaitOptions,
  intervalOf?: (seconds: number) => PollPolicy,
) {
  const planned = planWait(options, machine.defaultPollTimeoutS, machine.defaultPollIntervalS, intervalOf);
  noticeUnits(machine, options);
  return planned;
}

/** The members of the promise flavour's operations (they take a `signal`): `src/async/base-operation.ts`. */
export const PROMISE_MEMBERS = new OperationMembers(['signal']);
/** The members of the blocking flavour's operations: `src/sync/base-operation.ts`. */
export const BLOCKING_MEMBERS = new OperationMembers([]);
