/**
 * How statuses and errors read, for people (one-line labels, a status block, error messages
 * with a hint) and for programs (the wire-shaped JSON of a status). Pure: no I/O.
 */
import { ApiError, OperationTimeoutError, RunError, type OperationStatus } from 'yc-operation';
import { GrpcCode } from 'yc-operation/testing';

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

/** What went wrong, for people, with what to do about it when there is something to do. */
export function describeError(error: unknown): string {
  if (error instanceof RunError) {
    const verb = error.code === CANCELLED ? 'was cancelled' : 'failed';
    return [`Operation ${error.operationId} ${verb}`, ...errorLines(error.code, error.errorMessage, error.details)].join('\n');
  }
  if (error instanceof OperationTimeoutError) {
    return `${error.message}.\nIt is still running on the server: wait again later, or stop it with 'yc-operation cancel ${error.operationId}'.`;
  }
  const message = error instanceof Error ? error.message : String(error);
  const hint = error instanceof ApiError ? apiErrorHint(error) : '';
  return hint ? `${message}\n${hint}` : message;
}

function apiErrorHint(error: ApiError): string {
  switch (error.grpcCode) {
    case GrpcCode.UNAUTHENTICATED:
    case GrpcCode.PERMISSION_DENIED:
      return 'Check the credentials: --api-key, --iam-token, or YC_API_KEY / YC_IAM_TOKEN / YC_OAUTH_TOKEN.';
    case GrpcCode.NOT_FOUND:
      return 'Check the operation id, and that --endpoint is the service that started the operation.';
    case GrpcCode.UNAVAILABLE:
    case GrpcCode.DEADLINE_EXCEEDED:
      return error.httpStatus === null ? 'Check --endpoint and the network; --timeout sets how long one request may take.' : '';
    default:
      return '';
  }
}
