/**
 * The conformance table (issue 19, "Must show"): the fault matrix, the reference scenarios and
 * the input checks as rows of plain data, each with the one outcome every path it applies to must
 * give. A path (`paths/*.ts`) turns a row into an outcome (`outcome.ts`); a test file per path runs
 * every row that applies to it and asserts `toEqual(row.expected)`.
 *
 * The five paths: the promise client over REST and over gRPC, the blocking client over REST and
 * over gRPC, and the durable queue (`WaitQueue` + `WaitWorker` on a real Redis; its worker's client
 * speaks REST, the SDK's default). A row names the paths it does not apply to, each with the reason.
 */
import { expect } from 'vitest';
import { DONE_AFTER_HEADER, FAIL_WITH_HEADER, type Fault, type OperationScript } from 'yc-operation/testing';
import type { Outcome, StatusData } from './outcome';

export type PathName = 'async-rest' | 'async-grpc' | 'blocking-rest' | 'blocking-grpc' | 'queue';
export const PATHS: readonly PathName[] = ['async-rest', 'async-grpc', 'blocking-rest', 'blocking-grpc', 'queue'];

/**
 * What a row calls:
 * - `wait`: `operation(id).wait(options)`; on the queue, `enqueue(id, options)` then `result(id)`;
 * - `getStatus`, `getResult`, `cancel`: that call of the client's operation (its outcome is the
 *   status: `getStatus`'s value, the last known status after `cancel`);
 * - `cancel, then wait`: `cancel()` then `wait(options)`; on the queue, a cancel from a client of
 *   another process (as docs/guide-queue.md says), then `enqueue` and `result`;
 * - `stored job`: a job whose data (valid but for `data`) is written to Redis through BullMQ, as
 *   another producer or an older version would, then `result(id)`.
 */
export type Call =
  | { kind: 'wait' | 'cancel, then wait'; options?: unknown }
  | { kind: 'getStatus' | 'getResult' | 'cancel'; options?: unknown }
  | { kind: 'stored job'; data: Record<string, unknown> };

export interface Row {
  /** The test name: what happens, then what the outcome is. */
  name: string;
  group: 'fault' | 'reference' | 'input';
  /**
   * The operation: a script of the emulator's; an id given as is (one it never made, or a bad
   * one); or a completion started with the emulator's scripting headers (`x-emulator-done-after`,
   * `x-emulator-fail-with`), by a client that sends them (on the queue, a client of the producer's).
   */
  operation: OperationScript | { id: unknown } | { startedWith: Record<string, string> };
  call: Call;
  /** The outcome on every path the row applies to (matchers where a count depends on timing). */
  expected: Outcome;
  /** The paths the row does not apply to, each with the reason. */
  excluded?: Partial<Record<PathName, string>>;
}

/** The wait options every `wait` row starts from: quick polls, a bounded poll and a bounded wait. */
export const WAIT = Object.freeze({ pollInterval: 0.05, timeout: 2, pollTimeout: 5 });

const RESPONSE = Object.freeze({
  '@type': 'type.googleapis.com/yandex.cloud.ai.foundation_models.v1.CompletionResponse',
  alternatives: [{ message: { role: 'assistant', text: 'hi' }, status: 'ALTERNATIVE_STATUS_FINAL' }],
});
const DETAIL = { '@type': 'type.googleapis.com/google.rpc.DebugInfo', detail: 'x' };
/** Ids the emulator never made (it answers NOT_FOUND for them): one per row, so that each row counts its own Gets. */
const UNKNOWN_IDS = ['d7qnosuchoperation01', 'd7qnosuchoperation02'] as const;

/**
 * A google.rpc.Status error body asking to come back in 0.05 s (a RetryInfo detail): the SDK's
 * client retries it by its own policy, the queue delays the job by the RetryInfo (it reads no
 * `Retry-After` header). Over gRPC a `body` is a non-gRPC answer, which grpc-js maps by its HTTP
 * status (429 and 503 to UNAVAILABLE).
 */
const retryLater = (status: 429 | 503, grpcCode: number, times: number): Fault => ({
  status,
  times,
  contentType: 'application/json',
  body: JSON.stringify({
    code: grpcCode,
    message: 'try later',
    details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '0.05s' }],
  }),
});

const running: StatusData = { done: false, statusName: 'running', error: null };

const NO_CALL_ON_QUEUE = 'the queue only waits: it has no getStatus, getResult or cancel of its own';
const NO_STORED_JOB = 'a client has no stored job data: its options are checked where they are given';
const REST_504 =
  'over REST the answer is an HTTP 504, which the retry rule takes for a gateway timeout and retries (docs/behaviour.md, Retries); code 4 itself is not transient on any path (the row "no answer within the poll\'s timeout")';
