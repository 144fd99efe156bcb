/**
 * The Operation API over REST: `GET /operations/{id}`, `GET /operations/{id}:cancel`, and the POST
 * of a call that starts an operation, each through an axios instance: the user's, or the SDK's own
 * over {@link createHttpAdapter}. One logical call = attempts under the retry policy within one
 * deadline; each attempt carries the headers of docs/wire.md. A reset on a reused keep-alive socket is
 * sent again at once on a fresh socket (the server closed it while it sat idle in the pool).
 * axios and the HTTP stack are loaded at the first request.
 */
import type { AxiosInstance, AxiosRequestConfig, AxiosResponse, AxiosStatic } from 'axios';
import { version } from '../../package.json';
import { ApiError, asOperationNotFound } from '../core/errors';
import type { RetryPolicy } from '../core/retry';
import type { AuthProvider, CallOptions, Logger, OperationTransport } from '../core/transport';
import { authFailure, deadlineError, failureOfNetwork, lineError, failureOfResponse, malformedBodyError, type AttemptContext } from './http-failure';
import { withoutCredentials } from './auth/secret';
import { StaticAuth } from './auth/static';
import type { AttemptOutcome } from './retrying';
import { CallBounds } from './call-bounds';
import type { CallTrace } from './tracing';
import { markDeadline } from '../core/deadline';
import { RequestSlots, type LineWait } from '../runtime/request-line';
import { AgentPool } from './agents';
import { useAxios } from './axios';
import { asAxiosSends, createHttpAdapter, WIRE_HEADERS, WireHeaders } from './http-adapter';
import { randomUUID } from '../runtime/load';

export interface RestTransportOptions {
  /** The base URL, checked (no trailing slash). */
  endpoint: string;
  auth: AuthProvider;
  folderId: string | null;
  /** Extra headers sent with every request. */
  headers: Record<string, string>;
  retry: RetryPolicy;
  logger: Logger;
  /** Trusted CA certificates (PEM) for `https:` endpoints, instead of Node's; `null` for Node's. */
  ca: string | Buffer | null;
  /** The user's axios instance, or `null` for the SDK's own. */
  axios: AxiosInstance | null;
  /** The largest answer read, in bytes (the `maxResponseBytes` option). */
  maxResponseBytes: number;
}

/** The User-Agent this SDK sends (over gRPC, before grpc-js's own). */
export const USER_AGENT = `yc-operation/${version} (node ${process.version})`;

/** What every request through a user's axios instance overrides: no redirects, the body as text, every status answered. */
const USER_INSTANCE_OVERRIDES: AxiosRequestConfig = {
  maxRedirects: 0, // never carry the Authorization header to another host
  responseType: 'text',
  transformRequest: [],
  transformResponse: [],
  validateStatus: null,
};

/** The headers each call or attempt adds of its own (already as axios sends them). */
const OWN_HEADERS = new Set(['x-client-request-id', 'idempotency-key', 'x-retry-attempt', 'content-type']);

/** Network errors that mean "the pooled socket was already closed": send again on a fresh one. */
const STALE_SOCKET = new Set(['ECONNRESET', 'EPIPE']);

/** The HTTP side of a transport, made at its first request. */
interface Net {
  axios: AxiosInstance;
  /** Keep-alive sockets, for every request. */
  pooled: AgentPool;
  /** One-use sockets, for the resend of a request whose pooled socket was stale. */
  fresh: AgentPool;
  /** The overrides of each request (none for the SDK's own instance, whose adapter needs none). */
  overrides: AxiosRequestConfig | null;
  /** The SDK's own axios, whose adapter takes wire headers; `null` for the user's instance. */
  own: AxiosStatic | null;
}

/** The base headers and a provider's credentials as axios sends them, for the credentials they were made of. */
interface WireBase {
  credentials: Record<string, string>;
  /** `null` when a name among them is one of {@link OWN_HEADERS}: then they go through axios with the rest. */
  headers: Record<string, string> | null;
}

