/**
 * Taking secrets in (checked, trimmed, never echoed) and keeping them out of server texts.
 */

/**
 * A secret given as an option, trimmed (a trailing newline from a file would make the header
 * invalid). Throws a `TypeError` naming the option, never showing the value.
 */
export function requireSecret(value: unknown, option: string): string {
  const secret = typeof value === 'string' ? value.trim() : '';
  if (!secret) throw new TypeError(`${option} must be a non-empty string`);
  return secret;
}

/** A secret from an environment variable, trimmed; `undefined` when unset, empty or blank. */
export function readEnvSecret(env: NodeJS.ProcessEnv, variable: string): string | undefined {
  return env[variable]?.trim() || undefined;
}

/** `text` with every occurrence of `secret` replaced by `<redacted>`. */
export function redact(text: string, secret: string | undefined): string {
  return secret ? text.replaceAll(secret, '<redacted>') : text;
}

/** `text` with each credential header's value, and its secret alone (`Api-Key <secret>`), cut out. */
export function withoutCredentials(text: string, credentials: Record<string, string>): string {
  let out = text;
  for (const value of Object.values(credentials)) out = redact(redact(out, value), value.replace(/^\S+\s+/, ''));
  return out;
}
