/**
 * What a transport of either protocol is made with (`./rest.ts` and `./grpc.ts` each add their
 * own), and the User-Agent both send.
 */
import { version } from '../../package.json';
import type { RetryPolicy } from '../core/retry';
import type { AuthProvider, Logger } from '../core/transport';

export interface TransportOptions {
  /** The base URL, checked (no trailing slash). */
  endpoint: string;
  auth: AuthProvider;
  folderId: string | null;
  /** Extra headers sent with every request. */
  headers: Record<string, string>;
  retry: RetryPolicy;
  logger: Logger;
  /** Trusted CA certificates (PEM) beside or instead of Node's (see each transport); `null` for Node's. */
  ca: string | Buffer | null;
  /** The largest answer read, in bytes (the `maxResponseBytes` option), decoded or not. */
  maxResponseBytes: number;
}

/** The ids a call sends of its own (docs/wire.md), which the `headers` option cannot set. */
const CALL_IDS = new Set(['x-client-request-id', 'idempotency-key', 'x-retry-attempt']);

/** The `headers` option without the call's own ids, whatever their letter case. */
export function userHeaders(headers: Record<string, string>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name in headers) if (!CALL_IDS.has(name.toLowerCase())) kept[name] = headers[name]!;
  return kept;
}

/** The User-Agent this SDK sends (over gRPC, before grpc-js's own). */
export const USER_AGENT = `yc-operation/${version} (node ${process.version})`;
