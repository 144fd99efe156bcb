/**
 * The Operation API over gRPC (`yandex.cloud.operation.OperationService/Get` and `/Cancel`), and
 * any unary call of the services with no REST route ({@link ServiceCall}), as the Python reference
 * speaks them: one deadline per logical call, `wait_for_ready`, the reference's
 * retry policy (UNAVAILABLE and RESOURCE_EXHAUSTED) with one `idempotency-key` and one
 * `x-client-request-id` per call and `x-retry-attempt` on retries, the metadata of wire.md.
 * `@grpc/grpc-js` and the protobuf code are loaded at the first call: `./grpc-channel`, built to a
 * file of its own (`dist/transport/grpc-channel.js`), so that no bundle of this package inlines it.
 */
import { AIStudioError, ApiError, asOperationNotFound } from '../core/errors';
import { markDeadline } from '../core/deadline';
import type { CallOptions, OperationTransport, ServiceCall } from '../core/transport';
import { RequestSlots, type LineWait } from '../runtime/request-line';
import { withoutCredentials } from './auth/secret';
import { authFailure, deadlineError, lineError, noAnswer, type AttemptContext, type Failure } from './http-failure';
import type { AttemptOutcome } from './retrying';
import type { CallTrace } from './tracing';
import { CallBounds } from './call-bounds';
import { isLoopback } from './loopback';
import { distFileUrl, GRPC_PEERS, missingPeer, randomUUID } from '../runtime/load';
import type { GrpcChannel, UnaryFailure } from './grpc-channel';
import { USER_AGENT, type RestTransportOptions } from './rest';

type ChannelModule = typeof import('./grpc-channel');

/**
 * The REST transport's options (the same metadata travel; `endpoint` is `https://host[:port]`, TLS,
 * or `http://<loopback>:port`, plaintext), and:
 */
export interface GrpcTransportOptions extends Omit<RestTransportOptions, 'axios'> {
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
const DEADLINE_EXCEEDED = 4;

/** `host:port` and whether to go without TLS, of a checked base URL. */
export function grpcTarget(endpoint: string): { address: string; plaintext: boolean } {
  const url = new URL(endpoint);
  const plaintext = url.protocol === 'http:';
  return { address: `${url.hostname}:${url.port || (plaintext ? 80 : 443)}`, plaintext };
}

export class GrpcTransport implements OperationTransport {
  readonly endpoint: string;
  readonly #options: GrpcTransportOptions;
  readonly #slots = new RequestSlots();
  /** The calls in flight, which `close()` fails, and later ones at once. */
  readonly #calls: CallBounds;
  #loaded: Promise<Loaded> | null = null;
  #channel: GrpcChannel | null = null;
  /** Stops a discovery in flight on `close()`. */
  readonly #closing = new AbortController();

  constructor(options: GrpcTransportOptions) {
    this.endpoint = options.endpoint;
    this.#options = options;
    this.#calls = new CallBounds(options.endpoint);
  }

  getOperation(id: string, options: CallOptions): Promise<unknown> {
    return this.#operationCall('Get', id, options);
  }

  cancelOperation(id: string, options: CallOptions): Promise<unknown> {
    return this.#operationCall('Cancel', id, options);
  }

  /** One unary call of `call.method` on this transport's endpoint: the response's proto3 JSON. */
  callService(call: ServiceCall, options: CallOptions): Promise<unknown> {
    return this.#call(call, { call: call.responseType === OPERATION_TYPE ? 'start' : 'service', operationId: call.subject }, options);
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
    this.#closing.abort(this.#calls.close());
    this.#channel?.close();
  }

  /** `GrpcTransport<https://...>`: no credentials, no metadata. */
  toString(): string {
    return `GrpcTransport<${this.endpoint}>`;
  }

