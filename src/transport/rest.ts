/**
 * The Operation API over REST: `GET /operations/{id}`, `GET /operations/{id}:cancel`, the POST of
 * a call that starts an operation, and a plain GET, each through an axios instance: the user's, or
 * the SDK's own over {@link createHttpAdapter}. A call goes through the request pipeline
 * (`./pipeline.ts`); this file sends one attempt with the headers of docs/wire.md and reads its
 * answer. A reset on a reused keep-alive socket is stale: the GET goes again at once on a fresh
 * socket (the server closed it while it sat idle in the pool). axios and the HTTP stack are loaded
 * at the first request.
 */
import type { AxiosInstance, AxiosRequestConfig, AxiosResponse, AxiosStatic } from 'axios';
import type { CallOptions, OperationTransport } from '../core/transport';
import { AgentPool } from './agents';
import { useAxios } from './axios';
import { createHttpAdapter, OWN_REQUEST, OwnRequest, wireHeaders } from './http-adapter';
import { type Failure, failureOfNetwork, failureOfResponse, malformedBodyError } from './http-failure';
import { PerCredentials } from './per-credentials';
import { type Exchange, Pipeline, type Protocol } from './pipeline';
import type { AttemptOutcome } from './retrying';
import { type TransportOptions, USER_AGENT, userHeaders } from './transport-options';

/** The options of both transports, and: */
export interface RestTransportOptions extends TransportOptions {
  /** Trusted CA certificates (PEM) for `https:` endpoints, instead of Node's; `null` for Node's. */
  ca: string | Buffer | null;
  /** The user's axios instance, or `null` for the SDK's own. */
  axios: AxiosInstance | null;
}

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
  /** The SDK's own axios, whose adapter takes requests ready-made ({@link OwnRequest}); `null` for the user's instance. */
  own: AxiosStatic | null;
}

/** A REST call: its method, absolute URL and JSON body. */
interface RestRequest {
  method: 'GET' | 'POST';
  url: string;
  body: string | undefined;
}

export class RestTransport implements OperationTransport {
  readonly endpoint: string;
  readonly #wire: RestWire;
  readonly #pipeline: Pipeline<RestRequest, AxiosResponse<string>>;

  constructor(options: RestTransportOptions) {
    this.endpoint = options.endpoint;
    this.#wire = new RestWire(options);
    this.#pipeline = new Pipeline(this.#wire, options);
  }

  getOperation(id: string, options: CallOptions): Promise<unknown> {
    return this.#pipeline.call({ method: 'GET', url: this.#operationUrl(id, ''), body: undefined }, 'get', id, options);
  }

  cancelOperation(id: string, options: CallOptions): Promise<unknown> {
    return this.#pipeline.call({ method: 'GET', url: this.#operationUrl(id, ':cancel'), body: undefined }, 'cancel', id, options);
  }

  getJson(url: string, options: CallOptions): Promise<unknown> {
    return this.#pipeline.call({ method: 'GET', url, body: undefined }, 'fetch', null, options);
  }

  startOperation(url: string, body: unknown, options: CallOptions): Promise<unknown> {
    return this.#pipeline.call({ method: 'POST', url, body: JSON.stringify(body) }, 'start', null, options);
  }

  close(): void {
    this.#pipeline.close();
    this.#wire.close();
  }

  /** `RestTransport<https://...>`: no credentials, no headers. */
  toString(): string {
    return `RestTransport<${this.endpoint}>`;
  }

  #operationUrl(id: string, suffix: '' | ':cancel'): string {
    return `${this.endpoint}/operations/${encodeURIComponent(id)}${suffix}`;
  }
}

