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
import type { AbortWatcher, LazyAbort } from '../runtime/lazy-abort';
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

/** What stops a call: the call's own abort (`src/runtime/lazy-abort.ts`), watched without an AbortSignal. */
export type CallAbort = Pick<LazyAbort, 'aborted' | 'watch' | 'unwatch'>;

/** The metadata that every call of one set of credentials sends, made once for them ({@link callMetadata}). */
export type CallMetadata = grpc.Metadata;

/**
 * The metadata of `headers` (lower-case names) with `wait_for_ready`, as the reference sets it on
 * every call: a server not (yet) reachable is waited for until the deadline.
 */
export function callMetadata(headers: Record<string, string>): CallMetadata {
  const metadata = new grpc.Metadata({ waitForReady: true });
  for (const name in headers) metadata.set(name, headers[name]!);
  return metadata;
}

/**
 * One channel (one HTTP/2 connection of its own) and its unary calls, made on grpc-js's `Channel`
 * directly: `Client#makeUnaryRequest` would add its interceptor stack, a `new Error()` per call
 * for the caller's stack, and an event emitter, none of which a call here uses.
 */
export class GrpcChannel {
  readonly #channel: grpc.Channel;
  readonly #maxResponseBytes: number;

  constructor(target: ChannelTarget) {
    this.#maxResponseBytes = target.maxResponseBytes;
    const host = target.address.slice(0, target.address.lastIndexOf(':')).replace(/^\[(.*)\]$/, '$1');
    const credentials = target.plaintext ? grpc.credentials.createInsecure() : tlsCredentials(host, target.ca);
    this.#channel = new grpc.Channel(target.address, credentials, {
      'grpc.primary_user_agent': target.userAgent,
      'grpc.enable_retries': 0, // retries are ours (src/transport/retrying.ts)
      'grpc.use_local_subchannel_pool': 1,
      'grpc.max_receive_message_length': target.maxResponseBytes,
      // No channelz records (a Date per call on the channel, its subchannel and its socket): nothing here serves them.
      'grpc.enable_channelz': 0,
    });
  }

  /**
   * One unary call of `path` (`/package.Service/Method`) with `metadata` and the headers `ids`
   * (the call's request ids). Rejects with a {@link UnaryFailure}; an abort of `abort` cancels the
   * call (it then fails with CANCELLED).
   */
  unary(
    path: string,
    request: Uint8Array,
    metadata: CallMetadata,
    ids: Record<string, string>,
    deadlineMs: number,
    abort: CallAbort,
  ): Promise<UnaryAnswer> {
    const sent = metadata.clone();
    for (const name in ids) sent.set(name, ids[name]!);
    const message = Buffer.isBuffer(request) ? request : Buffer.from(request.buffer, request.byteOffset, request.byteLength);
    return new Promise((resolve, reject) => {
      const call = this.#channel.createCall(path, deadlineMs, null, null, null);
      new UnaryListener(call, abort, this.#maxResponseBytes, resolve, reject).start(sent, message);
    });
  }

  close(): void {
    this.#channel.close();
  }
}

type Call = ReturnType<grpc.Channel['createCall']>;

/**
 * What one unary call hears, as grpc-js's `Client#makeUnaryRequest` reads it: the headers, one
 * message (a second one cancels the call with UNIMPLEMENTED), then the status; an OK status
 * without a message is UNIMPLEMENTED ("No message received"). Unlike that client, it reads on
 * after the message, so that a second one fails the call at once rather than at its deadline.
 * Also the call's abort watcher.
 *
 * Once the status is in, it lets go of everything it held (the call, the abort, the promise's
 * functions, the answer): grpc-js's call objects still point at it, and V8's young-generation
 * collections keep most of a finished call's objects, with all they reach, until a full one
 * (`docs/performance-notes.md`, "Why a gRPC poll's garbage outlives the young generation").
 */
class UnaryListener implements grpc.InterceptingListener, AbortWatcher {
  #call: Call | null;
  #abort: CallAbort | null;
  #resolve: ((answer: UnaryAnswer) => void) | null;
  #reject: ((failure: UnaryFailure) => void) | null;
  #initial: grpc.Metadata | null = null;
  #message: Buffer | null = null;

  constructor(
    call: Call,
    abort: CallAbort,
    private readonly maxResponseBytes: number,
    resolve: (answer: UnaryAnswer) => void,
    reject: (failure: UnaryFailure) => void,
  ) {
    this.#call = call;
    this.#abort = abort;
    this.#resolve = resolve;
    this.#reject = reject;
  }

  /** Sends the call, as `Client#makeUnaryRequest` does; then an abort cancels it. */
  start(metadata: grpc.Metadata, message: Buffer): void {
    const call = this.#call!;
    call.start(metadata, this);
    call.startRead();
    call.sendMessageWithContext({}, message);
    call.halfClose();
    this.#abort?.watch(this);
  }

  onReceiveMetadata(metadata: grpc.Metadata): void {
    this.#initial = metadata;
  }

  onReceiveMessage(message: Buffer): void {
    // A message still in grpc-js's filters when an abort ended the call comes after the status: dropped.
    if (this.#resolve === null) return;
    if (this.#message !== null) return this.#call?.cancelWithStatus(grpc.status.UNIMPLEMENTED, 'Too many responses received');
    this.#message = message;
    // Read on: a second message then cancels the call at once. Unread, grpc-js would hold it, and
    // the OK status behind it, until the deadline.
    this.#call?.startRead();
  }

  onReceiveStatus(status: grpc.StatusObject): void {
    const resolve = this.#resolve;
    const reject = this.#reject;
    if (resolve === null || reject === null) return;
    this.#abort!.unwatch(this);
    const message = this.#message;
    const failure =
      status.code !== grpc.status.OK
        ? this.#failure(status)
        : message === null
          ? this.#failure({ ...status, code: grpc.status.UNIMPLEMENTED, details: 'No message received' })
          : null;
    this.#call = this.#abort = this.#resolve = this.#reject = this.#initial = this.#message = null;
    if (failure !== null) reject(failure);
    else resolve({ message: message! });
  }

  onAbort(): void {
    this.#call?.cancelWithStatus(grpc.status.CANCELLED, 'Cancelled on client');
  }

  /** A failed call as a {@link UnaryFailure}; a message over the channel's limit is one that names the limit. */
  #failure(status: grpc.StatusObject): UnaryFailure {
    const metadata = { ...plain(this.#initial), ...plain(status.metadata) };
    const limit = status.code === grpc.status.RESOURCE_EXHAUSTED ? OVER_LIMIT.exec(status.details) : null;
    if (limit && Number(limit[1] ?? limit[2]) === this.maxResponseBytes) {
      return { code: status.code, details: answerTooLarge(this.maxResponseBytes), metadata, final: true };
    }
    return { code: status.code, details: status.details, metadata };
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
 * `null` when the list has no such endpoint; `ids`: the request ids it sends. Rejects with a {@link UnaryFailure}.
 */
export async function discoverAddress(
  channel: GrpcChannel,
  id: string,
  ids: Record<string, string>,
  deadlineMs: number,
  abort: CallAbort,
): Promise<string | null> {
  const request = messageType('yandex.cloud.endpoint.ListApiEndpointsRequest');
  const response = messageType('yandex.cloud.endpoint.ListApiEndpointsResponse');
  const metadata = callMetadata({});
  let pageToken = '';
  do {
    const bytes = encode(request, { pageSize: '100', pageToken });
    const { message } = await channel.unary(LIST_ENDPOINTS, bytes, metadata, ids, deadlineMs, abort);
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
