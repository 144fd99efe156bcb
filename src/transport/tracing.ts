/**
 * Tracing: `node:diagnostics_channel` events for each attempt of every request, so that an APM or
 * OpenTelemetry can follow the polls (docs/guide-tracing.md has a recipe for spans). Published only
 * while a channel has subscribers, so they cost nothing otherwise. No event carries a secret: URLs
 * carry no credentials, and the errors are the SDK's own, whose texts are already cut free of them.
 */
import diagnostics from 'node:diagnostics_channel';
import type { ApiError } from '../core/errors';

/** The channels, by the moment of an attempt they tell. */
export const TRACE_CHANNELS = Object.freeze({
  start: 'yc-operation:request:start',
  end: 'yc-operation:request:end',
  error: 'yc-operation:request:error',
} as const);

/** What every event of one attempt tells. */
export interface RequestTrace {
  /** Ties the events of one attempt together (unique in the process). */
  readonly attemptId: number;
  /** The operation the request is about, or `null` for a call that starts one. */
  readonly operationId: string | null;
  /** What the call does: `get`, `cancel`, `start`, `fetch`, or `service` (a call of a gRPC-only service). */
  readonly call: string;
  readonly protocol: 'rest' | 'grpc';
  /** The URL or gRPC method called, without credentials. */
  readonly target: string;
  /** The attempt's number within its call (1-based). */
  readonly attempt: number;
  /** The call's `x-client-request-id`. */
  readonly clientRequestId: string | null;
  /** When the attempt started, a `Date.now()` value. */
  readonly startedAtMs: number;
}

/** The event of an attempt that got its answer. */
export interface RequestEndTrace extends RequestTrace {
  /** How long the attempt took, in milliseconds. */
  readonly durationMs: number;
}

/** The event of an attempt that failed (it may be retried: `attempt` tells which one it was). */
export interface RequestErrorTrace extends RequestEndTrace {
  readonly error: { name: string; message: string; grpcCode: number | null; httpStatus: number | null };
}

const start = diagnostics.channel(TRACE_CHANNELS.start);
const end = diagnostics.channel(TRACE_CHANNELS.end);
const failed = diagnostics.channel(TRACE_CHANNELS.error);
let nextAttemptId = 1;

/** True while anyone listens to a tracing channel of this thread. */
export function tracingWanted(): boolean {
  return start.hasSubscribers || end.hasSubscribers || failed.hasSubscribers;
}

/** Publishes on this thread the events of a call made on another (the blocking flavour's worker). */
export function republish(traces: ReadonlyArray<[channel: string, event: unknown]>): void {
  for (const [name, event] of traces) diagnostics.channel(name).publish(event);
}

/** What a call says of itself for its traces. */
export type CallTrace = Pick<RequestTrace, 'operationId' | 'call' | 'protocol' | 'target'> & { clientRequestId: string | null };

/** A call that says what it is only when asked: only while someone listens. */
export interface TraceSource {
  traceOf(): CallTrace;
}

/** What runs an attempt. */
export interface AttemptRunner<T> {
  attempt(n: number): Promise<T>;
}

/**
 * Runs attempt `n` of `runner`, publishing its start and its end or error while anyone listens.
 * Unwatched, it is the attempt's own promise: no async frame and its promise hops per attempt.
 */
export function traced<T extends { ok: boolean; failure?: { error: ApiError } }>(
  source: TraceSource | undefined,
  n: number,
  runner: AttemptRunner<T>,
): Promise<T> {
  if (!source || !tracingWanted()) return runner.attempt(n);
  return publishing(source, n, runner);
}

async function publishing<T extends { ok: boolean; failure?: { error: ApiError } }>(
  source: TraceSource,
  n: number,
  runner: AttemptRunner<T>,
): Promise<T> {
  const event: RequestTrace = Object.freeze({ ...source.traceOf(), attemptId: nextAttemptId++, attempt: n, startedAtMs: Date.now() });
  start.publish(event);
  const since = performance.now();
  try {
    const outcome = await runner.attempt(n);
    const durationMs = performance.now() - since;
    if (outcome.ok || !outcome.failure) end.publish(Object.freeze({ ...event, durationMs }));
    else failed.publish(Object.freeze({ ...event, durationMs, error: describe(outcome.failure.error) }));
    return outcome;
  } catch (error) {
    failed.publish(Object.freeze({ ...event, durationMs: performance.now() - since, error: describe(error) }));
    throw error;
  }
}

function describe(error: unknown): RequestErrorTrace['error'] {
  const e = error as Partial<ApiError> | null;
  return {
    name: e instanceof Error ? e.name : 'Error',
    message: e instanceof Error ? e.message : String(error),
    grpcCode: typeof e?.grpcCode === 'number' ? e.grpcCode : null,
    httpStatus: typeof e?.httpStatus === 'number' ? e.httpStatus : null,
  };
}
