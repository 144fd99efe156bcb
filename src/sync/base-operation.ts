/**
 * The blocking flavour of an operation, generic over the status type: an adapter that runs the
 * operation machine's members with the blocking runner, on the caller's
 * thread, so `onProgress` and `watch()` run there too (a callback may itself call `getStatus()`).
 * No rule lives here.
 */
import { machineOf, type OperationMachine, type Run } from '../core/machine';
import type { OperationKind } from '../core/kind';
import { checkFunction, checkOptions } from '../core/options';
import type { RequestPacer } from '../core/pacer';
import { planCall, planWait, type WaitOptions } from '../core/poll';
import type { BaseOperationStatus } from '../core/status';
import type { Logger } from '../core/transport';
import { driveSync, runSync, type SyncRequester } from './run';

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

const CALL_OPTIONS = ['timeout'] as const;
const WATCH_OPTIONS = ['timeout', 'pollTimeout', 'pollInterval'] as const;

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
}

/** What a blocking client lends the operations it makes. */
export interface SyncClientLink {
  /** Throws once the client is closed. */
  checkOpen(): void;
  budget: RequestPacer | null;
  endpoint: string;
}

const links = new WeakMap<object, SyncClientLink>();

/** Ties `parts` to a client (used by the clients of this package; not public API). */
export function linkToSyncClient<P extends object>(parts: P, link: SyncClientLink): P {
  links.set(parts, link);
  return parts;
}

/** An operation's machine and how its requests go, for the many-operations runner. */
export interface SyncInternals {
  machine: OperationMachine<BaseOperationStatus, unknown>;
  requester: SyncRequester<BaseOperationStatus>;
}

const internals = new WeakMap<object, SyncInternals>();

/** The internals of a blocking operation, or `undefined` for anything else. */
export function syncInternals(op: unknown): SyncInternals | undefined {
  return typeof op === 'object' && op !== null ? internals.get(op) : undefined;
}

/** A blocking operation. Extend it for an operation kind of your own. */
export class BaseOperation<S extends BaseOperationStatus, T> {
  readonly id: string;
  readonly #machine: OperationMachine<S, T>;
  readonly #requester: SyncRequester<S>;

  constructor(parts: OperationParts<S, T>) {
    checkFunction('fetch', parts.fetch);
    checkFunction('cancel', parts.cancel);
    const link = links.get(parts);
    this.id = parts.id;
    this.#machine = machineOf<S, T>(parts, String(this), link);
    this.#requester = {
      request: (call, { deadlineMs, timeoutMs }) => ({ status: (call === 'get' ? parts.fetch : parts.cancel)({ deadlineMs, timeoutMs }), receivedAtMs: Date.now() }),
      checkOpen: () => link?.checkOpen(),
    };
    internals.set(this, { machine: this.#machine, requester: this.#requester } as unknown as SyncInternals);
  }

  /** The status of the last `getStatus`, `cancel` or poll, or the initial one; `null` before any. */
  get lastKnownStatus(): S | null {
    return this.#machine.lastKnownStatus;
  }

  /** One status request, blocking; the answer becomes the last known status. */
  getStatus(options?: CallOptionsSync): S {
    const { timeout } = checkOptions('getStatus', options, CALL_OPTIONS);
    return this.#run(this.#machine.getStatus(planCall(timeout)));
  }

  /**
   * The result of the last known status (fetched once if there is none), as a value the caller
   * owns. Throws `RunError` when the operation failed and `WrongAsyncOperationStatusError` when it
   * is running or done with neither result nor error.
   */
  getResult(options?: CallOptionsSync): T {
    const { timeout } = checkOptions('getResult', options, CALL_OPTIONS);
    return this.#run(this.#machine.getResult(planCall(timeout)));
  }

  /**
   * Polls until the operation is not running, then returns `getResult()`; blocks meanwhile.
   * The first poll is immediate; `pollTimeout` bounds the whole wait, `timeout` each request.
   * Throws `OperationTimeoutError` when `pollTimeout` runs out, `RunError` when the operation failed.
   */
  wait(options?: WaitOptionsSync<S>): T {
    const { onProgress, ...rest } = checkOptions('wait', options, [...WATCH_OPTIONS, 'onProgress']);
    checkFunction('onProgress', onProgress);
    return this.#run(this.#machine.wait(planWait(rest, this.#machine.defaultPollTimeoutS, this.#machine.defaultPollIntervalS)), onProgress);
  }

  /** The statuses of a wait as they are polled, the last one included. Breaking out stops polling. */
  watch(options?: WaitOptions): Iterable<S> {
    const plan = planWait(checkOptions('watch', options, WATCH_OPTIONS), this.#machine.defaultPollTimeoutS, this.#machine.defaultPollIntervalS);
    return { [Symbol.iterator]: () => driveSync(this.#machine.watch(plan), this.#requester) };
  }

  /** Asks the server to cancel the operation; its answer becomes the last known status. */
  cancel(options?: CallOptionsSync): void {
    const { timeout } = checkOptions('cancel', options, CALL_OPTIONS);
    this.#run(this.#machine.cancel(planCall(timeout)));
  }

  /** `Operation<id="...">`. */
  toString(): string {
    return `Operation<id=${JSON.stringify(this.id)}>`;
  }

  #run<R>(run: Run<S, R>, onProgress?: (status: S) => void): R {
    return runSync(run, this.#requester, onProgress);
  }
}
