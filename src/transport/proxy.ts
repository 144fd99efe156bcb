/**
 * The proxy of a request, from `HTTPS_PROXY` / `HTTP_PROXY` / `NO_PROXY` (or their lower-case
 * forms), as curl and axios read them, and the CONNECT tunnel through it.
 */
import type { ClientRequest, IncomingMessage, RequestOptions } from 'node:http';
import type { Socket } from 'node:net';

/** The proxy URL for requests to `target`, or `null` to connect directly. */
export function proxyFor(target: URL, env: NodeJS.ProcessEnv): URL | null {
  const raw = target.protocol === 'https:' ? (env.HTTPS_PROXY ?? env.https_proxy) : (env.HTTP_PROXY ?? env.http_proxy);
  if (!raw || bypassed(target, env.NO_PROXY ?? env.no_proxy ?? '')) return null;
  const proxy = new URL(raw.includes('://') ? raw : `http://${raw}`);
  if (proxy.protocol !== 'http:') throw new TypeError(`only http:// proxies are supported, got a ${proxy.protocol} proxy`);
  return proxy;
}

/** True when `NO_PROXY` (comma or space separated; `*`, `host`, `.domain`, `host:port`) names the target. */
function bypassed(target: URL, noProxy: string): boolean {
  const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  return noProxy.split(/[\s,]+/).some((entry) => {
    if (entry === '*') return true;
    const [name = '', entryPort] = entry
      .toLowerCase()
      .replace(/^\[|\](?=:|$)/g, '')
      .split(/:(?=\d+$)/);
    if (!name || (entryPort !== undefined && entryPort !== port)) return false;
    const domain = name.replace(/^\*?\./, '');
    return host === domain || host.endsWith(`.${domain}`);
  });
}

type Connected = (error: Error | null, socket?: Socket) => void;
type Request = (options: RequestOptions) => ClientRequest;

/**
 * Opens a CONNECT tunnel through `proxy` to `host:port` and hands its socket to `connected`
 * (the proxy's credentials, if its URL has any, go in `proxy-authorization`).
 */
export function openTunnel(request: Request, proxy: URL, host: string, port: number, connected: Connected): void {
  const authority = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const headers: Record<string, string> = { host: authority };
  if (proxy.username) {
    const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
    headers['proxy-authorization'] = `Basic ${Buffer.from(credentials).toString('base64')}`;
  }
  const connect = request({
    host: proxy.hostname.replace(/^\[|\]$/g, ''),
    port: Number(proxy.port || 80),
    method: 'CONNECT',
    path: authority,
    headers,
    agent: false,
  });
  connect.once('connect', (res: IncomingMessage, socket: Socket) => {
    if (res.statusCode === 200) return connected(null, socket);
    socket.destroy();
    connected(
      Object.assign(new Error(`the proxy ${proxy.host} refused the tunnel to ${authority}: HTTP ${res.statusCode}`), { code: 'EPROXY' }),
    );
  });
  connect.once('error', (error) => connected(error));
  connect.end();
}
