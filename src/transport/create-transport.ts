/**
 * The transport of a checked client config (`./config`), REST or gRPC, with its credentials
 * provider. Kept apart from the option checks, so that a module that only checks options (the
 * blocking client on the caller's thread) loads no transport.
 */
import type { OperationTransport } from '../core/transport';
import { resolveAuth } from './auth';
import type { ClientConfig } from './config';
import { GrpcTransport } from './grpc';
import { RestTransport } from './rest';

/** The transport of `config`; its credentials are looked up at the first request. */
export function createTransport(config: ClientConfig): OperationTransport {
  const { iamEndpoint, budget: _budget, protocol, discovery, axios, ...rest } = config;
  const options = { ...rest, auth: resolveAuth(config.auth, { iamEndpoint }) };
  return protocol === 'grpc' ? new GrpcTransport({ ...options, discovery }) : new RestTransport({ ...options, axios });
}
