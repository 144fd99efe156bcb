/**
 * What a wait job carries in Redis (plain JSON, read by any worker of the fleet), and the rules
 * that derive from it: the job id of an operation, the time of the next poll, the status shown as
 * job progress.
 */
import { backoff, OperationErrorInfo, OperationStatus, type BackoffOptions, type SavedOperation } from 'yc-operation';
import type { ErrorData } from './error-data';

/** The BullMQ queue name used when none is given. */
export const DEFAULT_QUEUE_NAME = 'yc-operation-waits';
/** The poll interval of a wait when none is given, in seconds (the reference's). */
export const DEFAULT_POLL_INTERVAL_S = 10;
/** The poll timeout of a wait when none is given (nor saved with the operation), in seconds (the reference's). */
export const DEFAULT_POLL_TIMEOUT_S = 3600;
/** The bound of one poll when none is given, in seconds (the reference's `timeout`). */
export const DEFAULT_POLL_CALL_TIMEOUT_S = 60;

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
  pollInterval: PollIntervalData;
  /** The wait's poll timeout, in seconds: the deadline is `startedAt + pollTimeout`. */
  pollTimeout: number;
  /** The bound of one poll, in seconds (cut to the time left). */
  timeout: number;
  /** When the wait was enqueued, in ms since the epoch. */
  startedAt: number;
  /** When the wait gives up, in ms since the epoch. */
  deadlineAt: number;
  /** Transient failures of the API (unavailable, no answer) in a row, up to now. */
  failures: number;
  /** The error the wait failed with, set just before the job fails. */
  error?: ErrorData;
}

/** A running status as it is stored in the job's progress (no response: it is running). */
export interface ProgressData {
  done: false;
  error: { code: number; message: string; details: string[] | null } | null;
  metadata: unknown;
}

/** The BullMQ job id of the wait on an operation: one job per operation id. */
export function jobIdOf(operationId: string): string {
  return `op-${operationId}`;
}

/** The milliseconds to sleep after poll number `polls` (1-based) found the operation running. */
export function pollIntervalMs(interval: PollIntervalData, polls: number): number {
  if (typeof interval === 'number') return interval * 1000;
  return backoff(interval).intervalMs(polls, Math.random());
}

/** Checks a poll interval given to `enqueue` (a `backoff()` option object is checked by `backoff`). */
export function checkPollInterval(interval: unknown): PollIntervalData {
  if (interval === undefined) return DEFAULT_POLL_INTERVAL_S;
  if (typeof interval === 'number') return positiveSeconds('pollInterval', interval);
  if (typeof interval === 'object' && interval !== null && !Array.isArray(interval)) {
    backoff(interval as BackoffOptions);
    return { ...(interval as BackoffOptions) };
  }
  throw new TypeError(`pollInterval must be a number of seconds or backoff() options as plain data, got ${typeof interval}`);
}

/** A positive, finite number of seconds. */
export function positiveSeconds(name: string, value: unknown): number {
  return positiveNumber(name, value, 'number of seconds');
}

/** A positive, finite number (`what` names its unit in the message). */
export function positiveNumber(name: string, value: unknown, what = 'number'): number {
  if (typeof value !== 'number' || Number.isNaN(value)) throw new TypeError(`${name} must be a ${what}, got ${typeof value}`);
  if (!(value > 0) || !Number.isFinite(value)) throw new RangeError(`${name} must be a positive, finite ${what}, got ${value}`);
  return value;
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
