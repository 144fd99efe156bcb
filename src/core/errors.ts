/**
 * The errors this package throws on purpose. One root ({@link AIStudioError}), typed subclasses,
 * and a plain-data form ({@link errorToData} / {@link errorFromData}) so that an error thrown in
 * the blocking flavour's worker thread comes back as the same class with the same fields.
 */
import { OperationErrorInfo, OperationStatus, type BaseOperationStatus } from './status';

/** Base of every error this package throws on purpose. */
export class AIStudioError extends Error {
  override name = 'AIStudioError';
}

/** An operation finished with an error (`error.code > 0`). */
export class RunError extends AIStudioError {
  override name = 'RunError';
  /** The operation's gRPC status code (1 = CANCELLED, ...). */
  readonly code: number;
  /** The operation error's own message (the error's `message` is the full sentence). */
  readonly errorMessage: string;
  /** One text entry per detail; empty, never null. */
  readonly details: readonly string[];
  readonly operationId: string;

  constructor(fields: { code: number; message: string; details: readonly string[] | null; operationId: string }) {
    const details = fields.details ?? [];
    const head = `Operation ${fields.operationId} failed with message: ${fields.message || '<Empty message>'} (code ${fields.code})`;
    super([head, ...details].join('\n'));
    this.code = fields.code;
    this.errorMessage = fields.message;
    this.details = Object.freeze([...details]);
    this.operationId = fields.operationId;
  }

  /** The RunError of a failed status's error. */
  static fromErrorInfo(operationId: string, error: OperationErrorInfo): RunError {
    return new RunError({ code: error.code, message: error.message, details: error.details, operationId });
  }
}

/** Base of the errors about an operation's state or waiting on it. */
export class AsyncOperationError extends AIStudioError {
  override name = 'AsyncOperationError';
}

/** `getResult` was asked for a result the last known status cannot give. */
export class WrongAsyncOperationStatusError extends AsyncOperationError {
  override name = 'WrongAsyncOperationStatusError';
}

/** `wait` ran out of `pollTimeout` before the operation finished. */
export class OperationTimeoutError extends AsyncOperationError {
  override name = 'OperationTimeoutError';
  readonly operationId: string;
  /** The poll timeout that ran out, in seconds. */
  readonly pollTimeout: number;
  /** The last status known when the time ran out (`null` when no poll had answered yet). */
  readonly lastStatus: BaseOperationStatus | null;

  constructor(fields: { operationId: string; pollTimeout: number; lastStatus: BaseOperationStatus | null }, options?: ErrorOptions) {
    const last = fields.lastStatus === null ? 'no status received yet' : `last status: ${String(fields.lastStatus)}`;
    super(`Operation ${fields.operationId} did not finish within its poll timeout of ${fields.pollTimeout} s (${last})`, options);
    this.operationId = fields.operationId;
    this.pollTimeout = fields.pollTimeout;
    this.lastStatus = fields.lastStatus;
  }
}

/** What an {@link ApiError} knows about the failed call. */
export interface ApiErrorFields {
  /** The gRPC code of the failure (14 UNAVAILABLE, 16 UNAUTHENTICATED, 4 DEADLINE_EXCEEDED, ...). */
  grpcCode: number;
  /** The HTTP status, or `null` when no response arrived (timeout, reset, refused). */
  httpStatus: number | null;
  message: string;
  /** The google.rpc.Status details as sent (each with its `@type`). */
  details: readonly unknown[];
  /** The server's `x-request-id` (or the RequestInfo detail's `requestId`), when known. */
  requestId: string | null;
  /** The server's `x-server-trace-id`, when known. */
  serverTraceId: string | null;
  /** The `x-client-request-id` this SDK sent on the last attempt. */
  clientRequestId: string | null;
  /** The URL called, without credentials. */
  endpoint: string;
  /** How many attempts were made (1 when not retried). */
  attempts: number;
  /** The authentication in use, named without the secret (for example `api-key`). */
  authProvider: string | null;
}

/** A call to the Operation API failed: the server answered with an error, or no answer came. */
export class ApiError extends AIStudioError implements ApiErrorFields {
  override name = 'ApiError';
  readonly grpcCode: number;
  readonly httpStatus: number | null;
  readonly details: readonly unknown[];
  readonly requestId: string | null;
  readonly serverTraceId: string | null;
  readonly clientRequestId: string | null;
  readonly endpoint: string;
  readonly attempts: number;
  readonly authProvider: string | null;
  /** The server's own message (or ours, when no answer came), without the context `message` adds. */
  readonly rawMessage: string;

  constructor(fields: ApiErrorFields, options?: ErrorOptions) {
    super(describeApiError(fields), options);
    this.rawMessage = fields.message;
    this.grpcCode = fields.grpcCode;
    this.httpStatus = fields.httpStatus;
    this.details = fields.details;
    this.requestId = fields.requestId;
    this.serverTraceId = fields.serverTraceId;
    this.clientRequestId = fields.clientRequestId;
    this.endpoint = fields.endpoint;
    this.attempts = fields.attempts;
    this.authProvider = fields.authProvider;
  }
}

