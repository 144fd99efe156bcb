/**
 * Reads one failed attempt: an HTTP answer with an error status, an unreadable body, or no
 * answer at all. Gives the retry decision's view of it ({@link AttemptFailure}) and the
 * {@link ApiError} to raise if it is not retried.
 */
import { ApiError, type ApiErrorFields } from '../core/errors';
import { parseRetryAfterMs, type AttemptFailure } from '../core/retry';
import { grpcCodeOf } from '../core/grpc-codes';

/** What is known of the call when an attempt fails. */
export interface AttemptContext {
  endpoint: string;
  clientRequestId: string | null;
  attempts: number;
  authProvider: string | null;
}

/** A failed attempt: how to retry it and what to raise. */
export interface Failure extends AttemptFailure {
  error: ApiError;
}

type Headers = Record<string, unknown>;

function header(headers: Headers, name: string): string | null {
  const value = headers[name];
  return typeof value === 'string' && value !== '' ? value : null;
}

/** A failure from an HTTP answer with status >= 300. */
export function failureOfResponse(status: number, headers: Headers, body: string, ctx: AttemptContext, nowMs: number): Failure {
  const rpc = parseRpcStatus(body);
  const requestInfo = rpc?.details.find(isRequestInfo);
  const fields: ApiErrorFields = {
    grpcCode: rpc?.code || grpcCodeOf(status),
    httpStatus: status,
    message: rpc?.message || describeBody(status, headers, body),
    details: rpc?.details ?? [],
    requestId: header(headers, 'x-request-id') ?? (requestInfo ? String(requestInfo.requestId) : null),
    serverTraceId: header(headers, 'x-server-trace-id'),
    clientRequestId: ctx.clientRequestId,
    endpoint: ctx.endpoint,
    attempts: ctx.attempts,
    authProvider: ctx.authProvider,
  };
  return {
    httpStatus: status,
    networkCode: null,
    retryAfterMs: parseRetryAfterMs(header(headers, 'retry-after'), nowMs),
    error: new ApiError(fields),
  };
}

/** A failure with no HTTP answer: the connection failed or broke. */
export function failureOfNetwork(cause: unknown, ctx: AttemptContext): Failure {
  const networkCode = networkCodeOf(cause);
  const code = (cause as { code?: unknown })?.code;
  const detail = networkCode !== null && networkCode !== code ? ` (${String((cause as Error)?.message ?? code)})` : '';
  return {
    httpStatus: null,
    networkCode,
    retryAfterMs: null,
    error: new ApiError(
      { ...noAnswer(ctx), grpcCode: 14, message: `network error: ${networkCode ?? (cause as Error)?.message ?? 'unknown'}${detail}` },
      { cause: plainCause(cause) },
    ),
  };
}

/**
 * The network error code of a failed request. The HTTP client reports a connection reset after
 * the headers (the body cut off mid-way) as a bad response whose stream was aborted: that is a
 * reset too (`ECONNRESET`), and is retried as one.
 */
function networkCodeOf(cause: unknown): string | null {
  const { code, message } = (cause ?? {}) as { code?: unknown; message?: unknown };
  if (code === 'ERR_BAD_RESPONSE' && typeof message === 'string' && /aborted/i.test(message)) return 'ECONNRESET';
  return typeof code === 'string' ? code : null;
}

/** The error of a credentials provider that failed with an error of its own (not an ApiError). */
export function authFailure(cause: unknown, ctx: AttemptContext): ApiError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new ApiError({ ...noAnswer(ctx), grpcCode: 16, message: `the credentials provider ${ctx.authProvider} failed: ${reason}` }, { cause: plainCause(cause) });
}

/**
 * The error of a call that ran out of its deadline (gRPC DEADLINE_EXCEEDED, no HTTP status).
 * `cause` is the last attempt's failure, when there was one.
 */
export function deadlineError(timeoutMs: number, ctx: AttemptContext, cause?: unknown): ApiError {
  return new ApiError(
    { ...noAnswer(ctx), grpcCode: 4, message: `no answer within the call's timeout of ${timeoutText(timeoutMs)}` },
    cause === undefined ? undefined : { cause: plainCause(cause) },
  );
}

