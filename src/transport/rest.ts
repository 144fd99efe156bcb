/**
 * The Operation API over REST, with axios: `GET /operations/{id}`, `GET /operations/{id}:cancel`,
 * and the POST of a call that starts an operation. One logical call = attempts under the retry policy within one
 * deadline; each attempt carries the headers of docs/wire.md. A reset on a reused keep-alive socket is
 * sent again at once on a fresh socket (the server closed it while it sat idle in the pool).
 */
import http from 'node:http';
import https from 'node:https';
import { randomUUID } from 'node:crypto';
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import { version } from '../../package.json';
import { ApiError, asOperationNotFound } from '../core/errors';
import type { RetryPolicy } from '../core/retry';
import type { AuthProvider, CallOptions, Logger, OperationTransport } from '../core/transport';
import { authFailure, deadlineError, failureOfNetwork, lineError, failureOfResponse, malformedBodyError, type AttemptContext } from './http-failure';
import { withoutCredentials } from './auth/secret';
import type { AttemptOutcome } from './retrying';
import { CallBounds } from './call-bounds';
import type { CallTrace } from './tracing';
import { markDeadline } from '../core/deadline';
import { RequestSlots, type LineWait } from '../runtime/request-line';

export interface RestTransportOptions {
  /** The base URL, checked (no trailing slash). */
  endpoint: string;
  auth: AuthProvider;
  folderId: string | null;
  /** Extra headers sent with every request. */
  headers: Record<string, string>;
  retry: RetryPolicy;
  logger: Logger;
}

/** The User-Agent this SDK sends (over gRPC, before grpc-js's own). */
export const USER_AGENT = `yc-operation/${version} (node ${process.version})`;

type Agents = { httpAgent: http.Agent; httpsAgent: https.Agent };

/** The TCP keep-alive delay axios sets on each socket: the agents use the same, so no socket is set twice. */
const TCP_KEEPALIVE_MS = 60_000;

function agents(keepAlive: boolean): Agents {
  // No maxSockets: the request line (src/core/request-line.ts) decides when a request goes; a cap here
  // would queue the requests it lets go behind hung ones, which the line's rules exist to avoid.
  const options = { keepAlive, keepAliveMsecs: TCP_KEEPALIVE_MS };
  return { httpAgent: new http.Agent(options), httpsAgent: new https.Agent(options) };
}

/** Network errors that mean "the pooled socket was already closed": send again on a fresh one. */
const STALE_SOCKET = new Set(['ECONNRESET', 'EPIPE']);

export class RestTransport implements OperationTransport {
  readonly endpoint: string;
  readonly #options: RestTransportOptions;
  readonly #axios: AxiosInstance;
  readonly #pooled = agents(true);
  readonly #fresh = agents(false);
  readonly #slots = new RequestSlots();
  /** The calls in flight, which `close()` fails, and later ones at once. */
  readonly #calls: CallBounds;

