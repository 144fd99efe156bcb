/**
 * "No credentials found", said before any request. The SDK's environment chain (used when no
 * flag gives credentials) looks at `YC_API_KEY`, `YC_IAM_TOKEN`, `YC_OAUTH_TOKEN`, the VM
 * metadata service, `YC_TOKEN` and the `yc` CLI, in that order, at the first request; with none
 * found it sends no credentials, and the server answers 401. The CLI checks first, without the
 * network, whether any of those sources can be there:
 *
 * - a credential variable that is set and not blank;
 * - a `yc` executable on `PATH` (the chain runs `yc iam create-token`);
 * - the metadata service: `YC_METADATA_ADDR` names one and something listens there (a TCP
 *   connect to that address, bounded by 1 s: an address the user or a test chose, loopback in
 *   the tests), or, without it, this machine is a Yandex Cloud VM by its DMI vendor
 *   (`/sys/class/dmi/id`). A VM whose DMI is hidden (some containers) is not recognised: there,
 *   `YC_METADATA_ADDR=169.254.169.254` says where the service is.
 *
 * When none can be there, the command ends with the ways to give credentials (exit 4, as the
 * server's 401 did). A source that is there but has no credentials (a `yc` with no profile, a VM
 * without a service account) still ends in the server's 401.
 */
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { delimiter, join } from 'node:path';

/** The chain's credential variables, in its order. */
const VARIABLES = ['YC_API_KEY', 'YC_IAM_TOKEN', 'YC_OAUTH_TOKEN', 'YC_TOKEN'] as const;
/** The DMI files that name a VM's maker. */
const DMI_FILES = ['sys_vendor', 'bios_vendor', 'board_vendor', 'product_name'].map((name) => join('/sys/class/dmi/id', name));
/** Bounds the connect to `YC_METADATA_ADDR`: 1 second, in milliseconds (as the chain's own probe). */
const CONNECT_TIMEOUT_MS = 1_000;

/** No credential source can be there (exit 4, as the server's 401 would be). */
export class NoCredentialsError extends Error {
  override name = 'NoCredentialsError';
  constructor() {
    super(
      'no credentials found: set YC_API_KEY, YC_IAM_TOKEN or YC_OAUTH_TOKEN, pass --api-key or --iam-token, ' +
        'log in with the yc CLI (yc init), or run on a Yandex Cloud VM with a service account (YC_METADATA_ADDR names its metadata service); --no-auth sends none',
    );
  }
}

/** The first source of the environment chain that can be there, named; throws {@link NoCredentialsError} when none can. */
export async function requireCredentials(env: NodeJS.ProcessEnv): Promise<string> {
  const variable = VARIABLES.find((name) => env[name]?.trim());
  if (variable) return variable;
  if (onPath('yc', env)) return 'the yc CLI';
  const metadataAddr = env.YC_METADATA_ADDR?.trim();
  if (metadataAddr ? await listening(metadataAddr) : isYandexCloudVm()) return 'the VM metadata service';
  throw new NoCredentialsError();
}

/** True when `PATH` holds an executable file named `name` (on Windows, with a `PATHEXT` extension). */
function onPath(name: string, env: NodeJS.ProcessEnv): boolean {
  const extensions = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  return (env.PATH ?? '').split(delimiter).some((dir) => dir && extensions.some((ext) => isExecutable(join(dir, name + ext))));
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function isYandexCloudVm(): boolean {
  return DMI_FILES.some((file) => {
    try {
      return /yandex/i.test(readFileSync(file, 'utf8'));
    } catch {
      return false;
    }
  });
}

/** True when a TCP connect to `host[:port]` (port 80 by default; `[v6]:port` for IPv6) succeeds within 1 s. */
function listening(addr: string): Promise<boolean> {
  const match = /^\[?([^\]]*?)\]?(?::(\d+))?$/.exec(addr);
  const host = match?.[1] ?? addr;
  const port = Number(match?.[2] ?? 80);
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: CONNECT_TIMEOUT_MS });
    const end = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => end(true));
    socket.once('timeout', () => end(false));
    socket.once('error', () => end(false));
  });
}
