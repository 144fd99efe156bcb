/**
 * Operation statuses and the reference's status rules.
 *
 * Every rule below is one line of the Python reference (`OperationStatus` properties), kept as a
 * table of predicates so that a reader can check them against
 * https://github.com/yc-operation/yc-operation/blob/main/docs/behaviour.md at a glance.
 */

import { sameData } from './immutable';

/** The name of a status, as `statusName` returns it. */
export type StatusName = 'success' | 'failed' | 'running';

/**
 * What the polling machinery needs from any status type. `OperationStatus` implements it; an
 * operation kind with a status of its own (the reference's batch tasks, for example) implements
 * the same three predicates and reuses the whole machinery. `isFinished` and `statusName` are
 * derived from them by {@link isFinished} and {@link statusNameOf}.
 */
export interface BaseOperationStatus {
  /** The operation is still in progress: keep polling. */
  readonly isRunning: boolean;
  /** The operation finished with a result. */
  readonly isSucceeded: boolean;
  /** The operation finished with an error. */
  readonly isFailed: boolean;
}

/** `isSucceeded || isFailed`, as the reference derives it. */
export function isFinished(status: BaseOperationStatus): boolean {
  return status.isSucceeded || status.isFailed;
}

/** `'success'`, else `'failed'`, else `'running'` (the reference spells it `'runnning'`). */
export function statusNameOf(status: BaseOperationStatus): StatusName {
  if (status.isSucceeded) return 'success';
  if (status.isFailed) return 'failed';
  return 'running';
}

/**
 * An operation's error: the wire `error` (a google.rpc.Status) with a non-zero code.
 * Immutable.
 */
export class OperationErrorInfo {
  /** The gRPC status code (1 = CANCELLED, 3 = INVALID_ARGUMENT, ...). Never 0. */
  readonly code: number;
  /** The error message as the server sent it (may be empty). */
  readonly message: string;
  /** One text entry per packed detail message, or `null` when the server sent none. */
  readonly details: readonly string[] | null;

  constructor(code: number, message: string, details: readonly string[] | null = null) {
    this.code = code;
    this.message = message;
    this.details = details === null ? null : Object.freeze([...details]);
    Object.freeze(this);
  }

  toString(): string {
    const details = this.details === null ? 'null' : JSON.stringify(this.details);
    return `OperationErrorInfo(code=${this.code}, message=${JSON.stringify(this.message)}, details=${details})`;
  }
}

/** The fields of an {@link OperationStatus}. */
export interface OperationStatusFields<M = unknown> {
  done: boolean;
  error: OperationErrorInfo | null;
  response: unknown | null;
  metadata: M | null;
}

/** The reference's rules, as data: each property is a predicate of the fields. */
const RULES = {
  isRunning: (s: OperationStatusFields<unknown>) => !s.done,
  isFailed: (s: OperationStatusFields<unknown>) => s.done && s.error !== null && s.error.code > 0,
  isSucceeded: (s: OperationStatusFields<unknown>) => s.done && s.response !== null && !RULES.isFailed(s),
} as const;

/**
 * The status of a Yandex Cloud operation at one moment. Immutable.
 *
 * - `isRunning`: not `done`;
 * - `isFailed`: `done` and an error with a code above 0;
 * - `isSucceeded`: `done`, a response, and not failed;
 * - `isFinished`: succeeded or failed. A status that is `done` with neither a response nor an
 *   error is none of these (see the Python → TypeScript table:
 *   https://github.com/yc-operation/yc-operation/blob/main/docs/python-to-typescript.md).
 */
export class OperationStatus<M = unknown> implements BaseOperationStatus, OperationStatusFields<M> {
  readonly done: boolean;
  /** The error, kept even while the operation is still running (a rollback in progress). */
  readonly error: OperationErrorInfo | null;
  /** The response with its `@type` key, as the server sent it; `null` when absent. */
  readonly response: unknown | null;
  /** The metadata, decoded by the operation's `metadataDecoder` when one is set. */
  readonly metadata: M | null;

  constructor(fields: OperationStatusFields<M>) {
    this.done = fields.done;
    this.error = fields.error ?? null;
    this.response = fields.response ?? null;
    this.metadata = fields.metadata ?? null;
    Object.freeze(this);
  }

  get isRunning(): boolean {
    return RULES.isRunning(this);
  }
  get isFailed(): boolean {
    return RULES.isFailed(this);
  }
  get isSucceeded(): boolean {
    return RULES.isSucceeded(this);
  }
  get isFinished(): boolean {
    return isFinished(this);
  }
  get statusName(): StatusName {
    return statusNameOf(this);
  }

  /** `OperationStatus<running>`, `OperationStatus<success>`, `OperationStatus<failed, error=...>`. */
  toString(): string {
    return this.isFailed ? `OperationStatus<failed, error=${String(this.error)}>` : `OperationStatus<${this.statusName}>`;
  }
}

/**
 * True when `next` says what `last` said: two {@link OperationStatus}es with the same `done`,
 * error, response and metadata (a status of another kind is never taken for another). A poll
 * whose answer is the same keeps the last status object (`src/core/machine.ts`).
 */
export function sameStatus(last: BaseOperationStatus, next: BaseOperationStatus): boolean {
  if (last === next) return true;
  if (!(last instanceof OperationStatus) || !(next instanceof OperationStatus)) return false;
  if (last.done !== next.done || !sameError(last.error, next.error)) return false;
  return sameData(last.response, next.response) && sameData(last.metadata, next.metadata);
}

function sameError(a: OperationErrorInfo | null, b: OperationErrorInfo | null): boolean {
  if (a === null || b === null) return a === b;
  return a.code === b.code && a.message === b.message && sameData(a.details, b.details);
}