/** One attempt of a REST call: the request through axios, and its answer read. */
class RestWire implements Protocol<RestRequest, AxiosResponse<string>> {
  readonly name = 'rest';
  readonly #options: RestTransportOptions;
  /** The headers of every request, but the credentials and the ids of each call. */
  readonly #baseHeaders: Record<string, string>;
  #net: Net | null = null;
  /**
   * The base headers and the credentials as the SDK's own adapter sends them; `null` when a name
   * among them is one of {@link OWN_HEADERS}: then they go through axios with the rest.
   */
  readonly #wireBase = new PerCredentials((credentials) => {
    const headers = wireHeaders(this.#net!.own!, { ...this.#baseHeaders, ...credentials });
    return Object.keys(headers).some((name) => OWN_HEADERS.has(name.toLowerCase())) ? null : headers;
  });

  constructor(options: RestTransportOptions) {
    this.#options = options;
    this.#baseHeaders = { ...userHeaders(options.headers), 'user-agent': USER_AGENT };
    if (options.folderId !== null) this.#baseHeaders['x-folder-id'] = options.folderId;
  }

  target(request: RestRequest): string {
    return request.url;
  }

  describe(request: RestRequest): string {
    return `${request.method} ${request.url}`;
  }

  prepare(): null {
    return null;
  }

  send(exchange: Exchange<RestRequest>, credentials: Record<string, string>, fresh: boolean): Promise<AxiosResponse<string>> {
    const { method, url, body } = exchange.request;
    const net = this.#connect();
    const wire = net.own ? this.#wireBase.of(credentials) : null;
    // Object.assign, not a spread: V8 copies these many times faster so.
    const headers: Record<string, string> = wire ? Object.assign({}, wire) : Object.assign({}, this.#baseHeaders, credentials);
    exchange.stamp(headers);
    if (body !== undefined) headers['content-type'] = 'application/json';
    const agent = fresh ? net.fresh.route(new URL(url).origin).agent : undefined;
    if (net.own) {
      // Only what axios needs (a GET is its default), the rest ready-made for the adapter, which
      // watches the call's abort itself.
      const request: AxiosRequestConfig & { [OWN_REQUEST]: OwnRequest } = {
        url,
        [OWN_REQUEST]: new OwnRequest(wire ? headers : null, exchange.abort, agent),
      };
      if (body !== undefined) Object.assign(request, { method, data: body });
      if (!wire) request.headers = headers;
      return net.axios.request<string>(request);
    }
    const request: AxiosRequestConfig = { method, url, headers, signal: exchange.signal, ...net.overrides };
    if (body !== undefined) request.data = body;
    if (agent) Object.assign(request, { httpAgent: agent, httpsAgent: agent });
    return net.axios.request<string>(request);
  }

  /**
   * A reset or a broken pipe on a socket the agent had reused: the server closed it while it sat
   * idle in the pool, before this request reached it. Such a GET is sent again at once.
   */
  stale(error: unknown, exchange: Exchange<RestRequest>): string | null {
    const { code, request } = error as { code?: string; request?: { reusedSocket?: boolean } };
    return exchange.request.method === 'GET' && STALE_SOCKET.has(code ?? '') && request?.reusedSocket === true
      ? `${code} on a reused socket`
      : null;
  }

  /** A 2xx answer's JSON, or the failure of any other answer (a 2xx that is not JSON is not retried). */
  read(response: AxiosResponse<string>, exchange: Exchange<RestRequest>): AttemptOutcome<unknown> {
    const headers = response.headers as Record<string, unknown>;
    const body = response.data ?? '';
    if (response.status >= 200 && response.status < 300) {
      try {
        return { ok: true, value: JSON.parse(body) };
      } catch {
        // JSON.parse's own message quotes the body: the error says what it needs from it, redacted.
        throw malformedBodyError(response.status, headers, body, exchange);
      }
    }
    return { ok: false, failure: failureOfResponse(response.status, headers, body, exchange, Date.now()) };
  }

  failure(error: unknown, exchange: Exchange<RestRequest>): Failure {
    return failureOfNetwork(error, exchange);
  }

  close(): void {
    this.#net?.pooled.destroy();
    this.#net?.fresh.destroy();
  }

  /** The axios instance and the sockets, made at the first request. */
  #connect(): Net {
    if (this.#net) return this.#net;
    const { ca, axios: userAxios } = this.#options;
    const pooled = new AgentPool({ keepAlive: true, ca, env: process.env });
    const fresh = new AgentPool({ keepAlive: false, ca, env: process.env });
    if (userAxios)
      return (this.#net = {
        axios: userAxios,
        pooled,
        fresh,
        overrides: { ...USER_INSTANCE_OVERRIDES, maxContentLength: this.#options.maxResponseBytes },
        own: null,
      });
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
}
