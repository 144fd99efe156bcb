/**
 * An `Operation` of the official SDK (`@yandex-cloud/nodejs-sdk`, ts-proto code) read as the
 * Operation JSON the rest of this package speaks (docs/wire.md): its `Any` values
 * (`{ $type?, typeUrl, value: bytes }`) become JSON with their `"@type"`, by a reader given by
 * the caller (the package's protobuf descriptor, loaded at first use); its timestamps (`Date`)
 * become RFC 3339 text; its error's details become JSON too. A field it cannot read is refused with
 * a TypeError that names it. Pure: no protobuf code here.
 */
import { typeName } from './options';

/** The JSON of an `Any` (with its `"@type"`) from its type URL and bytes; an unknown type keeps its bytes in base64. */
export type AnyReader = (typeUrl: string, value: Uint8Array) => Record<string, unknown>;

type Fields = Record<string, unknown>;

/**
 * Whether `wire` is shaped as the official SDK's Operation rather than its JSON: a ts-proto
 * `$type`, a timestamp as a `Date`, or an `Any` as `{ typeUrl, value }` in its metadata, response
 * or error details.
 */
export function isSdkOperation(wire: object): boolean {
  const op = wire as Fields;
  const error = op.error as Fields | null | undefined;
  const details = error !== null && typeof error === 'object' && Array.isArray(error.details) ? error.details : [];
  return (
    '$type' in op || op.createdAt instanceof Date || op.modifiedAt instanceof Date || [op.metadata, op.response, ...details].some(isSdkAny)
  );
}

/** An `Any` of the official SDK: its type under `typeUrl` (a JSON `Any` has `"@type"`). */
function isSdkAny(value: unknown): boolean {
  return value !== null && typeof value === 'object' && 'typeUrl' in value && !('@type' in value);
}

/** The Operation JSON of an official SDK Operation object; a TypeError names what it cannot read. */
export function sdkOperationJson(wire: object, readAny: AnyReader): Fields {
  const op = wire as Fields;
  if ('$type' in op && op.$type !== 'yandex.cloud.operation.Operation') {
    throw new TypeError(`fromOperation takes an Operation, got the official SDK's ${describe(op.$type)} message`);
  }
  const json: Fields = {};
  for (const key of ['id', 'description', 'createdBy'] as const) {
    const value = op[key];
    if (value === undefined || value === '') continue;
    if (typeof value !== 'string') throw new TypeError(`fromOperation: the Operation's ${key} must be a string, got ${typeName(value)}`);
    json[key] = value;
  }
  for (const key of ['createdAt', 'modifiedAt'] as const) {
    if (op[key] !== undefined) json[key] = timestamp(key, op[key]);
  }
  if (op.done !== undefined) {
    if (typeof op.done !== 'boolean')
      throw new TypeError(`fromOperation: the Operation's done must be a boolean, got ${typeName(op.done)}`);
    json.done = op.done;
  }
  for (const key of ['metadata', 'response'] as const) {
    if (op[key] !== undefined && op[key] !== null) json[key] = anyJson(key, op[key], readAny);
  }
  if (op.error !== undefined && op.error !== null) json.error = statusJson(op.error, readAny);
  return json;
}

function timestamp(key: string, value: unknown): string {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new TypeError(`fromOperation: the Operation's ${key} must be a valid Date, got ${typeName(value)}`);
  }
  return value.toISOString();
}

/** A google.rpc.Status of the official SDK (`{ code, message, details: Any[] }`) as JSON. */
function statusJson(value: unknown, readAny: AnyReader): Fields {
  if (typeof value !== 'object' || value === null)
    throw new TypeError(`fromOperation: the Operation's error must be a google.rpc.Status, got ${typeName(value)}`);
  const { code, message, details } = value as Fields;
  if (typeof code !== 'number' || !Number.isInteger(code))
    throw new TypeError(`fromOperation: the Operation's error.code must be an integer, got ${typeName(code)}`);
  if (message !== undefined && typeof message !== 'string')
    throw new TypeError(`fromOperation: the Operation's error.message must be a string, got ${typeName(message)}`);
  if (details !== undefined && !Array.isArray(details))
    throw new TypeError(`fromOperation: the Operation's error.details must be an array, got ${typeName(details)}`);
  return {
    code,
    message: message ?? '',
    details: (details ?? []).map((detail: unknown, i) => anyJson(`error.details[${i}]`, detail, readAny)),
  };
}

/** An `Any` of the official SDK as JSON with its `"@type"` (one already in its JSON form stays as it is). */
function anyJson(where: string, value: unknown, readAny: AnyReader): Fields {
  const any = value as Fields | null;
  if (typeof any?.['@type'] === 'string' && !('typeUrl' in any)) return any;
  if (typeof any !== 'object' || any === null || typeof any.typeUrl !== 'string' || !(any.value instanceof Uint8Array)) {
    throw new TypeError(
      `fromOperation: the Operation's ${where} must be a google.protobuf.Any of the official SDK ({ typeUrl: string, value: bytes }), got ${shapeOf(value)}`,
    );
  }
  if (any.typeUrl === '') throw new TypeError(`fromOperation: the Operation's ${where} is an Any with an empty typeUrl`);
  try {
    return readAny(any.typeUrl, any.value);
  } catch (cause) {
    throw new TypeError(
      `fromOperation: the Operation's ${where} (${describe(any.typeUrl)}) does not decode as that type: ${(cause as Error).message}`,
      { cause },
    );
  }
}

function shapeOf(value: unknown): string {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return typeName(value);
  const keys = Object.keys(value);
  return keys.length === 0 ? 'an empty object' : `an object with ${keys.map((k) => JSON.stringify(k)).join(', ')}`;
}

/** A type name or URL, quoted and cut short: it came from the caller's object. */
function describe(value: unknown): string {
  const text = String(value);
  return JSON.stringify(text.length > 120 ? `${text.slice(0, 120)}…` : text);
}
