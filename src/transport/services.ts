/**
 * The gRPC-only services (`DatasetService`, `TuningService`, `BatchInferenceService`) for a client
 * of either protocol: one {@link GrpcTransport} per endpoint called, made at its first call with
 * the client's credentials, headers, retry policy and CA, so that a REST client starts a tuning
 * or describes a batch task as the Python SDK does. `@grpc/grpc-js` is loaded only then.
 */
import type { CallOptions, ServiceCall, ServiceTransport } from '../core/transport';
import { GrpcTransport, type GrpcTransportOptions } from './grpc';

export class GrpcServices implements ServiceTransport {
  readonly #options: Omit<GrpcTransportOptions, 'endpoint' | 'discovery'>;
  readonly #channels = new Map<string, GrpcTransport>();
  #closed = false;

  constructor(options: Omit<GrpcTransportOptions, 'endpoint' | 'discovery'>) {
    this.#options = options;
  }

  callService(endpoint: string, call: ServiceCall, options: CallOptions): Promise<unknown> {
    let transport = this.#channels.get(endpoint);
    if (!transport) {
      transport = new GrpcTransport({ ...this.#options, endpoint, discovery: null });
      // A transport made after close() fails its calls at once, as a closed client's do.
      if (this.#closed) transport.close();
      else this.#channels.set(endpoint, transport);
    }
    return transport.callService(call, options);
  }

  close(): void {
    this.#closed = true;
    for (const transport of this.#channels.values()) transport.close();
    this.#channels.clear();
  }
}
