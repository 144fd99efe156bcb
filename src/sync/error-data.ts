/**
 * The plain-data form of errors, so that an error thrown in the blocking flavour's worker thread
 * comes back to the caller's thread as the same class with the same fields (and the same deadline
 * mark, `src/core/deadline.ts`). Structured-clone safe.
 */
import { deadlineOf, markDeadline } from '../core/deadline';
import {
  AIStudioError,
  ApiError,
  type ApiErrorFields,
  AsyncOperationError,
  apiErrorFields,
  OperationNotFoundError,
  OperationTimeoutError,
  RunError,
  WireDecodeError,
  WrongAsyncOperationStatusError,
} from '../core/errors';
import { type BaseOperationStatus, OperationErrorInfo, OperationStatus } from '../core/status';

/** The structured-clone-safe form of an error. */
export interface ErrorData {
  name: string;
  message: string;
  stack?: string;
  code?: unknown;
  fields?: Record<string, unknown>;
  /** The deadline that caused the error, when one of ours did. */
  deadlineMs?: number;
  cause?: ErrorData;
}

/** A status as plain data: a full status's fields, or the flags and text of any other status. */
type StatusData =
  | {
      done: boolean;
      error: { code: number; message: string; details: readonly string[] | null } | null;
      response: unknown;
      metadata: unknown;
    }
  | { isRunning: boolean; isSucceeded: boolean; isFailed: boolean; text: string };

function statusToData(s: BaseOperationStatus | null): StatusData | null {
  if (s instanceof OperationStatus) {
    return { done: s.done, error: s.error && { ...s.error }, response: s.response, metadata: s.metadata };
  }
  return s === null ? null : { isRunning: s.isRunning, isSucceeded: s.isSucceeded, isFailed: s.isFailed, text: String(s) };
}

function statusFromData(d: StatusData | null | undefined): BaseOperationStatus | null {
  if (d === null || d === undefined) return null;
  if ('done' in d) {
    const error = d.error ? new OperationErrorInfo(d.error.code, d.error.message, d.error.details) : null;
    return new OperationStatus({ done: d.done, error, response: d.response, metadata: d.metadata });
  }
  return Object.freeze({ isRunning: d.isRunning, isSucceeded: d.isSucceeded, isFailed: d.isFailed, toString: () => d.text });
}

/** An error as plain data (our classes with their fields; any other error by name and message). */
export function errorToData(error: unknown): ErrorData {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const data: ErrorData = { name: error.name, message: error.message, stack: error.stack };
  if ((error as { code?: unknown }).code !== undefined && !(error instanceof RunError)) {
    data.code = (error as { code?: unknown }).code;
  }
  if (error instanceof RunError) {
    data.fields = { code: error.code, message: error.errorMessage, details: [...error.details], operationId: error.operationId };
  } else if (error instanceof OperationTimeoutError) {
    data.fields = { operationId: error.operationId, pollTimeout: error.pollTimeout, lastStatus: statusToData(error.lastStatus) };
  } else if (error instanceof ApiError) {
    const fields: Record<string, unknown> = { ...apiErrorFields(error) };
    if (error instanceof OperationNotFoundError) fields.operationId = error.operationId;
    data.fields = fields;
  }
  const deadlineMs = deadlineOf(error);
  if (deadlineMs !== null) data.deadlineMs = deadlineMs;
  if (error.cause !== undefined) data.cause = errorToData(error.cause);
  return JSON.parse(JSON.stringify(data)) as ErrorData;
}

const SIMPLE: Record<string, new (message: string, options?: ErrorOptions) => Error> = {
  AIStudioError,
  AsyncOperationError,
  WrongAsyncOperationStatusError,
  WireDecodeError,
  // The built-in classes bad input is refused with, so that `instanceof TypeError` holds across the worker too.
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  URIError,
  EvalError,
};

/** Rebuilds an error from {@link errorToData}'s form, as the class it was. */
export function errorFromData(data: ErrorData): Error {
  const options = data.cause ? { cause: errorFromData(data.cause) } : undefined;
  const f = data.fields;
  let error: Error;
  if (data.name === 'RunError' && f) error = new RunError(f as ConstructorParameters<typeof RunError>[0]);
  else if (data.name === 'OperationTimeoutError' && f) {
    const fields = f as { operationId: string; pollTimeout: number; lastStatus: StatusData | null };
    error = new OperationTimeoutError({ ...fields, lastStatus: statusFromData(fields.lastStatus) }, options);
  } else if (data.name === 'ApiError' && f) error = new ApiError(f as unknown as ApiErrorFields, options);
  else if (data.name === 'OperationNotFoundError' && f)
    error = new OperationNotFoundError(f as unknown as ApiErrorFields & { operationId: string }, options);
  else {
    const Simple = Object.hasOwn(SIMPLE, data.name) ? SIMPLE[data.name] : undefined;
    error = Simple ? new Simple(data.message, options) : Object.assign(new Error(data.message, options), { name: data.name });
  }
  if (data.code !== undefined) Object.assign(error, { code: data.code });
  if (data.stack) error.stack = data.stack;
  if (data.deadlineMs !== undefined) markDeadline(error, data.deadlineMs);
  return error;
}
