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
import { type Stopper, whenAborted } from '../runtime/abort';
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
  return (config) =>
    new Promise<AxiosResponse>((resolve, reject) => {
      const own = (config as { [OWN_REQUEST]?: OwnRequest })[OWN_REQUEST];
      const signal = own ? own.abort : (config.signal as Stopper | undefined);
      if (signal?.aborted) return reject(new axios.CanceledError(undefined, config));
      const { origin, path } = split(config.url ?? '', config.baseURL);
      const route = pool.route(origin);
      const agent = own?.agent ?? (route.protocol === 'https:' ? config.httpsAgent : config.httpAgent) ?? route.agent;
      let headers: OutgoingHttpHeaders | null | undefined = own?.headers;
      if (!headers) {
        headers = config.headers.toJSON() as OutgoingHttpHeaders;
        headers['accept-encoding'] ??= ACCEPT_ENCODING;
      }
      const method = (config.method ?? 'get').toUpperCase();
      const req = route.request({ protocol: route.protocol, hostname: route.hostname, port: route.port, path, method, headers, agent });
      const stopWatching = signal ? whenAborted(signal, () => stop(new axios.CanceledError(undefined, config, req))) : null;
      // axios's `timeout` bounds the whole request (the transport bounds its calls with `signal`).
      const timer = config.timeout
        ? setTimeout(
            () => stop(new axios.AxiosError(`timeout of ${config.timeout}ms exceeded`, 'ECONNABORTED', config, req)),
            config.timeout,
          )
        : undefined;
      let settled = false;
      /** The whole answer came: its socket may be back in the agent's pool, and is not destroyed. */
      let received = false;
      const settle = () => {
        settled = true;
        clearTimeout(timer);
        stopWatching?.();
      };
      const fail = (error: Error & { code?: string }) => {
        if (settled) return;
        settle();
        reject(error instanceof axios.AxiosError ? error : axios.AxiosError.from(error, error.code, config, req));
      };
      // Failed at once (an answer being decoded has no request left to fail), and the request destroyed if still under way.
      const stop = (error: Error) => {
        fail(error);
        if (!received) req.destroy(error);
      };
      /** Fails with axios's own error for a body over the limit, and stops the answer coming. */
      const tooLarge = (res: IncomingMessage) => {
        stop(
          new axios.AxiosError(
            `maxContentLength size of ${maxResponseBytes} exceeded`,
            'ERR_BAD_RESPONSE',
            config,
            req,
            partial(res, config, req, axios),
          ),
        );
      };
      // `on`, not `once`: a socket may report more than one error, and none may go unheard.
      req.on('error', fail);
      req.once('response', (res: IncomingMessage) => {
        res.on('error', fail);
        if (Number(res.headers['content-length']) > maxResponseBytes) return tooLarge(res);
        const chunks: Buffer[] = [];
        let length = 0;
        res.on('data', (chunk: Buffer) => {
          length += chunk.length;
          if (length > maxResponseBytes) return tooLarge(res);
          chunks.push(chunk);
        });
        res.once('end', () => {
          received = true;
          if (settled) return;
          const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, length);
          const encoding = res.headers['content-encoding']?.trim().toLowerCase() ?? '';
          if (body.length === 0 || !CODECS.has(encoding)) return finish(res, body);
          decode(encoding, body, maxResponseBytes, (error, decoded) => {
            if (error?.code === 'ERR_BUFFER_TOO_LARGE') return tooLarge(res);
            // zlib's error (its code, and a message that never quotes the bytes), with the answer.
            if (error) return fail(axios.AxiosError.from(error, error.code, config, req, partial(res, config, req, axios)));
            finish(res, decoded!);
          });
        });
      });
      const finish = (res: IncomingMessage, body: Buffer) => {
        if (settled) return;
        settle();
        // Inside a stream's callback: nothing may throw out of it (a validateStatus of the user's, say).
        try {
          const response = answer(res, body, config, req, axios);
          const valid = config.validateStatus;
          if (!valid || valid(response.status)) return resolve(response);
          const code = response.status < 500 ? 'ERR_BAD_REQUEST' : 'ERR_BAD_RESPONSE';
          reject(new axios.AxiosError(`Request failed with status code ${response.status}`, code, config, req, response));
        } catch (error) {
          reject(axios.AxiosError.from(error, (error as { code?: string }).code, config, req));
        }
      };
      req.end(config.data as string | undefined);
    });
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

/** The answer, its headers already axios's (which it would otherwise make twice over from Node's). */
function answer(
  res: IncomingMessage,
  body: Buffer,
  config: InternalAxiosRequestConfig,
  request: ClientRequest,
  axios: AxiosParts,
): AxiosResponse<string> {
  return { ...partial(res, config, request, axios), data: body.toString('utf8') };
}

/**
 * The answer's status and headers, without its body (for an error about a body that was not
 * read). Its headers are Node's (names already trimmed and lower-case), in an `AxiosHeaders`
 * made without its constructor's normalizing: axios normalizes a response's headers itself.
 */
function partial(
  res: IncomingMessage,
  config: InternalAxiosRequestConfig,
  request: ClientRequest,
  axios: AxiosParts,
): AxiosResponse<string> {
  const headers = Object.assign(Object.create(axios.AxiosHeaders.prototype) as AxiosResponse['headers'], res.headers);
  return { data: '', status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', headers, config, request };
}
