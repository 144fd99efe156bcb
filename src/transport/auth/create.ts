/** A provider for a credential of a known kind. */
import type { AuthProvider } from '../../core/transport';
import type { CredentialKind } from './classify';
import type { ResolvedAuthEnvironment } from './environment';
import { OAuthAuth } from './oauth';
import { apiKeyAuth, iamTokenAuth } from './static';

const CREATE: Record<CredentialKind, (secret: string, environment: ResolvedAuthEnvironment) => AuthProvider> = {
  'api-key': (secret) => apiKeyAuth(secret),
  'iam-token': (secret) => iamTokenAuth(secret),
  oauth: (secret, environment) => new OAuthAuth(secret, environment),
};

/** The provider of `secret`, already checked and trimmed, of the given kind. */
export function createProvider(kind: CredentialKind, secret: string, environment: ResolvedAuthEnvironment): AuthProvider {
  return CREATE[kind](secret, environment);
}
