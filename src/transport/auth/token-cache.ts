/**
 * A short-lived token kept until shortly before it expires, refreshed by one shared request.
 * Used by the providers that obtain IAM tokens: the OAuth exchange, the metadata service, `yc`.
 */
import { SharedFlight } from '../../runtime/shared-flight';

/** A token as its source issued it. */
export interface IssuedToken {
  token: string;
  /** When the token stops working, in milliseconds since the epoch; `null` when the source does not say. */
  expiresAtMs: number | null;
}

/** Gets a fresh token; rejects (with an `ApiError`, or the signal's reason) when it cannot. */
export type TokenFetcher = (signal: AbortSignal | undefined) => Promise<IssuedToken>;

/** The longest a token is used, as the reference refreshes hourly: 1 hour, in milliseconds. */
const MAX_TOKEN_AGE_MS = 60 * 60 * 1000;
/** Refresh when less than this share of a token's lifetime is left... */
const REFRESH_SHARE = 0.1;
/** ...or less than this much, whichever margin is smaller: 5 minutes, in milliseconds. */
const MAX_REFRESH_MARGIN_MS = 5 * 60 * 1000;

/**
 * When a token obtained at `obtainedAtMs` should be replaced: after {@link MAX_TOKEN_AGE_MS}, or
 * once less than min(10% of its lifetime, 5 minutes) is left, whichever comes first.
 */
export function refreshAtMs(obtainedAtMs: number, expiresAtMs: number | null): number {
  const byAge = obtainedAtMs + MAX_TOKEN_AGE_MS;
  if (expiresAtMs === null) return byAge;
  const margin = Math.min((expiresAtMs - obtainedAtMs) * REFRESH_SHARE, MAX_REFRESH_MARGIN_MS);
  return Math.min(byAge, expiresAtMs - margin);
}

/**
 * Caches the token `fetch` gives. A caller gets the cached token while it is fresh; otherwise it
 * waits for a refresh, which concurrent callers share. A failed refresh rejects every caller
 * waiting on it and is not cached: the next call tries again.
 */
export class TokenCache {
  readonly #fetch: TokenFetcher;
  readonly #now: () => number;
  readonly #refresh = new SharedFlight<string>();
  #cached: { token: string; refreshAtMs: number } | null = null;

  /** @param now The clock, in milliseconds since the epoch. */
  constructor(fetch: TokenFetcher, now: () => number) {
    this.#fetch = fetch;
    this.#now = now;
  }

  /** A fresh token: the cached one, or a new one. Rejects with `signal.reason` when `signal` aborts. */
  async get(signal?: AbortSignal): Promise<string> {
    signal?.throwIfAborted();
    const cached = this.#cached;
    if (cached && this.#now() < cached.refreshAtMs) return cached.token;
    return this.#refresh.run((s) => this.prime(this.#fetch, s), signal);
  }

  /**
   * Fetches a token with `fetch` (the usual fetcher or, for a probe, a quicker one), caches it and
   * returns it. Rejects as `fetch` does, leaving the cache as it was.
   */
  async prime(fetch: TokenFetcher, signal?: AbortSignal): Promise<string> {
    const obtainedAtMs = this.#now();
    const issued = await fetch(signal);
    this.#cached = { token: issued.token, refreshAtMs: refreshAtMs(obtainedAtMs, issued.expiresAtMs) };
    return issued.token;
  }
}
