/**
 * Writing one gRPC answer on an HTTP/2 stream, by hand (gRPC over HTTP/2 is a 5-byte frame per
 * message and a status in the trailers), so that every fault can be played: a status with its
 * google.rpc.Status details, a reset of the connection before or during the answer, a message
 * that does not decode, a proxy's non-gRPC answer. Like REST's, every answer carries
 * `x-request-id` and `x-server-trace-id`.
 */
import { randomUUID } from 'node:crypto';
import type { OutgoingHttpHeaders, ServerHttp2Stream } from 'node:http2';
import { encode } from '../proto/from-json';
import { messageType, RPC_STATUS } from '../proto/root';
import type { RpcStatus } from './script';

const GRPC_TYPE = 'application/grpc';
const REQUEST_INFO_TYPE = 'type.googleapis.com/google.rpc.RequestInfo';

/** A message in its gRPC frame: not compressed, its length, its bytes. */
export function frame(message: Uint8Array): Buffer {
  const head = Buffer.alloc(5);
  head.writeUInt32BE(message.length, 1);
  return Buffer.concat([head, message]);
}

/** The message of a request's body (one uncompressed frame), or `null` when it is not one. */
export function unframe(body: Buffer): Buffer | null {
  if (body.length < 5 || body[0] !== 0) return null;
  const length = body.readUInt32BE(1);
  return body.length === 5 + length ? body.subarray(5) : null;
}

export class GrpcReply {
  readonly requestId = randomUUID();
  private readonly traceId = randomUUID().replaceAll('-', '');

  constructor(private readonly stream: ServerHttp2Stream) {}

  /** The stream is gone (closed by the client, or by a restart): nothing can be answered. */
  get isGone(): boolean {
    return this.stream.destroyed || this.stream.closed;
  }

  /** OK with one message. */
  message(bytes: Uint8Array): void {
    if (this.isGone) return;
    this.stream.respond(this.headers(), { waitForTrailers: true });
    this.stream.once('wantTrailers', () => this.stream.sendTrailers({ 'grpc-status': '0', 'grpc-message': '' }));
    this.stream.end(frame(bytes));
  }

  /**
   * A trailers-only error answer: the code, the message, and a google.rpc.Status whose RequestInfo
   * detail carries this request's id (then `extraDetails`), in `grpc-status-details-bin`.
   */
  status(code: number, message: string, extraDetails: unknown[] = []): void {
    if (this.isGone) return;
    const status: RpcStatus = { code, message, details: [{ '@type': REQUEST_INFO_TYPE, requestId: this.requestId }, ...extraDetails] };
    this.stream.respond(
      {
        ...this.headers(),
        'grpc-status': String(code),
        'grpc-message': encodeURIComponent(message),
        'grpc-status-details-bin': Buffer.from(encode(messageType(RPC_STATUS), status)).toString('base64'),
      },
      { endStream: true },
    );
  }

  /** A non-gRPC answer (a proxy's HTML page, say). */
  raw(httpStatus: number, body: string, contentType: string): void {
    if (this.isGone) return;
    this.stream.respond({ ...this.headers(), ':status': httpStatus, 'content-type': contentType });
    this.stream.end(body);
  }

  /** The headers, then the first bytes of the message's frame, then a TCP reset. */
  resetMidMessage(bytes: Uint8Array): void {
    if (this.isGone) return;
    this.stream.respond(this.headers());
    const whole = frame(bytes);
    this.stream.write(whole.subarray(0, Math.floor(whole.length / 2)), () => this.reset());
  }

  /** A TCP reset of the connection the stream travels on. */
  reset(): void {
    this.stream.session?.socket.resetAndDestroy();
  }

  private headers(): OutgoingHttpHeaders {
    return { ':status': 200, 'content-type': GRPC_TYPE, 'x-request-id': this.requestId, 'x-server-trace-id': this.traceId };
  }
}
