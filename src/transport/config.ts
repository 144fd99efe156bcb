/**
 * The client's options, as users give them, checked and resolved into what the REST transport
 * needs. Both flavours check their options here, so they accept and refuse the same things.
 * Checking loads no HTTP code: the transport is made by `./create-transport`.
 */
import type { AxiosInstance } from 'axios';
import { checkOptions, typeName } from '../core/options';
import { resolveRetryPolicy, type RetryOptions } from '../core/retry';
import { RequestPacer } from '../core/pacer';
import type { AuthProvider, Logger } from '../core/transport';
import type { RestTransportOptions } from './rest';

/** Credentials as plain data (what the blocking flavour accepts). */
export type AuthData = string | { apiKey: string } | { iamToken: string } | { oauthToken: string } | null;

/** Options of a client. Times are in seconds. */
export interface ClientOptions {
  /**
   * The credentials. A bare string is classified by its shape: `t1.`-style IAM token,
   * `y0_`..`y3_` OAuth token, anything else an API key. `null`: send none (an emulator or a proxy
   * that authenticates). Absent: the reference's chain from the environment (`YC_API_KEY`,
   * `YC_IAM_TOKEN`, `YC_OAUTH_TOKEN`, the VM metadata service, `YC_TOKEN`, the `yc` CLI).
   * The async client also takes an {@link AuthProvider}.
   */
  auth?: AuthData | AuthProvider;
  /** Sent as `x-folder-id`. @default process.env.YC_FOLDER_ID */
  folderId?: string;
  /**
   * The API's base URL, or a short name: `operation` (https://operation.api.cloud.yandex.net)
   * or `llm` (https://llm.api.cloud.yandex.net). Plain `http://` is accepted for loopback
   * addresses only, unless `allowInsecureHttp` is set. @default 'operation'
   */
  endpoint?: string;
  /** Accept a plain `http://` endpoint on a non-loopback host (credentials travel unencrypted). @default false */
  allowInsecureHttp?: boolean;
  /** The retry policy of every call, or `false` for a single attempt. @default the reference's policy */
  retry?: RetryOptions | false;
  /** Extra headers sent with every request. */
  headers?: Record<string, string>;
  /** Where to log (console-like). @default silent */
  logger?: Logger;
  /** The IAM API that exchanges an OAuth token for an IAM token. @default 'https://iam.api.cloud.yandex.net' */
  iamEndpoint?: string;
  /**
   * The most requests this client starts per second, shared in turn by every call, wait and
   * `waitAll` of the client. A request waits for its slot within its own deadline; AI Studio's
   * quota for getting async results is 50 per second per cloud. @default no limit
   */
  maxRequestsPerSecond?: number;
  /**
   * The CA certificates (PEM) that `https:` endpoints are checked against, instead of Node's own:
   * for a TLS-intercepting proxy or a private endpoint (the Python SDK's `verify`). @default Node's CAs
   */
  ca?: string | Buffer;
  /**
   * The axios instance that sends the requests (promise flavour only): its interceptors,
   * adapter, agents and proxy apply. Each request still overrides `maxRedirects` (0),
   * `responseType` ('text'), `transformRequest`/`transformResponse` (none) and `validateStatus`
   * (every status answers). @default the SDK's own instance, over `node:http` keep-alive agents
   */
  axios?: AxiosInstance;
}

export const CLIENT_OPTIONS = ['auth', 'folderId', 'endpoint', 'allowInsecureHttp', 'retry', 'headers', 'logger', 'iamEndpoint', 'maxRequestsPerSecond', 'ca', 'axios'] as const;

const SHORT_ENDPOINTS: Record<string, string> = {
  operation: 'https://operation.api.cloud.yandex.net',
  llm: 'https://llm.api.cloud.yandex.net',
};

const SILENT: Logger = Object.freeze({ debug() {}, info() {}, warn() {}, error() {} });

/** The checked options, with `auth` still to be resolved. */
export interface ClientConfig extends Omit<RestTransportOptions, 'auth'> {
  auth: ClientOptions['auth'];
  iamEndpoint: string | undefined;
  /** The client's request budget (spent by the operation machine, on the caller's side). */
  budget: RequestPacer | null;
}

