/**
 * The options of the commands on an operation, and the promise client they make: its endpoint,
 * its credentials (a flag, none, or the SDK's environment chain), and the logs on stderr: with
 * --verbose, the CLI's own lines about requests and polls with the SDK's lines; with --debug
 * (or YC_OPERATION_LOG), the SDK's console logger. Logs name the kind of credentials, never
 * their value. The promise client needs no worker thread: a command is one process's only work.
 */
import { format } from 'node:util';
import { AsyncOperationsClient, type AuthData, envLogger, type Logger } from 'yc-operation';
import { requireCredentials } from './credentials';
import type { Io } from './io';

/** The connection and log options of `get`, `wait` and `cancel` (commander's names). */
export interface SessionOptions {
  /** --endpoint, else YC_OPERATION_ENDPOINT, else 'operation'. */
  endpoint?: string;
  apiKey?: string;
  iamToken?: string;
  /** `false` with --no-auth. */
  auth: boolean;
  folderId?: string;
  allowInsecureHttp?: boolean;
  verbose?: boolean;
  debug?: boolean;
  quiet?: boolean;
  protocol?: 'rest' | 'grpc';
}

/** What a command works with. */
export interface Session {
  io: Io;
  client: AsyncOperationsClient;
  /** True when a log writes on stderr (--verbose, --debug or YC_OPERATION_LOG): no live progress line then. */
  logging: boolean;
  /** True with --quiet: no progress, nothing on stdout; errors still go to stderr. */
  quiet: boolean;
  /** A line of the --verbose log (nothing without --verbose). */
  log(message: string): void;
}

/** The credentials the flags give; `undefined` leaves them to the SDK's environment chain. */
function authOf(options: SessionOptions): AuthData | undefined {
  if (options.apiKey !== undefined) return { apiKey: options.apiKey };
  if (options.iamToken !== undefined) return { iamToken: options.iamToken };
  return options.auth ? undefined : null;
}

/** The kind of credentials in use, for the --verbose log; the environment's source is looked for first (./credentials.ts). */
async function describeAuth(options: SessionOptions): Promise<string> {
  if (options.apiKey !== undefined) return 'API key from --api-key';
  if (options.iamToken !== undefined) return 'IAM token from --iam-token';
  return options.auth ? `from the environment: ${await requireCredentials(process.env)}` : 'none (--no-auth)';
}

function verboseLogger(io: Io): Logger {
  const line =
    (level: string) =>
    (message: string, ...rest: unknown[]) =>
      io.err(`[${level}] ${format(message, ...rest)}`);
  return { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
}

const SILENT: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * The logger of the flags: --verbose's; else the SDK's console logger at debug level with
 * --debug, or at YC_OPERATION_LOG's level; else none. Its lines go through the CLI's redactor.
 */
function loggerOf(options: SessionOptions, io: Io): Logger | undefined {
  if (options.verbose) return verboseLogger(io);
  const env = options.debug ? { ...process.env, YC_OPERATION_LOG: 'debug' } : process.env;
  return envLogger(env, { write: (text) => io.stderr.write(io.redact(text)) }) ?? undefined;
}

/**
 * Runs `command` with a promise client made from the options, and closes the client afterwards,
 * whatever happens. When the credentials are left to the environment and none can be there, it
 * throws before any request (./credentials.ts).
 */
export async function withSession<T>(options: SessionOptions, io: Io, command: (session: Session) => Promise<T>): Promise<T> {
  const logger = loggerOf(options, io);
  const log = options.verbose ? (message: string) => logger!.debug(message) : () => {};
  const client = new AsyncOperationsClient({
    endpoint: options.endpoint,
    auth: authOf(options),
    folderId: options.folderId,
    allowInsecureHttp: options.allowInsecureHttp,
    // No logger asked for: a silent one, so that the SDK does not read YC_OPERATION_LOG a second time.
    logger: logger ?? SILENT,
    protocol: options.protocol,
  });
  try {
    const source = await describeAuth(options);
    log(`endpoint ${client.endpoint}; credentials: ${source}; folder: ${options.folderId ?? process.env.YC_FOLDER_ID ?? 'none'}`);
    return await command({ io, client, logging: logger !== undefined, quiet: options.quiet === true, log });
  } finally {
    client.close();
  }
}
