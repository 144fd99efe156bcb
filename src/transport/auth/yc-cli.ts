/** The `yc` command-line tool: `yc iam create-token` with the user's own login. */
import type * as ChildProcess from 'node:child_process';
import type { ExecFileException } from 'node:child_process';
import { loadAtFirstUse } from '../../runtime/load';
import { credentialError } from './errors';
import { authorization, CredentialProvider } from './provider';
import { readEnvSecret, redact } from './secret';
import { type IssuedToken, TokenCache } from './token-cache';

/** Bounds one run of `yc` (it may itself call the IAM API): 30 seconds, in milliseconds. */
const RUN_TIMEOUT_MS = 30_000;

/**
 * Sends `Authorization: Bearer <token>` with a token printed by `yc iam create-token`
 * (the profile from `YC_PROFILE` when set, as the reference does). `yc` does not say when the
 * token expires, so it is cached for an hour, the reference's refresh period.
 */
export class YcCliAuth extends CredentialProvider {
  readonly name = 'yc-cli';
  readonly #path: string;
  readonly #env: NodeJS.ProcessEnv;
  readonly #token: TokenCache;

  /**
   * @param options.ycPath The executable: a name looked up on `env.PATH`, or a path.
   * @param options.env The child's environment (also where `YC_PROFILE` is read).
   * @param options.now The clock, in milliseconds since the epoch.
   */
  constructor(options: { ycPath: string; env: NodeJS.ProcessEnv; now: () => number }) {
    super();
    this.#path = options.ycPath;
    this.#env = options.env;
    this.#token = new TokenCache((signal) => this.#run(signal), options.now);
  }

  async getHeaders(signal?: AbortSignal): Promise<Record<string, string>> {
    return authorization('Bearer', await this.#token.get(signal));
  }

  /** The chain's availability check: runs `yc` once and caches its token. Rejects with an `ApiError` when `yc` is missing or fails. */
  async probe(signal?: AbortSignal): Promise<void> {
    await this.#token.prime((s) => this.#run(s), signal);
  }

  #run(signal: AbortSignal | undefined): Promise<IssuedToken> {
    const profile = readEnvSecret(this.#env, 'YC_PROFILE');
    const args = ['iam', 'create-token', '--no-user-output', ...(profile ? ['--profile', profile] : [])];
    const command = `${this.#path} iam create-token`;
    const options = { env: this.#env, timeout: RUN_TIMEOUT_MS, signal, windowsHide: true, encoding: 'utf8' as const };
    return new Promise((resolve, reject) => {
      // node:child_process (and the net and stream modules it pulls in) loads only when the CLI is asked.
      loadAtFirstUse<typeof ChildProcess>('node:child_process').execFile(this.#path, args, options, (error, stdout, stderr) => {
        if (signal?.aborted) return reject(signal.reason);
        const token = lastLine(stdout);
        if (!error && token) return resolve({ token, expiresAtMs: null });
        // stdout may hold a token even on failure: only stderr is quoted, without that token.
        reject(
          credentialError({
            message: `${command} ${whyFailed(error, redact(stderr, token || undefined))}`,
            endpoint: command,
            authProvider: this.name,
          }),
        );
      });
    });
  }
}

function whyFailed(error: ExecFileException | null, stderr: string): string {
  if (!error) return 'printed no token';
  if (error.code === 'ENOENT') return 'failed: the yc CLI is not installed (not found)';
  if (error.killed) return `did not finish within ${RUN_TIMEOUT_MS / 1000} s`;
  const said = lastLine(stderr);
  const exit = typeof error.code === 'number' ? `exit code ${error.code}` : String(error.code ?? error.signal);
  return `failed (${exit})${said ? `: ${said}` : ''}`;
}

/** The last non-blank line, trimmed (`yc` prints the token last). */
function lastLine(text: string): string {
  return (
    text
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
      .at(-1) ?? ''
  );
}
