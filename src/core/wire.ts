/**
 * Decoding of the Operation message's JSON form (proto3 JSON mapping, docs/wire.md) into an
 * {@link OperationStatus}. Rules:
 * - camelCase names; `done` omitted means `false`;
 * - `response`, `metadata`, `error` absent or `null` alike mean "not set";
 * - an `error` with code 0 means "no error" (google.rpc.Status's OK);
 * - an `error` is kept while `done` is still false (a rollback in progress);
 * - an `Any` keeps its `"@type"` key; `details` entries become text (their JSON form);
 * - `details` absent or `null` is `[]`: a repeated field of proto3 is never unset, and the
 *   reference reads it as an empty list, whatever the protocol.
 * Anything else of the wrong shape throws {@link WireDecodeError}.
 */
import { WireDecodeError } from './errors';
import { typeName } from './options';
import { OperationErrorInfo, OperationStatus } from './status';

/** The fields of an Operation message this SDK reads, as decoded. */
export interface DecodedOperation {
  /** The operation id, when the message carries one. */
  id: string | null;
  status: OperationStatus<unknown>;
}

/** Decodes the JSON of an Operation message. Throws {@link WireDecodeError} on a wrong shape. */
export function decodeOperation(json: unknown): DecodedOperation {
  const op = asObject(json, 'operation');
  const id = optional(op, 'id', 'string');
  const done = optional(op, 'done', 'boolean') ?? false;
  const status = new OperationStatus({
    done,
    error: decodeError(op.error),
    response: op.response ?? null,
    metadata: op.metadata ?? null,
  });
  return { id, status };
}

function decodeError(value: unknown): OperationErrorInfo | null {
  if (value === undefined || value === null) return null;
  const error = asObject(value, 'operation.error');
  const code = error.code ?? 0;
  if (typeof code !== 'number' || !Number.isInteger(code)) {
    throw new WireDecodeError(`operation.error.code must be an integer, got ${typeName(code)}`);
  }
  if (code === 0) return null;
  const message = optional(error, 'message', 'string', 'operation.error') ?? '';
  // An error without details has none: `[]`, as protobuf's empty repeated field reads in the reference.
  const details = error.details ?? [];
  if (!Array.isArray(details)) {
    throw new WireDecodeError(`operation.error.details must be an array, got ${typeName(details)}`);
  }
  return new OperationErrorInfo(code, message, Array.from(details as unknown[], detailText));
}

/**
 * A detail's text: a string as it is, anything else as its JSON. A value with no JSON form
 * (possible only in an object handed to `fromOperation`: a BigInt, a function, a cycle) is
 * refused like any other wrong shape.
 */
function detailText(detail: unknown, index: number): string {
  if (typeof detail === 'string') return detail;
  let text: string | undefined;
  try {
    text = JSON.stringify(detail);
  } catch {
    text = undefined;
  }
  if (typeof text !== 'string') {
    throw new WireDecodeError(`operation.error.details[${index}] must be a JSON value, got ${typeName(detail)}`);
  }
  return text;
}

function asObject(value: unknown, what: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new WireDecodeError(`${what} must be a JSON object, got ${typeName(value)}`);
  }
  return value as Record<string, unknown>;
}

function optional<K extends 'string' | 'boolean'>(
  obj: Record<string, unknown>,
  key: string,
  kind: K,
  where = 'operation',
): (K extends 'string' ? string : boolean) | null {
  const value = obj[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== kind) throw new WireDecodeError(`${where}.${key} must be a ${kind}, got ${typeName(value)}`);
  return value as K extends 'string' ? string : boolean;
}
