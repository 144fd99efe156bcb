/**
 * The errors this package throws on purpose: one root ({@link AIStudioError}) and typed
 * subclasses. Their plain-data form, for the blocking flavour's worker, is {@link errorToData}'s.
 * `instanceof` holds across copies of the package (its ESM and its CJS build in one app): each
 * class carries a brand under a registry symbol, and an error is an instance of a class when a
 * class of its prototype chain carries the same brand.
 */
import type { BaseOperationStatus, OperationErrorInfo } from './status';

/** The key of each class's brand, the same in every copy of the package. */
const BRAND: unique symbol = Symbol.for('yc-operation.error-class');

type Branded = { readonly [BRAND]?: string };

/** True when a class of `value`'s prototype chain has `brand` as its own brand. */
function carriesBrand(value: unknown, brand: string): boolean {
  if (typeof value !== 'object' || value === null) return false;
  for (let proto = Object.getPrototypeOf(value); proto !== null; proto = Object.getPrototypeOf(proto)) {
    const ctor = Object.hasOwn(proto, 'constructor') ? (proto.constructor as Branded) : undefined;
    if (ctor && Object.hasOwn(ctor, BRAND) && ctor[BRAND] === brand) return true;
  }
  return false;
}

/** Base of every error this package throws on purpose. */
export class AIStudioError extends Error {
  static readonly [BRAND]: string = 'AIStudioError';
  override name = 'AIStudioError';

  /** `instanceof` by prototype, or by brand for an error of another copy of this package. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore-start lint/complexity/noThisInStatic: deliberate, `this` is the class on the right of `instanceof` (subclasses inherit this method), not always AIStudioError
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    return Object.hasOwn(this, BRAND) && carriesBrand(value, (this as Branded)[BRAND]!);
    // biome-ignore-end lint/complexity/noThisInStatic: see above
  }
}

/** An operation finished with an error (`error.code > 0`). */
export class RunError extends AIStudioError {
  static override readonly [BRAND]: string = 'RunError';
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
  static override readonly [BRAND]: string = 'AsyncOperationError';
  override name = 'AsyncOperationError';
}

/** `getResult` was asked for a result the last known status cannot give. */
export class WrongAsyncOperationStatusError extends AsyncOperationError {
  static override readonly [BRAND]: string = 'WrongAsyncOperationStatusError';
  override name = 'WrongAsyncOperationStatusError';
}

/** `wait` ran out of `pollTimeout` before the operation finished. */
export class OperationTimeoutError extends AsyncOperationError {
  static override readonly [BRAND]: string = 'OperationTimeoutError';
  override name = 'OperationTimeoutError';
  readonly operationId: string;
  /** The poll timeout that ran out, in seconds. */
  readonly pollTimeout: number;
  /** The last status known when the time ran out (`null` when no poll had answered yet). */
  readonly lastStatus: BaseOperationStatus | null;

