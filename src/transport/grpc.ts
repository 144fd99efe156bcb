/**
 * The Operation API over gRPC (`yandex.cloud.operation.OperationService/Get` and `/Cancel`), and
 * any unary call of the services with no REST route ({@link ServiceCall}), as the Python reference
 * speaks them. A call goes through the request pipeline (`./pipeline.ts`: one deadline, the ids
 * and retries of wire.md); this file sends one attempt (`wait_for_ready`, the metadata of wire.md)
 * and reads its answer. A stream the server refused is stale: it goes again at once.
 * `@grpc/grpc-js` and the protobuf code are loaded at the first call: `./grpc-channel`, built to a
 * file of its own (`dist/transport/grpc-channel.js`), so that no bundle of this package inlines it.
 */
import { AIStudioError, ApiError } from '../core/errors';
import type { CallOptions, OperationTransport, ServiceCall } from '../core/transport';
import { LazyAbort } from '../runtime/lazy-abort';
import { distFileUrl, GRPC_PEERS, missingPeer, randomUUID } from '../runtime/load';
import type { CallMetadata, GrpcChannel, UnaryAnswer, UnaryFailure } from './grpc-channel';
import { type AttemptContext, type Failure, noAnswer } from './http-failure';
import { isLoopback } from './loopback';
import { PerCredentials } from './per-credentials';
import { type Exchange, Pipeline, type Protocol } from './pipeline';
import type { AttemptOutcome } from './retrying';
import { type TransportOptions, USER_AGENT, userHeaders } from './transport-options';

type ChannelModule = typeof import('./grpc-channel');

/** The options of both transports (`endpoint` is `https://host[:port]`, TLS, or `http://<loopback>:port`, plaintext), and: */
export interface GrpcTransportOptions extends TransportOptions {
  /** An extra trusted CA (PEM) beside the system roots. */
  ca: string | Buffer | null;
  /**
   * Endpoint discovery, as the Python SDK does it: at the first call, `ApiEndpointService.List` on
   * `api` (a checked URL) gives the address of endpoint `id`, which is then called. `null`: the
   * address is `endpoint`'s.
   */
  discovery: { api: string; id: string } | null;
}

/** A discovery that failed as a call fails: retried as one, under the same policy. */
class DiscoveryFailed {
  constructor(readonly failure: Failure) {}
}

type Loaded = { module: ChannelModule; channel: GrpcChannel; address: string };

const SERVICE = '/yandex.cloud.operation.OperationService';
const OPERATION_TYPE = 'yandex.cloud.operation.Operation';
const LIST_ENDPOINTS = '/yandex.cloud.endpoint.ApiEndpointService/List';
const DEADLINE_EXCEEDED = 4;

/** `host:port` and whether to go without TLS, of a checked base URL. */
export function grpcTarget(endpoint: string): { address: string; plaintext: boolean } {
  const url = new URL(endpoint);
  const plaintext = url.protocol === 'http:';
  return { address: `${url.hostname}:${url.port || (plaintext ? 80 : 443)}`, plaintext };
}

export class GrpcTransport implements OperationTransport {
  readonly endpoint: string;
  readonly #wire: GrpcWire;
  readonly #pipeline: Pipeline<ServiceCall, UnaryAnswer>;

  constructor(options: GrpcTransportOptions) {
    this.endpoint = options.endpoint;
    this.#wire = new GrpcWire(options);
    this.#pipeline = new Pipeline(this.#wire, options);
  }

  getOperation(id: string, options: CallOptions): Promise<unknown> {
    return this.#pipeline.call(operationCall('Get', id), 'get', id, options);
  }

  cancelOperation(id: string, options: CallOptions): Promise<unknown> {
    return this.#pipeline.call(operationCall('Cancel', id), 'cancel', id, options);
  }

  /** One unary call of `call.method` on this transport's endpoint: the response's proto3 JSON. */
  callService(call: ServiceCall, options: CallOptions): Promise<unknown> {
    return this.#pipeline.call(call, call.responseType === OPERATION_TYPE ? 'start' : 'service', call.subject, options);
  }

  /** A start call is a REST route (`POST url`): over gRPC it is refused before any request. */
  async startOperation(url: string): Promise<unknown> {
    throw new AIStudioError(`a start call (${url}) goes over REST only: use a client with protocol 'rest' for it`);
  }

  /** A plain GET of a resource (an assistant run) is a REST route: over gRPC it is refused before any request. */
  async getJson(url: string): Promise<unknown> {
    throw new AIStudioError(`${url} is served over REST only: use a client with protocol 'rest' for it`);
  }