export class RestTransport implements OperationTransport {
  readonly endpoint: string;
  readonly #options: RestTransportOptions;
  /** The headers of every request, but the credentials and the ids of each call. */
  readonly #baseHeaders: Record<string, string>;
  #net: Net | null = null;
  /** The wire headers of the last credentials sent through the SDK's own axios. */
  #wire: WireBase | null = null;
  readonly #slots = new RequestSlots();
  /** The calls in flight, which `close()` fails, and later ones at once. */
  readonly #calls: CallBounds;

  constructor(options: RestTransportOptions) {
    this.endpoint = options.endpoint;
    this.#options = options;
    this.#calls = new CallBounds(options.endpoint);
    this.#baseHeaders = { accept: 'application/json', ...options.headers, 'user-agent': USER_AGENT };
    if (options.folderId !== null) this.#baseHeaders['x-folder-id'] = options.folderId;
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
    this.#net?.pooled.destroy();
    this.#net?.fresh.destroy();
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

  /** The axios instance and the sockets, made at the first request. */
  #connect(): Net {
    if (this.#net) return this.#net;
    const { ca, axios: userAxios } = this.#options;
    const pooled = new AgentPool({ keepAlive: true, ca, env: process.env });
    const fresh = new AgentPool({ keepAlive: false, ca, env: process.env });
    if (userAxios) return (this.#net = { axios: userAxios, pooled, fresh, overrides: { ...USER_INSTANCE_OVERRIDES, maxContentLength: this.#options.maxResponseBytes }, own: null });
    const axios = useAxios();
    const instance = axios.create();
    // axios.create() fills in all of axios's defaults (XSRF names, body limits, a header bucket
    // per method, ...), and every request merges them all: this instance keeps only its adapter,
    // which does what the overrides ask of a user's instance by itself (no redirects, the body as
    // text, every status answered), and no transforms.
    const defaults = instance.defaults as unknown as Record<string, unknown>;
    for (const key of Object.keys(defaults)) delete defaults[key];
    defaults.adapter = createHttpAdapter(pooled, axios, this.#options.maxResponseBytes);
    return (this.#net = { axios: instance, pooled, fresh, overrides: null, own: axios });
  }

  /**
   * The base headers and `credentials` as the SDK's own axios sends them: computed once for each new
   * value of the credentials (a provider gives a fresh copy of the same ones each time).
   */
  #wireBase(axios: AxiosStatic, credentials: Record<string, string>): Record<string, string> | null {
    if (this.#wire && sameRecord(this.#wire.credentials, credentials)) return this.#wire.headers;
    const headers = asAxiosSends(axios, { ...this.#baseHeaders, ...credentials });
    const mixed = Object.keys(headers).some((name) => OWN_HEADERS.has(name.toLowerCase()));
    this.#wire = { credentials, headers: mixed ? null : headers };
    return this.#wire.headers;
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
    // Whatever the server sends back is cut free of the credentials sent before it enters an error.
    const cut = (text: string) => withoutCredentials(text, sentCredentials);
    let ctx: AttemptContext = { endpoint, clientRequestId, attempts: 0, authProvider: auth.name, redact: cut };
    // Attempt n of the policy; a resend on a fresh socket repeats its attempt's number.
    const send = async (attempt: number, fresh: boolean): Promise<AxiosResponse<string>> => {
      let credentials: Record<string, string>;
      try {
        // A static provider reads its signal only to reject once it has aborted (./auth/static.ts):
        // that is checked here, and no signal is made for it.
        credentials = await (auth instanceof StaticAuth ? (call.abort.throwIfAborted(), auth.getHeaders()) : auth.getHeaders(call.signal));
      } catch (error) {
        throw call.abort.aborted || error instanceof ApiError ? error : authFailure(error, ctx);
      }
      sentCredentials = credentials;
      // The provider's name is read now: a chain names what it found only once it has looked.
      ctx = { endpoint, clientRequestId, attempts: attempt, authProvider: auth.name, redact: cut };
      this.#options.logger.debug(`${method} ${endpoint} (attempt ${attempt})`);
      const slot = await this.#slots.acquire(deadlineMs, call.abort, (wait) => (lineWait = wait));
      try {
        const net = this.#connect();
        const wire = net.own ? this.#wireBase(net.own, credentials) : null;
        // Object.assign, not a spread: V8 copies these many times faster so.
        const headers: Record<string, string> = wire ? Object.assign({}, wire) : Object.assign({}, this.#baseHeaders, credentials);
        headers['x-client-request-id'] = clientRequestId;
        headers['idempotency-key'] = idempotencyKey;
        if (attempt > 1) headers['x-retry-attempt'] = String(attempt - 1);
        if (body !== undefined) headers['content-type'] = 'application/json';
        // The SDK's own adapter watches the call's abort itself; a user's instance gets a signal.
        const request: AxiosRequestConfig & { [WIRE_HEADERS]?: WireHeaders } = { method, url: endpoint, signal: net.own ? call.abort : call.signal };
        if (body !== undefined) request.data = body;
        if (wire) request[WIRE_HEADERS] = new WireHeaders(headers);
        else request.headers = headers;
        if (net.overrides) Object.assign(request, net.overrides);
        if (fresh) {
          const { agent } = net.fresh.route(new URL(endpoint).origin);
          Object.assign(request, { httpAgent: agent, httpsAgent: agent });
        }
        return await net.axios.request<string>(request);
      } finally {
        slot.release();
      }
    };
    const attempt = async (n: number): Promise<AttemptOutcome<unknown>> => {
      try {
        let response: AxiosResponse<string>;
        try {
          response = await send(n, false);
        } catch (error) {
          if (call.abort.aborted || method !== 'GET' || !closedWhileIdle(error)) throw error;
          this.#options.logger.debug(`${method} ${endpoint}: ${(error as { code?: string }).code} on a reused socket, sending again on a fresh one`);
          response = await send(n, true);
        }
        return readResponse(response, ctx);
      } catch (error) {
        if (call.abort.aborted || error instanceof ApiError) throw error;
        return { ok: false, failure: failureOfNetwork(error, ctx) };
      }
    };
    const timedOut = (cause: unknown) =>
      markDeadline(lineWait ? lineError(lineWait, ctx, timeoutMs) : deadlineError(timeoutMs, ctx, cause), deadlineMs);
    return call.run({
      policy: this.#options.retry,
      deadlineMs,
      attempt,
      timedOut,
      logger: this.#options.logger,
      what: `${method} ${endpoint}`,
      trace: { call: what.call, operationId: what.operationId, protocol: 'rest', target: endpoint, clientRequestId },
    });
  }
}

/** True when `a` and `b` have the same names with the same values. */
function sameRecord(a: Record<string, string>, b: Record<string, string>): boolean {
  const names = Object.keys(a);
  return names.length === Object.keys(b).length && names.every((name) => a[name] === b[name]);
}

/**
 * True for a reset or a broken pipe on a socket the agent had reused: the server closed it while it
 * sat idle in the pool, before this request reached it. Such a GET is sent again at once.
 */
function closedWhileIdle(error: unknown): boolean {
  const { code, request } = error as { code?: string; request?: { reusedSocket?: boolean } };
  return STALE_SOCKET.has(code ?? '') && request?.reusedSocket === true;
}

/** A 2xx answer's JSON, or the failure of any other answer (a 2xx that is not JSON is not retried). */
function readResponse(response: AxiosResponse<string>, ctx: AttemptContext): AttemptOutcome<unknown> {
  const headers = response.headers as Record<string, unknown>;
  const body = response.data ?? '';
  if (response.status >= 200 && response.status < 300) {
    try {
      return { ok: true, value: JSON.parse(body) };
    } catch {
      // JSON.parse's own message quotes the body: the error says what it needs from it, redacted.
      throw malformedBodyError(response.status, headers, body, ctx);
    }
  }
  return { ok: false, failure: failureOfResponse(response.status, headers, body, ctx, Date.now()) };
}
