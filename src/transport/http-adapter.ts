/**
 * The axios adapter that moves the bytes by default (axios's documented `adapter` extension
 * point): one `node:http`/`node:https` request per axios request, on the {@link AgentPool}'s
 * agent for the URL's origin, or on the request's own `httpAgent`/`httpsAgent` when it names one.
 * Never follows a redirect; asks for and decodes compressed answers as axios does (gzip, deflate,
 * br); reads at most a set number of bytes, before and after decoding; gives the body as UTF-8
 * text; settles by `validateStatus` as axios does. A failure with no answer rejects with an
 * `AxiosError` that keeps Node's `code` and the `request` (whose `reusedSocket` tells a stale
 * keep-alive socket). An answer too large or that cannot be decoded rejects with the error
 * axios's own adapter gives for it (`./http-failure` reads both). The SDK's own requests give
 * their headers, abort and agent ready-made ({@link OWN_REQUEST}), past axios's config handling.
 */

import type { Agent, ClientRequest, IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import type * as Zlib from 'node:zlib';
import type { AxiosAdapter, AxiosResponse, AxiosStatic, InternalAxiosRequestConfig } from 'axios';
import { type AbortWatcher, type Stopper, unwatchAbort, watchAbort } from '../runtime/abort';
import { loadAtFirstUse } from '../runtime/load';
import type { AgentPool } from './agents';

type AxiosParts = Pick<AxiosStatic, 'AxiosError' | 'CanceledError' | 'AxiosHeaders'>;

/**
 * The config key of what the SDK's own requests give the adapter ready-made ({@link OwnRequest}),
 * so that axios's config merge and header handling, which copy and normalize every header and
 * option several times a request, pass over them untouched.
 */
export const OWN_REQUEST = Symbol('own request');

/** What a request names under {@link OWN_REQUEST}: no plain object, so axios's config merge passes it along uncopied. */
export class OwnRequest {
  constructor(
    /**
     * The headers as they go on the wire ({@link wireHeaders} of the constant ones, with the
     * call's own); `null` to send the request's axios `headers`.
     */
    readonly headers: Readonly<Record<string, string>> | null,
    /** Stops the request: an AbortSignal, or the SDK's own lazy abort (src/runtime/lazy-abort.ts), watched without making its signal. */
    readonly abort: Stopper | undefined,
    /** The agent of this request (one-use sockets); `undefined` for the pool's. */
    readonly agent: Agent | undefined,
  ) {}
}

/** What the SDK's requests accept, as axios's own adapter asks: the encodings {@link CODECS} decode. */
const ACCEPT_ENCODING = 'gzip, deflate, br';

/**
 * `headers` as this adapter sends a request's axios `headers`: names trimmed and merged
 * case-insensitively and values cleaned as axios does, and `accept-encoding` asked unless named.
 */
export function wireHeaders(
  axios: Pick<AxiosStatic, 'AxiosHeaders' | 'mergeConfig'>,
  headers: Record<string, string>,
): Record<string, string> {
  const merged = axios.mergeConfig({ headers: {} }, { headers }).headers;
  const sent = {
    ...axios.AxiosHeaders.concat({}, merged as Record<string, string>)
      .normalize(false)
      .toJSON(),
  } as Record<string, string>;
  sent['accept-encoding'] ??= ACCEPT_ENCODING;
  return sent;
}

/**
 * The adapter over `pool`; `axios` is the axios it serves (for its error and header classes).
 * An answer whose body is longer than `maxResponseBytes`, as sent or once decoded, is not read
 * further: the request is destroyed and rejects with axios's `maxContentLength` error.
 */
export function createHttpAdapter(pool: AgentPool, axios: AxiosParts, maxResponseBytes: number): AxiosAdapter {
  const parts: AdapterParts = { pool, axios, maxResponseBytes };
  return (config) => new Promise<AxiosResponse>((resolve, reject) => new Flight(parts, config, resolve, reject).start());
}

/** What every request of one adapter uses. */
interface AdapterParts {
  pool: AgentPool;
  axios: AxiosParts;
  maxResponseBytes: number;
}

/**
 * One request of the adapter, from its send to its settling. One object that watches the abort
 * itself, with one listener per event, so that a request makes few closures.
 */
class Flight implements AbortWatcher {
  readonly #parts: AdapterParts;
  readonly #config: InternalAxiosRequestConfig;
  readonly #resolve: (response: AxiosResponse) => void;
  readonly #reject: (error: Error) => void;
  #req: ClientRequest | null = null;
  #signal: Stopper | undefined = undefined;
  #timer: NodeJS.Timeout | undefined = undefined;
  #settled = false;
  /** The whole answer came: its socket may be back in the agent's pool, and is not destroyed. */
  #received = false;
  #res: IncomingMessage | null = null;
  readonly #chunks: Buffer[] = [];
  #length = 0;

  constructor(
    parts: AdapterParts,
    config: InternalAxiosRequestConfig,
    resolve: (response: AxiosResponse) => void,
    reject: (error: Error) => void,
  ) {
    this.#parts = parts;
    this.#config = config;
    this.#resolve = resolve;
    this.#reject = reject;
  }

  start(): void {
    const config = this.#config;
    const { pool, axios } = this.#parts;
    const own = (config as { [OWN_REQUEST]?: OwnRequest })[OWN_REQUEST];
    const signal = own ? own.abort : (config.signal as Stopper | undefined);
    if (signal?.aborted) return this.#reject(new axios.CanceledError(undefined, config));
    const { origin, path } = split(config.url ?? '', config.baseURL);
    const route = pool.route(origin);
    const agent = own?.agent ?? (route.protocol === 'https:' ? config.httpsAgent : config.httpAgent) ?? route.agent;
    let headers: OutgoingHttpHeaders | null | undefined = own?.headers;
    if (!headers) {
      headers = config.headers.toJSON() as OutgoingHttpHeaders;
      headers['accept-encoding'] ??= ACCEPT_ENCODING;
    }
    const method = config.method === undefined || config.method === 'get' ? 'GET' : config.method.toUpperCase();
    const req = route.request({ protocol: route.protocol, hostname: route.hostname, port: route.port, path, method, headers, agent });
    this.#req = req;
    if (signal) {
      this.#signal = signal;
      watchAbort(signal, this);
    }
    // axios's `timeout` bounds the whole request (the transport bounds its calls with `signal`).
    const timeout = config.timeout;
    if (timeout)
      this.#timer = setTimeout(
        () => this.#stop(new axios.AxiosError(`timeout of ${timeout}ms exceeded`, 'ECONNABORTED', config, req)),
        timeout,
      );
    // `on`, not `once`: a socket may report more than one error, and none may go unheard.
    req.on('error', this.#fail);
    req.on('response', this.#onResponse);
    req.end(config.data as string | undefined);
  }

  /** The request's abort: fails with axios's cancel error. */
  onAbort(): void {
    this.#stop(new this.#parts.axios.CanceledError(undefined, this.#config, this.#req!));
  }

  #settle(): void {
    this.#settled = true;
    clearTimeout(this.#timer);
    if (this.#signal) unwatchAbort(this.#signal, this);
  }

  readonly #fail = (error: Error & { code?: string }): void => {
    if (this.#settled) return;
    this.#settle();
    const { AxiosError } = this.#parts.axios;
    this.#reject(error instanceof AxiosError ? error : AxiosError.from(error, error.code, this.#config, this.#req!));
  };

  /** Failed at once (an answer being decoded has no request left to fail), and the request destroyed if still under way. */
  #stop(error: Error): void {
    this.#fail(error);
    if (!this.#received) this.#req!.destroy(error);
  }

  /** Fails with axios's own error for a body over the limit, and stops the answer coming. */
  #tooLarge(): void {
    const { axios, maxResponseBytes } = this.#parts;
    const message = `maxContentLength size of ${maxResponseBytes} exceeded`;
    this.#stop(new axios.AxiosError(message, 'ERR_BAD_RESPONSE', this.#config, this.#req!, this.#answer('')));
  }

  readonly #onResponse = (res: IncomingMessage): void => {
    this.#res = res;
    res.on('error', this.#fail);
    if (Number(res.headers['content-length']) > this.#parts.maxResponseBytes) return this.#tooLarge();
    res.on('data', this.#onData);
    res.on('end', this.#onEnd);
  };

  readonly #onData = (chunk: Buffer): void => {
    this.#length += chunk.length;
    if (this.#length > this.#parts.maxResponseBytes) return this.#tooLarge();
    this.#chunks.push(chunk);
  };

  readonly #onEnd = (): void => {
    this.#received = true;
    if (this.#settled) return;
    const chunks = this.#chunks;
    const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, this.#length);
    const encoding = this.#res!.headers['content-encoding']?.trim().toLowerCase() ?? '';
    if (body.length === 0 || !CODECS.has(encoding)) return this.#finish(body);
    decode(encoding, body, this.#parts.maxResponseBytes, (error, decoded) => {
      if (error?.code === 'ERR_BUFFER_TOO_LARGE') return this.#tooLarge();
      // zlib's error (its code, and a message that never quotes the bytes), with the answer.
      if (error) return this.#fail(this.#parts.axios.AxiosError.from(error, error.code, this.#config, this.#req!, this.#answer('')));
      this.#finish(decoded!);
    });
  };

  #finish(body: Buffer): void {
    if (this.#settled) return;
    this.#settle();
    const { AxiosError } = this.#parts.axios;
    // Inside a stream's callback: nothing may throw out of it (a validateStatus of the user's, say).
    try {
      const response = this.#answer(body.toString('utf8'));
      const valid = this.#config.validateStatus;
      if (!valid || valid(response.status)) return this.#resolve(response);
      const code = response.status < 500 ? 'ERR_BAD_REQUEST' : 'ERR_BAD_RESPONSE';
      this.#reject(new AxiosError(`Request failed with status code ${response.status}`, code, this.#config, this.#req!, response));
    } catch (error) {
      this.#reject(AxiosError.from(error, (error as { code?: string }).code, this.#config, this.#req!));
    }
  }

  /**
   * The answer with `data` as its body (`''` for an error about a body that was not read). Its
   * headers are Node's (names already trimmed and lower-case), in an `AxiosHeaders` made without
   * its constructor's normalizing: axios normalizes a response's headers itself.
   */
  #answer(data: string): AxiosResponse<string> {
    const res = this.#res!;
    const headers = Object.assign(Object.create(this.#parts.axios.AxiosHeaders.prototype) as AxiosResponse['headers'], res.headers);
    return { data, status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', headers, config: this.#config, request: this.#req };
  }
}

type Decoded = (error: (Error & { code?: string }) | null, body?: Buffer) => void;
type Options = Zlib.ZlibOptions & Zlib.BrotliOptions;

/** One zlib decoder, in its two forms: on the caller's thread, and on libuv's pool. */
interface Codec {
  sync: (body: Buffer, options: Options) => Buffer;
  async: (body: Buffer, options: Options, done: Decoded) => void;
}

/** The decoder of each `content-encoding` the SDK accepts; any other encoding is left as it came. */
const CODECS = new Map<string, (zlib: typeof Zlib, body: Buffer) => Codec>([
  ['gzip', (zlib) => ({ sync: zlib.gunzipSync, async: zlib.gunzip })],
  ['x-gzip', (zlib) => ({ sync: zlib.gunzipSync, async: zlib.gunzip })],
  // `deflate` is zlib-wrapped by the standard; some servers send it raw, which axios reads too.
  [
    'deflate',
    (zlib, body) =>
      zlibWrapped(body) ? { sync: zlib.inflateSync, async: zlib.inflate } : { sync: zlib.inflateRawSync, async: zlib.inflateRaw },
  ],
  ['br', (zlib) => ({ sync: zlib.brotliDecompressSync, async: zlib.brotliDecompress })],
]);

/**
 * Up to this many bytes (4 KiB), a body is decoded on the caller's thread: a poll's answer takes
 * microseconds so, a third of a trip to libuv's pool. Larger ones go to the pool.
 */
const DECODE_HERE_MAX_BYTES = 4096;

/**
 * Decodes `body` (node:zlib, loaded at the first encoded answer), stopping as soon as the output
 * passes `maxBytes` (`ERR_BUFFER_TOO_LARGE`): a small bomb never grows past the limit. `done` is
 * called once, never inside a throw.
 */
function decode(encoding: string, body: Buffer, maxBytes: number, done: Decoded): void {
  const codec = CODECS.get(encoding)!(loadAtFirstUse<typeof Zlib>('node:zlib'), body);
  const options = { maxOutputLength: maxBytes };
  if (body.length > DECODE_HERE_MAX_BYTES) return codec.async(body, options, done);
  let decoded: Buffer;
  try {
    decoded = codec.sync(body, options);
  } catch (error) {
    return done(error as Error);
  }
  done(null, decoded);
}

/** True when `body` starts with a zlib header (RFC 1950: deflate, and a check that divides by 31). */
function zlibWrapped(body: Buffer): boolean {
  return body.length >= 2 && (body[0]! & 0x0f) === 8 && ((body[0]! << 8) | body[1]!) % 31 === 0;
}

/**
 * The origin and the path of an absolute URL (or of `url` on `baseURL`), cut from the string: a
 * request parses no URL but the first one of each origin.
 */
function split(url: string, baseURL: string | undefined): { origin: string; path: string } {
  const absolute = url.startsWith('http://') || url.startsWith('https://') || /^https?:\/\//i.test(url) ? url : new URL(url, baseURL).href;
  const slash = absolute.indexOf('/', absolute.indexOf('//') + 2);
  return slash < 0 ? { origin: absolute, path: '/' } : { origin: absolute.slice(0, slash), path: absolute.slice(slash) };
}