  close(): void {
    this.#wire.close(this.#pipeline.close());
  }

  /** `GrpcTransport<https://...>`: no credentials, no metadata. */
  toString(): string {
    return `GrpcTransport<${this.endpoint}>`;
  }
}

/** The method and request type of a Get and of a Cancel (strings made once: a call looks its type up by them). */
const OPERATION_METHODS = {
  Get: { method: `${SERVICE}/Get`, requestType: 'yandex.cloud.operation.GetOperationRequest' },
  Cancel: { method: `${SERVICE}/Cancel`, requestType: 'yandex.cloud.operation.CancelOperationRequest' },
} as const;

/** A Get or a Cancel of operation `id`. */
function operationCall(method: 'Get' | 'Cancel', id: string): ServiceCall {
  const { method: path, requestType } = OPERATION_METHODS[method];
  return { method: path, requestType, responseType: OPERATION_TYPE, request: { operationId: id }, subject: id };
}

/** One attempt of a gRPC call: the unary call on the channel, and its answer read. */
class GrpcWire implements Protocol<ServiceCall, UnaryAnswer> {
  readonly name = 'grpc';
  readonly #options: GrpcTransportOptions;
  #loading: Promise<Loaded> | null = null;
  #loaded: Loaded | null = null;
  /** Stops a discovery in flight on `close()`. */
  readonly #closing = new LazyAbort();
  /** The metadata of every call, with the credentials (gRPC metadata keys are lower-case); made once grpc-js is loaded. */
  readonly #metadata: PerCredentials<CallMetadata>;

  constructor(options: GrpcTransportOptions) {
    this.#options = options;
    const base = userHeaders(options.headers);
    if (options.folderId !== null) base['x-folder-id'] = options.folderId;
    this.#metadata = new PerCredentials((credentials) => this.#loaded!.module.callMetadata({ ...base, ...lowerCased(credentials) }));
  }

  target(call: ServiceCall): string {
    return `${this.#options.endpoint}${call.method}`;
  }

  describe(call: ServiceCall): string {
    return call.subject === null ? `gRPC ${call.method}` : `gRPC ${call.method} ${call.subject}`;
  }

  /** grpc-js and the protobuf code and the channel, after the discovery of its address when asked for. */
  prepare(exchange: Exchange<ServiceCall>): Promise<Failure | null> | null {
    if (this.#loaded !== null) return this.#at(exchange);
    return this.#load(exchange).then(
      () => this.#at(exchange),
      (error: unknown) => {
        if (error instanceof DiscoveryFailed) return error.failure;
        throw error;
      },
    );
  }

