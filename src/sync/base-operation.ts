/**
 * The blocking flavour of an operation, generic over the status type: the same members as the
 * promise flavour, returning values. The wait loop is the core's, driven on the caller's thread,
 * so `onProgress` and `watch()` run there too (a callback may itself call `getStatus()`).
 */
import { checkOptions, DEFAULT_CALL_TIMEOUT_S, secondsToMs } from '../core/options';
import { planWait, waitLoop, type WaitEffect, type WaitOptions } from '../core/poll';
import { resultError } from '../core/result';
import type { OperationKind } from '../core/kind';
import type { BaseOperationStatus } from '../core/status';
import type { Logger } from '../core/transport';
import { driveSync, sleepSync } from './drive';

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

/** The key of a blocking operation's wait loop, for the scheduler of `asCompleted` (not public API). */
export const WAIT_LOOP = Symbol('yc-operation.waitLoop');
const WATCH_OPTIONS = ['timeout', 'pollTimeout', 'pollInterval'] as const;

/** What a blocking operation of any kind is made of. */
export interface OperationParts<S extends BaseOperationStatus, T> {
  id: string;
  kind: OperationKind<S, T>;
  /** One status request (Get), blocking; `timeoutMs` bounds it. */
  fetch: (timeoutMs: number) => S;
  /** One cancel request, blocking, answering the status after it. */
  cancel: (timeoutMs: number) => S;
  logger: Logger;
  initialStatus?: S | null;
}

/** A blocking operation. Extend it for an operation kind of your own. */
export class BaseOperation<S extends BaseOperationStatus, T> {
  readonly id: string;
  readonly #parts: OperationParts<S, T>;
  #lastKnownStatus: S | null;
  #receivedAtMs = 0;

  constructor(parts: OperationParts<S, T>) {
    this.id = parts.id;
    this.#parts = parts;
    this.#lastKnownStatus = parts.initialStatus ?? null;
  }

  /** The status of the last `getStatus`, `cancel` or poll, or the initial one; `null` before any. */
  get lastKnownStatus(): S | null {
    return this.#lastKnownStatus;
  }

  /** One status request, blocking; the answer becomes the last known status. */
  getStatus(options?: CallOptionsSync): S {
    const { timeout } = checkOptions('getStatus', options, CALL_OPTIONS);
    return this.#fetch(secondsToMs('timeout', timeout, DEFAULT_CALL_TIMEOUT_S));
  }

  /**
   * The result of the last known status (fetched once if there is none). Throws `RunError` when
   * the operation failed and `WrongAsyncOperationStatusError` when it is running or done with
   * neither result nor error.
   */
  getResult(options?: CallOptionsSync): T {
    const { timeout } = checkOptions('getResult', options, CALL_OPTIONS);
    const timeoutMs = secondsToMs('timeout', timeout, DEFAULT_CALL_TIMEOUT_S);
    const status = this.#lastKnownStatus ?? this.#fetch(timeoutMs);
    const error = resultError(status, String(this), (failed) => this.#parts.kind.runError(this.id, failed));
    if (error) throw error;
    const result = this.#parts.kind.result(status, { timeout: timeoutMs / 1000 });
    if (result instanceof Promise) {
      result.catch(() => {});
      throw new TypeError('the blocking flavour takes only a synchronous resultDecoder (it returned a Promise)');
    }
    return result;
  }

  /**
   * Polls until the operation is not running, then returns `getResult()`; blocks meanwhile.
   * The first poll is immediate; `pollTimeout` bounds the whole wait, `timeout` each request.
   * Throws `OperationTimeoutError` when `pollTimeout` runs out, `RunError` when the operation failed.
   */
  wait(options?: WaitOptionsSync<S>): T {
    const { onProgress, ...rest } = checkOptions('wait', options, [...WATCH_OPTIONS, 'onProgress']);
    for (const status of this.#polls(rest)) onProgress?.(status);
    return this.getResult({ timeout: rest.timeout });
  }

  /** The statuses of a wait as they are polled, the last one included. Breaking out stops polling. */
  watch(options?: WaitOptions): Iterable<S> {
    const checked = checkOptions('watch', options, WATCH_OPTIONS);
    planWait(checked, this.#parts.kind.defaultPollTimeoutS);
    return { [Symbol.iterator]: () => this.#polls(checked) };
  }

  /** Asks the server to cancel the operation; its answer becomes the last known status. */
  cancel(options?: CallOptionsSync): void {
    const { timeout } = checkOptions('cancel', options, CALL_OPTIONS);
    this.#lastKnownStatus = this.#parts.cancel(secondsToMs('timeout', timeout, DEFAULT_CALL_TIMEOUT_S));
  }

  /** `Operation<id="...">`. */
  toString(): string {
    return `Operation<id=${JSON.stringify(this.id)}>`;
  }

  #fetch(timeoutMs: number): S {
    const status = this.#parts.fetch(timeoutMs);
    this.#lastKnownStatus = status;
    this.#receivedAtMs = Date.now();
    return status;
  }

  /** The core wait loop of this operation and its blocking fetch, for `asCompleted`'s scheduler. */
  [WAIT_LOOP](options: WaitOptions): { loop: Generator<WaitEffect<S>, S, unknown>; fetch: (timeoutMs: number) => S } {
    return { loop: this.#loop(options), fetch: (timeoutMs) => this.#fetch(timeoutMs) };
  }

  #polls(options: WaitOptions): Generator<S, S, undefined> {
    return driveSync(this.#loop(options), { fetch: (timeoutMs) => this.#fetch(timeoutMs), sleep: sleepSync });
  }

  #loop(options: WaitOptions): Generator<WaitEffect<S>, S, unknown> {
    return waitLoop<S>({
      operationId: this.id,
      plan: planWait(options, this.#parts.kind.defaultPollTimeoutS),
      nowMs: Date.now,
      random: Math.random,
      lastKnownStatus: () => this.#lastKnownStatus,
      receivedAtMs: () => this.#receivedAtMs,
      logger: this.#parts.logger,
    });
  }
}
