/**
 * The transport of a checked client config (`./config`), REST or gRPC, with its credentials
 * provider, and the gRPC-only services beside it. Kept apart from the option checks, so that a
 * module that only checks options (the blocking client on the caller's thread) loads no transport.
 */
import type { ClientTransport, OperationTransport } from '../core/transport';
import { resolveAuth } from './auth';
import type { ClientConfig } from './config';
import { GrpcTransport } from './grpc';
import { RestTransport } from './rest';
import { GrpcServices } from './services';

/** The transport of `config`; its credentials are looked up at the first request. */
export function createTransport(config: ClientConfig): ClientTransport {
  const { iamEndpoint, budget: _budget, protocol, discovery, axios, ...rest } = config;
  const options = { ...rest, auth: resolveAuth(config.auth, { iamEndpoint }) };
  const main: OperationTransport =
    protocol === 'grpc' ? new GrpcTransport({ ...options, discovery }) : new RestTransport({ ...options, axios });
  const services = new GrpcServices(options);
  return {
    endpoint: main.endpoint,
    getOperation: (id, o) => main.getOperation(id, o),
    cancelOperation: (id, o) => main.cancelOperation(id, o),
    startOperation: (url, body, o) => main.startOperation(url, body, o),
    getJson: (url, o) => main.getJson(url, o),
    callService: (endpoint, call, o) => services.callService(endpoint, call, o),
    close() {
      main.close();
      services.close();
    },
  };
}