  constructor(options: RestTransportOptions) {
    this.endpoint = options.endpoint;
    this.#options = options;
    this.#calls = new CallBounds(options.endpoint);
    this.#axios = axios.create({
      baseURL: options.endpoint,
      adapter: 'http',
      maxRedirects: 0, // never carry the Authorization header to another host
      responseType: 'text',
      transformRequest: [],
      transformResponse: [],
      validateStatus: null,
      ...this.#pooled,
    });
  }

  getOperation(id: string, options: CallOptions): Promise<unknown> {
    return this.#operationCall(id, '', options);
  }

  cancelOperation(id: string, options: CallOptions): Promise<unknown> {
    return this.#operationCall(id, ':cancel', options);
  }

  getJson(url: string, options: CallOptions): Promise<unknown> {
    return this.#call('GET', url, undefined, options, { call: 'fetch', operationId: null });
  }

  startOperation(url: string, body: unknown, options: CallOptions): Promise<unknown> {
    return this.#call('POST', url, JSON.stringify(body), options, { call: 'start', operationId: null });
  }

  close(): void {
    this.#calls.close();
    for (const agents of [this.#pooled, this.#fresh]) {
      agents.httpAgent.destroy();
      agents.httpsAgent.destroy();
    }
  }

  /** A Get or a Cancel of operation `id`; its 404 is an `OperationNotFoundError`. */
  async #operationCall(id: string, suffix: '' | ':cancel', options: CallOptions): Promise<unknown> {
    try {
      const url = `${this.endpoint}/operations/${encodeURIComponent(id)}${suffix}`;
      return await this.#call('GET', url, undefined, options, { call: suffix === '' ? 'get' : 'cancel', operationId: id });
    } catch (error) {
      throw asOperationNotFound(error, id);
    }
  }

  /** `RestTransport<https://...>`: no credentials, no headers. */
  toString(): string {
    return `RestTransport<${this.endpoint}>`;
  }

  async #call(
    method: 'GET' | 'POST', endpoint: string, body: string | undefined, { deadlineMs, timeoutMs: boundMs, signal }: CallOptions,
    what: Pick<CallTrace, 'call' | 'operationId'>,
  ): Promise<unknown> {
    const call = this.#calls.open(deadlineMs, signal);
    // The bound as its caller set it, for messages (a blocking call reaches the worker a little later).
    const timeoutMs = boundMs ?? call.timeoutMs;
    const idempotencyKey = randomUUID();
    // One x-client-request-id per logical call, as the reference sends: its retries reuse it.
    const clientRequestId = randomUUID();
    let lineWait: LineWait | null = null;
    let sentCredentials: Record<string, string> = {};
    const auth = this.#options.auth;
    let ctx: AttemptContext = { endpoint, clientRequestId, attempts: 0, authProvider: auth.name };
    // Attempt n of the policy; a resend on a fresh socket repeats its attempt's number.
    const send = async (attempt: number, agents: Agents): Promise<AxiosResponse<string>> => {
      const credentials = await auth.getHeaders(call.signal).catch((error: unknown) => {
        throw call.signal.aborted || error instanceof ApiError ? error : authFailure(error, ctx);
      });
      sentCredentials = credentials;
      // The provider's name is read now: a chain names what it found only once it has looked.
      ctx = { ...ctx, attempts: attempt, authProvider: auth.name };
      const headers: Record<string, string> = {
        ...this.#options.headers,
        ...credentials,
        'user-agent': USER_AGENT,
        'x-client-request-id': clientRequestId,
        'idempotency-key': idempotencyKey,
      };
      if (this.#options.folderId !== null) headers['x-folder-id'] = this.#options.folderId;
      if (attempt > 1) headers['x-retry-attempt'] = String(attempt - 1);
      if (body !== undefined) headers['content-type'] = 'application/json';
      this.#options.logger.debug(`${method} ${endpoint} (attempt ${attempt})`);
      const slot = await this.#slots.acquire(deadlineMs, call.signal, (wait) => (lineWait = wait));
      try {
        const request = { method, url: endpoint, data: body, headers, signal: call.signal };
        return await this.#axios.request<string>(agents === this.#pooled ? request : { ...request, ...agents });
      } finally {
        slot.release();
      }
    };
    const attempt = async (n: number): Promise<AttemptOutcome<unknown>> => {
      let response: AxiosResponse<string>;
      try {
        response = await send(n, this.#pooled);
      } catch (error) {
        if (call.signal.aborted || method !== 'GET' || !closedWhileIdle(error)) throw error;
        this.#options.logger.debug(`${method} ${endpoint}: ${(error as { code?: string }).code} on a reused socket, sending again on a fresh one`);
        response = await send(n, this.#fresh);
      }
      return readResponse(response, ctx, sentCredentials);
    };
    const timedOut = (cause: unknown) =>
      markDeadline(lineWait ? lineError(lineWait, ctx, timeoutMs) : deadlineError(timeoutMs, ctx, cause), deadlineMs);
    return call.run({
      policy: this.#options.retry,
      deadlineMs,
      attempt: (n) => attempt(n).catch((error: unknown) => {
        if (call.signal.aborted || error instanceof ApiError) throw error;
        return { ok: false, failure: failureOfNetwork(error, ctx) } as const;
      }),
      timedOut,
      logger: this.#options.logger,
      what: `${method} ${endpoint}`,
      trace: { ...what, protocol: 'rest', target: endpoint, clientRequestId },
    });
  }
}

/**
 * True for a reset or a broken pipe on a socket the agent had reused: the server closed it while it
 * sat idle in the pool, before this request reached it. Such a GET is sent again at once.
 */
function closedWhileIdle(error: unknown): boolean {
  const { code, request } = error as { code?: string; request?: { reusedSocket?: boolean } };
  return STALE_SOCKET.has(code ?? '') && request?.reusedSocket === true;
}

/**
 * A 2xx answer's JSON, or the failure of any other answer (a 2xx that is not JSON is not retried).
 * The text of a failure never carries the credentials sent, should the server or a proxy echo them.
 */
function readResponse(response: AxiosResponse<string>, ctx: AttemptContext, credentials: Record<string, string>): AttemptOutcome<unknown> {
  const headers = response.headers as Record<string, unknown>;
  const body = response.data ?? '';
  if (response.status >= 200 && response.status < 300) {
    try {
      return { ok: true, value: JSON.parse(body) };
    } catch (cause) {
      throw malformedBodyError(response.status, headers, withoutCredentials(body, credentials), ctx, cause);
    }
  }
  return { ok: false, failure: failureOfResponse(response.status, headers, withoutCredentials(body, credentials), ctx, Date.now()) };
}
