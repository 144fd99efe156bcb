/**
 * The fault matrix: every fault the emulator can inject, run against `AsyncOperation.wait` and the
 * blocking `Operation.wait`, over REST and over gRPC, with the same script and the same expectation.
 * Each case ends in its documented outcome (docs/failure-behaviour.md) within its bound, with no
 * unhandled rejection and no timer or socket left behind, on the caller's thread or in the SDK's
 * worker. Where gRPC differs (docs/guide-grpc.md), a case says so in its `grpc` field: no HTTP
 * status on a gRPC status, grpc-js's own text for a non-gRPC answer or a dropped connection, and
 * JSON bodies that only REST can carry.
 *
 * One file per flavour and protocol (test/resilience/fault-matrix/*.test.ts), so that they run in parallel.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  ApiError,
  type OperationStatus,
  OperationTimeoutError,
  RunError,
  WireDecodeError,
  WrongAsyncOperationStatusError,
} from 'yc-operation';
import { type Emulator, type OperationScript, startEmulator } from 'yc-operation/testing';
import type { Flavour } from '../helpers/flavours';
import {
  activeResources,
  errorOf,
  expectNothingLeft,
  failOnUnhandledRejections,
  getsOf,
  HTML_PAGE,
  keepSdkWorker,
  type Outcome,
  okValueOf,
  outcomeOf,
  QUICK_RETRY,
  RESPONSE,
  WAIT,
} from './harness';

let emu: Emulator;

/** The GETs the emulator received for one operation, oldest first. */
const getsFor = (id: string) => getsOf(emu, id);

const html = (status: number, reason: string) => ({ status, body: HTML_PAGE(status, reason), contentType: 'text/html' });

/** What a case expects `wait` to end with. */
type Expected = { result: unknown } | { error: new (...args: never[]) => Error; fields?: Record<string, unknown>; message?: RegExp };

interface Case {
  /** The test name: the fault, then what wait does about it. */
  name: string;
  /** The operation's script; a function when it depends on the time the case runs. */
  script: OperationScript | (() => OperationScript);
  client?: Record<string, unknown>;
  wait?: Record<string, unknown>;
  expected: Expected;
  /** How many GETs the emulator receives: exactly, or [min, max]. */
  gets?: number | [number, number];
  /** The bound of the whole wait, in seconds: generous, well above the expected time. */
  boundS: number;
  /** A lower bound, in seconds, where the case is about waiting (Retry-After, a timeout reached). */
  atLeastS?: number;
  /** Extra checks on the outcome and the GETs the emulator received. */
  check?: (outcome: Outcome, gets: Awaited<ReturnType<typeof getsFor>>) => void;
  /** Over gRPC: what differs from the above, or `'rest only'` for a fault only REST can carry. */
  grpc?: Partial<Pick<Case, 'expected' | 'gets'>> | 'rest only';
}

/** The empty `Any`: what a done operation without a result has as its response over gRPC. */
const EMPTY_ANY = { '@type': '', value: '' };

