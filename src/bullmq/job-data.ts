/**
 * What a wait job carries in Redis (plain JSON, read by any worker of the fleet): the wait's
 * options as `enqueue` resolved them, and the wait's state between polls. The defaults, checks and
 * rules are the core's:
 * `enqueue` applies the options' fallbacks as `wait()` does, and the worker checks what it reads
 * as strictly, so that data a worker did not write (another program, another version, a hand
 * edit) is refused, not polled.
 */
import { type BackoffOptions, OperationErrorInfo, OperationStatus, type SavedOperation } from 'yc-operation';
import {
  checkOperationId,
  checkOptions,
  DEFAULT_CALL_TIMEOUT_S,
  DEFAULT_POLL_INTERVAL_S,
  DEFAULT_POLL_TIMEOUT_S,
  integerInRange,
  MAX_TIMER_S,
  positiveSeconds,
  secondsOrFallback,
  secondsToMs,
  typeName,
} from '../core/options';
import { backoff, fixedInterval, type PollPolicy } from '../core/poll-policy';
import type { RetryPolicy } from '../core/retry';
import type { WaitRules, WaitState } from '../core/wait-state';
import type { ErrorData } from './error-data';

/** The BullMQ queue name used when none is given. */
export const DEFAULT_QUEUE_NAME = 'yc-operation-waits';

/**
 * How long to sleep between polls, as plain data (it is stored in the job): a fixed number of
 * seconds, or the options of the SDK's `backoff()`.
 */
export type PollIntervalData = number | BackoffOptions;

/** The data of a wait job, version 1. Times are milliseconds since the epoch, durations seconds. */
export interface WaitJobData {
  v: 1;
  operationId: string;
  /** The saved operation (`toJSON()`), or `null` when the wait was enqueued by id. */
  saved: SavedOperation | null;
  /** Seconds (positive, at most 2 147 483), or `backoff()`'s options. */
  pollInterval: PollIntervalData;
  /** The wait's poll timeout, in seconds: the deadline is `startedAt + pollTimeout`. */
  pollTimeout: number;
  /** The bound of one poll, in seconds (cut to the time left). */
  timeout: number;
  /** When the wait was enqueued, in ms since the epoch. */
  startedAt: number;
  /** When the wait gives up, in ms since the epoch: `startedAt + pollTimeout * 1000`. */
  deadlineAt: number;
  /** Transient failures of the API (unavailable, no answer) in a row, up to now. */
  failures: number;
  /** Polls that found the operation running, up to now: the state of a `backoff` policy (0 for a fixed interval). @default 0 */
  polls?: number;
  /** The error the wait failed with, set just before the job fails. */
  error?: ErrorData;
}

/** A running status as it is stored in the job's progress (no response: it is running). */
export interface ProgressData {
  done: false;
  error: { code: number; message: string; details: string[] | null } | null;
  metadata: unknown;
}

/** Options of `WaitQueue.enqueue`, with `wait()`'s defaults and checks. Times in seconds. */
export interface EnqueueOptions {
  /**
   * The sleep between polls: a number of seconds (at most 2 147 483), or `backoff()`'s options as
   * plain data (`{ initial, multiplier, max, jitter, min }`), since the policy travels in the job.
   * `0` or absent: 10, as `wait()`.
   * @default 10
   */
  pollInterval?: PollIntervalData;
  /**
   * The whole wait's bound, counted from this call, across every worker, restart and delay;
   * then the job fails with `OperationTimeoutError`. `0` or absent: the default, as `wait()`.
   * @default the saved operation's `defaultPollTimeout`, else 3600
   */
  pollTimeout?: number;
  /** The bound of one poll (one Get), cut to the time left. @default 60 */
  timeout?: number;
}

const OPTION_NAMES = ['pollInterval', 'pollTimeout', 'timeout'];
const DATA_NAMES = [
  'v',
  'operationId',
  'saved',
  'pollInterval',
  'pollTimeout',
  'timeout',
  'startedAt',
  'deadlineAt',
  'failures',
  'polls',
  'error',
];

/** The BullMQ job id of the wait on an operation: one job per operation id. */
export function jobIdOf(operationId: string): string {
  return `op-${operationId}`;
}

/**
 * The job of a wait on `target` enqueued at `nowMs`, with `wait()`'s fallbacks: `pollInterval`
 * 0 or absent is 10 s, `pollTimeout` 0 or absent the saved operation's default, else 3600 s.
 * @throws TypeError or RangeError naming the option
 */
export function newJobData(target: string | SavedOperation, options: EnqueueOptions | undefined, nowMs: number): WaitJobData {
  const o = checkOptions('enqueue', options, OPTION_NAMES);
  // Anything but an object is taken as an id, so that a number is the id check's TypeError.
  const saved = typeof target === 'object' && target !== null ? checkSavedShape(target) : null;
  const operationId = checkOperationId(saved === null ? target : saved.id);
  const pollInterval = isBackoffData(o.pollInterval)
    ? checkBackoffData(o.pollInterval)
    : secondsOrFallback('pollInterval', o.pollInterval, DEFAULT_POLL_INTERVAL_S, MAX_TIMER_S);
  const pollTimeout = secondsOrFallback('pollTimeout', o.pollTimeout, saved?.defaultPollTimeout ?? DEFAULT_POLL_TIMEOUT_S);
  const timeout = secondsToMs('timeout', o.timeout, DEFAULT_CALL_TIMEOUT_S) / 1000;
  return {
    v: 1,
    operationId,
    saved,
    pollInterval,
    pollTimeout,
    timeout,
    startedAt: nowMs,
    deadlineAt: nowMs + pollTimeout * 1000,
    failures: 0,
    polls: 0,
  };
}

