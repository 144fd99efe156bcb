/**
 * The types of the two client flavours, as one family: the members of
 * {@link OperationsClientMembers} are written once, and each flavour says what its operations, its
 * answers (a promise, or the value itself) and its options are. A flavour fills in `T`, `M` and `S`
 * through `this`, so that `Of<F, X>['operation']` is, say, `AsyncOperation<X>`.
 */
import type { BaseOperationStatus } from '../core/status';
import type { ManyOptions } from '../core/many';
import type { StartOptions } from './start';

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
  /** What a member that makes requests gives for a `T`: a promise of it, or the `T` itself. */
  readonly answer: unknown;
  /** The options of `operation()` for result `T` and metadata `M`. */
  readonly operationOptions: unknown;
  /** Any operation of the flavour whose result is `T`. */
  readonly anyOperation: unknown;
  /** What `asCompleted` gives for operations of type `T`: an async iterable, or an iterable. */
  readonly completing: unknown;
  /** The options of a start helper. */
  readonly startOptions: StartOptions;
  /** The options of `waitAll` and `asCompleted`. */
  readonly manyOptions: ManyOptions;
}

/** The flavour `F` for result `T`, metadata `M` and status `S`. */
type Of<F extends ClientFlavour, T, M = unknown, S extends BaseOperationStatus = BaseOperationStatus> = F & { readonly T: T; readonly M: M; readonly S: S };

/** An Operation API operation of flavour `F`. */
export type OperationOf<F extends ClientFlavour, T, M = unknown> = Of<F, T, M>['operation'];
/** An operation of flavour `F` with status `S` and result `T`. */
export type TrackedOf<F extends ClientFlavour, S extends BaseOperationStatus, T> = Of<F, T, unknown, S>['tracked'];
/** What a member of flavour `F` that makes requests gives for a `T`. */
export type AnswerOf<F extends ClientFlavour, T> = Of<F, T>['answer'];
/** The options of `operation()` in flavour `F`. */
export type OperationOptionsOf<F extends ClientFlavour, T, M> = Of<F, T, M>['operationOptions'];
/** Any operation of flavour `F` whose result is `T`. */
export type AnyOperationOf<F extends ClientFlavour, T> = Of<F, T>['anyOperation'];
/** What `asCompleted` of flavour `F` gives for operations of type `O`. */
export type CompletingOf<F extends ClientFlavour, O> = Of<F, O>['completing'];
