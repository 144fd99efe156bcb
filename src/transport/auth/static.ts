/** Credentials that never change: an API key, an IAM token, or none at all. */
import { authorization, CredentialProvider } from './provider';

/** Sends the same headers on every request. */
export class StaticAuth extends CredentialProvider {
  readonly name: string;
  readonly #headers: Readonly<Record<string, string>>;

  /** @param name The provider's name (never the secret). */
  constructor(name: string, headers: Record<string, string>) {
    super();
    this.name = name;
    this.#headers = { ...headers };
  }

  /** The headers; rejects with `signal.reason` when `signal` is already aborted. */
  async getHeaders(signal?: AbortSignal): Promise<Record<string, string>> {
    signal?.throwIfAborted();
    return { ...this.#headers };
  }

  /**
   * The headers themselves, at once and not copied: what the request pipeline sends
   * (`src/transport/pipeline.ts`). A method, not a getter, so that `util.inspect` never shows them.
   */
  headersNow(): Readonly<Record<string, string>> {
    return this.#headers;
  }
}

/** `Authorization: Api-Key <key>`, named `api-key`. */
export function apiKeyAuth(apiKey: string): StaticAuth {
  return new StaticAuth('api-key', authorization('Api-Key', apiKey));
}

/** `Authorization: Bearer <token>`, named `iam-token`. */
export function iamTokenAuth(iamToken: string): StaticAuth {
  return new StaticAuth('iam-token', authorization('Bearer', iamToken));
}

/** No `Authorization` header, named `none` (for emulators and authenticating proxies). */
export function noAuth(): StaticAuth {
  return new StaticAuth('none', {});
}
