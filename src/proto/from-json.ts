/**
 * The proto3 JSON mapping read back into protobuf messages (what the emulator does to answer over
 * gRPC from the same JSON it serves over REST). An `Any` needs a type this project has a `.proto`
 * for, or the `{ "@type", "value": "<base64>" }` form of an unknown one; a JSON object without
 * `"@type"` where an `Any` goes is packed as a `google.protobuf.Struct`.
 */
import protobuf from 'protobufjs';
import { byType, messageType, typeOfUrl } from './root';
import { parseDuration, parseTimestamp } from './well-known';

type Message = Record<string, unknown>;

const STRUCT_URL = 'type.googleapis.com/google.protobuf.Struct';
const LONG_TYPES = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);
const WRAPPERS = ['Double', 'Float', 'Int64', 'UInt64', 'Int32', 'UInt32', 'Bool', 'String', 'Bytes'].map(
  (t) => `google.protobuf.${t}Value`,
);

const SPECIAL_FORMS: Record<string, (json: unknown, type: protobuf.Type) => Message> = {
  'google.protobuf.Any': (json) => packAny(json),
  'google.protobuf.Timestamp': (json) => ({ ...parseTimestamp(String(json)) }),
  'google.protobuf.Duration': (json) => ({ ...parseDuration(String(json)) }),
  'google.protobuf.FieldMask': (json) => ({ paths: String(json).split(',').filter(Boolean) }),
  'google.protobuf.Struct': (json) => structOf(json),
  'google.protobuf.ListValue': (json) => ({ values: (json as unknown[]).map(valueMessageOf) }),
  'google.protobuf.Value': (json) => valueMessageOf(json),
  ...Object.fromEntries(
    WRAPPERS.map((name) => [name, (json: unknown, type: protobuf.Type) => ({ value: fieldValue(type.fields.value!, json) })]),
  ),
};

/** The same, by type (a protobufjs type's `fullName` walks its parents at every read). */
const SPECIAL = byType(SPECIAL_FORMS);

/** The message of `type` that `json` (its proto3 JSON form) stands for, ready for `type.encode`. */
export function messageOf(type: protobuf.Type, json: unknown): Message {
  const special = SPECIAL.get(type);
  if (special) return special(json, type);
  if (json === null || typeof json !== 'object' || Array.isArray(json))
    throw new TypeError(`${type.fullName.slice(1)} must be a JSON object`);
  const out: Message = {};
  for (const [key, value] of Object.entries(json)) {
    if (value === null || value === undefined) continue;
    const field = type.fields[key];
    if (!field) throw new TypeError(`${type.fullName.slice(1)} has no field ${JSON.stringify(key)}`);
    if (field.map) out[key] = Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, fieldValue(field, v)]));
    else if (field.repeated) out[key] = (value as unknown[]).map((v) => fieldValue(field, v));
    else out[key] = fieldValue(field, value);
  }
  return out;
}

/** An `Any` message (`type_url`, `value` bytes; the names of protobufjs's own google/protobuf/any.proto) of its JSON form. */
export function packAny(json: unknown): Message {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new TypeError('an Any must be a JSON object');
  const { '@type': typeUrl, ...rest } = json as Record<string, unknown>;
  if (typeUrl === undefined) return { type_url: STRUCT_URL, value: encode(messageType('google.protobuf.Struct'), rest) };
  if (typeof typeUrl !== 'string') throw new TypeError('an Any\'s "@type" must be a string');
  const type = typeOfUrl(typeUrl);
  if (type !== null) return { type_url: typeUrl, value: encode(type, SPECIAL.get(type) ? rest.value : rest) };
  const keys = Object.keys(rest);
  if (keys.length === 1 && typeof rest.value === 'string') return { type_url: typeUrl, value: Buffer.from(rest.value, 'base64') };
  throw new TypeError(
    `cannot pack an Any of ${typeUrl} over gRPC: there is no .proto for it here; give it as {"@type": "${typeUrl}", "value": "<base64 bytes>"}`,
  );
}

/** The bytes of `json` as a message of `type`. */
export function encode(type: protobuf.Type, json: unknown): Uint8Array {
  return type.encode(messageOf(type, json)).finish();
}

function fieldValue(field: protobuf.Field, value: unknown): unknown {
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Type) return messageOf(resolved, value);
  if (resolved instanceof protobuf.Enum) {
    const number = typeof value === 'string' ? resolved.values[value] : value;
    if (typeof number !== 'number') throw new TypeError(`${JSON.stringify(value)} is not a value of ${resolved.fullName.slice(1)}`);
    return number;
  }
  if (LONG_TYPES.has(field.type)) return String(value);
  if (field.type === 'bytes') return Buffer.from(String(value), 'base64');
  if (field.type === 'double' || field.type === 'float') return Number(value);
  return value;
}

function structOf(json: unknown): Message {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new TypeError('a Struct must be a JSON object');
  return { fields: Object.fromEntries(Object.entries(json).map(([k, v]) => [k, valueMessageOf(v)])) };
}

function valueMessageOf(json: unknown): Message {
  if (json === null) return { nullValue: 0 };
  if (typeof json === 'number') return { numberValue: json };
  if (typeof json === 'string') return { stringValue: json };
  if (typeof json === 'boolean') return { boolValue: json };
  if (Array.isArray(json)) return { listValue: { values: json.map(valueMessageOf) } };
  return { structValue: structOf(json) };
}
