/**
 * The Operation API over REST, with axios: `GET /operations/{id}`, `GET /operations/{id}:cancel`,
 * and the POST of a call that starts an operation. One logical call = attempts under the retry policy within one
 * deadline; each attempt carries the headers of wire.md. A reset on a reused keep-alive socket is
 * sent again at once on a fresh socket (the server closed it while it sat idle in the pool).
 */
import http from 'node:http';
import https from 'node:https';
import { randomUUID } from 'node:crypto';
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import { version } from '../../package.json';
import { AIStudioError, ApiError } from '../core/errors';
import type { RetryPolicy } from '../core/retry';
import type { AuthProvider, CallOptions, Logger, OperationTransport } from '../core/transport';
import { authFailure, deadlineError, failureOfNetwork, failureOfResponse, malformedBodyError, type AttemptContext, type Failure } from './http-failure';
import { redact } from './auth/secret';
import { retrying, type AttemptOutcome } from './retrying';
import { Slots } from '../async/slots';

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

/** The User-Agent this SDK sends. */
const USER_AGENT = `yc-operation/${version} (node ${process.version})`;

type Agents = { httpAgent: http.Agent; httpsAgent: https.Agent };

/**
 * Requests one client has in flight, and sockets it keeps open to its endpoint; more requests
 * wait in line (within their own timeout), which keeps 10 000 concurrent waits cheap.
 */
const MAX_IN_FLIGHT = 64;
/** The TCP keep-alive delay axios sets on each socket: the agents use the same, so no socket is set twice. */
const TCP_KEEPALIVE_MS = 60_000;

function agents(keepAlive: boolean): Agents {
  const options = { keepAlive, keepAliveMsecs: TCP_KEEPALIVE_MS, maxSockets: MAX_IN_FLIGHT };
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
  readonly #slots = new Slots(MAX_IN_FLIGHT);
  /** Aborted by `close()`: calls in flight fail with its reason, later calls at once. */
  readonly #closed = new AbortController();

  constructor(options: RestTransportOptions) {
    this.endpoint = options.endpoint;
    this.#options = options;
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
    return this.#call('GET', `${this.endpoint}/operations/${encodeURIComponent(id)}`, undefined, options);
  }

  cancelOperation(id: string, options: CallOptions): Promise<unknown> {
    return this.#call('GET', `${this.endpoint}/operations/${encodeURIComponent(id)}:cancel`, undefined, options);
  }

  startOperation(url: string, body: unknown, options: CallOptions): Promise<unknown> {
    return this.#call('POST', url, JSON.stringify(body), options);
  }

  close(): void {
    this.#closed.abort(new AIStudioError(`the client of ${this.endpoint} is closed`));
    for (const agents of [this.#pooled, this.#fresh]) {
      agents.httpAgent.destroy();
      agents.httpsAgent.destroy();
    }
  }

  /** `RestTransport<https://...>`: no credentials, no headers. */
  toString(): string {
    return `RestTransport<${this.endpoint}>`;
  }

  async #call(method: 'GET' | 'POST', endpoint: string, body: string | undefined, { timeoutMs, signal }: CallOptions): Promise<unknown> {
    signal?.throwIfAborted();
    this.#closed.signal.throwIfAborted();
    const controller = new AbortController();
    const onAbort = () => controller.abort(signal!.reason);
    const onClose = () => controller.abort(this.#closed.signal.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    this.#closed.signal.addEventListener('abort', onClose, { once: true });
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    const idempotencyKey = randomUUID();
    let lastFailure = null as Failure | null;
    let sentCredentials: Record<string, string> = {};
    const auth = this.#options.auth;
    let ctx: AttemptContext = { endpoint, clientRequestId: null, attempts: 0, authProvider: auth.name };
    // Attempt n of the policy; a resend on a fresh socket repeats its attempt's number.
    const send = async (attempt: number, agents: Agents): Promise<AxiosResponse<string>> => {
      const credentials = await auth.getHeaders(controller.signal).catch((error: unknown) => {
        throw controller.signal.aborted || error instanceof ApiError ? error : authFailure(error, ctx);
      });
      sentCredentials = credentials;
      const clientRequestId = randomUUID();
      // The provider's name is read now: a chain names what it found only once it has looked.
      ctx = { ...ctx, clientRequestId, attempts: attempt, authProvider: auth.name };
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
      await this.#slots.acquire(controller.signal);
      try {
        const request = { method, url: endpoint, data: body, headers, signal: controller.signal };
        return await this.#axios.request<string>(agents === this.#pooled ? request : { ...request, ...agents });
      } finally {
        this.#slots.release();
      }
    };
    const attempt = async (n: number): Promise<AttemptOutcome<unknown>> => {
      let response: AxiosResponse<string>;
      try {
        response = await send(n, this.#pooled);
      } catch (error) {
        if (controller.signal.aborted || method !== 'GET' || !closedWhileIdle(error)) throw error;
        this.#options.logger.debug(`${method} ${endpoint}: ${(error as { code?: string }).code} on a reused socket, sending again on a fresh one`);
        response = await send(n, this.#fresh);
      }
      return readResponse(response, ctx, sentCredentials);
    };
    try {
      return await retrying({
        policy: this.#options.retry,
        deadlineMs: Date.now() + timeoutMs,
        signal: controller.signal,
        nowMs: Date.now,
        random: Math.random,
        attempt: (n) => attempt(n).catch((error: unknown) => {
          if (controller.signal.aborted || error instanceof ApiError) throw error;
          return { ok: false, failure: failureOfNetwork(error, ctx) } as const;
        }),
        deadlineError: (last) => deadlineError(timeoutMs, ctx, last.error),
        onRetry: (n, delayMs, failure) => {
          lastFailure = failure;
          this.#options.logger.debug(`${method} ${endpoint}: attempt ${n} failed (${failure.error.rawMessage}), retrying in ${Math.round(delayMs)} ms`);
        },
      });
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (this.#closed.signal.aborted) throw this.#closed.signal.reason;
      if (controller.signal.aborted) throw deadlineError(timeoutMs, ctx, lastFailure?.error ?? error);
      throw error;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      this.#closed.signal.removeEventListener('abort', onClose);
    }
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

/** `text` with each credential header's value, and its secret alone (`Api-Key <secret>`), cut out. */
function withoutCredentials(text: string, credentials: Record<string, string>): string {
  let out = text;
  for (const value of Object.values(credentials)) out = redact(redact(out, value), value.replace(/^\S+\s+/, ''));
  return out;
}