const cases: Case[] = [
  // ---- transient answers: retried within the call, the wait goes on ----
  {
    name: 'HTTP 503 twice, then the answer: wait retries and returns the result',
    script: { donePolls: 1, response: RESPONSE, faults: [{ status: 503, times: 2 }] },
    expected: { result: RESPONSE },
    gets: 3,
    boundS: 10,
    check: (_, gets) => expect(new Set(gets.map((g) => g.headers['idempotency-key'])).size).toBe(1),
  },
  {
    name: 'HTTP 429 without Retry-After twice, then the answer: wait retries with its own backoff and returns the result',
    script: { response: RESPONSE, faults: [{ status: 429, times: 2 }] },
    expected: { result: RESPONSE },
    gets: 3,
    boundS: 10,
  },
  {
    name: 'HTTP 429 with Retry-After in seconds: the retry waits that long, then wait returns the result',
    script: { response: RESPONSE, faults: [{ status: 429, retryAfter: '1' }] },
    expected: { result: RESPONSE },
    gets: 2,
    atLeastS: 0.95,
    boundS: 1 + 10,
    check: (_, gets) => expect(gets[1]!.at - gets[0]!.at).toBeGreaterThanOrEqual(950),
  },
  {
    name: 'HTTP 503 with Retry-After as an HTTP-date: the retry waits until that date, then wait returns the result',
    // HTTP-dates have whole seconds: 2 s from now is 1 to 2 s away when it is written.
    script: () => ({ response: RESPONSE, faults: [{ status: 503, retryAfter: new Date(Date.now() + 2000).toUTCString() }] }),
    expected: { result: RESPONSE },
    gets: 2,
    atLeastS: 0.8,
    boundS: 2 + 10,
    check: (_, gets) => expect(gets[1]!.at - gets[0]!.at).toBeGreaterThanOrEqual(800),
  },
  {
    name: 'HTTP 429 with a Retry-After beyond the request timeout: wait fails at once with that ApiError, without sleeping',
    script: { response: RESPONSE, faults: [{ status: 429, retryAfter: '120' }] },
    wait: { timeout: 10 },
    expected: { error: ApiError, fields: { grpcCode: 8, httpStatus: 429, attempts: 1 } },
    gets: 1,
    boundS: 10 / 2, // well under the 10 s timeout: it did not sleep towards the 120 s
    grpc: { expected: { error: ApiError, fields: { grpcCode: 8, httpStatus: null, attempts: 1 } } },
  },
  {
    name: 'HTTP 502 with an HTML body twice, then the answer: wait retries it as UNAVAILABLE and returns the result',
    script: { response: RESPONSE, faults: [{ ...html(502, 'Bad Gateway'), times: 2 }] },
    expected: { result: RESPONSE },
    gets: 3,
    boundS: 10,
  },
  {
    name: 'HTTP 504 with an HTML body twice, then the answer: wait retries it and returns the result',
    script: { response: RESPONSE, faults: [{ ...html(504, 'Gateway Time-out'), times: 2 }] },
    expected: { result: RESPONSE },
    gets: 3,
    boundS: 10,
  },
  {
    name: 'a connection reset before the answer, twice: wait sends again and returns the result',
    script: { response: RESPONSE, faults: [{ reset: 'before-response', times: 2 }] },
    expected: { result: RESPONSE },
    gets: 3,
    boundS: 10,
  },
  {
    name: 'a connection reset mid-response, twice: wait sends again and returns the result',
    script: { response: RESPONSE, faults: [{ reset: 'mid-response', times: 2 }] },
    expected: { result: RESPONSE },
    gets: 3,
    boundS: 10,
  },
  {
    name: 'HTTP 503 with the default retry policy: the retry sleeps the reference backoff (1.5 s or more), then wait returns the result',
    script: { response: RESPONSE, faults: [{ status: 503 }] },
    client: { retry: undefined },
    expected: { result: RESPONSE },
    gets: 2,
    atLeastS: 1.5,
    boundS: 2.5 + 10, // 1.0 * 1.5 + jitter below 1.0
    check: (_, gets) => expect(gets[1]!.at - gets[0]!.at).toBeGreaterThanOrEqual(1450),
  },

  // ---- retries exhausted ----
  {
    name: 'HTTP 503 on every attempt: wait fails with the last ApiError after maxAttempts',
    script: { never: true, faults: [{ status: 503, times: Infinity, message: 'overloaded' }] },
    client: { retry: { ...QUICK_RETRY, maxAttempts: 3 } },
    expected: { error: ApiError, fields: { grpcCode: 14, httpStatus: 503, attempts: 3, rawMessage: 'overloaded' } },
    gets: 3,
    boundS: 10,
    grpc: { expected: { error: ApiError, fields: { grpcCode: 14, httpStatus: null, attempts: 3, rawMessage: 'overloaded' } } },
  },
  {
    name: 'HTTP 502 with an HTML body on every attempt: wait fails with ApiError UNAVAILABLE quoting the page after maxAttempts',
    script: { never: true, faults: [{ ...html(502, 'Bad Gateway'), times: Infinity }] },
    client: { retry: { ...QUICK_RETRY, maxAttempts: 3 } },
    expected: {
      error: ApiError,
      fields: { grpcCode: 14, httpStatus: 502, attempts: 3 },
      message: /^HTTP 502 \(text\/html\): 502 Bad Gateway 502 Bad Gateway nginx \(/,
    },
    gets: 3,
    boundS: 10,
    grpc: { expected: { error: ApiError, fields: { grpcCode: 14, httpStatus: null, attempts: 3 }, message: /HTTP status code 502/ } },
  },
  {
    name: 'a connection reset on every attempt: wait fails with ApiError UNAVAILABLE (a network error) after maxAttempts',
    script: { never: true, faults: [{ reset: 'before-response', times: Infinity }] },
    client: { retry: { ...QUICK_RETRY, maxAttempts: 3 } },
    expected: { error: ApiError, fields: { grpcCode: 14, httpStatus: null }, message: /^network error: ECONNRESET/ },
    gets: [3, 6], // 3 attempts; a reset on a pooled socket is sent again at once on a fresh one
    boundS: 10,
    grpc: { expected: { error: ApiError, fields: { grpcCode: 14, httpStatus: null, attempts: 3 } }, gets: 3 },
  },

  // ---- errors that are not retried ----
  {
    name: 'HTTP 500 with an HTML body: wait fails at once with ApiError INTERNAL quoting the page without its tags, no details',
    script: { response: RESPONSE, faults: [html(500, 'Internal Server Error')] },
    expected: {
      error: ApiError,
      fields: { grpcCode: 13, httpStatus: 500, attempts: 1, details: [] },
      message: /^HTTP 500 \(text\/html\): 500 Internal Server Error 500 Internal Server Error nginx \(/,
    },
    gets: 1,
    boundS: 5,
    // grpc-js maps an HTTP status outside gRPC's own table to UNKNOWN, and keeps no body
    grpc: {
      expected: { error: ApiError, fields: { grpcCode: 2, httpStatus: null, attempts: 1, details: [] }, message: /HTTP status code 500/ },
    },
  },
  ...(
    [
      [401, 16, 'Token is invalid or has expired.'],
      [403, 7, 'Permission denied'],
      [404, 5, 'Operation not found'],
      [400, 9, 'Operation is in a wrong state'], // the body's code wins over the status's (400 is also 3 and 11)
    ] as const
  ).map(
    ([status, grpcCode, message]): Case => ({
      name: `HTTP ${status} with a google.rpc.Status body (code ${grpcCode}): wait fails at once with ApiError carrying its code, message, details and request id`,
      script: { response: RESPONSE, faults: [{ status, grpcCode, message }] },
      expected: { error: ApiError, fields: { grpcCode, httpStatus: status, attempts: 1, rawMessage: message } },
      gets: 1,
      boundS: 5,
      grpc: { expected: { error: ApiError, fields: { grpcCode, httpStatus: null, attempts: 1, rawMessage: message } } },
      check: (outcome) => {
        const error = errorOf(outcome) as unknown as ApiError;
        expect(error.details).toEqual([{ '@type': 'type.googleapis.com/google.rpc.RequestInfo', requestId: error.requestId }]);
        expect(error.requestId).toBeTruthy();
        expect(error.serverTraceId).toBeTruthy();
        expect(error.message).toContain(message);
        expect(error.message).toContain(error.requestId!);
      },
    }),
  ),
  {
    name: 'malformed JSON (a 200 cut in half): wait fails at once with ApiError UNKNOWN quoting the body, not retried',
    script: { response: RESPONSE, faults: [{ malformed: true }] },
    expected: {
      error: ApiError,
      fields: { grpcCode: 2, httpStatus: 200, attempts: 1 },
      message: /^the response body is not JSON: \{"id":/,
    },
    gets: 1,
    boundS: 5,
    grpc: {
      expected: {
        error: ApiError,
        fields: { grpcCode: 2, httpStatus: null, attempts: 1 },
        message: /^the answer is not an Operation message: /,
      },
    },
  },
  ...(
    [
      ['done is a string', '{"id":"x","done":"yes"}', /operation\.done must be a boolean, got a string/],
      ['an array', '[{"done":true}]', /operation must be a JSON object, got an array/],
      ['null', 'null', /operation must be a JSON object, got null/],
      [
        'an error code that is text',
        '{"done":true,"error":{"code":"5","message":"x"}}',
        /operation\.error\.code must be an integer, got a string/,
      ],
      ['error details that are not a list', '{"done":true,"error":{"code":5,"details":{}}}', /operation\.error\.details must be an array/],
    ] as const
  ).map(
    ([what, body, message]): Case => ({
      name: `a JSON body of the wrong shape (${what}): wait fails at once with WireDecodeError naming the field`,
      script: { response: RESPONSE, faults: [{ status: 200, body, contentType: 'application/json' }] },
      expected: { error: WireDecodeError, message },
      gets: 1,
      boundS: 5,
      grpc: 'rest only', // a protobuf message cannot hold a JSON of the wrong shape
    }),
  ),

  // ---- no answer in time ----
  {
    name: 'an answer slower than timeout: wait fails with ApiError DEADLINE_EXCEEDED after about timeout',
    script: { response: RESPONSE, faults: [{ latency: 5 }] },
    wait: { timeout: 0.5 },
    expected: { error: ApiError, fields: { grpcCode: 4, httpStatus: null }, message: /no answer within the call's timeout of 0\.5 s/ },
    gets: 1,
    atLeastS: 0.45,
    boundS: 0.5 + 5,
  },
  {
    name: 'a server that accepts and never answers: wait fails with ApiError DEADLINE_EXCEEDED after timeout',
    script: { response: RESPONSE, faults: [{ hang: true }] },
    wait: { timeout: 0.5 },
    expected: { error: ApiError, fields: { grpcCode: 4, httpStatus: null } },
    gets: 1,
    atLeastS: 0.45,
    boundS: 0.5 + 5,
  },
  {
    name: 'a server that never answers, with pollTimeout shorter than timeout: wait fails with OperationTimeoutError after pollTimeout',
    script: { response: RESPONSE, faults: [{ hang: true }] },
    wait: { timeout: 30, pollTimeout: 0.5 },
    expected: { error: OperationTimeoutError, fields: { pollTimeout: 0.5, lastStatus: null } },
    gets: 1,
    atLeastS: 0.45,
    boundS: 0.5 + 5, // pollTimeout, not the 30 s request timeout
  },
  {
    name: 'every poll slow and the operation never done: pollTimeout bounds the whole wait, not one poll',
    script: { never: true, faults: [{ latency: 0.2, times: Infinity }] },
    wait: { timeout: 5, pollTimeout: 1 },
    expected: { error: OperationTimeoutError, fields: { pollTimeout: 1 } },
    gets: [2, 6],
    atLeastS: 0.95,
    boundS: 1 + 5, // the 1 s poll timeout, not 5 s per poll
    check: (outcome) => expect((errorOf(outcome) as unknown as OperationTimeoutError).lastStatus).toMatchObject({ isRunning: true }),
  },

  {
    name: 'HTTP 503 on every attempt with retries that outlast pollTimeout: wait fails with OperationTimeoutError at pollTimeout',
    script: { never: true, faults: [{ status: 503, times: Infinity }] },
    client: { retry: { initialBackoff: 0.2, maxBackoff: 0.2, jitter: 0, maxAttempts: 100 } },
    wait: { timeout: 30, pollTimeout: 1 },
    expected: { error: OperationTimeoutError, fields: { pollTimeout: 1, lastStatus: null } },
    gets: [2, 10],
    atLeastS: 0.95,
    boundS: 1 + 5, // pollTimeout clips the request's own 30 s deadline, retries included
  },

  // ---- operations in odd states ----
  {
    name: 'an operation that stays done:false with an error set: wait keeps polling and ends with OperationTimeoutError keeping that error',
    script: { never: true, runningError: { code: 13, message: 'rolling back' } },
    wait: { pollTimeout: 0.5 },
    expected: { error: OperationTimeoutError, fields: { pollTimeout: 0.5 } },
    gets: [2, 100],
    atLeastS: 0.45,
    boundS: 0.5 + 5,
    check: (outcome) => {
      const last = (errorOf(outcome) as unknown as OperationTimeoutError).lastStatus as OperationStatus;
      expect(last).toMatchObject({ done: false, isRunning: true, isFailed: false, error: { code: 13, message: 'rolling back' } });
    },
  },
  {
    name: 'an operation done with neither result nor error: wait stops at once with WrongAsyncOperationStatusError, not polling again',
    script: { donePolls: 2, neither: true },
    expected: { error: WrongAsyncOperationStatusError, message: /is done but response have result neither error fields set$/ },
    gets: 2,
    boundS: 5,
    grpc: { expected: { result: EMPTY_ANY } }, // an Any is never absent over gRPC: the reference's empty result
  },
  {
    name: 'an operation that fails: wait throws RunError with its code after the last poll',
    script: { donePolls: 2, error: { code: 3, message: 'bad prompt' } },
    expected: { error: RunError, fields: { code: 3, errorMessage: 'bad prompt' } },
    gets: 2,
    boundS: 5,
  },
];

/** The whole matrix for one flavour over one protocol, against an emulator of its own. */
export function describeFaultMatrix(flavour: Flavour): void {
  beforeAll(async () => {
    emu = await startEmulator({ grpc: true });
  });
  afterAll(() => emu.close());
  failOnUnhandledRejections();

  describe(flavour.label, () => {
    // Keeps the blocking flavour's worker thread up between cases, so that the leak checks see
    // inside it (each case's client frees its own sockets on close).
    keepSdkWorker(flavour, () => flavour.endpoint(emu));

    /** Runs `wait` on a new operation of `script` with a client of its own, closed after. */
    async function run(c: Pick<Case, 'script' | 'client' | 'wait'>, onProgress?: (s: OperationStatus) => void) {
      const id = await emu.create(typeof c.script === 'function' ? c.script() : c.script);
      const client = flavour.client({ endpoint: flavour.endpoint(emu), auth: null, retry: QUICK_RETRY, ...c.client });
      const op = client.operation(id);
      const outcome = await outcomeOf(() => op.wait({ ...WAIT, ...c.wait, onProgress }));
      client.close();
      return { id, outcome, op };
    }

    const ours =
      flavour.protocol === 'rest'
        ? cases
        : cases.filter((c) => c.grpc !== 'rest only').map((c) => ({ ...c, ...(c.grpc as object | undefined) }));

    test.each(ours)('$name', async (c) => {
      const before = await activeResources();
      const { id, outcome } = await run(c);
      const gets = await getsFor(id);

      if ('result' in c.expected) {
        expect(okValueOf(outcome)).toEqual(c.expected.result);
      } else {
        const error = errorOf(outcome);
        expect(error).toBeInstanceOf(c.expected.error);
        if (c.expected.fields) expect(error).toMatchObject(c.expected.fields);
        if (c.expected.message) expect(error.message).toMatch(c.expected.message);
      }
      if (typeof c.gets === 'number') expect(gets).toHaveLength(c.gets);
      else if (c.gets) {
        expect(gets.length).toBeGreaterThanOrEqual(c.gets[0]);
        expect(gets.length).toBeLessThanOrEqual(c.gets[1]);
      }
      expect(outcome.seconds).toBeLessThan(c.boundS);
      if (c.atLeastS) expect(outcome.seconds).toBeGreaterThanOrEqual(c.atLeastS);
      c.check?.(outcome, gets);
      await expectNothingLeft(before);
    });

    test('a pooled keep-alive socket the server closed while idle: the next request does not fail, even with retries off', async () => {
      const before = await activeResources();
      const id = await emu.create({ never: true });
      const client = flavour.client({ endpoint: flavour.endpoint(emu), auth: null, retry: false });
      const op = client.operation(id);
      await op.getStatus();
      // Each round: the server drops the idle socket, and the next request goes out right after,
      // racing the FIN; a reset on the stale socket is sent again on a fresh one.
      for (let round = 0; round < 10; round++) {
        await emu.dropIdleConnections();
        expect((await op.getStatus()).isRunning).toBe(true);
      }
      client.close();
      expect(await getsFor(id)).toHaveLength(11);
      await expectNothingLeft(before);
    });

    test('a pooled keep-alive socket closed while the wait sleeps: the wait goes on and returns the result', async () => {
      const before = await activeResources();
      const drops: Promise<void>[] = [];
      const { outcome } = await run(
        { script: { donePolls: 4, response: RESPONSE }, client: { retry: false }, wait: { pollInterval: 0.1 } },
        () => {
          drops.push(emu.dropIdleConnections());
        },
      );
      await Promise.all(drops);
      expect(okValueOf(outcome)).toEqual(RESPONSE);
      await expectNothingLeft(before);
    });

    test('the server restarted between polls (same port): wait carries on and returns the result', async () => {
      const before = await activeResources();
      const restarts: Promise<void>[] = [];
      const { id, outcome } = await run({ script: { donePolls: 3, response: RESPONSE }, wait: { pollInterval: 0.2 } }, (s) => {
        // Sent from the caller's thread while the wait is under way (also when that thread then blocks).
        if (restarts.length === 0 && s.isRunning) restarts.push(emu.restart());
      });
      await Promise.all(restarts);
      expect(okValueOf(outcome)).toEqual(RESPONSE);
      expect(await getsFor(id)).toHaveLength(3);
      expect(outcome.seconds).toBeLessThan(0.4 + 10);
      await expectNothingLeft(before);
    });

    test('a metadataDecoder that throws: wait fails with that very error and polls no more', async () => {
      const before = await activeResources();
      const id = await emu.create({ donePolls: 5, metadata: [{ step: 1 }] });
      const client = flavour.client({ endpoint: flavour.endpoint(emu), auth: null, retry: QUICK_RETRY });
      const boom = new Error('cannot decode metadata');
      const op = client.operation(id, {
        metadataDecoder: () => {
          throw boom;
        },
      });
      const outcome = await outcomeOf(() => op.wait(WAIT));
      client.close();
      expect(errorOf(outcome)).toBe(boom);
      expect(await getsFor(id)).toHaveLength(1);
      await expectNothingLeft(before);
    });

    test('a resultDecoder that throws: wait fails with that very error', async () => {
      const before = await activeResources();
      const id = await emu.create({ response: RESPONSE });
      const client = flavour.client({ endpoint: flavour.endpoint(emu), auth: null, retry: QUICK_RETRY });
      const boom = new Error('cannot decode the result');
      const outcome = await outcomeOf(() =>
        client
          .operation(id, {
            resultDecoder: () => {
              throw boom;
            },
          })
          .wait(WAIT),
      );
      client.close();
      expect(errorOf(outcome)).toBe(boom);
      await expectNothingLeft(before);
    });

    test('an onProgress that throws: wait fails with that very error and polls no more', async () => {
      const before = await activeResources();
      const boom = new Error('progress bar broke');
      const { id, outcome } = await run({ script: { donePolls: 5 } }, () => {
        throw boom;
      });
      expect(errorOf(outcome)).toBe(boom);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await getsFor(id)).toHaveLength(1);
      await expectNothingLeft(before);
    });
  });
}
