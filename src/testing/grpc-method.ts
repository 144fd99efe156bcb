/**
 * What the emulator's gRPC service modules share: the shape of one method and of one call, a
 * unary method that answers a message or an error status, and a start call (`start.ts`) served
 * over gRPC. The server (`grpc-server.ts`) decodes the request and routes it by path
 * (`grpc-routes.ts`); each module plays its methods.
 */
import type { IncomingHttpHeaders } from 'node:http2';
import { GrpcCode } from '../core/grpc-codes';
import { encode } from '../proto/from-json';
import { messageType, OPERATION } from '../proto/root';
import type { GrpcReply } from './grpc-reply';
import type { OperationStore } from './operations';
import type { RecordedRequest } from './script';
import { type StartCall, start } from './start';

/** What a method's handler gets: the request as proto3 JSON, the call's metadata, its reply and its log entry. */
export interface GrpcCall {
  request: Record<string, unknown>;
  headers: IncomingHttpHeaders;
  reply: GrpcReply;
  entry: RecordedRequest;
}

/** One gRPC method: the full name of its request message, and its handler. */
export interface GrpcMethod {
  request: string;
  handle(call: GrpcCall): Promise<void> | void;
}

/** gRPC methods by path (`/<package>.<Service>/<Method>`). */
export type GrpcRoutes = Readonly<Record<string, GrpcMethod>>;

/** A unary answer: the response message's JSON, or an error status. */
export type GrpcAnswer = { response: unknown } | { code: number; message: string };

/** A method whose answer `answer` gives, its response a message of the type named `response`. */
export function unaryMethod(request: string, response: string, answer: (call: GrpcCall) => GrpcAnswer): GrpcMethod {
  const responseType = messageType(response);
  return {
    request,
    handle(call) {
      const answered = answer(call);
      if ('code' in answered) return call.reply.status(answered.code, answered.message);
      call.reply.message(encode(responseType, answered.response));
    },
  };
}

/** A start call served over gRPC: it answers the started Operation, or INVALID_ARGUMENT. */
export function startMethod(request: string, call: StartCall, operations: OperationStore): GrpcMethod {
  return unaryMethod(request, OPERATION, ({ request: json, headers, entry }) => {
    const started = start(call, operations, json, headers, Date.now());
    if ('invalid' in started) return { code: GrpcCode.INVALID_ARGUMENT, message: started.invalid };
    entry.operationId = started.id;
    return { response: started };
  });
}

/** A NOT_FOUND answer (code 5), for an id that names nothing. */
export function notFound(message: string): GrpcAnswer {
  return { code: GrpcCode.NOT_FOUND, message };
}
