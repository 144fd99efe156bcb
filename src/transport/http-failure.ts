/**
 * Reads one failed attempt: an HTTP answer with an error status, an unreadable body, or no
 * answer at all. Gives the retry decision's view of it ({@link AttemptFailure}) and the
 * {@link ApiError} to raise if it is not retried. Every text from the other side (body, header
 * values, the HTTP client's messages) passes the context's `redact` before it enters an error.
 */
import { ApiError, type ApiErrorFields, attemptFailureText } from '../core/errors';
import { grpcCodeOf } from '../core/grpc-codes';
import { type AttemptFailure, parseRetryAfterMs } from '../core/retry';
import { answerTooLarge } from './answer-size';

/** What is known of the call when an attempt fails. */
export interface AttemptContext {
  endpoint: string;
  clientRequestId: string | null;
  attempts: number;
  authProvider: string | null;
  /** Cuts the credentials sent out of a text the server (or a proxy) sent back. */
  redact: (text: string) => string;
}

/** A failed attempt: how to retry it and what to raise. */
export interface Failure extends AttemptFailure {
  error: ApiError;
}

type Headers = Record<string, unknown>;

/** A header's value, redacted; `null` when absent or empty. */
function header(headers: Headers, name: string, ctx: AttemptContext): string | null {
  const value = headers[name];
  return typeof value === 'string' && value !== '' ? ctx.redact(value) : null;
}

/** A failure from an HTTP answer with status >= 300. */
export function failureOfResponse(status: number, headers: Headers, rawBody: string, ctx: AttemptContext, nowMs: number): Failure {
  const body = ctx.redact(rawBody);
  const rpc = parseRpcStatus(body);
  const requestInfo = rpc?.details.find(isRequestInfo);
  const fields: ApiErrorFields = {
    grpcCode: rpc?.code || grpcCodeOf(status),
    httpStatus: status,
    message: rpc?.message || describeBody(status, header(headers, 'content-type', ctx), body),
    details: rpc?.details ?? [],
    requestId: header(headers, 'x-request-id', ctx) ?? (requestInfo ? String(requestInfo.requestId) : null),
    serverTraceId: header(headers, 'x-server-trace-id', ctx),
    clientRequestId: ctx.clientRequestId,
    endpoint: ctx.endpoint,
    attempts: ctx.attempts,
    authProvider: ctx.authProvider,
  };
  return {
    httpStatus: status,
    networkCode: null,
    retryAfterMs: parseRetryAfterMs(header(headers, 'retry-after', ctx), nowMs),
    error: new ApiError(fields),
  };
}

/** A failure with no HTTP answer (the connection failed or broke), or with one that was not read ({@link failureOfUnreadAnswer}). */
export function failureOfNetwork(cause: unknown, ctx: AttemptContext): Failure {
  const unread = failureOfUnreadAnswer(cause, ctx);
  if (unread) return unread;
  const networkCode = networkCodeOf(cause);
  const code = (cause as { code?: unknown })?.code;
  const text = ctx.redact(String((cause as Error)?.message ?? code));
  const detail = networkCode !== null && networkCode !== code ? ` (${text})` : '';
  return {
    httpStatus: null,
    networkCode,
    retryAfterMs: null,
    error: new ApiError(
      {
        ...noAnswer(ctx),
        grpcCode: 14,
        message: `network error: ${networkCode ?? ((cause as Error)?.message === undefined ? 'unknown' : text)}${detail}`,
      },
      { cause: plainCause(cause, ctx) },
    ),
  };
}

/** axios's message for a body longer than its `maxContentLength` (the SDK's own adapter rejects with it too). */
const TOO_LARGE = /^maxContentLength size of (\d+) exceeded$/;
/** The codes of node:zlib's errors: `Z_DATA_ERROR`, `Z_BUF_ERROR`, ..., and brotli's `ERR__ERROR_...`. */
const UNDECODABLE = /^(Z_|ERR__ERROR)/;

/**
 * The failure of an answer that came but was not read: a body longer than the client's
 * `maxResponseBytes`, as sent or once decoded (gRPC 8 RESOURCE_EXHAUSTED, naming the limit), or a
 * compressed body that does not decode (gRPC 2, with zlib's reason, never the bytes). Neither is
 * retried: the same answer would come again. `null` for any other failure.
 */
