/**
 * Protobuf wire bytes to a message, read as protobuf's own parsers read them:
 * - the last member of a `oneof` on the wire wins: setting one clears the others;
 * - a scalar field seen twice keeps its last value; a message field seen twice is merged;
 * - a repeated scalar may come packed or not;
 * - a known field sent with a wire type not its own is skipped, as an unknown field is;
 * - a wire type that does not exist (6, 7), an end-group without its start, field number 0, or
 *   bytes cut short is an error (a `RangeError` naming the offset).
 * The message has the shape of protobufjs's `Type.decode` (what `./to-json.ts` reads): fields by
 * name, 64-bit integers as protobufjs reads them, bytes as `Uint8Array`, enums as numbers, a map
 * as an object keyed by the key's text, no field that was not on the wire.
 */
import protobuf from 'protobufjs';

type Message = Record<string, unknown>;
type ScalarReader = Exclude<keyof protobuf.Reader, 'buf' | 'pos' | 'len' | 'skip' | 'skipType'>;

/** The wire type of each scalar type (an enum is a varint, a message length-delimited). */
const WIRE_TYPES: Readonly<Record<string, number>> = {
  double: 1,
  float: 5,
  int32: 0,
  uint32: 0,
  sint32: 0,
  fixed32: 5,
  sfixed32: 5,
  int64: 0,
  uint64: 0,
  sint64: 0,
  fixed64: 1,
  sfixed64: 1,
  bool: 0,
  string: 2,
  bytes: 2,
};

const LENGTH_DELIMITED = 2;

/** The message of `type` that `bytes` hold. Throws a `RangeError` when they are not one. */
export function decodeMessage(type: protobuf.Type, bytes: Uint8Array): Message {
  const reader = protobuf.Reader.create(bytes);
  const message: Message = {};
  readFields(type, reader, reader.len, message);
  return message;
}

/** Reads the fields of `type` up to `end` into `message`. */
function readFields(type: protobuf.Type, reader: protobuf.Reader, end: number, message: Message): void {
  while (reader.pos < end) {
    const at = reader.pos;
    const tag = reader.uint32();
    const number = tag >>> 3;
    const wireType = tag & 7;
    if (number === 0) throw new RangeError(`field number 0 at offset ${at}`);
    if (wireType > 5 || wireType === 4) throw new RangeError(`invalid wire type ${wireType} at offset ${at}`);
    const field = type.fieldsById[number]?.resolve();
    if (field === undefined || !fits(field, wireType)) reader.skipType(wireType);
    else readField(field, wireType, reader, end, message);
    if (reader.pos > end) throw new RangeError(`the message ends at offset ${end} inside a field that started at offset ${at}`);
  }
}

/** The wire type of one value of `field`'s type (for a map field: of its value). */
function wireTypeOf(field: protobuf.FieldBase): number {
  return field.resolvedType instanceof protobuf.Type ? LENGTH_DELIMITED : (WIRE_TYPES[field.type] ?? 0);
}

/** True when `field` may come with `wireType`: its own, or packed for a repeated scalar. */
function fits(field: protobuf.FieldBase, wireType: number): boolean {
  if (field.map) return wireType === LENGTH_DELIMITED;
  const own = wireTypeOf(field);
  return wireType === own || (field.repeated && wireType === LENGTH_DELIMITED);
}

function readField(field: protobuf.FieldBase, wireType: number, reader: protobuf.Reader, end: number, message: Message): void {
  const name = field.name;
  if (field.map) {
    const [key, value] = readMapEntry(field as unknown as protobuf.MapField, reader, limit(reader, end));
    ((message[name] ??= {}) as Message)[key] = value;
    return;
  }
  if (field.repeated) {
    const values = (message[name] ??= []) as unknown[];
    if (wireType === LENGTH_DELIMITED && wireTypeOf(field) !== LENGTH_DELIMITED) {
      const packedEnd = limit(reader, end);
      while (reader.pos < packedEnd) values.push(readValue(field, reader, end, undefined));
      if (reader.pos !== packedEnd) throw new RangeError(`a packed value goes past the end of its field at offset ${packedEnd}`);
    } else {
      values.push(readValue(field, reader, end, undefined));
    }
    return;
  }
  const oneof = field.partOf;
  if (oneof) for (const other of oneof.oneof) if (other !== name) delete message[other];
  message[name] = readValue(field, reader, end, message[name]);
}

/** One value of `field`'s type; a message is read into `into`, when it is one already there (a merge). */
function readValue(field: protobuf.FieldBase, reader: protobuf.Reader, end: number, into: unknown): unknown {
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Type) {
    const message = into !== null && typeof into === 'object' ? (into as Message) : {};
    readFields(resolved, reader, limit(reader, end), message);
    return message;
  }
  if (resolved instanceof protobuf.Enum) return reader.int32();
  return readScalar(field.type, reader, end);
}

/** A value of scalar type `type`. */
function readScalar(type: string, reader: protobuf.Reader, end: number): unknown {
  if (type === 'string' || type === 'bytes') return readBytes(type, reader, end);
  return (reader[type as ScalarReader] as () => unknown).call(reader);
}

/** A string or bytes value, within `end` (protobufjs's own reader of a Buffer cuts a length short silently). */
function readBytes(type: 'string' | 'bytes', reader: protobuf.Reader, end: number): string | Uint8Array {
  const fieldEnd = limit(reader, end);
  const { buf, pos } = reader;
  reader.pos = fieldEnd;
  if (type === 'bytes') return buf.subarray(pos, fieldEnd);
  // A Buffer (what grpc-js gives) is read in place; other bytes through a Buffer view of them.
  const text = Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  return text.toString('utf8', pos, fieldEnd);
}

/** A map entry: its key as text, and its value (the type's default when absent). */
function readMapEntry(field: protobuf.MapField, reader: protobuf.Reader, end: number): [string, unknown] {
  let key: unknown = WIRE_TYPES[field.keyType] === LENGTH_DELIMITED ? '' : 0;
  let value: unknown = defaultOf(field);
  while (reader.pos < end) {
    const at = reader.pos;
    const tag = reader.uint32();
    const wireType = tag & 7;
    if (wireType > 5 || wireType === 4) throw new RangeError(`invalid wire type ${wireType} at offset ${at}`);
    if (tag >>> 3 === 1 && wireType === WIRE_TYPES[field.keyType]) key = readScalar(field.keyType, reader, end);
    else if (tag >>> 3 === 2 && wireType === wireTypeOf(field)) value = readValue(field, reader, end, value);
    else reader.skipType(wireType);
    if (reader.pos > end) throw new RangeError(`the message ends at offset ${end} inside a field that started at offset ${at}`);
  }
  return [String(key), value];
}

/** The value of a map entry that has none on the wire. */
function defaultOf(field: protobuf.MapField): unknown {
  if (field.resolvedType instanceof protobuf.Type) return {};
  if (field.resolvedType instanceof protobuf.Enum || WIRE_TYPES[field.type] !== LENGTH_DELIMITED) return field.type === 'bool' ? false : 0;
  return field.type === 'bytes' ? new Uint8Array() : '';
}

/** The end of the length-delimited field whose length comes next; throws when it passes `end`. */
function limit(reader: protobuf.Reader, end: number): number {
  const at = reader.pos;
  const fieldEnd = reader.uint32() + reader.pos;
  if (fieldEnd > end)
    throw new RangeError(`a length of ${fieldEnd - reader.pos} at offset ${at} goes past the message's end at offset ${end}`);
  return fieldEnd;
}
