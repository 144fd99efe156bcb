/**
 * Decoded protobuf messages to the proto3 JSON mapping, as the REST gateway writes it: lowerCamelCase
 * names, default scalars left out (oneof members kept), int64 as strings, bytes as base64, enums by
 * name, well-known types in their own forms, and an `Any` inlined with its `"@type"`. An `Any` of a
 * type this project has no `.proto` for is kept as `{ "@type": url, "value": "<base64 bytes>" }`.
 * {@link messageJsonOf} reads the bytes too, strictly (`./decode.ts`).
 */
import protobuf from 'protobufjs';
import { decodeMessage } from './decode';
import { byType, typeOfUrl } from './root';
import { durationText, timestampText } from './well-known';

type Message = Record<string, unknown>;

const LONG_TYPES = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);
const WRAPPERS = ['Double', 'Float', 'Int64', 'UInt64', 'Int32', 'UInt32', 'Bool', 'String', 'Bytes'].map(
  (t) => `google.protobuf.${t}Value`,
);

/** An int64 as a number: protobufjs reads one as a `Long` when the `long` package is installed (its `toString` is slow). */
function int64Number(value: unknown): number {
  return value instanceof Object && 'toNumber' in value ? (value as { toNumber(): number }).toNumber() : Number(value ?? 0);
}

/** The well-known types whose JSON form is not an object of their fields. */
const SPECIAL_FORMS: Record<string, (message: Message, type: protobuf.Type) => unknown> = {
  'google.protobuf.Any': (m) => anyJson(String(m.type_url ?? ''), (m.value as Uint8Array | undefined) ?? new Uint8Array()),
  'google.protobuf.Timestamp': (m) => timestampText({ seconds: int64Number(m.seconds), nanos: Number(m.nanos ?? 0) }),
  'google.protobuf.Duration': (m) => durationText({ seconds: int64Number(m.seconds), nanos: Number(m.nanos ?? 0) }),
  'google.protobuf.FieldMask': (m) => ((m.paths as string[] | undefined) ?? []).join(','),
  'google.protobuf.Struct': (m, type) => structJson(m, type),
  'google.protobuf.ListValue': (m, type) =>
    ((m.values as Message[] | undefined) ?? []).map((v) => valueOfValue(v, type.fields.values!.resolvedType as protobuf.Type)),
  'google.protobuf.Value': (m, type) => valueOfValue(m, type),
  ...Object.fromEntries(WRAPPERS.map((name) => [name, (m: Message, type: protobuf.Type) => fieldValueJson(type.fields.value!, m.value)])),
};

/** The same, by type (a protobufjs type's `fullName` walks its parents at every read). */
const SPECIAL = byType(SPECIAL_FORMS);

/** The JSON of a decoded message of `type`. */
export function messageJson(type: protobuf.Type, message: Message): unknown {
  const special = SPECIAL.get(type);
  if (special) return special(message, type);
  const out: Record<string, unknown> = {};
  for (const field of type.fieldsArray) {
    const value = message[field.name];
    if (value === undefined || value === null || !Object.hasOwn(message, field.name)) continue;
    if (field.map) {
      const entries = Object.entries(value as Record<string, unknown>);
      if (entries.length > 0) out[field.name] = Object.fromEntries(entries.map(([k, v]) => [k, fieldValueJson(field, v)]));
    } else if (field.repeated) {
      if ((value as unknown[]).length > 0) out[field.name] = (value as unknown[]).map((v) => fieldValueJson(field, v));
    } else if (field.partOf || !isDefault(field, value)) {
      out[field.name] = fieldValueJson(field, value);
    }
  }
  return out;
}

/** The JSON of the message of `type` that `bytes` hold. Throws a `RangeError` when they are not one. */
export function messageJsonOf(type: protobuf.Type, bytes: Uint8Array): unknown {
  return messageJson(type, decodeMessage(type, bytes));
}

/** An `Any` as JSON: its type's fields beside `"@type"` (a well-known type's form under `"value"`). */
export function anyJson(typeUrl: string, value: Uint8Array): Record<string, unknown> {
  const type = typeOfUrl(typeUrl);
  if (type === null) return { '@type': typeUrl, value: Buffer.from(value).toString('base64') };
  const inner = messageJsonOf(type, value);
  return SPECIAL.get(type) ? { '@type': typeUrl, value: inner } : { '@type': typeUrl, ...(inner as object) };
}

function fieldValueJson(field: protobuf.Field, value: unknown): unknown {
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Type) return messageJson(resolved, value as Message);
  if (resolved instanceof protobuf.Enum) return resolved.valuesById[value as number] ?? value;
  if (LONG_TYPES.has(field.type)) return String(value);
  if (field.type === 'bytes') return Buffer.from(value as Uint8Array).toString('base64');
  if ((field.type === 'double' || field.type === 'float') && !Number.isFinite(value)) return String(value);
  return value;
}

function isDefault(field: protobuf.Field, value: unknown): boolean {
  if (field.resolvedType instanceof protobuf.Type) return false;
  if (field.type === 'bytes') return (value as Uint8Array).length === 0;
  if (LONG_TYPES.has(field.type)) return String(value) === '0';
  return value === 0 || value === '' || value === false;
}

function structJson(message: Message, type: protobuf.Type): Record<string, unknown> {
  const valueType = type.fields.fields!.resolvedType as protobuf.Type;
  const fields = (message.fields as Record<string, Message> | undefined) ?? {};
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, valueOfValue(v, valueType)]));
}

/** A `google.protobuf.Value` as the JSON value it holds. */
function valueOfValue(message: Message, type: protobuf.Type): unknown {
  const kind = Object.hasOwn(message, 'kind')
    ? String(message.kind)
    : ['nullValue', 'numberValue', 'stringValue', 'boolValue', 'structValue', 'listValue'].find((k) => Object.hasOwn(message, k));
  if (kind === undefined || kind === 'nullValue') return null;
  return fieldValueJson(type.fields[kind]!, message[kind]);
}