  /**
   * @param options `cause`: what the time ran out on; when it is a call that ran out of time after
   *   a failed attempt, the message names that attempt's failure too.
   */
  constructor(fields: { operationId: string; pollTimeout: number; lastStatus: BaseOperationStatus | null }, options?: ErrorOptions) {
    const last = fields.lastStatus === null ? 'no status received yet' : `last status: ${String(fields.lastStatus)}`;
    const attempt = lastFailedAttempt(options?.cause);
    const failed = attempt === null ? '' : `; the last attempt failed: ${attemptFailureText(attempt)}`;
    super(`Operation ${fields.operationId} did not finish within its poll timeout of ${fields.pollTimeout} s (${last})${failed}`, options);
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
  static override readonly [BRAND]: string = 'ApiError';
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
  return `${f.message} (${status}; ${f.endpoint}${ids.length ? `; ${ids.join(', ')}` : ''})`;
}

/**
 * The failed attempt that the error of a call which ran out of time (gRPC 4, no HTTP answer)
 * carries as its cause; `null` for any other error.
 */
export function lastFailedAttempt(error: unknown): ApiError | null {
  if (!(error instanceof ApiError) || error.grpcCode !== 4 || error.httpStatus !== null) return null;
  return error.cause instanceof ApiError ? error.cause : null;
}

/**
 * What a failed attempt met, in words: its own message, and its cause's when that says more
 * (`network error: ECONNREFUSED (connect ECONNREFUSED 127.0.0.1:9)`).
 */
export function attemptFailureText(attempt: ApiError): string {
  const inner = attempt.cause instanceof Error ? attempt.cause.message : '';
  return inner !== '' && !attempt.rawMessage.includes(inner) ? `${attempt.rawMessage} (${inner})` : attempt.rawMessage;
}

/**
 * The Operation API answered 404 (gRPC 5 NOT_FOUND) for an operation: its id is wrong, or the
 * operation expired (Yandex Cloud keeps a finished operation about two weeks). The service
 * answers both alike, so the message names both. Still an {@link ApiError}, with its fields.
 */
export class OperationNotFoundError extends ApiError {
  override name = 'OperationNotFoundError';
  readonly operationId: string;

  constructor(fields: ApiErrorFields & { operationId: string }, options?: ErrorOptions) {
    super(fields, options);
    this.operationId = fields.operationId;
    this.message = `Operation ${fields.operationId} not found: the id is wrong, or the operation expired (Yandex Cloud keeps finished operations about two weeks); ${this.message}`;
  }
}

/**
 * `error` as an {@link OperationNotFoundError} when it is the API's 404 for operation `id`; else
 * `error` itself. An authentication failure (gRPC 16) is never one: a token service's 404 (a
 * wrong `iamEndpoint`) says nothing of the operation.
 */
export function asOperationNotFound(error: unknown, operationId: string): unknown {
  if (!(error instanceof ApiError) || error instanceof OperationNotFoundError || error.grpcCode === 16) return error;
  // REST: the 404 itself; gRPC (no HTTP status): NOT_FOUND.
  if (error.httpStatus === null ? error.grpcCode !== 5 : error.httpStatus !== 404) return error;
  return new OperationNotFoundError({ ...apiErrorFields(error), operationId }, { cause: error.cause });
}

/** The fields `error` was made of: its message as given (`rawMessage`), before the context its text adds. */
export function apiErrorFields(error: ApiError): ApiErrorFields {
  const { grpcCode, httpStatus, details, requestId, serverTraceId, clientRequestId, endpoint, attempts, authProvider } = error;
  return {
    grpcCode,
    httpStatus,
    message: error.rawMessage,
    details,
    requestId,
    serverTraceId,
    clientRequestId,
    endpoint,
    attempts,
    authProvider,
  };
}

/** `cancel()` of an operation kind whose service has no cancel (assistant runs, say). */
export class CancelNotSupportedError extends AsyncOperationError {
  override name = 'CancelNotSupportedError';
  readonly operationId: string;

  constructor(fields: { operationId: string; kind: string }) {
    super(`${fields.kind} ${fields.operationId} cannot be cancelled: the service has no cancel for it (as in the Python SDK)`);
    this.operationId = fields.operationId;
  }
}

/** The server sent an operation that is not of the Operation message's shape. */
export class WireDecodeError extends AIStudioError {
  static override readonly [BRAND]: string = 'WireDecodeError';
  override name = 'WireDecodeError';
}

// ---- guards ---------------------------------------------------------------------------------

const NAMES = new Set([
  'AIStudioError',
  'RunError',
  'AsyncOperationError',
  'WrongAsyncOperationStatusError',
  'OperationTimeoutError',
  'ApiError',
  'WireDecodeError',
  'OperationNotFoundError',
  'CancelNotSupportedError',
  'DatasetValidationError',
]);

/** True for any error of this package, also one from another copy of the package (of any version). */
export function isAIStudioError(value: unknown): value is AIStudioError {
  return value instanceof AIStudioError || (value instanceof Error && NAMES.has(value.name));
}
