/**
 * The part of the gRPC transport that loads `@grpc/grpc-js` and the protobuf code: imported
 * lazily, at a gRPC client's first call, so that REST-only users never load either. One channel
 * (one HTTP/2 connection of its own) per client; unary calls with the raw message bytes, decoded
 * here to the REST gateway's JSON.
 */
import * as grpc from '@grpc/grpc-js';
import { encode } from '../proto/from-json';
import { messageType, OPERATION } from '../proto/root';
import { messageJsonOf } from '../proto/to-json';
import { answerTooLarge } from './answer-size';
import { tlsCredentials } from './grpc-tls';

export { statusOfDetails } from './grpc-status';

/** Where a channel goes and how. */
export interface ChannelTarget {
  /** `host:port`. */
  address: string;
  /** Plain HTTP/2 (loopback tests); otherwise TLS with the system roots plus `ca`. */
  plaintext: boolean;
  /** An extra trusted CA (PEM). */
  ca: string | Buffer | null;
  userAgent: string;
  /** The largest message received, in bytes (grpc-js's `grpc.max_receive_message_length`). */
  maxResponseBytes: number;
}

/** An answered call: the message bytes and the headers and trailers that came with them. */
export interface UnaryAnswer {
  message: Buffer;
}

/** A call that ended with a status other than OK (the channel's own errors included). */
export interface UnaryFailure {
  code: number;
  details: string;
  /** The server's headers and trailers together (`x-request-id`, `grpc-status-details-bin`, ...). */
  metadata: Record<string, string | Buffer>;
  /** Another attempt would fail the same way (an answer over the size limit): not retried. */
  final?: true;
}

/**
 * grpc-js's own failure (RESOURCE_EXHAUSTED) for a message over the channel's limit, as sent or
 * once decompressed; the limit it names tells it from a server's answer of the same words.
 */
const OVER_LIMIT = /^Received message (?:larger than max \(\d+ vs (\d+)\)|that decompresses to a size larger than (\d+))$/;

export class GrpcChannel {
  readonly #client: grpc.Client;
  readonly #maxResponseBytes: number;

  constructor(target: ChannelTarget) {
    this.#maxResponseBytes = target.maxResponseBytes;
    const host = target.address.slice(0, target.address.lastIndexOf(':')).replace(/^\[(.*)\]$/, '$1');
    const credentials = target.plaintext ? grpc.credentials.createInsecure() : tlsCredentials(host, target.ca);
    this.#client = new grpc.Client(target.address, credentials, {
      'grpc.primary_user_agent': target.userAgent,
      'grpc.enable_retries': 0, // retries are ours (src/transport/retrying.ts)
      'grpc.use_local_subchannel_pool': 1,
      'grpc.max_receive_message_length': target.maxResponseBytes,
    });
  }

  /**
   * One unary call of `path` (`/package.Service/Method`). Rejects with a {@link UnaryFailure};
   * an abort of `signal` cancels the call (it then fails with CANCELLED).
   */
  unary(path: string, request: Uint8Array, headers: Record<string, string>, deadlineMs: number, signal: AbortSignal): Promise<UnaryAnswer> {
    // wait_for_ready, as the reference sets on every call: a server not (yet) reachable is waited for until the deadline.
    const metadata = new grpc.Metadata({ waitForReady: true });
    for (const [name, value] of Object.entries(headers)) metadata.set(name, value);
    return new Promise((resolve, reject) => {
      let initial: grpc.Metadata | null = null;
      const call = this.#client.makeUnaryRequest<Buffer, Buffer>(
        path,
        (bytes) => bytes,
        (bytes) => bytes,
        Buffer.from(request),
        metadata,
        { deadline: deadlineMs },
        (error, message) => {
          signal.removeEventListener('abort', cancel);
          if (error) reject(this.#failure(error, initial));
          else resolve({ message: message as Buffer });
        },
      );
      const cancel = () => call.cancel();
      call.on('metadata', (m: grpc.Metadata) => (initial = m));
      if (signal.aborted) cancel();
      else signal.addEventListener('abort', cancel, { once: true });
    });
  }

  close(): void {
    this.#client.close();
  }

  /** A failed call as a {@link UnaryFailure}; a message over this channel's limit is one that names the limit. */
  #failure(error: grpc.ServiceError, initial: grpc.Metadata | null): UnaryFailure {
    const metadata = { ...plain(initial), ...plain(error.metadata) };
    const limit = error.code === grpc.status.RESOURCE_EXHAUSTED ? OVER_LIMIT.exec(error.details ?? '') : null;
    if (limit && Number(limit[1] ?? limit[2]) === this.#maxResponseBytes) {
      return { code: error.code, details: answerTooLarge(this.#maxResponseBytes), metadata, final: true };
    }
    return { code: error.code, details: error.details, metadata };
  }
}

