/**
 * The promise flavour of an operation, generic over the status type: an adapter that runs the
 * operation machine's members with the promise runner. No rule lives here.
 */
import { machineOf, type OperationMachine, type RequestAnswer, type Run } from '../core/machine';
import type { OperationKind } from '../core/kind';
import { checkFunction, checkOptions } from '../core/options';
import type { RequestPacer } from '../core/pacer';
import { planCall, planWait, type WaitOptions } from '../core/poll';
import type { BaseOperationStatus } from '../core/status';
import type { CallOptions, Logger } from '../core/transport';
import { CallScope } from '../runtime/call-scope';
import { driveAsync, runAsync, type AsyncRequester } from './run';
import { AIStudioError } from '../core/errors';

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

const CALL_OPTIONS = ['timeout', 'signal'] as const;
const WATCH_OPTIONS = ['timeout', 'pollTimeout', 'pollInterval', 'signal'] as const;

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
}

/** What a client lends the operations it makes: its calls' scope, its request budget, its endpoint. */
export interface ClientLink {
  scope: CallScope;
  budget: RequestPacer | null;
  endpoint: string;
}

const links = new WeakMap<object, ClientLink>();

/** Ties `parts` to a client (used by the clients of this package; not public API). */
export function linkToClient<P extends object>(parts: P, link: ClientLink): P {
  links.set(parts, link);
  return parts;
}

/** An operation's machine and how its requests go, for the many-operations runner. */
export interface AsyncInternals<S extends BaseOperationStatus, T> {
  machine: OperationMachine<S, T>;
  requester: AsyncRequester<S>;
  scope: CallScope;
}

/** Set by {@link BaseAsyncOperation}'s static block: reads an operation's private fields, so that no operation keeps a record of them. */
let internalsOf: (op: object) => AsyncInternals<BaseOperationStatus, unknown> | undefined;

/** The internals of an operation of this flavour, or `undefined` for anything else. */
export function asyncInternals(op: unknown): AsyncInternals<BaseOperationStatus, unknown> | undefined {
  return typeof op === 'object' && op !== null ? internalsOf(op) : undefined;
}

/** How the requests of an operation made of `parts` go: one object, no closure, per operation. */
class PartsRequester<S extends BaseOperationStatus> implements AsyncRequester<S> {
  constructor(private readonly parts: Pick<AsyncOperationParts<S, unknown>, 'fetch' | 'cancel' | 'receivedAtMs'>) {}

  async request(call: 'get' | 'cancel', { deadlineMs, timeoutMs }: { deadlineMs: number; timeoutMs: number }, signal: AbortSignal): Promise<RequestAnswer<S>> {
    const { parts } = this;
    const options = { deadlineMs, timeoutMs, signal };
    const status = await (call === 'get' ? parts.fetch(options) : parts.cancel(options));
    return { status, receivedAtMs: parts.receivedAtMs?.(status) ?? Date.now() };
  }
}

/** An operation whose members return promises. Extend it for an operation kind of your own. */
export class BaseAsyncOperation<S extends BaseOperationStatus, T> {
  readonly id: string;
  readonly #machine: OperationMachine<S, T>;
  readonly #requester: AsyncRequester<S>;
  readonly #scope: CallScope;

  constructor(parts: AsyncOperationParts<S, T>) {
    checkFunction('fetch', parts.fetch);
    checkFunction('cancel', parts.cancel);
    const link = links.get(parts);
    this.id = parts.id;
    this.#scope = link?.scope ?? new CallScope(() => new AIStudioError('closed'));
    this.#machine = machineOf<S, T>(parts, String(this), link);
    this.#requester = new PartsRequester(parts);
  }

  static {
    internalsOf = (op) => (#machine in op ? { machine: op.#machine, requester: op.#requester, scope: op.#scope } : undefined);
  }

  /** The status of the last `getStatus`, `cancel` or poll, or the initial one; `null` before any. */
  get lastKnownStatus(): S | null {
    return this.#machine.lastKnownStatus;
  }

  /** One status request; the answer becomes the last known status. */
  async getStatus(options?: AsyncCallOptions): Promise<S> {
    const { timeout, signal } = checkOptions('getStatus', options, CALL_OPTIONS);
    return this.#run(this.#machine.getStatus(planCall(timeout)), signal);
  }

  /**
   * The result of the last known status (fetched once if there is none; a running status is not
   * fetched again), as a value the caller owns. Rejects with `RunError` when the operation failed
   * and with `WrongAsyncOperationStatusError` when it is running or done with neither result nor error.
   */
  async getResult(options?: AsyncCallOptions): Promise<T> {
    const { timeout, signal } = checkOptions('getResult', options, CALL_OPTIONS);
    return this.#run(this.#machine.getResult(planCall(timeout)), signal);
  }

  /**
   * Polls until the operation is not running, then returns `getResult()`. The first poll is
   * immediate. `pollTimeout` bounds the whole wait (requests and sleeps); `timeout` bounds each
   * request and is cut to the time left. Rejects with `OperationTimeoutError` when `pollTimeout`
   * runs out, `RunError` when the operation failed.
   */
  wait(options?: AsyncWaitOptions<S>): Promise<T> {
    // Not an async method: a sleeping wait then holds no suspended frame of its own.
    try {
      const { onProgress, signal, ...rest } = checkOptions('wait', options, [...WATCH_OPTIONS, 'onProgress']);
      checkFunction('onProgress', onProgress);
      return this.#run(this.#machine.wait(planWait(rest, this.#machine.defaultPollTimeoutS, this.#machine.defaultPollIntervalS)), signal, onProgress);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * The statuses of a wait as they are polled, the last (not running) one included; ends there,
   * or rejects as `wait()` does. Breaking out of the loop stops polling.
   */
  watch(options?: AsyncWatchOptions): AsyncIterable<S> {
    const { signal, ...rest } = checkOptions('watch', options, WATCH_OPTIONS);
    const plan = planWait(rest, this.#machine.defaultPollTimeoutS, this.#machine.defaultPollIntervalS);
    const machine = this.#machine;
    const requester = this.#requester;
    const scope = this.#scope;
    return {
      async *[Symbol.asyncIterator]() {
        const call = scope.open(signal);
        try {
          return yield* driveAsync(machine.watch(plan), requester, call.signal);
        } finally {
          call.end();
        }
      },
    };
  }

  /** Asks the server to cancel the operation; its answer becomes the last known status. */
  async cancel(options?: AsyncCallOptions): Promise<void> {
    const { timeout, signal } = checkOptions('cancel', options, CALL_OPTIONS);
    return this.#run(this.#machine.cancel(planCall(timeout)), signal);
  }

  /** `AsyncOperation<id="...">`. */
  toString(): string {
    return `AsyncOperation<id=${JSON.stringify(this.id)}>`;
  }

  /** Runs `run` under a call of this operation's scope (`open` throws once the client is closed). */
  #run<R>(run: Run<S, R>, signal: AbortSignal | undefined, onProgress?: (status: S) => void): Promise<R> {
    return runAsync(run, this.#requester, this.#scope.open(signal), onProgress);
  }
}
