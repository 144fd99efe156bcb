/** The VM metadata service: the IAM token of the service account attached to the VM. */
import { requestToken } from './http';
import { authorization, CredentialProvider } from './provider';
import { type IssuedToken, TokenCache } from './token-cache';

/** Where the service listens on a Yandex Cloud VM. */
export const DEFAULT_METADATA_ADDR = '169.254.169.254';
/** Bounds one token request: 5 seconds, in milliseconds. */
const REQUEST_TIMEOUT_MS = 5_000;
/** Bounds the chain's probe, which decides whether the service exists: 1 second, in milliseconds. */
const PROBE_TIMEOUT_MS = 1_000;

/**
 * Sends `Authorization: Bearer <token>` with a token from
 * `GET http://{addr}/computeMetadata/v1/instance/service-accounts/default/token`
 * (`Metadata-Flavor: Google`), cached until shortly before its `expires_in` runs out.
 */
export class MetadataServiceAuth extends CredentialProvider {
  readonly name = 'metadata-service';
  readonly #url: string;
  readonly #now: () => number;
  readonly #token: TokenCache;

  /**
   * @param options.addr The service's `host[:port]`, such as `169.254.169.254`.
   * @param options.now The clock, in milliseconds since the epoch.
   */
  constructor(options: { addr: string; now: () => number }) {
    super();
    this.#url = `http://${options.addr}/computeMetadata/v1/instance/service-accounts/default/token`;
    this.#now = options.now;
    this.#token = new TokenCache((signal) => this.#request(REQUEST_TIMEOUT_MS, signal), options.now);
  }

  async getHeaders(signal?: AbortSignal): Promise<Record<string, string>> {
    return authorization('Bearer', await this.#token.get(signal));
  }

  /**
   * The chain's availability check: gets and caches a token within 1 second. Rejects with an
   * `ApiError` when the service does not give one in time (not on a VM, or no service account).
   */
  async probe(signal?: AbortSignal): Promise<void> {
    await this.#token.prime((s) => this.#request(PROBE_TIMEOUT_MS, s), signal);
  }

  #request(timeoutMs: number, signal: AbortSignal | undefined): Promise<IssuedToken> {
    const requestedAtMs = this.#now();
    return requestToken(
      {
        action: 'Getting a token from the VM metadata service',
        authProvider: this.name,
        method: 'GET',
        url: this.#url,
        headers: { 'Metadata-Flavor': 'Google' },
        timeoutMs,
        viaProxy: false,
      },
      (body) => readAccessToken(body, requestedAtMs),
      signal,
    );
  }
}

/** `{"access_token": "...", "expires_in": <seconds>, "token_type": "Bearer"}`. */
function readAccessToken(body: Record<string, unknown>, requestedAtMs: number): IssuedToken | null {
  if (typeof body.access_token !== 'string' || !body.access_token) return null;
  const expiresInS = body.expires_in;
  const known = typeof expiresInS === 'number' && Number.isFinite(expiresInS) && expiresInS > 0;
  return { token: body.access_token, expiresAtMs: known ? requestedAtMs + expiresInS * 1000 : null };
}
