/**
 * Where the CLI writes: data on stdout, diagnostics on stderr. Every line goes through a
 * redactor that masks the credentials in use, as a last guard: no message should carry one,
 * and if one ever does, it still never reaches the terminal or a log file.
 */

/** The part of a stream the CLI uses (a TTY stream has `isTTY` and `columns`). */
export interface OutStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** The credential variables of the SDK's environment chain. */
const SECRET_VARIABLES = ['YC_API_KEY', 'YC_IAM_TOKEN', 'YC_OAUTH_TOKEN', 'YC_TOKEN'] as const;
/** Shorter values are not masked: they would mask ordinary words, and are no real credential. */
const MIN_SECRET_LENGTH = 8;

/** Replaces each of `secrets` (and the credentials of `env`) in a text with `***`. */
export function redactor(secrets: readonly (string | undefined)[], env: NodeJS.ProcessEnv = process.env): (text: string) => string {
  const known = [...secrets, ...SECRET_VARIABLES.map((name) => env[name]?.trim())]
    .filter((secret): secret is string => secret !== undefined && secret.length >= MIN_SECRET_LENGTH)
    .sort((a, b) => b.length - a.length);
  return (text) => known.reduce((masked, secret) => masked.replaceAll(secret, '***'), text);
}

/** The CLI's output. */
export class Io {
  constructor(
    readonly stdout: OutStream,
    readonly stderr: OutStream,
    readonly redact: (text: string) => string,
  ) {}

  /** A line of data (stdout). */
  out(text: string): void {
    this.stdout.write(`${this.redact(text)}\n`);
  }

  /** A line of diagnostics (stderr). */
  err(text: string): void {
    this.stderr.write(`${this.redact(text)}\n`);
  }
}
