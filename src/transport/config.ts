/**
 * The client's options, as users give them, checked and resolved into what the REST transport
 * needs. Both flavours check their options here, so they accept and refuse the same things.
 * Checking loads no HTTP code: the transport is made by `./create-transport`.
 */
import type { AxiosInstance } from 'axios';
import { checkOptions, integerInRange, typeName } from '../core/options';
import { RequestPacer } from '../core/pacer';
import { type RetryOptions, resolveRetryPolicy } from '../core/retry';
import { type AuthProvider, type Logger, SILENT_LOGGER } from '../core/transport';
import { envLogger } from './env-logger';
import type { GrpcTransportOptions } from './grpc';
import { isLoopback } from './loopback';
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
   * The API's base URL, or a short name: `operation` (https://operation.api.cloud.yandex.net),
   * `llm` (https://llm.api.cloud.yandex.net), `searchapi` (https://searchapi.api.cloud.yandex.net)
   * or `rest-assistant` (https://rest-assistant.api.cloud.yandex.net). Plain `http://` is accepted for loopback
   * addresses only, unless `allowInsecureHttp` is set. @default 'operation'
   */
  endpoint?: string;
  /** Accept a plain `http://` endpoint on a non-loopback host (credentials travel unencrypted). @default false */
  allowInsecureHttp?: boolean;
  /** The retry policy of every call, or `false` for a single attempt. @default the reference's policy */
  retry?: RetryOptions | false;
  /** Extra headers sent with every request. */
  headers?: Record<string, string>;
  /** Where to log (console-like). @default silent, or a console logger on stderr when `YC_OPERATION_LOG` is debug, info, warn or error */
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
   * How the Operation API is called: `'rest'` (JSON over HTTPS, axios) or `'grpc'`
   * (`yandex.cloud.operation.OperationService` over HTTP/2, as the Python reference; the endpoint's
   * host and port, 443 by default; `http://` to loopback is plaintext). `@grpc/grpc-js` is loaded
   * only by a gRPC client, at its first call. @default 'rest'
   */
  protocol?: 'rest' | 'grpc';
  /**
   * Extra CA certificates (PEM) that `https:` endpoints and gRPC's TLS are checked against: for a
   * TLS-intercepting proxy or a private endpoint (the Python SDK's `verify`). @default Node's CAs
   */
  ca?: string | Buffer;
  /**
   * The axios instance that sends the requests (promise flavour, REST only): its interceptors,
   * adapter, agents and proxy apply. Each request still overrides `maxRedirects` (0),
   * `responseType` ('text'), `transformRequest`/`transformResponse` (none) and `validateStatus`
   * (every status answers). @default the SDK's own instance, over `node:http` keep-alive agents
   */
  axios?: AxiosInstance;
  /**
   * Find the gRPC address as the Python SDK does: at the first call, ask `ApiEndpointService.List`
   * on `YC_API_ENDPOINT` (default `api.cloud.yandex.net:443`; `http://<loopback>:port` is plaintext)
   * for the endpoint `operation` (or `ai-foundation-models` with `endpoint: 'llm'`), and call the
   * address it gives. Needs `protocol: 'grpc'` and a short-name `endpoint`. @default false: the
   * static table (`operation.api.cloud.yandex.net:443`, `llm.api.cloud.yandex.net:443`)
   */
  discoverEndpoints?: boolean;
  /**
   * The largest answer this client reads, in bytes: a REST body (after `content-encoding` is
   * decoded, and before) or a gRPC message. A larger one is not read further and fails the call
   * with an `ApiError` (gRPC 8 RESOURCE_EXHAUSTED, not retried) that names this limit. The default
   * fits the largest answers AI Studio gives: an image generation result carries the image as
   * base64 (a few MB), and web search raw data can be several MB; gRPC's usual 4 MiB would refuse
   * some of them, while 64 MiB still bounds what a broken server or proxy can make the process
   * hold. From 1 to 268435456 (256 MiB: an answer becomes one string, which V8 caps near 512 MiB).
   * @default 67108864 (64 MiB)
   */
  maxResponseBytes?: number;
}

export const CLIENT_OPTIONS = [
  'auth',
  'folderId',
  'endpoint',
  'allowInsecureHttp',
  'retry',
  'headers',
  'logger',
  'iamEndpoint',
  'maxRequestsPerSecond',
  'protocol',
  'ca',
  'discoverEndpoints',
  'axios',
  'maxResponseBytes',
] as const;

/** The default of {@link ClientOptions.maxResponseBytes}: 64 MiB, in bytes. */
const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
/** The largest {@link ClientOptions.maxResponseBytes}: 256 MiB, in bytes. */
const MAX_RESPONSE_BYTES_CAP = 256 * 1024 * 1024;

/** The short names the `endpoint` option takes, and the base URLs they stand for. */
export const SHORT_ENDPOINTS: Readonly<Record<string, string>> = {
  operation: 'https://operation.api.cloud.yandex.net',
  llm: 'https://llm.api.cloud.yandex.net',
  searchapi: 'https://searchapi.api.cloud.yandex.net',
  'rest-assistant': 'https://rest-assistant.api.cloud.yandex.net',
};

/** The endpoint ids of `ApiEndpointService.List` for the short names' URLs (wire.md). */
const DISCOVERY_IDS: Record<string, string> = {
  [SHORT_ENDPOINTS.operation as string]: 'operation',
  [SHORT_ENDPOINTS.llm as string]: 'ai-foundation-models',
};
const DEFAULT_API_ENDPOINT = 'api.cloud.yandex.net:443';

/** The checked options, with `auth` still to be resolved. */
export interface ClientConfig extends Omit<RestTransportOptions, 'auth'> {
  auth: ClientOptions['auth'];
  iamEndpoint: string | undefined;
  /** The client's request budget (spent by the operation machine, on the caller's side). */
  budget: RequestPacer | null;
  protocol: 'rest' | 'grpc';
  ca: string | Buffer | null;
  discovery: GrpcTransportOptions['discovery'];
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
    logger: checkLogger(o.logger, env),
    iamEndpoint: o.iamEndpoint === undefined ? undefined : resolveEndpoint(o.iamEndpoint, o.allowInsecureHttp ?? false),
    budget: o.maxRequestsPerSecond === undefined ? null : new RequestPacer(o.maxRequestsPerSecond),
    protocol: checkProtocol(o.protocol),
    ca: checkCa(o.ca),
    axios: checkAxios(o.axios, o.protocol),
    discovery: resolveDiscovery(o, env),
    maxResponseBytes:
      o.maxResponseBytes === undefined
        ? DEFAULT_MAX_RESPONSE_BYTES
        : integerInRange('maxResponseBytes', o.maxResponseBytes, 1, MAX_RESPONSE_BYTES_CAP),
  };
}

