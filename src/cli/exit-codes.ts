/**
 * The CLI's exit codes, as data, and the text `--help` shows about them. Which error ends the
 * program with which code is `./error-exit` (it needs the SDK; this module does not).
 */

/** How the program ends. */
export const ExitCode = Object.freeze({
  /** The command did its job (`wait`: the operation succeeded). */
  ok: 0,
  /** The operation failed (or was cancelled): `wait`, and `get` of a failed operation. */
  operationFailed: 1,
  /** Bad arguments: unknown flag, missing id, malformed number, invalid endpoint. */
  usage: 2,
  /** `wait` ran out of `--poll-timeout` while the operation was still running. */
  timedOut: 3,
  /** The API could not be used: no credentials anywhere, refused credentials, an error answer, no answer, a broken reply. */
  apiError: 4,
  /** A bug in this program. */
  internal: 70,
  /**
   * The reader of stdout or stderr went away (`| head -1`, `| true`): the command ends at once,
   * quietly, with the status a shell gives a program that SIGPIPE ends (128 + 13). With
   * `set -o pipefail` the pipeline fails, as it does for any program cut off that way.
   */
  brokenPipe: 141,
} as const);

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** A request the CLI cannot carry out as given (exit 2); its message says what to change. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The exit codes section of `--help`. */
export const EXIT_CODES_HELP = `
Exit codes:
  0    success (wait: the operation succeeded; get: it is running or succeeded)
  1    the operation failed or was cancelled
  2    usage error (unknown flag, missing id, bad number, bad endpoint, port in use)
  3    wait: --poll-timeout ran out while the operation was still running
  4    API error: no credentials found, credentials refused, error answer, no answer, broken reply
  70   internal error (a bug in yc-operation: please report it)
  141  the reader of the output went away (| head, | true): ended quietly, as by SIGPIPE
  130  interrupted by Ctrl-C (the process is ended by SIGINT; the shell shows 130)`;