/**
 * Checks job data read from Redis as strictly as {@link newJobData} writes it: every value as
 * resolved (no fallback: a `pollInterval` of 0 is refused), no unknown field.
 * @throws TypeError or RangeError naming the field
 */
export function checkJobData(data: unknown): WaitJobData {
  if (data === null || typeof data !== 'object' || Array.isArray(data))
    throw new TypeError(`the job data must be an object, got ${typeName(data)}`);
  const d = checkOptions('the job data', data as Partial<WaitJobData>, DATA_NAMES);
  if (d.v !== 1) throw new TypeError(`the job data's version (v) must be 1, got ${typeName(d.v)} ${JSON.stringify(d.v)?.slice(0, 20)}`);
  const operationId = checkOperationId(d.operationId);
  if (d.saved !== null && checkSavedShape(d.saved).id !== operationId) throw new TypeError("saved.id must be the job's operationId");
  if (isBackoffData(d.pollInterval)) checkBackoffData(d.pollInterval);
  else positiveSeconds('pollInterval', d.pollInterval, MAX_TIMER_S);
  const pollTimeout = positiveSeconds('pollTimeout', d.pollTimeout);
  positiveSeconds('timeout', d.timeout, MAX_TIMER_S);
  const startedAt = integerInRange('startedAt', d.startedAt, 0, Number.MAX_SAFE_INTEGER);
  if (d.deadlineAt !== startedAt + pollTimeout * 1000)
    throw new RangeError(`deadlineAt must be startedAt + pollTimeout * 1000, got ${typeName(d.deadlineAt)} ${d.deadlineAt}`);
  integerInRange('failures', d.failures, 0, Number.MAX_SAFE_INTEGER);
  if (d.polls !== undefined) integerInRange('polls', d.polls, 0, Number.MAX_SAFE_INTEGER);
  if (d.error !== undefined && (d.error === null || typeof d.error !== 'object'))
    throw new TypeError(`error must be an error's data, got ${typeName(d.error)}`);
  return d as WaitJobData;
}

/** The rules of the wait a job holds (its data checked), with the worker's retry of transient failures. */
export function rulesOf(data: WaitJobData, retry: RetryPolicy): WaitRules {
  return {
    operationId: data.operationId,
    pollTimeoutS: data.pollTimeout,
    requestTimeoutMs: data.timeout * 1000,
    interval: policyOf(data.pollInterval),
    retry,
  };
}

/** The wait's state, from the job's data and the last status (its progress). */
export function stateOf(data: WaitJobData, lastStatus: OperationStatus<unknown> | null): WaitState<OperationStatus<unknown>> {
  return { deadlineMs: data.deadlineAt, polls: data.polls ?? 0, failures: data.failures, lastStatus };
}

/**
 * The job data holding `state` (the data written back between polls). A fixed interval has no
 * state of its own: its `polls` stay 0, so that a poll that changed nothing else writes nothing.
 */
export function withState(data: WaitJobData, state: WaitState<unknown>): WaitJobData {
  return { ...data, polls: typeof data.pollInterval === 'number' ? 0 : state.polls, failures: state.failures };
}

function policyOf(interval: PollIntervalData): PollPolicy {
  return typeof interval === 'number' ? fixedInterval(interval) : backoff(interval);
}

function isBackoffData(interval: unknown): interval is BackoffOptions {
  return typeof interval === 'object' && interval !== null && !Array.isArray(interval);
}

/** `backoff()`'s options, checked by `backoff` itself, as a copy of plain data. */
function checkBackoffData(options: BackoffOptions): BackoffOptions {
  backoff(options);
  return { ...options };
}

/** A saved operation as far as the job cares (the worker's client checks the rest when it restores it). */
function checkSavedShape(saved: unknown): SavedOperation {
  if (saved === null || typeof saved !== 'object' || Array.isArray(saved))
    throw new TypeError(`saved must be what toJSON() gave, got ${typeName(saved)}`);
  checkOperationId((saved as SavedOperation).id);
  return saved as SavedOperation;
}

/** A running status as job progress. */
export function progressOf(status: OperationStatus<unknown>): ProgressData {
  const e = status.error;
  return {
    done: false,
    error: e && { code: e.code, message: e.message, details: e.details === null ? null : [...e.details] },
    metadata: status.metadata,
  };
}

/** The status stored as job progress (the last running status), or `null` when there is none. */
export function statusOfProgress(progress: unknown): OperationStatus<unknown> | null {
  if (progress === null || typeof progress !== 'object' || (progress as ProgressData).done !== false) return null;
  const p = progress as ProgressData;
  const error = p.error && new OperationErrorInfo(p.error.code, p.error.message, p.error.details);
  return new OperationStatus({ done: false, error, response: null, metadata: p.metadata ?? null });
}
