/**
 * Reads a failed gRPC call: its google.rpc.Status (from the `grpc-status-details-bin` trailer),
 * the request ids of its headers and trailers, and the retry delay a RetryInfo detail asks for.
 */
import { messageType, RPC_STATUS } from '../proto/root';
import { messageJsonOf } from '../proto/to-json';
import { parseDuration } from '../proto/well-known';

/** What a failed call's trailers tell, beyond its code and message. */
export interface StatusDetails {
  message: string | null;
  details: unknown[];
  retryAfterMs: number | null;
}

const RETRY_INFO = 'type.googleapis.com/google.rpc.RetryInfo';

/** The google.rpc.Status of a `grpc-status-details-bin` trailer; none when absent or unreadable. */
export function statusOfDetails(bin: Buffer | undefined): StatusDetails {
  if (bin === undefined) return { message: null, details: [], retryAfterMs: null };
  let status: { message?: string; details?: unknown[] };
  try {
    status = messageJsonOf(messageType(RPC_STATUS), bin) as typeof status;
  } catch {
    return { message: null, details: [], retryAfterMs: null };
  }
  const details = status.details ?? [];
  const retryInfo = details.find((d) => (d as Record<string, unknown>)['@type'] === RETRY_INFO) as { retryDelay?: string } | undefined;
  let retryAfterMs: number | null = null;
  if (retryInfo?.retryDelay) {
    const { seconds, nanos } = parseDuration(retryInfo.retryDelay);
    retryAfterMs = Math.max(0, seconds * 1000 + nanos / 1e6);
  }
  return { message: status.message || null, details, retryAfterMs };
}
