/**
 * The emulator's gRPC server (plaintext HTTP/2 on 127.0.0.1): `OperationService/Get` and `/Cancel`
 * on the same operations as the REST routes (one state, two protocols), the same credentials check
 * and fault injection, and `ApiEndpointService/List`, whose endpoints all point at this server.
 */
import { createServer, type Http2Server, type Http2Session, type IncomingHttpHeaders, type ServerHttp2Stream } from 'node:http2';
import { setTimeout as sleep } from 'node:timers/promises';
import { GrpcCode } from '../core/grpc-codes';
import { encode } from '../proto/from-json';
import { messageType, OPERATION } from '../proto/root';
import { actOutGrpcFault } from './grpc-faults';
import { describeFault } from './faults';
import { GrpcReply, unframe } from './grpc-reply';
import { HOST, listenOn } from './listen';
import type { EmulatedOperation, OperationJson, OperationStore } from './operations';
import type { RequestLog } from './request-log';
import type { RecordedRequest } from './script';

const OPERATION_SERVICE = '/yandex.cloud.operation.OperationService/';
const LIST_ENDPOINTS = '/yandex.cloud.endpoint.ApiEndpointService/List';
/** The endpoint ids `ApiEndpointService/List` answers (wire.md), all at this server. */
const ENDPOINT_IDS = ['operation', 'ai-foundation-models', 'ai-assistants', 'searchapi'];

const operationType = messageType(OPERATION);

export class GrpcEmulatorServer {
  private readonly server: Http2Server;
  /** Each open session with its count of open streams (for `dropIdleConnections`). */
  private readonly sessions = new Map<Http2Session, number>();
  private port = 0;

  constructor(
    private readonly operations: OperationStore,
    private readonly log: RequestLog,
    private readonly authFailure: (header: string | undefined) => string | null,
  ) {
    this.server = createServer();
    this.server.on('session', (session) => {
      this.sessions.set(session, 0);
      session.on('close', () => this.sessions.delete(session));
      session.on('error', () => {}); // a reset of our own making, or a client gone
    });
    this.server.on('stream', (stream: ServerHttp2Stream, headers: IncomingHttpHeaders, _flags: number, rawHeaders: string[]) => this.handle(stream, headers, rawHeaders));
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
    stream.on('close', () => this.sessions.has(session) && this.sessions.set(session, (this.sessions.get(session) ?? 1) - 1));
    stream.on('error', () => {});
    const path = String(headers[':path'] ?? '');
    const entry = this.log.record({ method: String(headers[':method'] ?? ''), url: path, rawHeaders }, Date.now());
    const reply = new GrpcReply(stream);
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      this.answer(path, headers, unframe(Buffer.concat(chunks)), reply, entry).catch((error: unknown) => {
        reply.status(GrpcCode.INTERNAL, `Emulator failure: ${error instanceof Error ? error.message : String(error)}`);
      });
    });
  }

  private async answer(path: string, headers: IncomingHttpHeaders, request: Buffer | null, reply: GrpcReply, entry: RecordedRequest): Promise<void> {
    const failure = this.authFailure(headers.authorization as string | undefined);
    if (failure !== null) return reply.status(GrpcCode.UNAUTHENTICATED, failure);
    if (request === null) return reply.status(GrpcCode.INTERNAL, 'The request is not one uncompressed gRPC message');
    if (path === LIST_ENDPOINTS) return this.listEndpoints(reply);
    const method = path.startsWith(OPERATION_SERVICE) ? path.slice(OPERATION_SERVICE.length) : '';
    if (method !== 'Get' && method !== 'Cancel') return reply.status(GrpcCode.UNIMPLEMENTED, `Method not found: ${path}`);
    const { operationId } = messageType(`yandex.cloud.operation.${method}OperationRequest`).decode(request) as unknown as { operationId: string };
    entry.operationId = operationId;
    const operation = this.operations.get(operationId);
    if (operation === undefined) return reply.status(GrpcCode.NOT_FOUND, `Operation ${operationId} not found`);
    const act = (nowMs: number) => (method === 'Get' ? operation.poll(nowMs) : operation.cancel(nowMs));
    await this.answerOperation(operation, reply, entry, act);
  }

  /** The operation's next fault, if any, and `act` (which advances it) only for a correct answer. */
  private async answerOperation(operation: EmulatedOperation, reply: GrpcReply, entry: RecordedRequest, act: (nowMs: number) => OperationJson): Promise<void> {
    const fault = operation.faults.take();
    if (fault === undefined) return reply.message(encode(operationType, act(Date.now())));
    entry.fault = describeFault(fault);
    if (fault.latency) {
      await sleep(fault.latency * 1000);
      if (reply.isGone) return;
    }
    const nowMs = Date.now();
    if (!actOutGrpcFault(reply, fault, () => encode(operationType, operation.json(nowMs)))) {
      reply.message(encode(operationType, act(nowMs)));
    }
  }

  private listEndpoints(reply: GrpcReply): void {
    const address = `${HOST}:${this.port}`;
    const endpoints = ENDPOINT_IDS.map((id) => ({ id, address }));
    reply.message(encode(messageType('yandex.cloud.endpoint.ListApiEndpointsResponse'), { endpoints }));
  }
}
