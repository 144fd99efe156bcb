/**
 * The global options of the CLI, and the blocking client they make: its endpoint, its
 * credentials (a flag, none, or the SDK's environment chain), and, with --verbose, a log of
 * requests and polls on stderr that names the kind of credentials, never their value.
 */
import { format } from 'node:util';
import { OperationsClient, type AuthData, type Logger } from 'yc-operation';
import type { Io } from './io';

/** The options every command takes (commander's names). */
export interface GlobalOptions {
  endpoint?: string;
  apiKey?: string;
  iamToken?: string;
  /** `false` with --no-auth. */
  auth: boolean;
  folderId?: string;
  verbose?: boolean;
  protocol?: 'rest' | 'grpc';
}

/** What a command works with. */
export interface Session {
  io: Io;
  client: OperationsClient;
  /** True with --verbose. */
  verbose: boolean;
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

/**
 * Runs `command` with a blocking client made from the global options, and closes the client
 * (and with it the SDK's worker thread) afterwards, whatever happens.
 */
export function withSession<T>(options: GlobalOptions, io: Io, command: (session: Session) => T): T {
  const logger = options.verbose ? verboseLogger(io) : undefined;
  const log = logger ? (message: string) => logger.debug(message) : () => {};
  const client = new OperationsClient({ endpoint: options.endpoint, auth: authOf(options), folderId: options.folderId, logger, protocol: options.protocol });
  log(`endpoint ${client.endpoint}; credentials: ${describeAuth(options)}; folder: ${options.folderId ?? process.env.YC_FOLDER_ID ?? 'none'}`);
  try {
    return command({ io, client, verbose: logger !== undefined, log });
  } finally {
    client.close();
  }
}