/** Checks a client's options; throws a TypeError or RangeError naming the bad option. */
export function resolveClientConfig(options: ClientOptions | undefined, env: NodeJS.ProcessEnv = process.env): ClientConfig {
  const o = checkOptions('client', options, CLIENT_OPTIONS);
  if (o.allowInsecureHttp !== undefined && typeof o.allowInsecureHttp !== 'boolean') {
    throw new TypeError(`allowInsecureHttp must be a boolean, got ${typeName(o.allowInsecureHttp)}`);
  }
  const folderId = o.folderId ?? (env.YC_FOLDER_ID || null);
  if (folderId !== null && (typeof folderId !== 'string' || folderId === '')) {
    throw new TypeError(`folderId must be a non-empty string, got ${typeName(folderId)}`);
  }
  return {
    endpoint: resolveEndpoint(o.endpoint ?? 'operation', o.allowInsecureHttp ?? false),
    auth: o.auth,
    folderId,
    headers: checkHeaders(o.headers),
    retry: resolveRetryPolicy(o.retry),
    logger: checkLogger(o.logger),
    iamEndpoint: o.iamEndpoint === undefined ? undefined : resolveEndpoint(o.iamEndpoint, o.allowInsecureHttp ?? false),
    budget: o.maxRequestsPerSecond === undefined ? null : new RequestPacer(o.maxRequestsPerSecond),
    ca: checkCa(o.ca),
    axios: checkAxios(o.axios),
  };
}

/** A base URL from a short name or a URL; refuses what would leak credentials. */
export function resolveEndpoint(endpoint: unknown, allowInsecureHttp: boolean): string {
  if (typeof endpoint !== 'string') throw new TypeError(`endpoint must be a string, got ${typeName(endpoint)}`);
  const short = SHORT_ENDPOINTS[endpoint];
  if (short) return short;
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new TypeError(`endpoint must be a URL or one of ${Object.keys(SHORT_ENDPOINTS).join(', ')}, got ${JSON.stringify(endpoint.slice(0, 100))}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TypeError(`endpoint must be an http(s) URL, got ${url.protocol}`);
  if (url.username || url.password) throw new TypeError('endpoint must not carry credentials; use the auth option');
  if (url.search || url.hash) throw new TypeError('endpoint must not have a query or a fragment');
  if (url.protocol === 'http:' && !allowInsecureHttp && !isLoopback(url.hostname)) {
    throw new TypeError(`endpoint ${url.origin} is plain http to a non-loopback host; use https, or set allowInsecureHttp: true`);
  }
  return url.href.replace(/\/+$/, '');
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

function checkHeaders(headers: unknown): Record<string, string> {
  if (headers === undefined) return {};
  if (headers === null || typeof headers !== 'object' || Array.isArray(headers)) {
    throw new TypeError(`headers must be an object of strings, got ${typeName(headers)}`);
  }
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value !== 'string') throw new TypeError(`headers[${JSON.stringify(name)}] must be a string, got ${typeName(value)}`);
    out[name.toLowerCase()] = value;
  }
  return out;
}

function checkCa(ca: unknown): string | Buffer | null {
  if (ca === undefined) return null;
  if ((typeof ca === 'string' || Buffer.isBuffer(ca)) && ca.length > 0) return ca;
  throw new TypeError(`ca must be a non-empty string or Buffer of PEM certificates, got ${typeName(ca)}`);
}

function checkAxios(instance: unknown): AxiosInstance | null {
  if (instance === undefined) return null;
  if (typeof instance === 'function' && typeof (instance as AxiosInstance).request === 'function') return instance as AxiosInstance;
  throw new TypeError(`axios must be an axios instance (axios.create()), got ${typeName(instance)}`);
}

function checkLogger(logger: unknown): Logger {
  if (logger === undefined) return SILENT;
  for (const level of ['debug', 'info', 'warn', 'error'] as const) {
    if (typeof (logger as Logger)?.[level] !== 'function') throw new TypeError(`logger must have a ${level}() method`);
  }
  return logger as Logger;
}
