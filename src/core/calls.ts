/**
 * The requests of an operation kind whose status, cancel or result takes more than one call (a
 * tuning's Get, then its task's Describe once the operation expired; a batch task's Cancel, then
 * its Describe; a validated dataset's Describe): a generator that yields each call, gets its
 * answer back (or has its error thrown into it) and returns the value. The rules stay in the
 * generators; each client only says how one call is sent ({@link drive}).
 */
import type { OperationKind } from './kind';
import type { BaseOperationStatus } from './status';
import type { ServiceCall } from './transport';

/** One call: a Get or a Cancel of the Operation API (the client's transport), or a gRPC-only service's. */
export type Call =
  | { readonly to: 'operation'; readonly method: 'get' | 'cancel'; readonly operationId: string }
  | { readonly to: 'service'; readonly endpoint: string; readonly call: ServiceCall };

/** A sequence of calls that ends with a `T`. */
export type Calls<T> = Generator<Call, T, unknown>;

/**
 * Runs `calls`, sending each with `send`: synchronously when `send` answers values (the blocking
 * flavour), as a promise once `send` answers a promise (the promise flavour; a sequence that ends
 * before its first call answers its value at once). An error `send` throws or rejects with is
 * thrown into the generator, which may catch it.
 */
export function drive<T>(calls: Calls<T>, send: (call: Call) => Promise<unknown>): T | Promise<T>;
export function drive<T>(calls: Calls<T>, send: (call: Call) => unknown): T;
export function drive<T>(calls: Calls<T>, send: (call: Call) => unknown): T | Promise<T> {
  return step(calls, send, () => calls.next());
}

function step<T>(calls: Calls<T>, send: (call: Call) => unknown, resume: () => IteratorResult<Call, T>): T | Promise<T> {
  let next = resume();
  while (!next.done) {
    let answer: unknown;
    try {
      answer = send(next.value);
    } catch (error) {
      next = calls.throw(error);
      continue;
    }
    if (answer instanceof Promise) {
      return answer.then(
        (value: unknown) => step(calls, send, () => calls.next(value)),
        (error: unknown) => step(calls, send, () => calls.throw(error)),
      );
    }
    next = calls.next(answer);
  }
  return next.value;
}

/** The bounds of a call of `timeoutS` seconds from now (a result's calls, within its caller's timeout). */
export function boundsOf(timeoutS: number): { deadlineMs: number; timeoutMs: number } {
  return { deadlineMs: Date.now() + timeoutS * 1000, timeoutMs: timeoutS * 1000 };
}

/** How a kind's calls are run by a client, within one call's bounds (a `Date.now()` deadline). */
export type CallRunner = <T>(calls: Calls<T>, bounds: { deadlineMs: number; timeoutMs?: number; signal?: AbortSignal }) => T | Promise<T>;

/** A kind tracked by calls of its own: the kind, and its status and its cancel as call sequences. */
export interface TrackedKind<S extends BaseOperationStatus, T> {
  readonly kind: OperationKind<S, T>;
  fetch(): Calls<S>;
  cancel(): Calls<S>;
}
