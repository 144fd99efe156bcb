/**
 * A wait's rules as a pure step function over plain data, so that one wait can be run by the
 * machine's generator (`src/core/machine.ts` `watch`, in one process) or by the durable queue
 * (`src/bullmq/worker.ts`, one step per job run, the state stored in the job between runs).
 *
 * The runner polls when told, then hands the outcome back to {@link stepWait}, which answers what
 * comes next: poll again at a given time, done with a status, or fail with an error. Before each
 * poll, {@link overdue} says whether the deadline has passed. Time (`nowMs`) and randomness
 * (`random`) are inputs; nothing here reads a clock.
 *
 * The rules, each written here once:
 * - the first poll goes at once; after a running status the next goes `interval` after the
 *   status *arrived* (so waits that shared one request wake together), never past the deadline;
 * - at the deadline, the wait fails with `OperationTimeoutError` (its last status, and as cause
 *   the error of a poll that the deadline cut short), and makes no request;
 * - a poll's bound is its `timeout`, cut to the wait's time left;
 * - a failed poll fails the wait, unless the wait retries transient failures itself (the queue,
 *   whose client makes one attempt per job run): then the core retry rule (`src/core/retry.ts`)
 *   decides which failures are transient and how long to wait, within the deadline.
 */
import { ApiError, OperationTimeoutError } from './errors';
import type { WaitPlan } from './poll';
import { type AttemptFailure, type RetryPolicy, retryDelayMs, retryInfoDelayMs } from './retry';

/**
 * A wait's state, as plain data: JSON-able when its status `S` is (the queue keeps the status in
 * the job's progress and the rest in the job's data; the machine keeps it in a generator).
 */
export interface WaitState<S> {
  /** When the wait gives up, in ms since the epoch. */
  deadlineMs: number;
  /** Polls that found the operation running so far: the state of the interval policy. */
  polls: number;
  /** Transient failures in a row, each retried by the wait (always 0 when the wait retries none). */
  failures: number;
  /** The last status the wait knows (the operation's, when it started), or `null`. */
  lastStatus: S | null;
}

/** What a wait is bound and paced by: its plan, and the operation it is for (for messages). */
export interface WaitRules extends WaitPlan {
  operationId: string;
  /**
   * The transient failures the wait retries itself, and the backoff between them
   * (`maxAttempts`: failures in a row before the wait fails with the last one). `null`: the wait
   * retries none (the transport retried within the poll's own bound).
   */
  retry: RetryPolicy | null;
}

/** The outcome of a poll: a status and when it arrived, or the error it failed with. */
export type PollOutcome<S> =
  | { status: S; receivedAtMs: number }
  /** `deadlineMs`: the deadline that cut the poll short (a `src/core/deadline.ts` mark), or `null`. */
  | { error: unknown; deadlineMs: number | null };

/** What the runner does next. */
export type WaitDecision<S> =
  /** Poll again at `atMs` (never past the deadline); ask {@link overdue} first. */
  | { type: 'poll'; atMs: number }
  /** The operation is not running any more. */
  | { type: 'done'; status: S }
  | { type: 'fail'; error: unknown };

/** A new wait started at `nowMs`, knowing `lastStatus` of the operation (if any). */
export function startWait<S>(rules: WaitRules, nowMs: number, lastStatus: S | null): WaitState<S> {
  return { deadlineMs: nowMs + rules.pollTimeoutS * 1000, polls: 0, failures: 0, lastStatus };
}

/** The wait's timeout error: its last status, and what the deadline cut short, if anything. */
export function waitTimeout<S>(rules: WaitRules, state: WaitState<S>, cause?: unknown): OperationTimeoutError {
  return new OperationTimeoutError(
    // A status of any kind; the error's field is typed by what every kind shares.
    {
      operationId: rules.operationId,
      pollTimeout: rules.pollTimeoutS,
      lastStatus: state.lastStatus as OperationTimeoutError['lastStatus'],
    },
    cause === undefined ? undefined : { cause },
  );
}

/** Before a poll at `nowMs`: the wait's timeout when the deadline has passed (no request then), else `null`. */
export function overdue<S>(state: WaitState<S>, rules: WaitRules, nowMs: number): OperationTimeoutError | null {
  return nowMs >= state.deadlineMs ? waitTimeout(rules, state) : null;
}

/** The bound of a poll sent at `nowMs`: its `timeout`, cut to the wait's deadline. */
export function pollDeadlineMs<S>(state: WaitState<S>, rules: WaitRules, nowMs: number): number {
  return Math.min(nowMs + rules.requestTimeoutMs, state.deadlineMs);
}

/**
 * The next decision after a poll's `outcome`, at `nowMs`, with `random` drawn from [0, 1), and
 * the wait's new state. `isRunning` reads the status (the statuses' own predicate).
 */
export function stepWait<S extends { readonly isRunning: boolean }>(
  state: WaitState<S>,
  rules: WaitRules,
  outcome: PollOutcome<S>,
  nowMs: number,
  random: number,
): { state: WaitState<S>; decision: WaitDecision<S> } {
  if ('error' in outcome) return afterFailure(state, rules, outcome, nowMs, random);
  const { status } = outcome;
  if (!status.isRunning) return { state: { ...state, failures: 0, lastStatus: status }, decision: { type: 'done', status } };
  const next: WaitState<S> = { ...state, polls: state.polls + 1, failures: 0, lastStatus: status };
  const intervalMs = rules.interval.intervalMs(next.polls, random);
  if (!(intervalMs >= 0 && intervalMs < Number.POSITIVE_INFINITY)) {
    const error = new RangeError(`the poll policy ${rules.interval} gave an interval of ${intervalMs} ms; it must be a finite number >= 0`);
    return { state: next, decision: { type: 'fail', error } };
  }
  return { state: next, decision: { type: 'poll', atMs: Math.min(outcome.receivedAtMs + intervalMs, state.deadlineMs) } };
}

function afterFailure<S>(
  state: WaitState<S>,
  rules: WaitRules,
  outcome: { error: unknown; deadlineMs: number | null },
  nowMs: number,
  random: number,
): { state: WaitState<S>; decision: WaitDecision<S> } {
  const { error } = outcome;
  if (outcome.deadlineMs === state.deadlineMs) return { state, decision: { type: 'fail', error: waitTimeout(rules, state, error) } };
  if (rules.retry !== null && error instanceof ApiError) {
    const failures = state.failures + 1;
    const delayMs = retryDelayMs(rules.retry, failures, failureOfError(error), state.deadlineMs - nowMs, random);
    if (delayMs !== null) return { state: { ...state, failures }, decision: { type: 'poll', atMs: nowMs + delayMs } };
  }
  return { state, decision: { type: 'fail', error } };
}

/**
 * The retry rule's view of an {@link ApiError} that reached the caller: an HTTP answer by its
 * status, a REST request that got no answer by its network code, a gRPC answer by its code;
 * the server's `google.rpc.RetryInfo` delay as its `Retry-After`.
 */
export function failureOfError(error: ApiError): AttemptFailure {
  const retryAfterMs = retryInfoDelayMs(error.details);
  if (error.httpStatus !== null) return { httpStatus: error.httpStatus, networkCode: null, retryAfterMs };
  const networkCode = (error.cause as { code?: unknown } | undefined)?.code;
  if (error.grpcCode === 14 && typeof networkCode === 'string') return { httpStatus: null, networkCode, retryAfterMs: null };
  return { httpStatus: null, networkCode: null, grpcCode: error.grpcCode, retryAfterMs };
}
