/**
 * The scripted faults acted out over gRPC, from the same `Fault` as REST's: an error `status` or
 * `grpcCode` is a gRPC status with its details (a `retryAfter` becomes a google.rpc.RetryInfo
 * detail, gRPC's own way to ask for a delay), a raw `body` a non-gRPC HTTP answer, `malformed` an
 * invalid tag before the first half of the operation's message (it cannot decode), `reset` a TCP reset before or during the answer.
 */
import { STATUS_CODES } from 'node:http';
import { grpcCodeOf, httpStatusOf } from '../core/grpc-codes';
import type { GrpcReply } from './grpc-reply';
import type { Fault } from './script';

const DEFAULT_BODY_TYPE = 'text/plain; charset=utf-8';
const RETRY_INFO_TYPE = 'type.googleapis.com/google.rpc.RetryInfo';
/** A tag of wire type 7, which does not exist: no decoder reads past it. */
const INVALID_TAG = Buffer.of((15 << 3) | 7);

/** A `Retry-After` value (seconds or an HTTP-date) as a RetryInfo detail, or none if unreadable. */
function retryInfo(retryAfter: string | undefined, nowMs: number): unknown[] {
  if (retryAfter === undefined) return [];
  const text = retryAfter.trim();
  const ms = /^\d+(\.\d+)?$/.test(text) ? Number(text) * 1000 : Date.parse(text) - nowMs;
  return Number.isNaN(ms) ? [] : [{ '@type': RETRY_INFO_TYPE, retryDelay: `${(Math.max(0, ms) / 1000).toFixed(3)}s` }];
}

/**
 * Acts out a fault's action on the reply (its latency is the caller's business). Returns false when
 * the fault has no action, so that the call is answered normally.
 * @param currentMessage the operation's message as it is, without advancing it
 */
export function actOutGrpcFault(reply: GrpcReply, fault: Fault, currentMessage: () => Uint8Array): boolean {
  if (fault.hang) {
    // Never answered: the stream stays open until the client gives up, or a restart or close.
  } else if (fault.reset === 'before-response') {
    reply.reset();
  } else if (fault.reset === 'mid-response') {
    reply.resetMidMessage(currentMessage());
  } else if (fault.malformed) {
    const bytes = currentMessage();
    reply.message(Buffer.concat([INVALID_TAG, bytes.subarray(0, Math.floor(bytes.length / 2))]));
  } else if (fault.body !== undefined) {
    reply.raw(fault.status ?? 200, fault.body, fault.contentType ?? DEFAULT_BODY_TYPE);
  } else if (fault.status !== undefined || fault.grpcCode !== undefined) {
    const code = fault.grpcCode ?? grpcCodeOf(fault.status as number);
    const status = fault.status ?? httpStatusOf(code);
    reply.status(code, fault.message ?? STATUS_CODES[status] ?? `HTTP ${status}`, retryInfo(fault.retryAfter, Date.now()));
  } else {
    return false;
  }
  return true;
}
