/**
 * The calls a client makes, as data: what the promise flavour sends through its transport and
 * the blocking flavour sends to its worker (which sends it through the same transport).
 */
import type { Call } from '../core/calls';
import type { CallOptions, ClientTransport, ServiceCall } from '../core/transport';

/** One call of a client: a Get or Cancel of an operation, the POST that starts one, a plain GET of a URL, or a gRPC-only service's call. */
export type ClientCall =
  | { op: 'get' | 'cancel'; id: string }
  | { op: 'start'; url: string; body: unknown }
  | { op: 'fetch'; url: string }
  | { op: 'service'; endpoint: string; call: ServiceCall };

/** Sends one call through a client's transport, bounded by `options`; resolves with the answer's JSON. */
export function sendCall(transport: ClientTransport, call: ClientCall, options: CallOptions): Promise<unknown> {
  switch (call.op) {
    case 'start':
      return transport.startOperation(call.url, call.body, options);
    case 'fetch':
      return transport.getJson(call.url, options);
    case 'get':
      return transport.getOperation(call.id, options);
    case 'cancel':
      return transport.cancelOperation(call.id, options);
    case 'service':
      return transport.callService(call.endpoint, call.call, options);
  }
}

/** A call of a kind's call sequence (`src/core/calls.ts`), as a client call. */
export function clientCallOf(c: Call): ClientCall {
  return c.to === 'service' ? { op: 'service', endpoint: c.endpoint, call: c.call } : { op: c.method, id: c.operationId };
}
