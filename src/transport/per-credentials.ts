/**
 * What an attempt's headers make of its credentials (the SDK's own axios's wire headers, gRPC's
 * lower-case metadata), made once for each new value of the credentials: a provider gives a fresh
 * copy of the same ones each time (a static one, the same object), and the work is then done
 * once, not per request.
 */
export class PerCredentials<T> {
  #credentials: Record<string, string> | null = null;
  #value: T | undefined;

  constructor(private readonly make: (credentials: Record<string, string>) => T) {}

  /**
   * The value for `credentials`: the last one made, when they are the same object (a static
   * provider's) or have the same names and values.
   */
  of(credentials: Record<string, string>): T {
    if (credentials === this.#credentials) return this.#value as T;
    if (this.#credentials === null || !sameRecord(this.#credentials, credentials)) {
      this.#value = this.make(credentials);
      this.#credentials = credentials;
    }
    return this.#value as T;
  }
}

/** True when `a` and `b` have the same names with the same values. */
function sameRecord(a: Record<string, string>, b: Record<string, string>): boolean {
  let count = 0;
  for (const name in a) {
    if (a[name] !== b[name]) return false;
    count++;
  }
  for (const _ in b) count--;
  return count === 0;
}
