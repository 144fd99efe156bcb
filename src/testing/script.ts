/**
 * The public vocabulary of the test kit: the options of an emulator, the script of an
 * operation's life, the faults to inject, and the request log.
 */

/** A google.rpc.Status, as an operation's `error` and the API's error bodies carry it. */
export interface RpcStatus {
  /** The gRPC status code (1 CANCELLED, 3 INVALID_ARGUMENT, ...). */
  code: number;
  message: string;
  /** Packed detail messages, each an object with its `"@type"` key. */
  details?: unknown[];
}

/**
 * The life of one emulated operation. Every field is optional: `{}` is an operation that
 * succeeds on the first poll with an empty response.
 *
 * The operation finishes by poll count (`donePolls`, the default), by time (`doneAfter`), or
 * never (`never`); give at most one of the three.
 */
export interface OperationScript {
  /** The operation's `description`. @default "Emulated operation" */
  description?: string;
  /**
   * The 1-based number of the first Get that sees `done: true`. Only successful Gets count:
   * a faulted request or a Cancel does not advance the operation.
   * @default 1 (done on the first poll), unless `doneAfter` or `never` is given
   */
  donePolls?: number;
  /** Seconds after creation at which the operation is done, however often it is polled. */
  doneAfter?: number;
  /** The operation never finishes by itself (a Cancel still finishes it). @default false */
  never?: boolean;
  /**
   * The response of a successful operation, with its `"@type"` key.
   * @default {"@type": "type.googleapis.com/google.protobuf.Empty"}
   */
  response?: unknown;
  /**
   * Finish with this error instead of a response. Exclusive with `response` and `neither`.
   * @default `runningError` when that is given without a `response`
   */
  error?: RpcStatus;
  /** Finish with neither a response nor an error (a broken server). @default false */
  neither?: boolean;
  /**
   * An error shown while `done` is still false (a failure found, a rollback in progress). Once
   * done, the operation shows `error`, else `response`, else this same error.
   */
  runningError?: RpcStatus;
  /**
   * The metadata shown along the way: entry `i` at step `i`, the last one repeated. A step is a
   * successful Get for poll-counted scripts (the first Get shows entry 0), and an equal share of
   * `doneAfter` for timed ones (the last entry shows once done). `null` when absent.
   */
  metadata?: unknown[];
  /**
   * Faults injected into the successive requests (Get or Cancel) to this operation, in order;
   * each is used up after `times` requests, then requests are answered normally.
   */
  faults?: Fault[];
}

/**
 * What to do to one request, instead of answering it normally. Give at most one action
 * (`hang`, `reset`, `malformed`, or an error answer made of `status`/`grpcCode`/`body`);
 * `latency` combines with any of them. A fault with no action and no latency lets the request
 * through, which skips it. Only `latency` alone gives a correct answer (that advances the
 * operation); every other fault leaves the operation as it was.
 */
export interface Fault {
  /** How many successive requests the fault applies to. A positive integer or `Infinity`. @default 1 */
  times?: number;
  /** Seconds to wait before acting. Alone, a slow but correct answer. @default 0 */
  latency?: number;
  /**
   * Answer this HTTP status with a google.rpc.Status body whose code is `grpcCode`, else the
   * code the HTTP status maps to (as `grpcCodeOf` gives it: the table of
   * https://github.com/yc-operation/yc-operation/blob/main/docs/wire.md).
   * @default the status `grpcCode` maps to, when only `grpcCode` is given; 200 with `body`
   */
  status?: number;
  /** The error body's gRPC code. @default mapped from `status` */
  grpcCode?: number;
  /** The error body's message. @default the HTTP status's reason phrase */
  message?: string;
  /** A `Retry-After` header value, sent as given (seconds or an HTTP-date). */
  retryAfter?: string;
  /** A raw body sent instead of a google.rpc.Status (an HTML 502 page from a proxy, say). */
  body?: string;
  /** The content type of `body`. @default "text/plain; charset=utf-8" */
  contentType?: string;
  /**
   * Destroy the connection with a TCP reset: before any byte of the answer, or after the
   * headers and part of the body.
   */
  reset?: 'before-response' | 'mid-response';
  /** Accept the request and never answer (the socket is freed by `restart()` or `close()`). */
  hang?: boolean;
  /** Answer 200 with the operation's JSON cut in half. */
  malformed?: boolean;
}

/** Options of `startEmulator`. */
export interface EmulatorOptions {
  /** The port to listen on, on 127.0.0.1; 0 picks a free one. @default 0 */
  port?: number;
  /**
   * Also serve gRPC (plaintext HTTP/2, `emulator.grpcUrl`): `OperationService/Get` and `/Cancel` on
   * the same operations, with the same faults and credentials check, `ApiEndpointService/List`,
   * and the AI Studio task services `DatasetService` (`Validate`, `Describe`), `TuningService`
   * (`Tune`, `Describe`, `Cancel`) and `BatchInferenceService` (`Describe`, `Cancel`).
   * @default false
   */
  grpc?: boolean;
  /** The gRPC port, on 127.0.0.1; 0 picks a free one. @default 0 */
  grpcPort?: number;
  /**
   * An API key to require. When `apiKey` or `iamToken` is given, every request must carry
   * `Authorization: Api-Key <apiKey>` or `Authorization: Bearer <iamToken>`, or gets a 401
   * (gRPC code 16).
   */
  apiKey?: string;
  /** An IAM token to require; see `apiKey`. */
  iamToken?: string;
  /** How many of the latest requests the request log keeps; 0 keeps none. @default 10000 */
  requestLogLimit?: number;
}

/** One request as the emulator received it. */
export interface RecordedRequest {
  method: string;
  /** The request target as received: path and query, still percent-encoded. */
  path: string;
  /** The (decoded) id of the operation addressed or created, `null` for other requests. */
  operationId: string | null;
  /** The request headers: names lower-cased, values as received (repeats joined by ", "). */
  headers: Record<string, string>;
  /** A short description of the fault injected into this request, `null` when none. */
  fault: string | null;
  /** When the request arrived, in milliseconds since the epoch. */
  at: number;
  /** How many requests (or gRPC calls) the emulator was answering when this one arrived, itself included. */
  inFlight: number;
}