/**
 * A cause fit to hang on an error users see: our own errors as they are; any other error (the HTTP
 * client's, which carries the request's config with its `Authorization` header, and the socket) as
 * a plain `Error` with only its name, message, code and stack, so that neither `util.inspect`, a
 * logger nor a test reporter walking the cause can show a credential.
 */
function plainCause(cause: unknown): unknown {
  if (cause instanceof ApiError || !(cause instanceof Error)) return cause;
  const plain = new Error(cause.message, cause.cause === undefined ? undefined : { cause: plainCause(cause.cause) });
  plain.name = cause.name;
  const { code, errno, syscall } = cause as { code?: unknown; errno?: unknown; syscall?: unknown };
  if (typeof code === 'string' || typeof code === 'number') Object.assign(plain, { code });
  if (typeof errno === 'number') Object.assign(plain, { errno });
  if (typeof syscall === 'string') Object.assign(plain, { syscall });
  plain.stack = cause.stack;
  return plain;
}

/**
 * The error of a request that waited in the client's line until its call's deadline and was never
 * sent: no server was asked, so it says how long it waited and behind how many requests.
 */
export function lineError(wait: { waitedMs: number; inFlight: number }, ctx: AttemptContext, timeoutMs: number): ApiError {
  return new ApiError({
    ...noAnswer(ctx),
    grpcCode: 4,
    message: `the request was never sent: it waited ${(wait.waitedMs / 1000).toFixed(3)} s in the client's line behind ${wait.inFlight} requests in flight, until the call's timeout of ${timeoutText(timeoutMs)}`,
  });
}

/** A call's timeout as its caller set it (`CallOptions.timeoutMs`), in seconds. */
function timeoutText(timeoutMs: number): string {
  return `${timeoutMs / 1000} s`;
}

/** The error of a 200 answer whose body is not JSON. */
export function malformedBodyError(status: number, headers: Headers, body: string, ctx: AttemptContext, cause: unknown): ApiError {
  return new ApiError(
    {
      ...noAnswer(ctx),
      grpcCode: 2,
      httpStatus: status,
      message: `the response body is not JSON: ${snippet(body)}`,
      requestId: header(headers, 'x-request-id'),
      serverTraceId: header(headers, 'x-server-trace-id'),
    },
    { cause: plainCause(cause) },
  );
}

/** The fields of an error with no HTTP answer, from what is known of the call. */
export function noAnswer(ctx: AttemptContext): ApiErrorFields {
  return {
    grpcCode: 2, httpStatus: null, message: '', details: [], requestId: null, serverTraceId: null,
    clientRequestId: ctx.clientRequestId, endpoint: ctx.endpoint, attempts: ctx.attempts, authProvider: ctx.authProvider,
  };
}

interface RpcStatus {
  code: number;
  message: string;
  details: unknown[];
}

/** The google.rpc.Status in an error body, when it is one. */
function parseRpcStatus(body: string): RpcStatus | null {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return null;
  }
  if (json === null || typeof json !== 'object') return null;
  const { code, message, details } = json as Record<string, unknown>;
  return {
    code: typeof code === 'number' ? code : 0,
    message: typeof message === 'string' ? message : '',
    details: Array.isArray(details) ? details : [],
  };
}

function isRequestInfo(detail: unknown): detail is { requestId: unknown } {
  return typeof detail === 'object' && detail !== null && String((detail as Record<string, unknown>)['@type']).endsWith('google.rpc.RequestInfo');
}

/** A short message for an error body that is not a google.rpc.Status (an HTML gateway page, say). */
function describeBody(status: number, headers: Headers, body: string): string {
  const type = header(headers, 'content-type') ?? 'no content type';
  const text = snippet(body);
  return `HTTP ${status} (${type})${text ? `: ${text}` : ''}`;
}

/** The first 200 characters of a body's text, tags stripped and white space folded. */
function snippet(body: string): string {
  const text = body.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  return text.length > 200 ? `${text.slice(0, 200)}...` : text;
}
