/**
 * The global options of the CLI, and the blocking client they make: its endpoint, its
 * credentials (a flag, none, or the SDK's environment chain), and the logs on stderr: with
 * --verbose, the CLI's own lines about requests and polls with the SDK's lines; with --debug
 * (or YC_OPERATION_LOG), the SDK's console logger. Logs name the kind of credentials, never
 * their value.
 */
import { format } from 'node:util';
import { envLogger, OperationsClient, type AuthData, type Logger } from 'yc-operation';
import type { Io } from './io';

/** The options every command takes (commander's names). */
export interface GlobalOptions {
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
  client: OperationsClient;
  /** True when a log writes on stderr (--verbose, --debug or YC_OPERATION_LOG): no live progress line then. */
  logging: boolean;
  /** True with --quiet: no progress, nothing on stdout; errors still go to stderr. */
  quiet: boolean;
  /** A line of the --verbose log (nothing without --verbose). */
  log(message: string): void;
}

/** The credentials the flags give; `undefined` leaves them to the SDK's environment chain. */
function authOf(options: GlobalOptions): AuthData | undefined {
  if (options.apiKey !== undefined) return { apiKey: options.apiKey };
  if (options.iamToken !== undefined) return { iamToken: options.iamToken };
  return options.auth ? undefined : null;
}

/** The kind of credentials in use, for the --verbose log. */
function describeAuth(options: GlobalOptions): string {
  if (options.apiKey !== undefined) return 'API key from --api-key';
  if (options.iamToken !== undefined) return 'IAM token from --iam-token';
  return options.auth ? 'from the environment (the SDK\'s chain)' : 'none (--no-auth)';
}

function verboseLogger(io: Io): Logger {
  const line = (level: string) => (message: string, ...rest: unknown[]) => io.err(`[${level}] ${format(message, ...rest)}`);
  return { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
}

const SILENT: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * The logger of the flags: --verbose's; else the SDK's console logger at debug level with
 * --debug, or at YC_OPERATION_LOG's level; else none. Its lines go through the CLI's redactor.
 */
function loggerOf(options: GlobalOptions, io: Io): Logger | undefined {
  if (options.verbose) return verboseLogger(io);
  const env = options.debug ? { ...process.env, YC_OPERATION_LOG: 'debug' } : process.env;
  return envLogger(env, { write: (text) => io.stderr.write(io.redact(text)) }) ?? undefined;
}

/**
 * Runs `command` with a blocking client made from the global options, and closes the client
 * (and with it the SDK's worker thread) afterwards, whatever happens.
 */
export function withSession<T>(options: GlobalOptions, io: Io, command: (session: Session) => T): T {
  const logger = loggerOf(options, io);
  const log = options.verbose ? (message: string) => logger!.debug(message) : () => {};
  const client = new OperationsClient({
    endpoint: options.endpoint,
    auth: authOf(options),
    folderId: options.folderId,
    allowInsecureHttp: options.allowInsecureHttp,
    // No logger asked for: a silent one, so that the SDK does not read YC_OPERATION_LOG a second time.
    logger: logger ?? SILENT,
    protocol: options.protocol,
  });
  log(`endpoint ${client.endpoint}; credentials: ${describeAuth(options)}; folder: ${options.folderId ?? process.env.YC_FOLDER_ID ?? 'none'}`);
  try {
    return command({ io, client, logging: logger !== undefined, quiet: options.quiet === true, log });
  } finally {
    client.close();
  }
}
