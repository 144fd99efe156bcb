/**
 * Writing one answer. Every response carries `content-type`, `x-request-id` and
 * `x-server-trace-id`, as the Yandex Cloud gateway's do; API errors are google.rpc.Status bodies
 * with a RequestInfo detail that repeats the request id.
 */
import { randomUUID } from 'node:crypto';
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';

const JSON_TYPE = 'application/json';
const REQUEST_INFO_TYPE = 'type.googleapis.com/google.rpc.RequestInfo';

/** The answer to one request. */
export class Reply {
  readonly requestId = randomUUID();
  private readonly traceId = randomUUID().replaceAll('-', '');

  constructor(private readonly res: ServerResponse) {}

  /** The connection is gone (closed by the client, or by a restart): nothing can be answered. */
  get isGone(): boolean {
    return this.res.socket === null || this.res.socket.destroyed;
  }

  json(status: number, body: unknown, headers?: OutgoingHttpHeaders): void {
    this.send(status, JSON.stringify(body), JSON_TYPE, headers);
  }

  /** An API error: a google.rpc.Status whose RequestInfo detail carries this request's id. */
  rpcError(status: number, code: number, message: string, headers?: OutgoingHttpHeaders): void {
    const details = [{ '@type': REQUEST_INFO_TYPE, requestId: this.requestId }];
    this.json(status, { code, message, details }, headers);
  }

  /** A body sent as given. */
  raw(status: number, body: string, contentType: string, headers?: OutgoingHttpHeaders): void {
    this.send(status, body, contentType, headers);
  }

  /** 200 with the first half of a JSON text: complete as far as HTTP goes, broken as JSON. */
  truncatedJson(json: string): void {
    this.send(200, firstHalf(json), JSON_TYPE);
  }

  /** A TCP reset before any byte of the answer. */
  reset(): void {
    this.res.socket?.resetAndDestroy();
  }

  /** The headers (whose Content-Length promises all of `json`) and its first half, then a TCP reset. */
  resetMidBody(json: string): void {
    this.res.writeHead(200, this.headers(JSON_TYPE, Buffer.byteLength(json)));
    this.res.write(firstHalf(json), () => this.res.socket?.resetAndDestroy());
  }

  private send(status: number, body: string, contentType: string, headers?: OutgoingHttpHeaders): void {
    this.res.writeHead(status, { ...this.headers(contentType, Buffer.byteLength(body)), ...headers });
    this.res.end(body);
  }

  private headers(contentType: string, contentLength: number): OutgoingHttpHeaders {
    return {
      'content-type': contentType,
      'content-length': contentLength,
      'x-request-id': this.requestId,
      'x-server-trace-id': this.traceId,
    };
  }
}

function firstHalf(text: string): string {
  return text.slice(0, Math.floor(text.length / 2));
}
