/**
 * What every provider here shares: a text form that names the kind of credential and never the
 * secret, and the one way an `Authorization` header is spelled.
 */
import type { AuthProvider } from '../../core/transport';

/**
 * Base of the providers in this folder. Subclasses keep their secrets in `#private` fields, which
 * neither `util.inspect` nor `JSON.stringify` shows; the only public field is `name`.
 */
export abstract class CredentialProvider implements AuthProvider {
  abstract readonly name: string;
  abstract getHeaders(signal?: AbortSignal): Promise<Record<string, string>>;

  /** `AuthProvider<api-key>`: the kind, never the secret. */
  toString(): string {
    return `AuthProvider<${this.name}>`;
  }
}

/** The `Authorization` header of an API key (`Api-Key`) or an IAM token (`Bearer`). */
export function authorization(scheme: 'Api-Key' | 'Bearer', secret: string): Record<string, string> {
  return { Authorization: `${scheme} ${secret}` };
}
