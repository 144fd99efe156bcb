/**
 * The blocking flavour of an operation, generic over the status type, and its runner. The
 * operation runs the machine's members with
 * the blocking runner, on the caller's thread, so `onProgress` and `watch()` run there too (a
 * callback may itself call `getStatus()`). The runner performs each effect on the caller's thread
 * (a request through the worker, a sleep with `Atomics.wait`, a value that must not be a promise)
 * and hands each status out as it comes. No rule lives here.
 */

import { INTERNALS, machineFor, type OperationContext, textFormOf } from '../client/operation';
import type { OperationKind } from '../core/kind';
import type { Effect, OperationMachine, RequestAnswer, Run } from '../core/machine';
import { checkFunction } from '../core/options';
import { BLOCKING_MEMBERS as MEMBERS, type Planned, type WaitOptions } from '../core/poll';
import type { BaseOperationStatus } from '../core/status';
import type { Logger } from '../core/transport';
import { KeyboardInterrupt, type SigintWatch } from './interrupt';

/** How an operation's requests are sent, blocking. */
export interface SyncRequester<S> {
  request(call: 'get' | 'cancel', bounds: { deadlineMs: number; timeoutMs: number }): RequestAnswer<S>;
  /** Throws when the operation's client is closed (checked before every effect). */
  checkOpen(): void;
  /** Blocks until `untilMs` (a `Date.now()` value); a SIGINT meanwhile throws `KeyboardInterrupt` where the client watches it. */
  sleepUntil(untilMs: number): void;
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Blocks the calling thread until `untilMs` (a `Date.now()` value): no timer, nothing left pending. */
export function sleepUntilSync(untilMs: number): void {
  for (let left = untilMs - Date.now(); left > 0; left = untilMs - Date.now()) Atomics.wait(sleeper, 0, 0, left);
}

/** Performs one effect other than `progress`, blocking. */
export function performSync<S>(effect: Exclude<Effect<S>, { type: 'progress' }>, requester: SyncRequester<S>): unknown {
  requester.checkOpen();
  if (effect.type === 'sleep') return requester.sleepUntil(effect.untilMs);
  if (effect.type === 'request') return requester.request(effect.call, effect);
  if (effect.value instanceof Promise) {
    effect.value.catch(() => {});
    throw new TypeError('the blocking flavour takes only a synchronous resultDecoder (it returned a Promise)');
  }
  return effect.value;
}

/** Runs `run`, yielding each `progress` status; returns what the run returns. */
export function* driveSync<S, R>(run: Run<S, R>, requester: SyncRequester<S>): Generator<S, R, undefined> {
  try {
    let next = run.next();
    while (!next.done) {
      const effect = next.value;
      if (effect.type === 'progress') {
        yield effect.status;
        next = run.next();
        continue;
      }
      let outcome: { value: unknown } | { error: unknown };
      try {
        outcome = { value: performSync(effect, requester) };
      } catch (error) {
        if (error instanceof KeyboardInterrupt) throw error; // not a failure of the operation: the run ends here
        outcome = { error };
      }
      next = 'error' in outcome ? run.throw(outcome.error) : run.next(outcome.value);
    }
    return next.value;
  } finally {
    run.return(undefined as R);
  }
}

/** Runs `run` to its end, calling `onProgress` with each status; returns what the run returns. */
export function runSync<S, R>(run: Run<S, R>, requester: SyncRequester<S>, onProgress?: (status: S) => void): R {
  const drive = driveSync(run, requester);
  for (;;) {
    const next = drive.next();
    if (next.done) return next.value;
    onProgress?.(next.value);
  }
}

/** Options of one blocking call (`getStatus`, `getResult`, `cancel`). */
export interface CallOptionsSync {
  /** The bound of the call, all its retries included, in seconds. @default 60 */
  timeout?: number;
}

/** Options of the blocking `wait()`. */
export interface WaitOptionsSync<S> extends WaitOptions {
  /** Called on the caller's thread with every status polled, the last one included. */
  onProgress?: (status: S) => void;
}

/** What a blocking operation of any kind is made of. */
export interface OperationParts<S extends BaseOperationStatus, T> {
  id: string;
  kind: OperationKind<S, T>;
  /** One status request (Get), blocking, bounded by `deadlineMs` (a `Date.now()` value). */
  fetch: (options: { deadlineMs: number; timeoutMs?: number }) => S;
  /** One cancel request, blocking, answering the status after it. */
  cancel: (options: { deadlineMs: number; timeoutMs?: number }) => S;
  logger: Logger;
  initialStatus?: S | null;
  /** What the client that made the operation lends it. @internal */
  context?: SyncContext;
}

/** What a blocking client lends its operations: its dependencies, and the check that it is still open. */
export type SyncContext = OperationContext<{ checkOpen(): void; sigint?: SigintWatch }>;

/** An operation's machine and how its requests go, for the many-operations runner. */
export interface SyncInternals<S extends BaseOperationStatus, T> {
  machine: OperationMachine<S, T>;
  requester: SyncRequester<S>;
}

/** How the requests of an operation made of `parts` go, blocking. */
class PartsRequester<S extends BaseOperationStatus> implements SyncRequester<S> {
  constructor(private readonly parts: Pick<OperationParts<S, unknown>, 'fetch' | 'cancel' | 'context'>) {}

