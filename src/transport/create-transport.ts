/** The REST transport of a checked client config (`./config`), with its credentials provider. */
import { resolveAuth } from './auth';
import type { ClientConfig } from './config';
import { RestTransport } from './rest';

/** The transport of `config`; its credentials are looked up at the first request. */
export function createTransport(config: ClientConfig): RestTransport {
  const { iamEndpoint, budget: _budget, ...rest } = config;
  return new RestTransport({ ...rest, auth: resolveAuth(config.auth, { iamEndpoint }) });
}