function failureOfUnreadAnswer(cause: unknown, ctx: AttemptContext): Failure | null {
  const { code, message, response } = (cause ?? {}) as {
    code?: unknown;
    message?: unknown;
    response?: { status?: number; headers?: Headers };
  };
  const limit = code === 'ERR_BAD_RESPONSE' && typeof message === 'string' ? TOO_LARGE.exec(message)?.[1] : undefined;
  const undecodable = typeof code === 'string' && UNDECODABLE.test(code);
  if (limit === undefined && !undecodable) return null;
  const headers = response?.headers ?? {};
  const encoding = header(headers, 'content-encoding', ctx);
  const reason = ctx.redact(String(message));
  const fields: ApiErrorFields = {
    ...noAnswer(ctx),
    httpStatus: response?.status ?? null,
    requestId: header(headers, 'x-request-id', ctx),
    serverTraceId: header(headers, 'x-server-trace-id', ctx),
    ...(limit === undefined
      ? { grpcCode: 2, message: `the answer's body could not be decoded${encoding ? ` (content-encoding: ${encoding})` : ''}: ${reason}` }
      : { grpcCode: 8, message: answerTooLarge(limit) }),
  };
  return {
    httpStatus: null,
    networkCode: null,
    retryAfterMs: null,
    error: new ApiError(fields, undecodable ? { cause: plainCause(cause, ctx) } : undefined),
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
  const reason = ctx.redact(cause instanceof Error ? cause.message : String(cause));
  return new ApiError(
    { ...noAnswer(ctx), grpcCode: 16, message: `the credentials provider ${ctx.authProvider} failed: ${reason}` },
    { cause: plainCause(cause, ctx) },
  );
}

/**
 * The error of a call that ran out of its deadline (gRPC DEADLINE_EXCEEDED, no HTTP status).
 * `cause` is the last attempt's failure, when there was one: the error carries it as its `cause`,
 * and its message names it (`...; the last attempt failed: network error: ECONNREFUSED (...)`).
 */
export function deadlineError(timeoutMs: number, ctx: AttemptContext, cause?: unknown): ApiError {
  const last = cause instanceof ApiError ? `; the last attempt failed: ${attemptFailureText(cause)}` : '';
  return new ApiError(
    { ...noAnswer(ctx), grpcCode: 4, message: `no answer within the call's timeout of ${timeoutMs / 1000} s${last}` },
    cause === undefined ? undefined : { cause: plainCause(cause, ctx) },
  );
}

/**
 * A cause fit to hang on an error users see: our own errors as they are; any other error (the HTTP
 * client's, which carries the request's config with its `Authorization` header, and the socket) as
 * a plain `Error` with only its name, message, code and stack, redacted, so that neither
 * `util.inspect`, a logger nor a test reporter walking the cause can show a credential.
 */
function plainCause(cause: unknown, ctx: AttemptContext): unknown {
  if (cause instanceof ApiError || !(cause instanceof Error)) return cause;
  const plain = new Error(ctx.redact(cause.message), cause.cause === undefined ? undefined : { cause: plainCause(cause.cause, ctx) });
  plain.name = cause.name;
  const { code, errno, syscall } = cause as { code?: unknown; errno?: unknown; syscall?: unknown };
  if (typeof code === 'string' || typeof code === 'number') Object.assign(plain, { code });
  if (typeof errno === 'number') Object.assign(plain, { errno });
  if (typeof syscall === 'string') Object.assign(plain, { syscall });
  plain.stack = cause.stack === undefined ? undefined : ctx.redact(cause.stack);
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
    message: `the request was never sent: it waited ${(wait.waitedMs / 1000).toFixed(3)} s in the client's line behind ${wait.inFlight} requests in flight, until the call's timeout of ${timeoutMs / 1000} s`,
  });
}

/**
 * The error of a 2xx answer whose body is not JSON. It has no cause: `JSON.parse`'s own error
 * quotes the body unredacted.
 */
export function malformedBodyError(status: number, headers: Headers, body: string, ctx: AttemptContext): ApiError {
  return new ApiError({
    ...noAnswer(ctx),
    grpcCode: 2,
    httpStatus: status,
    message: `the response body is not JSON: ${snippet(ctx.redact(body))}`,
    requestId: header(headers, 'x-request-id', ctx),
    serverTraceId: header(headers, 'x-server-trace-id', ctx),
  });
}

/** The fields of an error with no HTTP answer, from what is known of the call. */
export function noAnswer(ctx: AttemptContext): ApiErrorFields {
  return {
    grpcCode: 2,
    httpStatus: null,
    message: '',
    details: [],
    requestId: null,
    serverTraceId: null,
    clientRequestId: ctx.clientRequestId,
    endpoint: ctx.endpoint,
    attempts: ctx.attempts,
    authProvider: ctx.authProvider,
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
  return (
    typeof detail === 'object' && detail !== null && String((detail as Record<string, unknown>)['@type']).endsWith('google.rpc.RequestInfo')
  );
}

/** A short message for an error body that is not a google.rpc.Status (an HTML gateway page, say). */
function describeBody(status: number, contentType: string | null, body: string): string {
  const type = contentType ?? 'no content type';
  const text = snippet(body);
  return `HTTP ${status} (${type})${text ? `: ${text}` : ''}`;
}

/** The first 200 characters of a body's text, tags stripped and white space folded. */
function snippet(body: string): string {
  const text = body
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > 200 ? `${text.slice(0, 200)}...` : text;
}
