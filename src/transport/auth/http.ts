/**
 * One HTTP request for a token (the IAM exchange, the metadata service), over axios (loaded at
 * the first token request): bounded by a timeout, stoppable by a signal, no redirects followed,
 * every failure an `ApiError` free of secrets.
 */
import type { AxiosInstance, AxiosResponse } from 'axios';
import { AgentPool } from '../agents';
import { useAxios } from '../axios';
import { createHttpAdapter } from '../http-adapter';
import { credentialError } from './errors';
import { redact } from './secret';
import type { IssuedToken } from './token-cache';

/** The largest answer a token request reads: 1 MiB, in bytes (a token answer is well under 10 KiB). */
const TOKEN_ANSWER_MAX_BYTES = 1024 * 1024;

/** The clients of token requests through the environment's proxy and direct, made at the first token request. */
const tokenClients = new Map<boolean, AxiosInstance>();

/**
 * The client of token requests, over the SDK's adapter on one-use sockets (a token request is
 * rare). Status bodies are read as text and parsed here, so that a secret can be cut out first.
 */
function client(viaProxy: boolean): AxiosInstance {
  let instance = tokenClients.get(viaProxy);
  if (!instance) {
    const axios = useAxios();
    const pool = new AgentPool({ keepAlive: false, ca: null, env: viaProxy ? process.env : {} });
    const adapter = createHttpAdapter(pool, axios, TOKEN_ANSWER_MAX_BYTES);
    instance = axios.create({ adapter, maxRedirects: 0, responseType: 'text', validateStatus: () => true });
    tokenClients.set(viaProxy, instance);
  }
  return instance;
}

/**
 * gRPC UNAUTHENTICATED for a token request that timed out (its own timeout is an authentication
 * failure, never the caller's deadline: docs/architecture.md) and for every answer that gives no
 * token, whatever its status; UNAVAILABLE when the token service could not be reached.
 */
const UNAUTHENTICATED = 16;
const UNAVAILABLE = 14;

/** One token request. */
export interface TokenRequest {
  /** What the request does, starting a sentence: `Exchanging the OAuth token for an IAM token`. */
  action: string;
  /** The provider's name, for `ApiError.authProvider`. */
  authProvider: string;
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  /** A JSON body. */
  body?: Record<string, string>;
  /** Bounds the whole request, in milliseconds. */
  timeoutMs: number;
  /** `false` connects directly even when `HTTP_PROXY` is set (the metadata service is on the VM's own link). */
  viaProxy: boolean;
  /** A secret this request sends, cut out of whatever the server answers before it reaches an error. */
  sentSecret?: string;
}

/**
 * Not public API: the SDK's own tests set this variable (milliseconds) to replace every token
 * request's timeout, so that a test of that timeout need not wait the real one out (test/engine/auth-timeout.test.ts).
 */
const TEST_TIMEOUT_VARIABLE = 'YC_OPERATION_INTERNAL_TOKEN_TIMEOUT_MS';

/** The request's timeout, or the tests' replacement of it. */
function timeoutOf(request: TokenRequest): number {
  const replaced = Number(process.env[TEST_TIMEOUT_VARIABLE]);
  return Number.isFinite(replaced) && replaced > 0 ? replaced : request.timeoutMs;
}

/**
 * Sends `request` and gives the token `read` finds in the JSON answer. Rejects with `signal.reason`
 * when `signal` aborts, otherwise with an `ApiError` of the token service (its `endpoint` is the
 * request's URL, never the caller's): no answer (gRPC 16 on its own timeout, else 14), or an
 * answer that gives no token (gRPC 16, whatever the HTTP status: a 404 of a wrong `iamEndpoint` is
 * an authentication failure, not a NOT_FOUND of what the caller asked for), with the body's
 * google.rpc.Status message and details. Nothing of the secret sent is in it.
 */
export async function requestToken(
  request: TokenRequest,
  read: (body: Record<string, unknown>) => IssuedToken | null,
  signal?: AbortSignal,
): Promise<IssuedToken> {
  signal?.throwIfAborted();
  const timeoutMs = timeoutOf(request);
  let response: AxiosResponse<string>;
  try {
    response = await client(request.viaProxy).request<string>({
      method: request.method,
      url: request.url,
      headers: request.headers,
      data: request.body,
      timeout: timeoutMs,
      signal,
    });
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    if (!useAxios().isAxiosError(error)) throw error;
    const timedOut = error.code === 'ECONNABORTED' || error.code === 'ETIMEDOUT';
    // An answer that came but was not read (too large, or undecodable) is an answer all the same.
    const status = error.response?.status ?? null;
    throw credentialError({
      message: `${request.action} failed: ${timedOut ? `no answer within ${timeoutMs / 1000} s` : redact(error.message, request.sentSecret)}`,
      grpcCode: timedOut || status !== null ? UNAUTHENTICATED : UNAVAILABLE,
      httpStatus: status,
      endpoint: request.url,
      authProvider: request.authProvider,
    });
  }

  const status = response.status;
  const body = parseObject(redact(response.data, request.sentSecret));
  const context = {
    httpStatus: status,
    endpoint: request.url,
    authProvider: request.authProvider,
    requestId: headerOf(response, 'x-request-id', request.sentSecret),
    serverTraceId: headerOf(response, 'x-server-trace-id', request.sentSecret),
  };
  if (status < 200 || status > 299) {
    const rpc = body ?? {};
    const serverMessage = typeof rpc.message === 'string' && rpc.message ? `: ${rpc.message}` : '';
    throw credentialError({
      ...context,
      message: `${request.action} failed with HTTP ${status}${serverMessage}`,
      details: Array.isArray(rpc.details) ? rpc.details : [],
    });
  }
  const issued = body && read(body);
  if (!issued) {
    throw credentialError({ ...context, message: `${request.action} failed: HTTP ${status} with no token in the answer` });
  }
  return issued;
}

function parseObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** A header's value with the secret sent cut out; `null` when absent or empty. */
function headerOf(response: AxiosResponse, name: string, sentSecret: string | undefined): string | null {
  const value: unknown = response.headers[name];
  return typeof value === 'string' && value ? redact(value, sentSecret) : null;
}
