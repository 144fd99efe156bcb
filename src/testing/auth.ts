/** The credentials check of an emulator started with an `apiKey` or an `iamToken`. */

/** The credentials to expect, in the form `startEmulator` takes them. */
export interface ExpectedCredentials {
  apiKey?: string;
  iamToken?: string;
}

/**
 * A check of a request's `Authorization` header (docs/wire.md: `Api-Key <key>` or `Bearer <token>`,
 * the scheme case-insensitive): it returns why the request is unauthenticated, or `null` when it
 * is fine. Every request is fine when no credentials are expected.
 */
export function authorizationCheck(expected: ExpectedCredentials): (header: string | undefined) => string | null {
  const accepted = new Set<string>();
  if (expected.apiKey !== undefined) accepted.add(`api-key ${expected.apiKey}`);
  if (expected.iamToken !== undefined) accepted.add(`bearer ${expected.iamToken}`);
  if (accepted.size === 0) return () => null;
  return (header) => {
    if (header === undefined) return 'The request is missing the Authorization header.';
    const space = header.indexOf(' ');
    const normalized = header.slice(0, space).toLowerCase() + header.slice(space);
    return space > 0 && accepted.has(normalized) ? null : 'Token is invalid or has expired.';
  };
}
