/**
 * The protobuf types of the project's `.proto` files (and Google's well-known types), loaded
 * from the descriptor that `scripts/proto.mjs` compiles them into.
 */
import protobuf from 'protobufjs';
import descriptor from './descriptor.json';

export const root = protobuf.Root.fromJSON(descriptor as protobuf.INamespace);

/** The message type of a full name (`yandex.cloud.operation.Operation`). */
export function messageType(name: string): protobuf.Type {
  return root.lookupType(name);
}

/** The type an `Any`'s type URL names, or `null` when this project does not know it. */
export function typeOfUrl(typeUrl: string): protobuf.Type | null {
  const name = typeUrl.slice(typeUrl.lastIndexOf('/') + 1);
  const found = name ? root.lookup(name) : null;
  return found instanceof protobuf.Type ? found : null;
}

export const OPERATION = 'yandex.cloud.operation.Operation';
export const RPC_STATUS = 'google.rpc.Status';
