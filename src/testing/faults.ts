/**
 * Scripted faults: handing them out request by request, describing them for the request log,
 * and acting them out on a reply.
 */
import { STATUS_CODES } from 'node:http';
import { grpcCodeOf, httpStatusOf } from '../core/grpc-codes';
import type { Reply } from './reply';
import type { Fault } from './script';

const DEFAULT_BODY_TYPE = 'text/plain; charset=utf-8';

/** The faults scripted for one operation, handed out one request at a time. O(1) per request. */
export class FaultQueue {
  private index = 0;
  private usedTimes = 0;

  constructor(private readonly faults: readonly Fault[]) {}

  /** The fault for the next request, used up after its `times` requests; `undefined` once all are. */
  take(): Fault | undefined {
    const fault = this.faults[this.index];
    if (fault === undefined) return undefined;
    this.usedTimes += 1;
    if (this.usedTimes >= (fault.times ?? 1)) {
      this.index += 1;
      this.usedTimes = 0;
    }
    return fault;
  }
}

/** How each field shows in a fault's description. */
const LABELS: { readonly [K in keyof Fault]?: (value: NonNullable<Fault[K]>) => string } = {
  latency: (seconds) => `latency ${seconds}s`,
  status: (status) => `status ${status}`,
  grpcCode: (code) => `grpcCode ${code}`,
  retryAfter: (value) => `retry-after ${value}`,
  body: () => 'raw body',
  reset: (when) => `reset ${when}`,
  hang: () => 'hang',
  malformed: () => 'malformed',
};

/** A short description of a fault for the request log (`"latency 0.5s, status 503"`); `null` for a pass-through. */
export function describeFault(fault: Fault): string | null {
  const parts: string[] = [];
  for (const [field, label] of Object.entries(LABELS) as [keyof Fault, (value: unknown) => string][]) {
    const value = fault[field];
    if (value !== undefined && value !== false) parts.push(label(value));
  }
  return parts.length === 0 ? null : parts.join(', ');
}

/**
 * Acts out a fault's action on the reply (its latency is the caller's business). Returns false
 * when the fault has no action, so that the request is answered normally.
 * @param currentJson the operation's JSON as it is, without advancing it
 */
export function actOutFault(reply: Reply, fault: Fault, currentJson: () => string): boolean {
  const retryAfter = fault.retryAfter === undefined ? undefined : { 'retry-after': fault.retryAfter };
  if (fault.hang) {
    // Never answered: the socket stays open until the client gives up, or a restart or close.
  } else if (fault.reset === 'before-response') {
    reply.reset();
  } else if (fault.reset === 'mid-response') {
    reply.resetMidBody(currentJson());
  } else if (fault.malformed) {
    reply.truncatedJson(currentJson());
  } else if (fault.body !== undefined) {
    reply.raw(fault.status ?? 200, fault.body, fault.contentType ?? DEFAULT_BODY_TYPE, retryAfter);
  } else if (fault.status !== undefined || fault.grpcCode !== undefined) {
    const status = fault.status ?? httpStatusOf(fault.grpcCode as number);
    const message = fault.message ?? STATUS_CODES[status] ?? `HTTP ${status}`;
    reply.rpcError(status, fault.grpcCode ?? grpcCodeOf(status), message, retryAfter);
  } else {
    return false;
  }
  return true;
}