const JSON_ONLY = 'a protobuf message cannot hold JSON of the wrong shape';
const CLIENTS_ONLY: Partial<Record<PathName, string>> = { queue: NO_CALL_ON_QUEUE };
const QUEUE_ONLY: Partial<Record<PathName, string>> = {
  'async-rest': NO_STORED_JOB,
  'async-grpc': NO_STORED_JOB,
  'blocking-rest': NO_STORED_JOB,
  'blocking-grpc': NO_STORED_JOB,
};
const NOT_GRPC = (reason: string): Partial<Record<PathName, string>> => ({ 'async-grpc': reason, 'blocking-grpc': reason });

const anyGets = expect.any(Number) as number;
const text = (pattern: RegExp) => expect.stringMatching(pattern) as string;

const wait = (options: object = {}): Call => ({ kind: 'wait', options: { ...WAIT, ...options } });

// ---- the reference scenarios (docs/behaviour.md, test/reference-behaviour.test.ts) ----

const REFERENCE: Row[] = [
  {
    name: 'done on the first poll with a response: wait returns the response',
    group: 'reference',
    operation: { response: RESPONSE },
    call: wait(),
    expected: { ok: RESPONSE, gets: 1 },
  },
  {
    name: 'running, then done after 3 polls: wait polls 3 times and returns the response',
    group: 'reference',
    operation: { donePolls: 3, response: RESPONSE },
    call: wait(),
    expected: { ok: RESPONSE, gets: 3 },
  },
  {
    name: 'failed with a code, a message and a detail: wait raises RunError with them',
    group: 'reference',
    operation: { donePolls: 2, error: { code: 3, message: 'bad prompt', details: [DETAIL] } },
    call: wait(),
    expected: { error: 'RunError', code: 3, message: 'bad prompt', details: [JSON.stringify(DETAIL)], gets: 2 },
  },
  {
    name: 'failed without details: wait raises RunError with details []',
    group: 'reference',
    operation: { error: { code: 9, message: 'no rows' } },
    call: wait(),
    expected: { error: 'RunError', code: 9, message: 'no rows', details: [], gets: 1 },
  },
  {
    name: 'failed with an empty message: RunError keeps the empty message',
    group: 'reference',
    operation: { error: { code: 13, message: '' } },
    call: wait(),
    expected: { error: 'RunError', code: 13, message: '', details: [], gets: 1 },
  },
  {
    name: 'an error while done is still false: wait goes on, and raises RunError with the final error',
    group: 'reference',
    operation: { donePolls: 3, runningError: { code: 13, message: 'rolling back' }, error: { code: 13, message: 'rolled back' } },
    call: wait(),
    expected: { error: 'RunError', code: 13, message: 'rolled back', details: [], gets: 3 },
  },
  {
    name: 'never done: pollTimeout ends the wait with OperationTimeoutError and the last (running) status',
    group: 'reference',
    operation: { never: true },
    call: wait({ pollTimeout: 0.3 }),
    expected: { error: 'OperationTimeoutError', pollTimeout: 0.3, lastStatus: running, gets: anyGets },
  },
  {
    name: 'never done, with a running error without details: OperationTimeoutError keeps it, details []',
    group: 'reference',
    operation: { never: true, runningError: { code: 13, message: 'rolling back' } },
    call: wait({ pollTimeout: 0.3 }),
    expected: {
      error: 'OperationTimeoutError',
      pollTimeout: 0.3,
      lastStatus: { done: false, statusName: 'running', error: { code: 13, message: 'rolling back', details: [] } },
      gets: anyGets,
    },
  },
  {
    name: 'done with neither a response nor an error: wait raises WrongAsyncOperationStatusError',
    group: 'reference',
    operation: { neither: true },
    call: wait(),
    expected: {
      error: 'WrongAsyncOperationStatusError',
      message: text(/is done but response have result neither error fields set$/),
      gets: 1,
    },
    excluded: NOT_GRPC('over gRPC an Any is never absent: the reference reads it as a success with the empty Any (docs/guide-grpc.md)'),
  },
  {
    name: 'done with neither a response nor an error, over gRPC: wait returns the empty Any, as the reference',
    group: 'reference',
    operation: { neither: true },
    call: wait(),
    expected: { ok: { '@type': '', value: '' }, gets: 1 },
    excluded: {
      'async-rest': 'over REST an absent response is absent (the row above)',
      'blocking-rest': 'over REST an absent response is absent (the row above)',
      queue: "the queue's worker speaks REST (the row above)",
    },
  },
  {
    name: 'a completion started to finish at once (x-emulator-done-after: 0): wait returns the completion, the same JSON over both protocols',
    group: 'reference',
    operation: { startedWith: { [DONE_AFTER_HEADER]: '0' } },
    call: wait(),
    expected: {
      ok: {
        '@type': 'type.googleapis.com/yandex.cloud.ai.foundation_models.v1.CompletionResponse',
        alternatives: [{ message: { role: 'assistant', text: 'hello' }, status: 'ALTERNATIVE_STATUS_FINAL' }],
        usage: { inputTextTokens: '1', completionTokens: '1', totalTokens: '2' },
        modelVersion: expect.any(String),
      },
      gets: 1,
    },
  },
  {
    name: 'a completion started to fail (x-emulator-fail-with): wait raises RunError with its code and message',
    group: 'reference',
    operation: { startedWith: { [DONE_AFTER_HEADER]: '0', [FAIL_WITH_HEADER]: '{"code":9,"message":"no such model"}' } },
    call: wait(),
    expected: { error: 'RunError', code: 9, message: 'no such model', details: [], gets: 1 },
  },
  {
    name: 'cancelled, then waited on: wait raises RunError CANCELLED (code 1) with details []',
    group: 'reference',
    operation: { never: true },
    call: { kind: 'cancel, then wait', options: WAIT },
    expected: { error: 'RunError', code: 1, message: 'Operation cancelled', details: [], gets: 1 },
  },
  {
    name: 'cancel of a running operation: its last known status is failed, code 1, details []',
    group: 'reference',
    operation: { never: true },
    call: { kind: 'cancel' },
    expected: { ok: { done: true, statusName: 'failed', error: { code: 1, message: 'Operation cancelled', details: [] } }, gets: 0 },
    excluded: CLIENTS_ONLY,
  },
  {
    name: 'getStatus of a running operation: one Get, a running status',
    group: 'reference',
    operation: { donePolls: 2 },
    call: { kind: 'getStatus' },
    expected: { ok: running, gets: 1 },
    excluded: CLIENTS_ONLY,
  },
  {
    name: 'getStatus of an operation failed without details: the error has details []',
    group: 'reference',
    operation: { error: { code: 5, message: 'gone' } },
    call: { kind: 'getStatus' },
    expected: { ok: { done: true, statusName: 'failed', error: { code: 5, message: 'gone', details: [] } }, gets: 1 },
    excluded: CLIENTS_ONLY,
  },
  {
    name: 'getResult of a running operation: WrongAsyncOperationStatusError after one Get',
    group: 'reference',
    operation: { donePolls: 2 },
    call: { kind: 'getResult' },
    expected: { error: 'WrongAsyncOperationStatusError', message: text(/is running and therefore can't return a result$/), gets: 1 },
    excluded: CLIENTS_ONLY,
  },
];

// ---- the fault matrix (test/resilience/fault-matrix.test.ts, docs/failure-behaviour.md) ----

const FAULTS: Row[] = [
  {
    name: 'NOT_FOUND (HTTP 404, gRPC 5) for an id the server does not know: OperationNotFoundError, not retried',
    group: 'fault',
    operation: { id: UNKNOWN_IDS[0] },
    call: wait(),
    expected: { error: 'OperationNotFoundError', grpcCode: 5, message: text(/not found/), gets: 1 },
  },
  {
    name: 'NOT_FOUND for getStatus: OperationNotFoundError',
    group: 'fault',
    operation: { id: UNKNOWN_IDS[1] },
    call: { kind: 'getStatus' },
    expected: { error: 'OperationNotFoundError', grpcCode: 5, message: text(/not found/), gets: 1 },
    excluded: CLIENTS_ONLY,
  },
  {
    name: 'UNAVAILABLE (HTTP 503) twice, then the answer: retried, wait returns the response',
    group: 'fault',
    operation: { response: RESPONSE, faults: [retryLater(503, 14, 2)] },
    call: wait(),
    expected: { ok: RESPONSE, gets: 3 },
  },
  {
    name: 'RESOURCE_EXHAUSTED (HTTP 429) twice, then the answer: retried, wait returns the response',
    group: 'fault',
    operation: { response: RESPONSE, faults: [retryLater(429, 8, 2)] },
    call: wait(),
    expected: { ok: RESPONSE, gets: 3 },
  },
  {
    name: 'UNAVAILABLE on every try: ApiError UNAVAILABLE (14) after 5 tries',
    group: 'fault',
    operation: { never: true, faults: [retryLater(503, 14, Infinity)] },
    call: wait(),
    expected: { error: 'ApiError', grpcCode: 14, message: expect.any(String) as string, gets: 5 },
  },
  {
    name: 'a gateway 504 (an HTML page, no status body) once, then the answer: retried, wait returns the response',
    group: 'fault',
    operation: {
      response: RESPONSE,
      faults: [{ status: 504, body: '<html><body>504 Gateway Time-out</body></html>', contentType: 'text/html' }],
    },
    call: wait(),
    expected: { ok: RESPONSE, gets: 2 },
  },
  {
    name: 'DEADLINE_EXCEEDED from the API (gRPC status 4): ApiError 4, not retried',
    group: 'fault',
    operation: { response: RESPONSE, faults: [{ status: 504, grpcCode: 4, message: 'deadline exceeded upstream' }] },
    call: wait(),
    expected: { error: 'ApiError', grpcCode: 4, message: text(/deadline exceeded upstream/), gets: 1 },
    excluded: {
      'async-rest': REST_504,
      'blocking-rest': REST_504,
      queue: `${REST_504} (the queue's worker speaks REST)`,
    },
  },
  {
    name: "no answer within the poll's timeout (0.2 s): ApiError DEADLINE_EXCEEDED (4), not polled again",
    group: 'fault',
    operation: { response: RESPONSE, faults: [{ latency: 1 }] },
    call: wait({ timeout: 0.2 }),
    expected: { error: 'ApiError', grpcCode: 4, message: expect.any(String) as string, gets: 1 },
  },
  {
    name: 'a poll that never answers, with pollTimeout shorter than timeout: OperationTimeoutError, no status known',
    group: 'fault',
    operation: { never: true, faults: [{ hang: true }] },
    call: wait({ pollTimeout: 0.3 }),
    expected: { error: 'OperationTimeoutError', pollTimeout: 0.3, lastStatus: null, gets: 1 },
  },
  {
    name: 'INVALID_ARGUMENT (HTTP 400): ApiError 3 with its message, not retried',
    group: 'fault',
    operation: { response: RESPONSE, faults: [{ status: 400, grpcCode: 3, message: 'bad request' }] },
    call: wait(),
    expected: { error: 'ApiError', grpcCode: 3, message: text(/bad request/), gets: 1 },
  },
  {
    name: 'INTERNAL (HTTP 500 with a status body): ApiError 13, not retried',
    group: 'fault',
    operation: { response: RESPONSE, faults: [{ status: 500, grpcCode: 13, message: 'internal failure' }] },
    call: wait(),
    expected: { error: 'ApiError', grpcCode: 13, message: text(/internal failure/), gets: 1 },
  },
  {
    name: 'a connection reset before the answer, then the answer: sent again, wait returns the response',
    group: 'fault',
    operation: { response: RESPONSE, faults: [{ reset: 'before-response' }] },
    call: wait(),
    expected: { ok: RESPONSE, gets: 2 },
  },
  {
    name: 'a malformed answer (JSON or protobuf bytes cut in half): ApiError UNKNOWN (2), not retried',
    group: 'fault',
    operation: { response: RESPONSE, faults: [{ malformed: true }] },
    call: wait(),
    expected: { error: 'ApiError', grpcCode: 2, message: expect.any(String) as string, gets: 1 },
  },
  {
    name: "an answer for another operation id: WireDecodeError, not this operation's status",
    group: 'fault',
    operation: {
      response: RESPONSE,
      faults: [{ status: 200, contentType: 'application/json', body: JSON.stringify({ id: 'other', done: true, response: {} }) }],
    },
    call: wait(),
    expected: { error: 'WireDecodeError', message: text(/with the status of another operation/), gets: 1 },
    excluded: NOT_GRPC("the emulator cannot script it over gRPC: a Fault's `body` is a non-gRPC answer there (a missing test hook)"),
  },
  {
    name: 'a JSON answer of the wrong shape (done is a string): WireDecodeError naming the field',
    group: 'fault',
    operation: { response: RESPONSE, faults: [{ status: 200, contentType: 'application/json', body: '{"id":"x","done":"yes"}' }] },
    call: wait(),
    expected: { error: 'WireDecodeError', message: text(/operation\.done must be a boolean, got a string/), gets: 1 },
    excluded: NOT_GRPC(JSON_ONLY),
  },
];

// ---- the input checks (test/resilience/bad-input.test.ts): refused before any request ----

const refused = (name: string, options: object, error: 'RangeError' | 'TypeError', message: RegExp): Row => ({
  name,
  group: 'input',
  operation: { response: RESPONSE },
  call: { kind: 'wait', options: { ...WAIT, ...options } },
  expected: { error, message: text(message), gets: 0 },
});

/** A wait option that is a number but not a positive, finite one: the core's RangeError. */
const notPositive = (option: string, value: number): Row =>
  refused(
    `${option}: ${value} is refused with a RangeError`,
    { [option]: value },
    'RangeError',
    new RegExp(`^${option} must be a positive, finite number of seconds, got ${value}$`),
  );

/** A wait option that is a string: the core's TypeError. */
const notANumber = (option: string, value: string): Row =>
  refused(
    `${option}: '${value}' is refused with a TypeError`,
    { [option]: value },
    'TypeError',
    new RegExp(`^${option} must be a number of seconds, got a string$`),
  );

const storedJob = (name: string, data: Record<string, unknown>, message: RegExp): Row => ({
  name,
  group: 'input',
  operation: { donePolls: 3, response: RESPONSE },
  call: { kind: 'stored job', data },
  // The job fails without a request; its readers learn why from the WaitJobError, which names the field.
  expected: { error: 'WaitJobError', message: text(message), gets: 0 },
  excluded: QUEUE_ONLY,
});

const INPUT: Row[] = [
  notPositive('pollInterval', -1),
  notPositive('pollInterval', Number.POSITIVE_INFINITY),
  notANumber('pollInterval', '1'),
  notPositive('pollTimeout', -1),
  notPositive('pollTimeout', Number.NaN),
  notANumber('pollTimeout', '60'),
  notPositive('timeout', 0),
  notANumber('timeout', '1'),
  refused(
    'an unknown option (poll_timeout) is refused with a TypeError naming it',
    { poll_timeout: 5 },
    'TypeError',
    /has no option "poll_timeout"/,
  ),
  {
    name: 'options that are null are refused with a TypeError',
    group: 'input',
    operation: { response: RESPONSE },
    call: { kind: 'wait', options: null },
    expected: { error: 'TypeError', message: text(/options must be an object, got null$/), gets: 0 },
  },
  {
    name: "pollInterval: 0 falls back to the default (10 s), as the reference's `or`: one poll, then pollTimeout",
    group: 'input',
    operation: { never: true },
    call: wait({ pollInterval: 0, pollTimeout: 0.3 }),
    expected: { error: 'OperationTimeoutError', pollTimeout: 0.3, lastStatus: running, gets: 1 },
  },
  {
    name: "pollTimeout: 0 falls back to the default (3600 s), as the reference's `or`: the wait ends with the response",
    group: 'input',
    operation: { donePolls: 2, response: RESPONSE },
    call: wait({ pollTimeout: 0 }),
    expected: { ok: RESPONSE, gets: 2 },
  },
  {
    name: 'an operation id with a line break is refused with a RangeError',
    group: 'input',
    operation: { id: 'abc\n' },
    call: wait(),
    expected: { error: 'RangeError', message: text(/^operation id must be 1 to 128 characters of A-Z a-z 0-9 _ - \./), gets: 0 },
  },
  {
    name: 'an operation id that is a number is refused with a TypeError',
    group: 'input',
    operation: { id: 42 },
    call: wait(),
    expected: { error: 'TypeError', message: text(/^operation id must be a string, got a number/), gets: 0 },
  },
  {
    name: 'getStatus({ timeout: 0 }) is refused with a RangeError',
    group: 'input',
    operation: { response: RESPONSE },
    call: { kind: 'getStatus', options: { timeout: 0 } },
    expected: { error: 'RangeError', message: text(/^timeout must be a positive, finite number of seconds, got 0$/), gets: 0 },
    excluded: CLIENTS_ONLY,
  },
  storedJob('a stored job with pollInterval: 0 is refused, not polled', { pollInterval: 0 }, /pollInterval must be a positive/),
  storedJob('a stored job with pollInterval: -1 is refused, not polled', { pollInterval: -1 }, /pollInterval must be a positive/),
  storedJob('a stored job with pollTimeout: -1 is refused, not polled', { pollTimeout: -1 }, /pollTimeout must be a positive/),
];

export const TABLE: readonly Row[] = [...REFERENCE, ...FAULTS, ...INPUT];

/** The rows that apply to a path. */
export const rowsFor = (path: PathName): Row[] => TABLE.filter((row) => row.excluded?.[path] === undefined);
