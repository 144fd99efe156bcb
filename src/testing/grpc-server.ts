/**
 * The emulator's gRPC server (plaintext HTTP/2 on 127.0.0.1): the methods of its routing table
 * (`grpc-routes.ts`) on the same state as the REST routes (one state, two protocols), the same
 * credentials check, and `ApiEndpointService/List` (public: no credential checked), whose endpoints
 * all point at this server.
 */
import { createServer, type Http2Server, type Http2Session, type IncomingHttpHeaders, type ServerHttp2Stream } from 'node:http2';
import { GrpcCode } from '../core/grpc-codes';
import { encode } from '../proto/from-json';
import { messageType } from '../proto/root';
import { messageJson } from '../proto/to-json';
import type { GrpcMethod, GrpcRoutes } from './grpc-method';
import { GrpcReply, unframe } from './grpc-reply';
import { grpcRoutes } from './grpc-routes';
import { HOST, listenOn } from './listen';
import type { RequestLog } from './request-log';
import type { RecordedRequest } from './script';
import type { EmulatorStores } from './stores';

const LIST_ENDPOINTS = '/yandex.cloud.endpoint.ApiEndpointService/List';
/** The endpoint ids `ApiEndpointService/List` answers (wire.md), all at this server. */
const ENDPOINT_IDS = ['operation', 'ai-foundation-models', 'ai-assistants', 'searchapi'];

export class GrpcEmulatorServer {
  private readonly server: Http2Server;
  /** Each open session with its count of open streams (for `dropIdleConnections`). */
  private readonly sessions = new Map<Http2Session, number>();
  private port = 0;
  private readonly routes: GrpcRoutes;

  constructor(
    stores: EmulatorStores,
    private readonly log: RequestLog,
    private readonly authFailure: (header: string | undefined) => string | null,
  ) {
    this.routes = {
      ...grpcRoutes(stores),
      [LIST_ENDPOINTS]: { request: 'yandex.cloud.endpoint.ListApiEndpointsRequest', handle: ({ reply }) => this.listEndpoints(reply) },
    };
    this.server = createServer();
    this.server.on('session', (session) => {
      this.sessions.set(session, 0);
      session.on('close', () => this.sessions.delete(session));
      session.on('error', () => {}); // a reset of our own making, or a client gone
    });
    this.server.on('stream', (stream: ServerHttp2Stream, headers: IncomingHttpHeaders, _flags: number, rawHeaders: string[]) =>
      this.handle(stream, headers, rawHeaders),
    );
  }

  async listen(port: number): Promise<number> {
    this.port = await listenOn(this.server, port);
    return this.port;
  }

  /** Closes the sessions with no call in flight without a word (no GOAWAY) to their clients. */
  dropIdleConnections(): void {
    for (const [session, streams] of this.sessions) if (streams === 0) session.destroy();
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      for (const session of this.sessions.keys()) session.destroy();
    });
  }

  private handle(stream: ServerHttp2Stream, headers: IncomingHttpHeaders, rawHeaders: string[]): void {
    const session = stream.session as Http2Session;
    this.sessions.set(session, (this.sessions.get(session) ?? 0) + 1);
    const path = String(headers[':path'] ?? '');
    const entry = this.log.record({ method: String(headers[':method'] ?? ''), url: path, rawHeaders }, Date.now());
    stream.on('close', () => {
      this.log.answered();
      if (this.sessions.has(session)) this.sessions.set(session, (this.sessions.get(session) ?? 1) - 1);
    });
    stream.on('error', () => {});
    const reply = new GrpcReply(stream);
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      this.answer(path, headers, unframe(Buffer.concat(chunks)), reply, entry).catch((error: unknown) => {
        reply.status(GrpcCode.INTERNAL, `Emulator failure: ${error instanceof Error ? error.message : String(error)}`);
      });
    });
  }

  private async answer(
    path: string,
    headers: IncomingHttpHeaders,
    body: Buffer | null,
    reply: GrpcReply,
    entry: RecordedRequest,
  ): Promise<void> {
    // The endpoint list is public, as the API's: it is called with no credential.
    const failure = path === LIST_ENDPOINTS ? null : this.authFailure(headers.authorization as string | undefined);
    if (failure !== null) return reply.status(GrpcCode.UNAUTHENTICATED, failure);
    if (body === null) return reply.status(GrpcCode.INTERNAL, 'The request is not one uncompressed gRPC message');
    const method: GrpcMethod | undefined = Object.hasOwn(this.routes, path) ? this.routes[path] : undefined;
    if (method === undefined) return reply.status(GrpcCode.UNIMPLEMENTED, `Method not found: ${path}`);
    const request = decodeRequest(method.request, body);
    if (request === null) return reply.status(GrpcCode.INVALID_ARGUMENT, `The request is not a ${method.request}`);
    await method.handle({ request, headers, reply, entry });
  }

  private listEndpoints(reply: GrpcReply): void {
    const address = `${HOST}:${this.port}`;
    const endpoints = ENDPOINT_IDS.map((id) => ({ id, address }));
    reply.message(encode(messageType('yandex.cloud.endpoint.ListApiEndpointsResponse'), { endpoints }));
  }
}

/** The proto3 JSON of a request message of the type named `typeName`, or `null` when it does not decode. */
function decodeRequest(typeName: string, body: Buffer): Record<string, unknown> | null {
  const type = messageType(typeName);
  try {
    return messageJson(type, type.decode(body) as never) as Record<string, unknown>;
  } catch {
    return null;
  }
}
