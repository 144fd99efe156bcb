/**
 * The types of the two client flavours, as one family: the members of
 * {@link OperationsClientMembers} are written once, and each flavour says what its operations, its
 * answers (a promise, or the value itself) and its options are. A flavour fills in `T`, `M` and `S`
 * through `this`, so that `Of<F, X>['operation']` is, say, `AsyncOperation<X>`.
 */

import type { ManyOptions } from '../core/many';
import type { BaseOperationStatus } from '../core/status';
import type { AsyncStartOptions, StartOptions } from './start';

/** The types of one flavour of client. Its members read `T` (a result), `M` (metadata) and `S` (a status). */
export interface ClientFlavour {
  /** A result type. */
  readonly T: unknown;
  /** A metadata type. */
  readonly M: unknown;
  /** A status type. */
  readonly S: BaseOperationStatus;
  /** An Operation API operation with result `T` and metadata `M`. */
  readonly operation: unknown;
  /** An operation with status `S` and result `T` (a tuning, a batch task, an assistant run). */
  readonly tracked: unknown;
  /** True when members that make requests give promises; false when they block and give the value. */
  readonly promises: boolean;
  /** The options of `operation()` for result `T` and metadata `M`. */
  readonly operationOptions: unknown;
}

/** Options of the promise flavour's `waitAll()` and `asCompleted()`. */
export interface AsyncManyOptions extends ManyOptions {
  /** Stops every wait; rejects with `signal.reason`. */
  signal?: AbortSignal;
}

/** The options of a start helper of flavour `F` (with a `signal` for promises). */
export type StartOptionsOf<F extends ClientFlavour> = F['promises'] extends true ? AsyncStartOptions : StartOptions;
/** The options of `waitAll` and `asCompleted` of flavour `F` (with a `signal` for promises). */
export type ManyOptionsOf<F extends ClientFlavour> = F['promises'] extends true ? AsyncManyOptions : ManyOptions;

/** The flavour `F` for result `T`, metadata `M` and status `S`. */
export type Of<F extends ClientFlavour, T, M = unknown, S extends BaseOperationStatus = BaseOperationStatus> = F & {
  readonly T: T;
  readonly M: M;
  readonly S: S;
};

/** An Operation API operation of flavour `F`. */
export type OperationOf<F extends ClientFlavour, T, M = unknown> = Of<F, T, M>['operation'];
/** An operation of flavour `F` with status `S` and result `T`. */
export type TrackedOf<F extends ClientFlavour, S extends BaseOperationStatus, T> = Of<F, T, unknown, S>['tracked'];
/** What a member of flavour `F` that makes requests gives for a `T`: a promise of it, or the `T` itself. */
export type AnswerOf<F extends ClientFlavour, T> = F['promises'] extends true ? Promise<T> : T;
/** The options of `operation()` in flavour `F`. */
export type OperationOptionsOf<F extends ClientFlavour, T, M> = Of<F, T, M>['operationOptions'];
/** Any operation of flavour `F` whose result is `T`, whatever its status type. */
export type AnyOperationOf<F extends ClientFlavour, T> = TrackedOf<F, BaseOperationStatus, T> | TrackedOf<F, never, T>;
/** What `asCompleted` of flavour `F` gives for operations of type `O`: an async iterable, or an iterable. */
export type CompletingOf<F extends ClientFlavour, O> = F['promises'] extends true ? AsyncIterable<O> : Iterable<O>;
