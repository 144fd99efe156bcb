/**
 * The axios adapter that moves the bytes by default (axios's documented `adapter` extension
 * point): one `node:http`/`node:https` request per axios request, on the {@link AgentPool}'s
 * agent for the URL's origin, or on the request's own `httpAgent`/`httpsAgent` when it names one.
 * Never follows a redirect; reads the body as UTF-8 text; settles by `validateStatus` as axios
 * does. A failure with no answer rejects with an `AxiosError` that keeps Node's `code` and the
 * `request` (whose `reusedSocket` tells a stale keep-alive socket). A request may name headers that
 * skip axios's own header handling ({@link WIRE_HEADERS}).
 */
import type { AxiosAdapter, AxiosResponse, AxiosStatic, InternalAxiosRequestConfig } from 'axios';
import type { ClientRequest, IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import type { AgentPool } from './agents';
import { whenAborted, type Stopper } from '../runtime/abort';

type AxiosParts = Pick<AxiosStatic, 'AxiosError' | 'CanceledError' | 'AxiosHeaders'>;

/**
 * The config key of a request's wire headers: sent after its axios `headers` (a name sent in both
 * goes with the wire value, as node:http sets names case-insensitively), without passing axios's
 * header handling, which merges, normalizes and copies every header several times a request. Make
 * them with {@link asAxiosSends}.
 */
export const WIRE_HEADERS = Symbol('wire headers');

/** What a request names under {@link WIRE_HEADERS}: no plain object, so axios's config merge passes it along uncopied. */
export class WireHeaders {
  constructor(readonly headers: Readonly<Record<string, string>>) {}
}

/** `headers` as `axios` sends a request's `headers` (names trimmed and merged case-insensitively, values cleaned). */
export function asAxiosSends(axios: Pick<AxiosStatic, 'AxiosHeaders' | 'mergeConfig'>, headers: Record<string, string>): Record<string, string> {
  const merged = axios.mergeConfig({ headers: {} }, { headers }).headers;
  return { ...axios.AxiosHeaders.concat({}, merged as Record<string, string>).normalize(false).toJSON() } as Record<string, string>;
}

/** The adapter over `pool`; `axios` is the axios it serves (for its error and header classes). */
export function createHttpAdapter(pool: AgentPool, axios: AxiosParts): AxiosAdapter {
  return (config) => new Promise<AxiosResponse>((resolve, reject) => {
    // An AbortSignal, or the SDK's own lazy abort (src/runtime/lazy-abort.ts), watched without making its signal.
    const signal = config.signal as Stopper | undefined;
    if (signal?.aborted) return reject(new axios.CanceledError(undefined, config));
    const { origin, path } = split(config.url ?? '', config.baseURL);
    const route = pool.route(origin);
    const agent = (route.protocol === 'https:' ? config.httpsAgent : config.httpAgent) ?? route.agent;
    const wire = (config as { [WIRE_HEADERS]?: WireHeaders })[WIRE_HEADERS];
    const headers = (wire ? Object.assign(config.headers.toJSON(), wire.headers) : config.headers.toJSON()) as OutgoingHttpHeaders;
    const method = (config.method ?? 'get').toUpperCase();
    const req = route.request({ protocol: route.protocol, hostname: route.hostname, port: route.port, path, method, headers, agent });
    const onAbort = () => req.destroy(new axios.CanceledError(undefined, config, req));
    const stopWatching = signal ? whenAborted(signal, onAbort) : null;
    // axios's `timeout` bounds the whole request (the transport bounds its calls with `signal`).
    const timer = config.timeout
      ? setTimeout(() => req.destroy(new axios.AxiosError(`timeout of ${config.timeout}ms exceeded`, 'ECONNABORTED', config, req)), config.timeout)
      : undefined;
    const settled = () => {
      clearTimeout(timer);
      stopWatching?.();
    };
    const fail = (error: Error & { code?: string }) => {
      settled();
      reject(error instanceof axios.AxiosError ? error : axios.AxiosError.from(error, error.code, config, req));
    };
    req.once('error', fail);
    req.once('response', (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.once('error', fail);
      res.once('end', () => {
        settled();
        const response = answer(res, chunks, config, req, axios);
        const valid = config.validateStatus;
        if (!valid || valid(response.status)) return resolve(response);
        const code = response.status < 500 ? 'ERR_BAD_REQUEST' : 'ERR_BAD_RESPONSE';
        reject(new axios.AxiosError(`Request failed with status code ${response.status}`, code, config, req, response));
      });
    });
    req.end(config.data as string | undefined);
  });
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
function answer(res: IncomingMessage, chunks: Buffer[], config: InternalAxiosRequestConfig, request: ClientRequest, axios: AxiosParts): AxiosResponse<string> {
  const data = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
  const headers = new axios.AxiosHeaders(res.headers as Record<string, string>);
  return { data, status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', headers, config, request };
}