/** Where endpoint discovery asks, and for which id; `null` unless `discoverEndpoints` is set. */
function resolveDiscovery(o: ClientOptions, env: NodeJS.ProcessEnv): GrpcTransportOptions['discovery'] {
  if (o.discoverEndpoints === undefined || o.discoverEndpoints === false) return null;
  if (o.discoverEndpoints !== true) throw new TypeError(`discoverEndpoints must be a boolean, got ${typeName(o.discoverEndpoints)}`);
  if (o.protocol !== 'grpc') throw new TypeError("discoverEndpoints needs protocol: 'grpc' (the endpoint list gives gRPC addresses)");
  const id = DISCOVERY_IDS[resolveEndpoint(o.endpoint ?? 'operation', true)];
  if (id === undefined)
    throw new TypeError(
      `discoverEndpoints needs endpoint ${Object.keys(SHORT_ENDPOINTS).join(' or ')} (the ids it looks up), not another URL`,
    );
  const api = env.YC_API_ENDPOINT || DEFAULT_API_ENDPOINT;
  return { api: resolveEndpoint(/^[a-z]+:\/\//i.test(api) ? api : `https://${api}`, o.allowInsecureHttp ?? false), id };
}

function checkProtocol(protocol: unknown): 'rest' | 'grpc' {
  if (protocol === undefined) return 'rest';
  if (protocol !== 'rest' && protocol !== 'grpc')
    throw new TypeError(
      `protocol must be 'rest' or 'grpc', got ${typeof protocol === 'string' ? JSON.stringify(protocol.slice(0, 100)) : typeName(protocol)}`,
    );
  return protocol;
}

/** A PEM string or bytes (a Buffer reaches the blocking worker as a Uint8Array). */
function checkCa(ca: unknown): string | Buffer | null {
  if (ca === undefined) return null;
  if ((typeof ca !== 'string' && !(ca instanceof Uint8Array)) || ca.length === 0)
    throw new TypeError(`ca must be a non-empty PEM string or Buffer, got ${typeName(ca)}`);
  return typeof ca === 'string' ? ca : Buffer.from(ca);
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
    throw new TypeError(
      `endpoint must be a URL or one of ${Object.keys(SHORT_ENDPOINTS).join(', ')}, got ${JSON.stringify(endpoint.slice(0, 100))}`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TypeError(`endpoint must be an http(s) URL, got ${url.protocol}`);
  if (url.username || url.password) throw new TypeError('endpoint must not carry credentials; use the auth option');
  if (url.search || url.hash) throw new TypeError('endpoint must not have a query or a fragment');
  if (url.protocol === 'http:' && !allowInsecureHttp && !isLoopback(url.hostname)) {
    throw new TypeError(`endpoint ${url.origin} is plain http to a non-loopback host; use https, or set allowInsecureHttp: true`);
  }
  return url.href.replace(/\/+$/, '');
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

function checkAxios(instance: unknown, protocol: unknown): AxiosInstance | null {
  if (instance === undefined) return null;
  if (protocol === 'grpc') throw new TypeError("the axios option sends REST requests: it does not go with protocol: 'grpc'");
  if (typeof instance === 'function' && typeof (instance as AxiosInstance).request === 'function') return instance as AxiosInstance;
  throw new TypeError(`axios must be an axios instance (axios.create()), got ${typeName(instance)}`);
}

function checkLogger(logger: unknown, env: NodeJS.ProcessEnv): Logger {
  if (logger === undefined) return envLogger(env) ?? SILENT_LOGGER;
  for (const level of ['debug', 'info', 'warn', 'error'] as const) {
    if (typeof (logger as Logger)?.[level] !== 'function') throw new TypeError(`logger must have a ${level}() method`);
  }
  return logger as Logger;
}
