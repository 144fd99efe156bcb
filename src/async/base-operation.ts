/**
 * The promise flavour of an operation, generic over the status type: an adapter that runs the
 * operation machine's members with the promise
 * runner. No rule lives here.
 */

import { INTERNALS, machineFor, type OperationContext, textFormOf } from '../client/operation';
import { AIStudioError } from '../core/errors';
import type { OperationKind } from '../core/kind';
import type { OperationMachine, RequestAnswer } from '../core/machine';
import { checkFunction } from '../core/options';
import { PROMISE_MEMBERS as MEMBERS, type Planned, type WaitOptions } from '../core/poll';
import type { BaseOperationStatus } from '../core/status';
import type { CallOptions, Logger } from '../core/transport';
import { CallScope } from '../runtime/call-scope';
import { type AsyncRequester, driveAsync, runAsync } from './run';

/** Options of one call (`getStatus`, `getResult`, `cancel`). */
export interface AsyncCallOptions {
  /** The bound of the call, all its retries included, in seconds. @default 60 */
  timeout?: number;
  /** Stops the call: the request is aborted and the promise rejects with `signal.reason`. */
  signal?: AbortSignal;
}

/** Options of `watch()`. */
export interface AsyncWatchOptions extends WaitOptions {
  /** Stops the wait: the sleep or request in progress is cancelled; rejects with `signal.reason`. */
  signal?: AbortSignal;
}

/** Options of `wait()`. */
export interface AsyncWaitOptions<S> extends AsyncWatchOptions {
  /** Called on the caller's side with every status polled, the last one included. */
  onProgress?: (status: S) => void;
}

/** What an operation of any kind is made of. */
export interface AsyncOperationParts<S extends BaseOperationStatus, T> {
  id: string;
  kind: OperationKind<S, T>;
  /** One status request (Get), bounded by `deadlineMs` (a `Date.now()` value) and `signal`. */
  fetch: (options: CallOptions) => Promise<S>;
  /** One cancel request, answering the status after it. */
  cancel: (options: CallOptions) => Promise<S>;
  logger: Logger;
  /** The status already known (from the call that started the operation), if any. */
  initialStatus?: S | null;
  /** When a fetched status arrived (`Date.now()` value), if the fetcher knows better than its caller. */
  receivedAtMs?: (status: S) => number | undefined;
  /** What the client that made the operation lends it. @internal */
  context?: AsyncContext;
  /** How the operation's requests go, when the parts know better than `fetch` and `cancel` (`./shared-polls.ts`). @internal */
  requester?: AsyncRequester<S>;
}

/** What a promise-flavour client lends its operations: its dependencies, and the scope that `close()` aborts. */
export type AsyncContext = OperationContext<CallScope>;

/** An operation's machine and how its requests go, for the many-operations runner. */
export interface AsyncInternals<S extends BaseOperationStatus, T> {
  machine: OperationMachine<S, T>;
  requester: AsyncRequester<S>;
  scope: CallScope;
}

/** How the requests of an operation made of `parts` go: one object, no closure, per operation. */
class PartsRequester<S extends BaseOperationStatus> implements AsyncRequester<S> {
  constructor(
    private readonly parts: Pick<AsyncOperationParts<S, unknown>, 'fetch' | 'cancel' | 'receivedAtMs'>,
    private readonly nowMs: () => number,
  ) {}

