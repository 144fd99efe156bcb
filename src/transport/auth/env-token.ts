/** An IAM token read from an environment variable on every request (`YC_TOKEN`, as in DataSphere). */
import { credentialError } from './errors';
import { authorization, CredentialProvider } from './provider';
import { readEnvSecret } from './secret';

/**
 * Sends `Authorization: Bearer <value of the variable>`, re-reading the variable on every call, so
 * that whoever sets it can replace the token before it expires. The reference treats the value as
 * an IAM token whatever its shape.
 */
export class EnvTokenAuth extends CredentialProvider {
  readonly name: string;
  readonly #env: NodeJS.ProcessEnv;
  readonly #variable: string;

  /** @param env Where to read the variable, such as `process.env`. Named `env:<variable>`. */
  constructor(env: NodeJS.ProcessEnv, variable: string) {
    super();
    this.name = `env:${variable}`;
    this.#env = env;
    this.#variable = variable;
  }

  /** Rejects with an `ApiError` (gRPC 16) when the variable is unset or blank at the time of the call. */
  async getHeaders(signal?: AbortSignal): Promise<Record<string, string>> {
    signal?.throwIfAborted();
    const token = readEnvSecret(this.#env, this.#variable);
    if (!token) {
      throw credentialError({ message: `${this.#variable} is no longer set`, endpoint: this.name, authProvider: this.name });
    }
    return authorization('Bearer', token);
  }
}
