/**
 * The protobuf types of the project's `.proto` files (and Google's well-known types), loaded
 * from the descriptor that `scripts/proto.mjs` compiles them into.
 */
import protobuf from 'protobufjs';
import descriptor from './descriptor.json';

export const root = protobuf.Root.fromJSON(descriptor as protobuf.INamespace);

/** Every message type of `ns` and below (a `Type` is a namespace too), with its full name (no leading dot). */
function* typesOf(ns: protobuf.NamespaceBase, prefix: string): Generator<[string, protobuf.Type]> {
  for (const nested of ns.nestedArray) {
    const name = `${prefix}${nested.name}`;
    if (nested instanceof protobuf.Type) yield [name, nested];
    if (nested instanceof protobuf.Namespace) yield* typesOf(nested, `${name}.`);
  }
}

/**
 * The message types by full name, read once: protobufjs's `lookup` splits and joins the name at
 * every call, which a call's request and answer types and every `Any` would pay.
 */
const types = new Map(typesOf(root, ''));

/** The message type of a full name (`yandex.cloud.operation.Operation`). */
export function messageType(name: string): protobuf.Type {
  return types.get(name) ?? root.lookupType(name);
}

/** The type an `Any`'s type URL names, or `null` when this project does not know it. */
export function typeOfUrl(typeUrl: string): protobuf.Type | null {
  return knownType(typeUrl.slice(typeUrl.lastIndexOf('/') + 1));
}

/** The message type of `name`, or `null` when this project does not know it. */
export function knownType(name: string): protobuf.Type | null {
  const known = types.get(name);
  if (known !== undefined) return known;
  // Not a full name: protobufjs's own lookup, which also finds a name relative to a namespace.
  const found = name ? root.lookup(name) : null;
  return found instanceof protobuf.Type ? found : null;
}

/** `forms` (by full name) keyed by the types this project knows. */
export function byType<T>(forms: Record<string, T>): Map<protobuf.Type, T> {
  const out = new Map<protobuf.Type, T>();
  for (const [name, form] of Object.entries(forms)) {
    const type = knownType(name);
    if (type !== null) out.set(type, form);
  }
  return out;
}

export const OPERATION = 'yandex.cloud.operation.Operation';
export const RPC_STATUS = 'google.rpc.Status';
