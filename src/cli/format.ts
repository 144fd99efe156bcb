/**
 * How statuses and errors read, for people (one-line labels, a status block, error messages
 * with a hint) and for programs (the wire-shaped JSON of a status). Pure: no I/O.
 */
import { ApiError, GrpcCode, OperationNotFoundError, type OperationStatus, OperationTimeoutError, RunError } from 'yc-operation';

const CANCELLED = GrpcCode.CANCELLED;
const CODE_NAMES = new Map<number, string>(Object.entries(GrpcCode).map(([name, code]) => [code, name]));

/** `FAILED_PRECONDITION (code 9)`; `code 42` for a code with no name. */
export function codeLabel(code: number): string {
  const name = CODE_NAMES.get(code);
  return name ? `${name} (code ${code})` : `code ${code}`;
}

/** A status in one word or phrase: running, success, failed, cancelled, or the broken "done with neither". */
export function statusLabel(status: OperationStatus): string {
  if (status.isFailed) return status.error?.code === CANCELLED ? 'cancelled' : 'failed';
  if (status.isSucceeded || status.isRunning) return status.statusName;
  return 'done, with neither a response nor an error';
}

/**
 * Progress metadata on one line: the fields of the metadata object but its `@type`, as
 * `name=value` (nested values as compact JSON); `''` when there is none.
 */
export function describeMetadata(metadata: unknown): string {
  if (metadata === null || metadata === undefined) return '';
  if (typeof metadata !== 'object' || Array.isArray(metadata)) return JSON.stringify(metadata);
  return Object.entries(metadata)
    .filter(([name]) => name !== '@type')
    .map(([name, value]) => `${name}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' ');
}

/**
 * A status in the Operation message's REST form (docs/wire.md): `id`, `done`, `metadata`, then
 * `error` (a google.rpc.Status, its details parsed back from their text form) or `response`.
 */
export function statusToWire(id: string, status: OperationStatus): Record<string, unknown> {
  const wire: Record<string, unknown> = { id, done: status.done, metadata: status.metadata };
  if (status.error) {
    const { code, message, details } = status.error;
    wire.error = { code, message, details: (details ?? []).map(parseDetail) };
  }
  if (status.response !== null) wire.response = status.response;
  return wire;
}

function parseDetail(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A status for people: a heading line, then its error, response or metadata, indented. */
export function formatStatus(id: string, status: OperationStatus, note = ''): string {
  const lines = [`Operation ${id}: ${statusLabel(status)}${note && ` (${note})`}`];
  const metadata = describeMetadata(status.metadata);
  if (metadata) lines.push(`  metadata: ${metadata}`);
  if (status.error) lines.push(...errorLines(status.error.code, status.error.message, status.error.details ?? []));
  if (status.response !== null) lines.push(`  response: ${indent(JSON.stringify(status.response, null, 2))}`);
  return lines.join('\n');
}

function errorLines(code: number, message: string, details: readonly string[]): string[] {
  return [`  error: ${codeLabel(code)}: ${message || '<empty message>'}`, ...details.map((detail) => `  detail: ${detail}`)];
}

function indent(text: string): string {
  return text.replaceAll('\n', '\n  ');
}

/** The SDK's option names in its messages, and the CLI flags that set them. */
const OPTION_FLAGS: readonly [RegExp, string][] = [
  [/\bset allowInsecureHttp: true\b/g, 'pass --allow-insecure-http'],
  [/^endpoint\b/, '--endpoint'],
  [/^folderId\b/, '--folder-id'],
];

/**
 * A message of the SDK about a bad option, in the CLI's terms: the flags to use, not the SDK
 * options they set (`use https, or pass --allow-insecure-http`, not `allowInsecureHttp: true`).
 */
export function inCliTerms(message: string): string {
  return OPTION_FLAGS.reduce((text, [option, flag]) => text.replace(option, flag), message);
}

/**
 * What went wrong, for people: one short line that names the cause (an operation's own failure
 * adds its error and details below). With `debug`, lines follow with what helps a support
 * request: the URL, the request ids, the attempts, and the chain of causes.
 */
export function describeError(error: unknown, debug = false): string {
  if (error instanceof RunError) {
    const verb = error.code === CANCELLED ? 'was cancelled' : 'failed';
    return [`Operation ${error.operationId} ${verb}`, ...errorLines(error.code, error.errorMessage, error.details)].join('\n');
  }
  const lines = [shortLine(error) + lastAttempt(error)];
  if (debug && error instanceof ApiError) lines.push(`  debug: ${apiErrorContext(error)}`);
  if (debug) for (let cause = causeOf(error); cause !== undefined; cause = causeOf(cause)) lines.push(`  cause: ${firstLine(cause)}`);
  return lines.join('\n');
}

function shortLine(error: unknown): string {
  if (error instanceof OperationTimeoutError) {
    const id = error.operationId;
    return `operation ${id} still running after the poll timeout of ${error.pollTimeout} s; it goes on: wait again later, or 'yc-operation cancel ${id}'`;
  }
  if (error instanceof OperationNotFoundError) return `operation ${error.operationId} not found (wrong id, or expired)`;
  if (error instanceof ApiError) {
    const status = [
      error.httpStatus === null ? null : `HTTP ${error.httpStatus}`,
      CODE_NAMES.get(error.grpcCode) ?? `code ${error.grpcCode}`,
    ];
    if (error.grpcCode === GrpcCode.UNAUTHENTICATED || error.grpcCode === GrpcCode.PERMISSION_DENIED) {
      return `credentials refused (${[...status, error.authProvider].filter(Boolean).join(', ')}): ${error.rawMessage}`;
    }
    if (error.httpStatus === null) return `${error.rawMessage} (${status[1]}; ${new URL(error.endpoint).origin})`;
    return `${error.rawMessage} (${status.join(', ')})`;
  }
  return firstLine(error);
}

/**
 * For the poll timeout of a wait whose last poll failed: that failure, as
 * ` (last attempt: connect ECONNREFUSED 127.0.0.1:9)`; else `''`. (A call's own timeout names its
 * last failed attempt in its message already.)
 */
function lastAttempt(error: unknown): string {
  const cause = error instanceof OperationTimeoutError ? causeOf(error) : undefined;
  return cause === undefined ? '' : ` (last attempt: ${firstLine(cause)})`;
}

/** The URL, the ids and the attempts of a failed call, for --debug. */
function apiErrorContext(error: ApiError): string {
  return [
    error.endpoint,
    error.requestId && `request id ${error.requestId}`,
    error.serverTraceId && `server trace id ${error.serverTraceId}`,
    error.clientRequestId && `client request id ${error.clientRequestId}`,
    `${error.attempts} attempt${error.attempts === 1 ? '' : 's'}`,
    error.authProvider && `auth: ${error.authProvider}`,
  ]
    .filter(Boolean)
    .join('; ');
}

function causeOf(error: unknown): unknown {
  return error instanceof Error ? error.cause : undefined;
}

/** An error in one line: an ApiError's own message (without the context its `message` adds), else the first line of its message. */
function firstLine(error: unknown): string {
  const message = error instanceof ApiError ? error.rawMessage : error instanceof Error ? error.message : String(error);
  return message.split('\n', 1)[0]!;
}
