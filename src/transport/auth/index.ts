/**
 * Credentials: `resolveAuth` turns the `auth` option into an `AuthProvider`. The providers are
 * exported too, for callers who assemble their own.
 */
import type { AuthProvider } from '../../core/transport';
import { EnvChainAuth } from './chain';
import { type CredentialKind, classifySecret } from './classify';
import { createProvider } from './create';
import { type AuthEnvironment, withDefaults } from './environment';
import { requireSecret } from './secret';
import { noAuth } from './static';

export { EnvChainAuth } from './chain';
export { type CredentialKind, classifySecret } from './classify';
export { EnvTokenAuth } from './env-token';
export type { AuthEnvironment } from './environment';
export { MetadataServiceAuth } from './metadata';
export { OAuthAuth } from './oauth';
export { apiKeyAuth, iamTokenAuth, noAuth, StaticAuth } from './static';
export { YcCliAuth } from './yc-cli';

/** What `auth` may be: see {@link resolveAuth}. */
export type AuthOption = string | { apiKey: string } | { iamToken: string } | { oauthToken: string } | AuthProvider | null;

/** The keys of the object forms and the kind each names. */
const KEYS: Readonly<Record<string, CredentialKind>> = { apiKey: 'api-key', iamToken: 'iam-token', oauthToken: 'oauth' };

/**
 * The provider for an `auth` option:
 * - `undefined`: the reference's environment chain, walked at the first request ({@link EnvChainAuth});
 * - `null`: no credentials (for emulators and authenticating proxies), named `none`;
 * - a string: an IAM token (`t1.`...), an OAuth token (`y0_`..`y3_`) or else an API key, by shape;
 * - `{ apiKey }`, `{ iamToken }`, `{ oauthToken }`: that kind (exactly one of these keys);
 * - an `AuthProvider`: used as is (one without a `name` is named `custom`).
 *
 * Secrets are trimmed. Throws a `TypeError` naming the option (never showing the secret) for an
 * empty or blank secret, a non-string secret, or an `auth` of any other shape.
 */
export function resolveAuth(auth: AuthOption | undefined, environment?: AuthEnvironment): AuthProvider {
  if (auth === undefined) return new EnvChainAuth(environment);
  if (auth === null) return noAuth();
  if (typeof auth === 'string') {
    const secret = requireSecret(auth, 'auth');
    return createProvider(classifySecret(secret), secret, withDefaults(environment));
  }
  if (typeof auth === 'object' && typeof (auth as Partial<AuthProvider>).getHeaders === 'function') {
    return named(auth as AuthProvider);
  }
  if (typeof auth === 'object') {
    const keys = Object.keys(KEYS).filter((key) => key in auth);
    const [key] = keys;
    if (key !== undefined && keys.length === 1) {
      const secret = requireSecret((auth as Record<string, unknown>)[key], `auth.${key}`);
      return createProvider(KEYS[key]!, secret, withDefaults(environment));
    }
  }
  throw new TypeError('auth must be a string, { apiKey }, { iamToken }, { oauthToken }, an AuthProvider, null or undefined');
}

/** `provider` itself when it has a name, else the same provider named `custom`. */
function named(provider: AuthProvider): AuthProvider {
  if (typeof provider.name === 'string' && provider.name) return provider;
  return { name: 'custom', getHeaders: (signal) => provider.getHeaders(signal) };
}
