/**
 * The reference's credential chain: with no explicit credentials, the first source found, in order,
 * among `YC_API_KEY`, `YC_IAM_TOKEN`, `YC_OAUTH_TOKEN`, the VM metadata service, `YC_TOKEN` and the
 * `yc` CLI; no credentials at all when none is found.
 */
import type { AuthProvider } from '../../core/transport';
import { SharedFlight } from '../../runtime/shared-flight';
import type { CredentialKind } from './classify';
import { createProvider } from './create';
import { EnvTokenAuth } from './env-token';
import { type AuthEnvironment, type ResolvedAuthEnvironment, withDefaults } from './environment';
import { MetadataServiceAuth } from './metadata';
import { CredentialProvider } from './provider';
import { readEnvSecret } from './secret';
import { noAuth } from './static';
import { YcCliAuth } from './yc-cli';

/** One source of the chain: its provider when the source is there, else `null`. */
type ChainStep = (environment: ResolvedAuthEnvironment, signal: AbortSignal) => Promise<AuthProvider | null>;

/** A variable holding a credential of a known kind; unset, empty or blank means absent. */
function variable(name: string, kind: CredentialKind): ChainStep {
  return async (environment) => {
    const secret = readEnvSecret(environment.env, name);
    return secret ? createProvider(kind, secret, environment) : null;
  };
}

/** A provider that can tell whether its source is there: `probe` gets (and keeps) a token, or rejects. */
type ProbedProvider = AuthProvider & { probe(signal?: AbortSignal): Promise<void> };

/** A source that is there when its probe gets a token (the token is kept for the first request). */
function probed(make: (environment: ResolvedAuthEnvironment) => ProbedProvider): ChainStep {
  return async (environment, signal) => {
    const provider = make(environment);
    try {
      await provider.probe(signal);
      return provider;
    } catch {
      if (signal.aborted) throw signal.reason;
      return null;
    }
  };
}

/** The reference's order (docs/wire.md, "Credentials on the wire"). */
const STEPS: readonly ChainStep[] = [
  variable('YC_API_KEY', 'api-key'),
  variable('YC_IAM_TOKEN', 'iam-token'),
  variable('YC_OAUTH_TOKEN', 'oauth'),
  probed((environment) => new MetadataServiceAuth({ addr: environment.metadataAddr, now: environment.now })),
  async (environment) => (readEnvSecret(environment.env, 'YC_TOKEN') ? new EnvTokenAuth(environment.env, 'YC_TOKEN') : null),
  probed((environment) => new YcCliAuth(environment)),
];

/**
 * Walks the chain lazily: nothing is read, asked or run until the first `getHeaders`. The provider
 * found is kept for every later call; concurrent first calls share one walk. The name is
 * `env-chain` until then, `env-chain(<found>)` after, and `env-chain(none)` when nothing was found
 * (then no `Authorization` header is sent).
 */
export class EnvChainAuth extends CredentialProvider {
  readonly #environment: AuthEnvironment;
  readonly #walk = new SharedFlight<AuthProvider>();
  #found: AuthProvider | null = null;

  /** @param environment Where to look; read at the first `getHeaders`, not now. */
  constructor(environment: AuthEnvironment = {}) {
    super();
    this.#environment = environment;
  }

  get name(): string {
    return this.#found ? `env-chain(${this.#found.name})` : 'env-chain';
  }

  /** The found provider's headers. Rejects with `signal.reason` when `signal` aborts, and the walk is left for the next call. */
  async getHeaders(signal?: AbortSignal): Promise<Record<string, string>> {
    const found = this.#found ?? (await this.#walk.run((s) => this.#find(s), signal));
    return found.getHeaders(signal);
  }

  async #find(signal: AbortSignal): Promise<AuthProvider> {
    const environment = withDefaults(this.#environment);
    for (const step of STEPS) {
      const provider = await step(environment, signal);
      if (provider) return (this.#found = provider);
    }
    return (this.#found = noAuth());
  }
}