  request(
    call: 'get' | 'cancel',
    { deadlineMs, timeoutMs }: { deadlineMs: number; timeoutMs: number },
    signal: AbortSignal,
  ): Promise<RequestAnswer<S>> {
    const { parts } = this;
    const options = { deadlineMs, timeoutMs, signal };
    try {
      // A `then`, not an async frame: what a poll waiting in a client's line holds is kept small.
      return (call === 'get' ? parts.fetch(options) : parts.cancel(options)).then((status) => this.#answer(status));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #answer(status: S): RequestAnswer<S> {
    return { status, receivedAtMs: this.parts.receivedAtMs?.(status) ?? this.nowMs() };
  }
}

/** The text form of the AsyncOperation of id `id`, as its `toString()` gives it: `AsyncOperation<id="...">`. */
const describeAsync = (id: string): string => `AsyncOperation<id=${JSON.stringify(id)}>`;

/** An operation whose members return promises. Extend it for an operation kind of your own. */
export class BaseAsyncOperation<S extends BaseOperationStatus, T> {
  readonly id: string;
  readonly #machine: OperationMachine<S, T>;
  readonly #requester: AsyncRequester<S>;
  readonly #scope: CallScope;

  constructor(parts: AsyncOperationParts<S, T>) {
    checkFunction('fetch', parts.fetch);
    checkFunction('cancel', parts.cancel);
    const { context } = parts;
    this.id = parts.id;
    this.#scope = context?.guard ?? new CallScope(() => new AIStudioError('closed'));
    this.#machine = machineFor<S, T>(parts, textFormOf(this, BaseAsyncOperation.prototype.toString, describeAsync));
    this.#requester = parts.requester ?? new PartsRequester(parts, context?.nowMs ?? Date.now);
  }

  /** The machine, requester and scope, for `waitAll`/`asCompleted`. @internal */
  get [INTERNALS](): AsyncInternals<BaseOperationStatus, unknown> {
    return { machine: this.#machine, requester: this.#requester, scope: this.#scope };
  }

  /** The status of the last `getStatus`, `cancel` or poll, or the initial one; `null` before any. */
  get lastKnownStatus(): S | null {
    return this.#machine.lastKnownStatus;
  }

  /** One status request; the answer becomes the last known status. */
  getStatus(options?: AsyncCallOptions): Promise<S> {
    // Not an async method (nor are the others): the run's own promise, with no frame and promise hops of its own.
    try {
      return runMember(MEMBERS.getStatus(this.#machine, options), this.#requester, this.#scope);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * The result of the last known status (fetched once if there is none; a running status is not
   * fetched again), as a value the caller owns. Rejects with `RunError` when the operation failed
   * and with `WrongAsyncOperationStatusError` when it is running or done with neither result nor error.
   */
  getResult(options?: AsyncCallOptions): Promise<T> {
    try {
      return runMember(MEMBERS.getResult(this.#machine, options), this.#requester, this.#scope);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Polls until the operation is not running, then returns `getResult()`. The first poll is
   * immediate. `pollTimeout` bounds the whole wait (requests and sleeps); `timeout` bounds each
   * request and is cut to the time left. Rejects with `OperationTimeoutError` when `pollTimeout`
   * runs out, `RunError` when the operation failed.
   */
  wait(options?: AsyncWaitOptions<S>): Promise<T> {
    // A sleeping wait then holds no suspended frame of its own.
    try {
      return runMember(MEMBERS.wait(this.#machine, options), this.#requester, this.#scope);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * The statuses of a wait as they are polled, the last (not running) one included; ends there,
   * or rejects as `wait()` does. Breaking out of the loop stops polling.
   */
  watch(options?: AsyncWatchOptions): AsyncIterable<S> {
    const { start, signal } = MEMBERS.watch(this.#machine, options);
    const requester = this.#requester;
    const scope = this.#scope;
    return {
      async *[Symbol.asyncIterator]() {
        const call = scope.open(signal);
        try {
          return yield* driveAsync(start(), requester, call);
        } finally {
          call.end();
        }
      },
    };
  }

  /** Asks the server to cancel the operation; its answer becomes the last known status. */
  cancel(options?: AsyncCallOptions): Promise<void> {
    try {
      return runMember(MEMBERS.cancel(this.#machine, options), this.#requester, this.#scope);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** `AsyncOperation<id="...">`. */
  toString(): string {
    return describeAsync(this.id);
  }
}

/** Runs a member under a call of its operation's scope (`open` throws once the client is closed). */
function runMember<S, R>({ run, signal, onProgress }: Planned<S, R>, requester: AsyncRequester<S>, scope: CallScope): Promise<R> {
  return runAsync(run, requester, scope.open(signal), onProgress);
}