  request(call: 'get' | 'cancel', { deadlineMs, timeoutMs }: { deadlineMs: number; timeoutMs: number }) {
    const { parts } = this;
    const status = (call === 'get' ? parts.fetch : parts.cancel)({ deadlineMs, timeoutMs });
    return { status, receivedAtMs: (parts.context?.nowMs ?? Date.now)() };
  }

  checkOpen(): void {
    this.parts.context?.guard.checkOpen();
  }

  sleepUntil(untilMs: number): void {
    const sigint = this.parts.context?.guard.sigint;
    if (sigint) sigint.armed(() => sigint.sleepUntil(untilMs));
    else sleepUntilSync(untilMs);
  }
}

/** The text form of the Operation of id `id`, as its `toString()` gives it: `Operation<id="...">`. */
const describeSync = (id: string): string => `Operation<id=${JSON.stringify(id)}>`;

/** A blocking operation. Extend it for an operation kind of your own. */
export class BaseOperation<S extends BaseOperationStatus, T> {
  readonly id: string;
  readonly #machine: OperationMachine<S, T>;
  readonly #requester: SyncRequester<S>;

  constructor(parts: OperationParts<S, T>) {
    checkFunction('fetch', parts.fetch);
    checkFunction('cancel', parts.cancel);
    this.id = parts.id;
    this.#machine = machineFor<S, T>(parts, textFormOf(this, BaseOperation.prototype.toString, describeSync));
    this.#requester = new PartsRequester(parts);
  }

  /** The machine and requester, for `waitAll`/`asCompleted`. @internal */
  get [INTERNALS](): SyncInternals<BaseOperationStatus, unknown> {
    return { machine: this.#machine, requester: this.#requester };
  }

  /** The status of the last `getStatus`, `cancel` or poll, or the initial one; `null` before any. */
  get lastKnownStatus(): S | null {
    return this.#machine.lastKnownStatus;
  }

  /** One status request, blocking; the answer becomes the last known status. */
  getStatus(options?: CallOptionsSync): S {
    return runMember(MEMBERS.getStatus(this.#machine, options), this.#requester);
  }

  /**
   * The result of the last known status (fetched once if there is none), as a value the caller
   * owns. Throws `RunError` when the operation failed and `WrongAsyncOperationStatusError` when it
   * is running or done with neither result nor error.
   */
  getResult(options?: CallOptionsSync): T {
    return runMember(MEMBERS.getResult(this.#machine, options), this.#requester);
  }

  /**
   * Polls until the operation is not running, then returns `getResult()`; blocks meanwhile.
   * The first poll is immediate; `pollTimeout` bounds the whole wait, `timeout` each request.
   * Throws `OperationTimeoutError` when `pollTimeout` runs out, `RunError` when the operation failed.
   */
  wait(options?: WaitOptionsSync<S>): T {
    return runMember(MEMBERS.wait(this.#machine, options), this.#requester);
  }

  /** The statuses of a wait as they are polled, the last one included. Breaking out stops polling. */
  watch(options?: WaitOptions): Iterable<S> {
    const { start } = MEMBERS.watch(this.#machine, options);
    return { [Symbol.iterator]: () => driveSync(start(), this.#requester) };
  }

  /** Asks the server to cancel the operation; its answer becomes the last known status. */
  cancel(options?: CallOptionsSync): void {
    runMember(MEMBERS.cancel(this.#machine, options), this.#requester);
  }

  /** `Operation<id="...">`. */
  toString(): string {
    return describeSync(this.id);
  }
}

/** Runs a member on the caller's thread. */
function runMember<S, R>({ run, onProgress }: Planned<S, R>, requester: SyncRequester<S>): R {
  return runSync(run, requester, onProgress);
}