  /**
   * grpc-js and the protobuf code, loaded once, at the first call, and the channel (after the
   * discovery of its address, when asked for). A failed discovery is asked again by the next attempt.
   */
  #load(deadlineMs: number, headers: Record<string, string>, ctx: AttemptContext): Promise<Loaded> {
    this.#loaded ??= this.#open(deadlineMs, headers, ctx).catch((error: unknown) => {
      this.#loaded = null;
      throw error;
    });
    return this.#loaded;
  }

  async #open(deadlineMs: number, headers: Record<string, string>, ctx: AttemptContext): Promise<Loaded> {
    const module = (await import(distFileUrl('transport/grpc-channel.js')).catch((error: unknown) => {
      throw missingPeer(error, GRPC_PEERS, "a gRPC call (protocol: 'grpc', and tune, validateDataset, completionBatch and batch tasks with either protocol)");
    })) as ChannelModule;
    const { ca } = this.#options;
    let target = { ...grpcTarget(this.endpoint), ca, userAgent: USER_AGENT, maxResponseBytes: this.#options.maxResponseBytes };
    const { discovery } = this.#options;
    if (discovery !== null) {
      const apiTarget = grpcTarget(discovery.api);
      const api = new module.GrpcChannel({ ...apiTarget, ca, userAgent: USER_AGENT, maxResponseBytes: this.#options.maxResponseBytes });
      const listCtx = { ...ctx, endpoint: `${discovery.api}/yandex.cloud.endpoint.ApiEndpointService/List` };
      let address: string | null;
      try {
        address = await module.discoverAddress(api, discovery.id, headers, deadlineMs, this.#closing.signal);
      } catch (failure) {
        throw this.#closing.signal.aborted ? failure : new DiscoveryFailed(failureOf(failure as UnaryFailure, module, listCtx, headers));
      } finally {
        api.close();
      }
      if (address === null) throw new ApiError({ ...noAnswer(listCtx), grpcCode: 5, message: `the API's endpoint list has no endpoint "${discovery.id}"` });
      this.#options.logger.debug(`endpoint ${discovery.id} discovered at ${address}`);
      target = { ...target, address, plaintext: apiTarget.plaintext && isLoopback(address.slice(0, address.lastIndexOf(':'))) };
    }
    const channel = new module.GrpcChannel(target);
    if (this.#calls.closedReason !== null) channel.close();
    this.#channel = channel;
    return { module, channel, address: target.address };
  }

  /** A Get or a Cancel of operation `id`; its NOT_FOUND is an `OperationNotFoundError`. */
  async #operationCall(method: 'Get' | 'Cancel', id: string, options: CallOptions): Promise<unknown> {
    const call: ServiceCall = {
      method: `${SERVICE}/${method}`, requestType: `yandex.cloud.operation.${method}OperationRequest`, responseType: OPERATION_TYPE, request: { operationId: id }, subject: id,
    };
    try {
      return await this.#call(call, { call: method === 'Get' ? 'get' : 'cancel', operationId: id }, options);
    } catch (error) {
      throw asOperationNotFound(error, id);
    }
  }

  async #call(service: ServiceCall, what: Pick<CallTrace, 'call' | 'operationId'>, { deadlineMs, timeoutMs: boundMs, signal }: CallOptions): Promise<unknown> {
    const call = this.#calls.open(deadlineMs, signal);
    const timeoutMs = boundMs ?? call.timeoutMs;
    const path = service.method;
    const subject = service.subject ?? '';
    const idempotencyKey = randomUUID();
    const clientRequestId = randomUUID(); // one per logical call: its retries reuse it
    const auth = this.#options.auth;
    let sent: Record<string, string> = {};
    // Whatever the server sends back is cut free of the credentials sent before it enters an error.
    let ctx: AttemptContext = { endpoint: `${this.endpoint}${path}`, clientRequestId, attempts: 0, authProvider: auth.name, redact: (text) => withoutCredentials(text, sent) };
    let lineWait: LineWait | null = null;

    const attempt = async (n: number): Promise<AttemptOutcome<unknown>> => {
      const credentials = await auth.getHeaders(call.signal).catch((error: unknown) => {
        throw call.signal.aborted || error instanceof ApiError ? error : authFailure(error, ctx);
      });
      sent = credentials;
      ctx = { ...ctx, attempts: n, authProvider: auth.name };
      let loaded: Loaded;
      try {
        loaded = await this.#load(deadlineMs, lowerCased(credentials), ctx);
      } catch (error) {
        if (error instanceof DiscoveryFailed) return { ok: false, failure: error.failure };
        throw error;
      }
      const { module, channel } = loaded;
      ctx = { ...ctx, endpoint: `${this.#options.discovery === null ? this.endpoint : loaded.address}${path}` };
      const metadata: Record<string, string> = {
        ...this.#options.headers,
        ...lowerCased(credentials),
        'x-client-request-id': clientRequestId,
        'idempotency-key': idempotencyKey,
      };
      if (this.#options.folderId !== null) metadata['x-folder-id'] = this.#options.folderId;
      if (n > 1) metadata['x-retry-attempt'] = String(n - 1);
      this.#options.logger.debug(`gRPC ${path} ${subject} (attempt ${n})`);
      const slot = await this.#slots.acquire(deadlineMs, call.signal, (wait) => (lineWait = wait));
      let message: Buffer;
      const request = module.requestBytes(service.requestType, service.request);
      const send = () => channel.unary(path, request, metadata, deadlineMs, call.signal);
      try {
        try {
          ({ message } = await send());
        } catch (failure) {
          // A stream the server refused (it was closing the connection, say) was never processed:
          // sent again at once on a fresh stream, as the same attempt, as REST resends on a fresh socket.
          if (call.signal.aborted || !refusedStream(failure as UnaryFailure)) throw failure;
          this.#options.logger.debug(`gRPC ${path} ${subject}: the stream was refused, sending again`);
          ({ message } = await send());
        }
      } catch (failure) {
        if (call.signal.aborted) throw failure;
        if ((failure as UnaryFailure).code === DEADLINE_EXCEEDED && Date.now() >= deadlineMs) throw timedOut(failure);
        return { ok: false, failure: failureOf(failure as UnaryFailure, module, ctx, credentials) };
      } finally {
        slot.release();
      }
      try {
        return { ok: true, value: module.responseJson(service.responseType, message) };
      } catch (cause) {
        const type = service.responseType.slice(service.responseType.lastIndexOf('.') + 1);
        throw new ApiError({ ...noAnswer(ctx), grpcCode: 2, message: `the answer is not ${/^[AEIOU]/.test(type) ? 'an' : 'a'} ${type} message: ${(cause as Error).message}` });
      }
    };
    const timedOut = (cause: unknown) =>
      markDeadline(lineWait ? lineError(lineWait, ctx, timeoutMs) : deadlineError(timeoutMs, ctx, cause instanceof Error ? cause : undefined), deadlineMs);
    return call.run({
      policy: this.#options.retry, deadlineMs, attempt, timedOut, logger: this.#options.logger, what: `gRPC ${path} ${subject}`.trimEnd(),
      trace: { ...what, protocol: 'grpc', target: `${this.endpoint}/${path}`, clientRequestId },
    });
  }
}

/** grpc-js's UNAVAILABLE for an HTTP/2 stream the server refused (REFUSED_STREAM): it never reached the service. */
function refusedStream(failure: UnaryFailure): boolean {
  return failure.code === 14 && /stream refused/i.test(failure.details ?? '');
}

/** gRPC metadata keys are lower-case. */
function lowerCased(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

function text(metadata: UnaryFailure['metadata'], name: string): string | null {
  const value = metadata[name];
  return typeof value === 'string' && value !== '' ? value : null;
}

/** A failed call as the retry policy sees it, with the ApiError to raise; no credential in its text. */
function failureOf(failure: UnaryFailure, module: ChannelModule, ctx: AttemptContext, credentials: Record<string, string>): Failure {
  const bin = failure.metadata['grpc-status-details-bin'];
  const status = module.statusOfDetails(Buffer.isBuffer(bin) ? bin : undefined);
  const requestInfo = status.details.find((d) => String((d as Record<string, unknown>)['@type']).endsWith('/google.rpc.RequestInfo')) as { requestId?: string } | undefined;
  const redactedDetails = JSON.parse(withoutCredentials(JSON.stringify(status.details), credentials)) as unknown[];
  const error = new ApiError({
    ...noAnswer(ctx),
    grpcCode: failure.code,
    message: withoutCredentials(status.message ?? failure.details ?? '', credentials),
    details: redactedDetails,
    requestId: text(failure.metadata, 'x-request-id') ?? requestInfo?.requestId ?? null,
    serverTraceId: text(failure.metadata, 'x-server-trace-id'),
  });
  return { httpStatus: null, networkCode: null, grpcCode: failure.final ? null : failure.code, retryAfterMs: status.retryAfterMs, error };
}
