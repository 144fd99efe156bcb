/**
 * The request log: the latest requests in arrival order, in a ring buffer so that recording one
 * is O(1) and the memory stays bounded however long a benchmark runs.
 */
import type { IncomingMessage } from 'node:http';
import type { RecordedRequest } from './script';

/** The last `limit` requests the emulator received. */
export class RequestLog {
  private readonly ring: RecordedRequest[] = [];
  /** Where the next entry goes once the ring is full. */
  private next = 0;
  /** Requests received and not yet answered (or cut off). */
  private answering = 0;

  constructor(private readonly limit: number) {}

  /**
   * Records a request on arrival (an HTTP/1.1 request, or a gRPC call as `POST /<service>/<method>`);
   * the caller fills in `operationId` and `fault` as it learns them, and calls {@link RequestLog.answered}
   * once the request is over.
   */
  record(req: Pick<IncomingMessage, 'method' | 'url' | 'rawHeaders'>, atMs: number): RecordedRequest {
    this.answering += 1;
    const entry: RecordedRequest = {
      method: req.method ?? '',
      path: req.url ?? '',
      operationId: null,
      headers: headersOf(req.rawHeaders),
      fault: null,
      at: atMs,
      inFlight: this.answering,
    };
    if (this.ring.length < this.limit) {
      this.ring.push(entry);
    } else if (this.limit > 0) {
      this.ring[this.next] = entry;
      this.next = (this.next + 1) % this.limit;
    }
    return entry;
  }

  /** A recorded request is over: answered, or its connection closed. */
  readonly answered = (): void => {
    this.answering -= 1;
  };

  /** The recorded requests, oldest first. */
  entries(): RecordedRequest[] {
    return [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)];
  }

  clear(): void {
    this.ring.length = 0;
    this.next = 0;
  }
}

/** Header names lower-cased, values as received; a repeated header's values joined by ", ". */
function headersOf(rawHeaders: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = Object.create(null);
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] as string).toLowerCase();
    const value = rawHeaders[i + 1] as string;
    const earlier = headers[name];
    headers[name] = earlier === undefined ? value : `${earlier}, ${value}`;
  }
  return headers;
}
