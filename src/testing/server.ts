/**
 * The emulator's HTTP server: routing (docs/wire.md's routes), the credentials check, fault
 * injection, and its lifecycle (listen, restart on the same port, drop idle sockets, close).
 * Nothing is printed: a benchmark may send it thousands of requests per second.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { GrpcCode } from '../core/grpc-codes';
import { authorizationCheck, type ExpectedCredentials } from './auth';
import { actOutFault, describeFault } from './faults';
import { listenOn } from './listen';
import type { EmulatedOperation, OperationJson } from './operations';
import { Reply } from './reply';
import { RequestLog } from './request-log';
import { decodePathSegment, type Exchange, type Route } from './route';
import { runRoutes } from './runs';
import { startRoutes } from './start-routes';
import type { EmulatorStores } from './stores';

/**
 * Idle keep-alive sockets stay open this long (Node's default is 5 s): long enough that a
 * client's pooled socket is not closed under it by surprise; `dropIdleConnections()` does it on purpose.
 */
const KEEP_ALIVE_TIMEOUT_MS = 60_000;

/** The server's settings, as the emulator's worker receives them. */
export interface ServerSettings extends ExpectedCredentials {
  /** How many requests the request log keeps. */
  requestLogLimit: number;
}

/** An HTTP server that plays Yandex Cloud's Operation API. */
export class EmulatorServer {
  readonly log: RequestLog;
  private readonly server: Server;
  private readonly authFailure: (header: string | undefined) => string | null;
  private port = 0;

  /**
   * docs/wire.md's routes (Cancel answers GET, the proto's annotation, and POST, the design guide's),
   * the start calls (`start-routes.ts`) and the assistant runs (`runs.ts`).
   */
  private readonly routes: readonly Route[];

  constructor(
    settings: ServerSettings,
    private readonly stores: EmulatorStores,
  ) {
    this.routes = [
      { pattern: /^\/operations\/([^/]+):cancel$/, methods: { GET: (x) => this.cancel(x), POST: (x) => this.cancel(x) } },
      { pattern: /^\/operations\/([^/]+)$/, methods: { GET: (x) => this.get(x) } },
      ...startRoutes(stores),
      ...runRoutes(stores.runs),
    ];
    this.log = new RequestLog(settings.requestLogLimit);
    this.authFailure = authorizationCheck(settings);
    this.server = createServer({ keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS }, (req, res) => this.handle(req, res));
  }

  /** Listens on 127.0.0.1 (`port` 0: a free port) and resolves with the port. */
  async listen(port: number): Promise<number> {
    this.port = await listenOn(this.server, port);
    return this.port;
  }

  /** Closes the listener and every socket, then listens again on the same port. Operations are kept. */
  async restart(): Promise<void> {
    await this.close();
    await this.listen(this.port);
  }

  /** Closes the idle keep-alive sockets without a word to their clients. */
  dropIdleConnections(): void {
    this.server.closeIdleConnections();
  }

  /** Stops listening and destroys every socket, busy or idle. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const entry = this.log.record(req, Date.now());
    res.once('close', this.log.answered);
    const reply = new Reply(res);
    const failure = this.authFailure(req.headers.authorization);
    if (failure !== null) return reply.rpcError(401, GrpcCode.UNAUTHENTICATED, failure);

    const path = (req.url ?? '/').split('?', 1)[0] as string;
    const { route, params } = this.route(path);
    if (route === undefined) return reply.rpcError(404, GrpcCode.NOT_FOUND, `No route for ${path}`);
    const handler = route.methods[req.method ?? ''];
    if (handler === undefined) {
      const allow = Object.keys(route.methods).join(', ');
      return reply.rpcError(405, GrpcCode.UNIMPLEMENTED, `Method ${req.method} is not allowed on ${path}`, { allow });
    }
    Promise.resolve(handler({ req, reply, entry, params })).catch((error: unknown) => {
      if (!res.headersSent) reply.rpcError(500, GrpcCode.INTERNAL, `Emulator failure: ${String(error)}`);
    });
  }

  /** The route of a path and the path's captures (the still-encoded operation id). */
  private route(path: string): { route?: Route; params: readonly string[] } {
    for (const route of this.routes) {
      const match = route.pattern.exec(path);
      if (match !== null) return { route, params: match.slice(1) };
    }
    return { params: [] };
  }

  private get(exchange: Exchange): Promise<void> {
    return this.answerOperation(exchange, (operation, nowMs) => operation.poll(nowMs));
  }

  private cancel(exchange: Exchange): Promise<void> {
    return this.answerOperation(exchange, (operation, nowMs) => operation.cancel(nowMs));
  }

  /**
   * Answers a Get or a Cancel: 404 for an unknown id; otherwise the operation's next fault, if
   * any, and `act` (which advances the operation) only when the answer is a correct one.
   */
  private async answerOperation(
    { reply, entry, params }: Exchange,
    act: (operation: EmulatedOperation, nowMs: number) => OperationJson,
  ): Promise<void> {
    const id = decodePathSegment(params[0] as string);
    if (id === null) return reply.rpcError(400, GrpcCode.INVALID_ARGUMENT, 'Malformed percent-encoding in the operation id');
    entry.operationId = id;
    const operation = this.stores.operations.get(id);
    if (operation === undefined) return reply.rpcError(404, GrpcCode.NOT_FOUND, `Operation ${id} not found`);

    const fault = operation.faults.take();
    if (fault === undefined) return reply.json(200, act(operation, Date.now()));
    entry.fault = describeFault(fault);
    if (fault.latency) {
      await sleep(fault.latency * 1000);
      if (reply.isGone) return;
    }
    const nowMs = Date.now();
    if (!actOutFault(reply, fault, () => JSON.stringify(operation.json(nowMs)))) {
      reply.json(200, act(operation, nowMs));
    }
  }
}
