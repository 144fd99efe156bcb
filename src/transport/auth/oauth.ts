/** An OAuth token, exchanged for IAM tokens at the IAM API (`POST /iam/v1/tokens`). */
import { requestToken } from './http';
import { authorization, CredentialProvider } from './provider';
import { type IssuedToken, TokenCache } from './token-cache';

/** Bounds one exchange request: 10 seconds, in milliseconds. */
const EXCHANGE_TIMEOUT_MS = 10_000;

/**
 * Exchanges the OAuth token for an IAM token on first use and sends `Authorization: Bearer <IAM token>`.
 * The IAM token is cached and replaced before it expires (see `refreshAtMs`); concurrent callers
 * share one exchange; a failed exchange rejects them all with an `ApiError` and the next call tries again.
 */
export class OAuthAuth extends CredentialProvider {
  readonly name = 'oauth';
  readonly #oauthToken: string;
  readonly #url: string;
  readonly #iamToken: TokenCache;

  /**
   * @param options.iamEndpoint Base URL of the IAM API, such as `https://iam.api.cloud.yandex.net`.
   * @param options.now The clock, in milliseconds since the epoch.
   */
  constructor(oauthToken: string, options: { iamEndpoint: string; now: () => number }) {
    super();
    this.#oauthToken = oauthToken;
    this.#url = `${options.iamEndpoint.replace(/\/+$/, '')}/iam/v1/tokens`;
    this.#iamToken = new TokenCache((signal) => this.#exchange(signal), options.now);
  }

  async getHeaders(signal?: AbortSignal): Promise<Record<string, string>> {
    return authorization('Bearer', await this.#iamToken.get(signal));
  }

  #exchange(signal: AbortSignal | undefined): Promise<IssuedToken> {
    return requestToken(
      {
        action: 'Exchanging the OAuth token for an IAM token',
        authProvider: this.name,
        method: 'POST',
        url: this.#url,
        headers: { 'Content-Type': 'application/json' },
        body: { yandexPassportOauthToken: this.#oauthToken },
        timeoutMs: EXCHANGE_TIMEOUT_MS,
        viaProxy: true,
        sentSecret: this.#oauthToken,
      },
      readIamToken,
      signal,
    );
  }
}

/** `{"iamToken": "...", "expiresAt": "<RFC 3339>"}`. */
function readIamToken(body: Record<string, unknown>): IssuedToken | null {
  if (typeof body.iamToken !== 'string' || !body.iamToken) return null;
  const expiresAtMs = typeof body.expiresAt === 'string' ? Date.parse(body.expiresAt) : NaN;
  return { token: body.iamToken, expiresAtMs: Number.isNaN(expiresAtMs) ? null : expiresAtMs };
}
