/** Where the providers look: the environment variables, the IAM API, the metadata service, `yc`. */
import { DEFAULT_METADATA_ADDR } from './metadata';

/** Overrides for where credentials are looked up; every field is optional. */
export interface AuthEnvironment {
  /** The variables the chain reads (`YC_API_KEY`, ..., and `YC_TOKEN` on every request); also `yc`'s environment. @default process.env */
  env?: NodeJS.ProcessEnv;
  /** Base URL of the IAM API that exchanges OAuth tokens. @default 'https://iam.api.cloud.yandex.net' */
  iamEndpoint?: string;
  /** `host[:port]` of the VM metadata service. @default `env.YC_METADATA_ADDR`, else '169.254.169.254' */
  metadataAddr?: string;
  /** The `yc` executable: a name looked up on `env.PATH`, or a path. @default 'yc' */
  ycPath?: string;
  /** The clock token lifetimes are measured with, in milliseconds since the epoch. @default Date.now */
  now?: () => number;
}

/** An {@link AuthEnvironment} with every default filled in. */
export type ResolvedAuthEnvironment = Required<AuthEnvironment>;

/** Fills in the defaults; `YC_METADATA_ADDR` is read from `env` now. */
export function withDefaults(environment: AuthEnvironment = {}): ResolvedAuthEnvironment {
  const env = environment.env ?? process.env;
  return {
    env,
    iamEndpoint: environment.iamEndpoint ?? 'https://iam.api.cloud.yandex.net',
    metadataAddr: environment.metadataAddr ?? (env.YC_METADATA_ADDR?.trim() || DEFAULT_METADATA_ADDR),
    ycPath: environment.ycPath ?? 'yc',
    now: environment.now ?? Date.now,
  };
}