function plain(metadata: grpc.Metadata | null | undefined): Record<string, string | Buffer> {
  const out: Record<string, string | Buffer> = {};
  for (const [name, values] of Object.entries(metadata?.getMap() ?? {})) out[name] = values;
  return out;
}

const operationType = messageType(OPERATION);

/** The bytes of a request message of type `typeName` (a full name) from its proto3 JSON. */
export function requestBytes(typeName: string, json: unknown): Uint8Array {
  return encode(messageType(typeName), json);
}

/**
 * The proto3 JSON of a response message of type `typeName`, as the REST gateway would send it (an
 * Operation as {@link operationJson} reads it). Throws when the bytes are not one.
 */
export function responseJson(typeName: string, bytes: Uint8Array): unknown {
  if (typeName === OPERATION) return operationJson(bytes);
  return messageJsonOf(messageType(typeName), bytes);
}

const LIST_ENDPOINTS = '/yandex.cloud.endpoint.ApiEndpointService/List';

/**
 * The address (`host:port`) of endpoint `id` in `ApiEndpointService.List` on `channel` (every page);
 * `null` when the list has no such endpoint. Rejects with a {@link UnaryFailure}.
 */
export async function discoverAddress(
  channel: GrpcChannel,
  id: string,
  headers: Record<string, string>,
  deadlineMs: number,
  signal: AbortSignal,
): Promise<string | null> {
  const request = messageType('yandex.cloud.endpoint.ListApiEndpointsRequest');
  const response = messageType('yandex.cloud.endpoint.ListApiEndpointsResponse');
  let pageToken = '';
  do {
    const { message } = await channel.unary(LIST_ENDPOINTS, encode(request, { pageSize: '100', pageToken }), headers, deadlineMs, signal);
    const page = messageJsonOf(response, message) as { endpoints?: { id?: string; address?: string }[]; nextPageToken?: string };
    const found = page.endpoints?.find((endpoint) => endpoint.id === id);
    if (found?.address) return found.address;
    pageToken = page.nextPageToken ?? '';
  } while (pageToken !== '');
  return null;
}

/** What an unset `Any` is in protobuf: its type URL and its value empty. */
const EMPTY_ANY = Object.freeze({ '@type': '', value: '' });

/**
 * An Operation message as the REST gateway's JSON. Throws when the bytes are not one.
 *
 * A protobuf `Any` is never absent: a done operation without an error (or with code 0) and without
 * a response has the empty `Any` as its response, as the reference reads it (succeeded, with the
 * empty result). An unset `metadata` stays `null`, as over REST, so a metadata decoder sees only
 * metadata the server set. Of `error` and `response` (a `oneof`), only the last one on the wire is
 * kept (`src/proto/decode.ts`).
 */
function operationJson(bytes: Uint8Array): unknown {
  const json = messageJsonOf(operationType, bytes) as Record<string, unknown>;
  const failed = Boolean((json.error as { code?: number } | undefined)?.code);
  if (json.done === true && json.response === undefined && !failed) json.response = EMPTY_ANY;
  return json;
}
