/**
 * The sockets of a transport: one `node:http`/`node:https` agent per origin, keep-alive or not,
 * direct or through the environment's proxy (a CONNECT tunnel), trusting a custom CA when given.
 * `node:http` and its kin are loaded when the first agent is made.
 */
import type * as Http from 'node:http';
import type * as Https from 'node:https';
import type { Socket } from 'node:net';
import type * as Tls from 'node:tls';
import { SOCKET_CAP } from '../core/request-line';
import { loadAtFirstUse } from '../runtime/load';
import { openTunnel, proxyFor } from './proxy';

/** The TCP keep-alive delay set on each socket, in milliseconds. */
const TCP_KEEPALIVE_MS = 60_000;

/** Where a request to one origin goes: its agent, the `request` function of its protocol, and its address. */
export interface Route {
  agent: Http.Agent;
  request: typeof Http.request;
  protocol: string;
  /** The host name (an IPv6 address without its brackets). */
  hostname: string;
  port: number;
}

export interface AgentPoolOptions {
  /** Keep sockets open between requests. */
  keepAlive: boolean;
  /** Trusted CA certificates (PEM) instead of Node's, for `https:`. */
  ca: string | Buffer | null;
  /** Where `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY` are read. */
  env: NodeJS.ProcessEnv;
}

export class AgentPool {
  readonly #options: AgentPoolOptions;
  readonly #routes = new Map<string, Route>();

  constructor(options: AgentPoolOptions) {
    this.#options = options;
  }

  /** The route of requests to the origin `origin` (`https://host:port`, made at its first request). */
  route(origin: string): Route {
    let route = this.#routes.get(origin);
    if (!route) {
      route = this.#make(new URL(origin));
      this.#routes.set(origin, route);
    }
    return route;
  }

  /** Closes every socket; later requests open new ones. */
  destroy(): void {
    for (const { agent } of this.#routes.values()) agent.destroy();
    this.#routes.clear();
  }

  #make(url: URL): Route {
    const http = loadAtFirstUse<typeof Http>('node:http');
    const secure = url.protocol === 'https:';
    const { keepAlive, ca, env } = this.#options;
    // The request line (src/core/request-line.ts) decides when a request goes; the agent's cap is above
    // the line's, so that it never queues what the line let go, and bounds the sockets whatever the load.
    const options = { keepAlive, keepAliveMsecs: TCP_KEEPALIVE_MS, maxSockets: SOCKET_CAP, ...(ca === null ? {} : { ca }) };
    const https = secure ? loadAtFirstUse<typeof Https>('node:https') : null;
    const agent = https ? new https.Agent(options) : new http.Agent(options);
    const proxy = proxyFor(url, env);
    if (proxy) {
      const tls = secure ? loadAtFirstUse<typeof Tls>('node:tls') : null;
      type Connected = (error: Error | null, socket?: Socket) => void;
      const tunnelled = (connectOptions: Tls.ConnectionOptions & { host: string; port: number }, connected: Connected): undefined => {
        openTunnel(http.request, proxy, connectOptions.host, connectOptions.port, (error, socket) => {
          if (error || !socket) return connected(error);
          connected(null, tls ? tls.connect({ ...connectOptions, socket }) : socket);
        });
        return undefined;
      };
      Object.assign(agent, { createConnection: tunnelled });
    }
    const port = Number(url.port || (secure ? 443 : 80));
    return {
      agent,
      request: https ? https.request : http.request,
      protocol: url.protocol,
      hostname: url.hostname.replace(/^\[|\]$/g, ''),
      port,
    };
  }
}