  send(exchange: Exchange<ServiceCall>, credentials: Record<string, string>): Promise<UnaryAnswer> {
    const { module, channel } = this.#loaded!;
    const call = exchange.request;
    const ids: Record<string, string> = {};
    exchange.stamp(ids);
    const request = module.requestBytes(call.requestType, call.request);
    return channel.unary(call.method, request, this.#metadata.of(credentials), ids, exchange.deadlineMs, exchange.abort);
  }

  /** grpc-js's UNAVAILABLE for an HTTP/2 stream the server refused (REFUSED_STREAM): it never reached the service. */
  stale(failure: unknown): string | null {
    const { code, details } = failure as UnaryFailure;
    return code === 14 && /stream refused/i.test(details ?? '') ? 'the stream was refused' : null;
  }

  read(answer: UnaryAnswer, exchange: Exchange<ServiceCall>): AttemptOutcome<unknown> {
    const type = exchange.request.responseType;
    try {
      return { ok: true, value: this.#loaded!.module.responseJson(type, answer.message) };
    } catch (cause) {
      const name = type.slice(type.lastIndexOf('.') + 1);
      const message = `the answer is not ${/^[AEIOU]/.test(name) ? 'an' : 'a'} ${name} message: ${(cause as Error).message}`;
      throw new ApiError({ ...noAnswer(exchange), grpcCode: 2, message });
    }
  }

  /** A call that ended with a status other than OK; DEADLINE_EXCEEDED once the deadline passed is the call's own timeout. */
  failure(error: unknown, exchange: Exchange<ServiceCall>): Failure {
    const failure = error as UnaryFailure;
    if (failure.code === DEADLINE_EXCEEDED && Date.now() >= exchange.deadlineMs) throw exchange.expired();
    return failureOf(failure, this.#loaded!.module, exchange);
  }

  close(reason: AIStudioError): void {
    this.#closing.abort(reason);
    this.#loaded?.channel.close();
  }

  /** The exchange's target at the discovered address. */
  #at(exchange: Exchange<ServiceCall>): null {
    if (this.#options.discovery !== null) exchange.endpoint = `${this.#loaded!.address}${exchange.request.method}`;
    return null;
  }

  /** Loaded once, at the first call; a failed discovery is asked again by the next attempt. */
  #load(exchange: Exchange<ServiceCall>): Promise<Loaded> {
    this.#loading ??= this.#open(exchange).then(
      (loaded) => (this.#loaded = loaded),
      (error: unknown) => {
        this.#loading = null;
        throw error;
      },
    );
    return this.#loading;
  }

  async #open(exchange: Exchange<ServiceCall>): Promise<Loaded> {
    const module = (await import(distFileUrl('transport/grpc-channel.js')).catch((error: unknown) => {
      throw missingPeer(
        error,
        GRPC_PEERS,
        "a gRPC call (protocol: 'grpc', and tune, validateDataset, completionBatch and batch tasks with either protocol)",
      );
    })) as ChannelModule;
    const { ca, discovery } = this.#options;
    const { maxResponseBytes } = this.#options;
    let target = { ...grpcTarget(this.#options.endpoint), ca, userAgent: USER_AGENT, maxResponseBytes };
    if (discovery !== null) {
      const apiTarget = grpcTarget(discovery.api);
      const address = await this.#discover(module, apiTarget, discovery, exchange);
      this.#options.logger.debug(`endpoint ${discovery.id} discovered at ${address}`);
      target = { ...target, address, plaintext: apiTarget.plaintext && isLoopback(address.slice(0, address.lastIndexOf(':'))) };
    }
    const channel = new module.GrpcChannel(target);
    if (this.#closing.aborted) channel.close();
    return { module, channel, address: target.address };
  }

  /**
   * The address of endpoint `discovery.id`, from `ApiEndpointService.List` on `discovery.api`,
   * called as the reference calls it: with no credential (it needs none) and a request id of its own.
   */
  async #discover(
    module: ChannelModule,
    apiTarget: { address: string; plaintext: boolean },
    discovery: { api: string; id: string },
    exchange: Exchange<ServiceCall>,
  ): Promise<string> {
    const ctx: AttemptContext = {
      endpoint: `${discovery.api}${LIST_ENDPOINTS}`,
      clientRequestId: randomUUID(),
      attempts: exchange.attempts,
      authProvider: null,
      redact: String,
    };
    const api = new module.GrpcChannel({
      ...apiTarget,
      ca: this.#options.ca,
      userAgent: USER_AGENT,
      maxResponseBytes: this.#options.maxResponseBytes,
    });
    let address: string | null;
    try {
      address = await module.discoverAddress(
        api,
        discovery.id,
        { 'x-client-request-id': ctx.clientRequestId! },
        exchange.deadlineMs,
        this.#closing,
      );
    } catch (failure) {
      throw this.#closing.aborted ? failure : new DiscoveryFailed(failureOf(failure as UnaryFailure, module, ctx));
    } finally {
      api.close();
    }
    if (address === null)
      throw new ApiError({ ...noAnswer(ctx), grpcCode: 5, message: `the API's endpoint list has no endpoint "${discovery.id}"` });
    return address;
  }
}

/** gRPC metadata keys are lower-case. */
function lowerCased(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

function text(metadata: UnaryFailure['metadata'], name: string): string | null {
  const value = metadata[name];
  return typeof value === 'string' && value !== '' ? value : null;
}

/** A failed call as the retry policy sees it, with the ApiError to raise; every server text redacted. */
function failureOf(failure: UnaryFailure, module: ChannelModule, ctx: AttemptContext): Failure {
  const bin = failure.metadata['grpc-status-details-bin'];
  const status = module.statusOfDetails(Buffer.isBuffer(bin) ? bin : undefined);
  const isRequestInfo = (d: unknown) => String((d as Record<string, unknown>)['@type']).endsWith('/google.rpc.RequestInfo');
  const requestInfo = status.details.find(isRequestInfo) as { requestId?: string } | undefined;
  const error = new ApiError({
    ...noAnswer(ctx),
    grpcCode: failure.code,
    message: ctx.redact(status.message ?? failure.details ?? ''),
    details: JSON.parse(ctx.redact(JSON.stringify(status.details))) as unknown[],
    requestId: text(failure.metadata, 'x-request-id') ?? requestInfo?.requestId ?? null,
    serverTraceId: text(failure.metadata, 'x-server-trace-id'),
  });
  return { httpStatus: null, networkCode: null, grpcCode: failure.final ? null : failure.code, retryAfterMs: status.retryAfterMs, error };
}