function describeApiError(f: ApiErrorFields): string {
  const status = f.httpStatus === null ? `gRPC code ${f.grpcCode}` : `HTTP ${f.httpStatus}, gRPC code ${f.grpcCode}`;
  const ids = [
    f.requestId && `request id ${f.requestId}`,
    f.serverTraceId && `server trace id ${f.serverTraceId}`,
    f.clientRequestId && `client request id ${f.clientRequestId}`,
    f.attempts > 1 && `${f.attempts} attempts`,
    f.authProvider && f.grpcCode === 16 && `auth: ${f.authProvider}`,
  ].filter(Boolean);
  return `${f.message} (${status}; ${f.endpoint}${ids.length ? '; ' + ids.join(', ') : ''})`;
}

/** The server sent an operation that is not of the Operation message's shape. */
export class WireDecodeError extends AIStudioError {
  override name = 'WireDecodeError';
}

// ---- guards ---------------------------------------------------------------------------------

const NAMES = new Set([
  'AIStudioError', 'RunError', 'AsyncOperationError', 'WrongAsyncOperationStatusError',
  'OperationTimeoutError', 'ApiError', 'WireDecodeError',
]);

/** True for any error of this package, also one from another copy of the package. */
export function isAIStudioError(value: unknown): value is AIStudioError {
  return value instanceof AIStudioError || (value instanceof Error && NAMES.has(value.name));
}

// ---- plain-data form, for crossing a worker boundary -------------------------------------------

/** The structured-clone-safe form of an error. */
export interface ErrorData {
  name: string;
  message: string;
  stack?: string;
  code?: unknown;
  fields?: Record<string, unknown>;
  cause?: ErrorData;
}

function statusToData(s: BaseOperationStatus | null): unknown {
  if (s instanceof OperationStatus) {
    return { done: s.done, error: s.error && { ...s.error }, response: s.response, metadata: s.metadata };
  }
  return s === null ? null : { isRunning: s.isRunning, isSucceeded: s.isSucceeded, isFailed: s.isFailed, text: String(s) };
}

function statusFromData(d: any): BaseOperationStatus | null {
  if (d === null || d === undefined) return null;
  if ('done' in d) {
    const error = d.error ? new OperationErrorInfo(d.error.code, d.error.message, d.error.details) : null;
    return new OperationStatus({ done: d.done, error, response: d.response, metadata: d.metadata });
  }
  return Object.freeze({ isRunning: d.isRunning, isSucceeded: d.isSucceeded, isFailed: d.isFailed, toString: () => d.text });
}

/** An error as plain data (our classes with their fields; any other error by name and message). */
export function errorToData(error: unknown): ErrorData {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const data: ErrorData = { name: error.name, message: error.message, stack: error.stack };
  if ((error as { code?: unknown }).code !== undefined && !(error instanceof RunError)) {
    data.code = (error as { code?: unknown }).code;
  }
  if (error instanceof RunError) {
    data.fields = { code: error.code, message: error.errorMessage, details: [...error.details], operationId: error.operationId };
  } else if (error instanceof OperationTimeoutError) {
    data.fields = { operationId: error.operationId, pollTimeout: error.pollTimeout, lastStatus: statusToData(error.lastStatus) };
  } else if (error instanceof ApiError) {
    const { grpcCode, httpStatus, details, requestId, serverTraceId, clientRequestId, endpoint, attempts, authProvider } = error;
    data.fields = { grpcCode, httpStatus, details, requestId, serverTraceId, clientRequestId, endpoint, attempts, authProvider, message: error.rawMessage };
  }
  if (error.cause !== undefined) data.cause = errorToData(error.cause);
  return JSON.parse(JSON.stringify(data)) as ErrorData;
}

const SIMPLE: Record<string, new (message: string, options?: ErrorOptions) => Error> = {
  AIStudioError, AsyncOperationError, WrongAsyncOperationStatusError, WireDecodeError,
  // The built-in classes bad input is refused with, so that `instanceof TypeError` holds across the worker too.
  Error, TypeError, RangeError, SyntaxError, ReferenceError, URIError, EvalError,
};

/** Rebuilds an error from {@link errorToData}'s form, as the class it was. */
export function errorFromData(data: ErrorData): Error {
  const options = data.cause ? { cause: errorFromData(data.cause) } : undefined;
  const f = data.fields as any;
  let error: Error;
  if (data.name === 'RunError' && f) error = new RunError(f);
  else if (data.name === 'OperationTimeoutError' && f) error = new OperationTimeoutError({ ...f, lastStatus: statusFromData(f.lastStatus) }, options);
  else if (data.name === 'ApiError' && f) error = new ApiError(f, options);
  else {
    const Simple = Object.hasOwn(SIMPLE, data.name) ? SIMPLE[data.name] : undefined;
    error = Simple ? new Simple(data.message, options) : Object.assign(new Error(data.message, options), { name: data.name });
  }
  if (data.code !== undefined) Object.assign(error, { code: data.code });
  if (data.stack) error.stack = data.stack;
  return error;
}
