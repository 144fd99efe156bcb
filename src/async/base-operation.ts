/**
 * The promise flavour of an operation, generic over the status type: one Get per `getStatus`,
 * `getResult` from the last known status, `wait` and `watch` running the core's wait loop.
 */
import { checkOptions, DEFAULT_CALL_TIMEOUT_S, secondsToMs } from '../core/options';
import { planWait, waitLoop, type WaitOptions } from '../core/poll';
import { resultError } from '../core/result';
import type { OperationKind } from '../core/kind';
import type { BaseOperationStatus } from '../core/status';
import type { CallOptions, Logger } from '../core/transport';
import { driveAsync } from './drive';
import { sleepUntil, throwIfAborted } from './sleep';

/** Options of one call (`getStatus`, `getResult`, `cancel`). */
export interface AsyncCallOptions {
  /** The bound of the call, all its retries included, in seconds. @default 60 */
  timeout?: number;
  /** Stops the call: the request is aborted and the promise rejects with `signal.reason`. */
  signal?: AbortSignal;
}

/** The key of the option that paces each poll request, for `waitAll`/`asCompleted` (not public API). */
export const PACE = Symbol('yc-operation.pace');

/** Options of `watch()`. */
export interface AsyncWatchOptions extends WaitOptions {
  /** Stops the wait: the sleep or request in progress is cancelled; rejects with `signal.reason`. */
  signal?: AbortSignal;
  /** Awaited before each poll request (rate limiting across operations). */
  [PACE]?: (signal?: AbortSignal) => Promise<void>;
}

/** Options of `wait()`. */
export interface AsyncWaitOptions<S> extends AsyncWatchOptions {
  /** Called on the caller's side with every status polled, the last one included. */
  onProgress?: (status: S) => void;
}

const CALL_OPTIONS = ['timeout', 'signal'] as const;
const WATCH_OPTIONS = ['timeout', 'pollTimeout', 'pollInterval', 'signal'] as const;

/** What an operation of any kind is made of. */
export interface AsyncOperationParts<S extends BaseOperationStatus, T> {
  id: string;
  kind: OperationKind<S, T>;
  /** One status request (Get). */
  fetch: (options: CallOptions) => Promise<S>;
  /** One cancel request, answering the status after it. */
  cancel: (options: CallOptions) => Promise<S>;
  logger: Logger;
  /** The status already known (from the call that started the operation), if any. */
  initialStatus?: S | null;
  /** When a fetched status arrived (`Date.now()` value), if the fetcher knows better than its caller. */
  receivedAtMs?: (status: S) => number | undefined;
}

/** An operation whose members return promises. Extend it for an operation kind of your own. */
export class BaseAsyncOperation<S extends BaseOperationStatus, T> {
  readonly id: string;
  readonly #parts: AsyncOperationParts<S, T>;
  #lastKnownStatus: S | null;
  #receivedAtMs = 0;

  constructor(parts: AsyncOperationParts<S, T>) {
    this.id = parts.id;
    this.#parts = parts;
    this.#lastKnownStatus = parts.initialStatus ?? null;
  }

  /** The status of the last `getStatus`, `cancel` or poll, or the initial one; `null` before any. */
  get lastKnownStatus(): S | null {
    return this.#lastKnownStatus;
  }

  /** One status request; the answer becomes the last known status. */
  async getStatus(options?: AsyncCallOptions): Promise<S> {
    const { timeout, signal } = checkOptions('getStatus', options, CALL_OPTIONS);
    return this.#fetch({ timeoutMs: secondsToMs('timeout', timeout, DEFAULT_CALL_TIMEOUT_S), signal });
  }

  /**
   * The result of the last known status (fetched once if there is none; a running status is not
   * fetched again). Rejects with `RunError` when the operation failed and with
   * `WrongAsyncOperationStatusError` when it is running or done with neither result nor error.
   */
  async getResult(options?: AsyncCallOptions): Promise<T> {
    const { timeout, signal } = checkOptions('getResult', options, CALL_OPTIONS);
    const timeoutMs = secondsToMs('timeout', timeout, DEFAULT_CALL_TIMEOUT_S);
    const status = this.#lastKnownStatus ?? (await this.#fetch({ timeoutMs, signal }));
    const error = resultError(status, String(this), (failed) => this.#parts.kind.runError(this.id, failed));
    if (error) throw error;
    const result = await this.#parts.kind.result(status, { timeout: timeoutMs / 1000 });
    throwIfAborted(signal);
    return result;
  }

  /**
   * Polls until the operation is not running, then returns `getResult()`. The first poll is
   * immediate. `pollTimeout` bounds the whole wait (requests and sleeps); `timeout` bounds each
   * request and is cut to the time left. Rejects with `OperationTimeoutError` when `pollTimeout`
   * runs out, `RunError` when the operation failed.
   */
  async wait(options?: AsyncWaitOptions<S>): Promise<T> {
    const { onProgress, ...rest } = checkOptions('wait', options, [...WATCH_OPTIONS, 'onProgress']);
    for await (const status of this.#polls(rest)) onProgress?.(status);
    return this.getResult({ timeout: rest.timeout, signal: rest.signal });
  }

  /**
   * The statuses of a wait as they are polled, the last (not running) one included; ends there,
   * or rejects as `wait()` does. Breaking out of the loop stops polling.
   */
  watch(options?: AsyncWatchOptions): AsyncIterable<S> {
    const checked = checkOptions('watch', options, WATCH_OPTIONS);
    planWait(checked, this.#parts.kind.defaultPollTimeoutS);
    return { [Symbol.asyncIterator]: () => this.#polls(checked) };
  }

  /** Asks the server to cancel the operation; its answer becomes the last known status. */
  async cancel(options?: AsyncCallOptions): Promise<void> {
    const { timeout, signal } = checkOptions('cancel', options, CALL_OPTIONS);
    const status = await this.#parts.cancel({ timeoutMs: secondsToMs('timeout', timeout, DEFAULT_CALL_TIMEOUT_S), signal });
    throwIfAborted(signal);
    this.#lastKnownStatus = status;
  }

  /** `AsyncOperation<id="...">`. */
  toString(): string {
    return `AsyncOperation<id=${JSON.stringify(this.id)}>`;
  }

  async #fetch(options: CallOptions): Promise<S> {
    const status = await this.#parts.fetch(options);
    throwIfAborted(options.signal);
    this.#lastKnownStatus = status;
    this.#receivedAtMs = Date.now();
    return status;
  }

  #polls(options: AsyncWatchOptions): AsyncGenerator<S, S, undefined> {
    const { signal, [PACE]: pace } = options;
    const loop = waitLoop<S>({
      operationId: this.id,
      plan: planWait(options, this.#parts.kind.defaultPollTimeoutS),
      nowMs: Date.now,
      random: Math.random,
      lastKnownStatus: () => this.#lastKnownStatus,
      receivedAtMs: (status) => this.#parts.receivedAtMs?.(status) ?? this.#receivedAtMs,
      logger: this.#parts.logger,
    });
    const fetch = async (timeoutMs: number) => {
      if (pace) {
        const startedMs = Date.now();
        await pace(signal);
        timeoutMs = Math.max(1, timeoutMs - (Date.now() - startedMs));
      }
      return this.#fetch({ timeoutMs, signal });
    };
    return driveAsync(loop, { fetch, sleep: (untilMs) => sleepUntil(untilMs, signal) });
  }
}
