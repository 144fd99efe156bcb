/**
 * An outcome as plain data: what a call returned or raised, reduced to the fields every path can
 * give (no request ids, no HTTP status, no operation id), so that the outcome of one row compares
 * with `toEqual` across the five paths.
 */
import {
  AIStudioError,
  ApiError,
  AsyncOperationError,
  type BaseOperationStatus,
  CancelNotSupportedError,
  OperationNotFoundError,
  type OperationStatus,
  OperationTimeoutError,
  RunError,
  WireDecodeError,
  WrongAsyncOperationStatusError,
} from 'yc-operation';
import { WaitJobError } from 'yc-operation/bullmq';

/** A status as plain data. */
export interface StatusData {
  done: boolean;
  statusName: string;
  error: { code: number; message: string; details: readonly string[] | null } | null;
}

/** The outcome of one row on one path. `gets`: the Gets of the operation the emulator received. */
export type Outcome =
  | { ok: unknown; gets: number }
  | { error: 'ApiError' | 'OperationNotFoundError'; grpcCode: number; message: string; gets: number }
  | { error: 'RunError'; code: number; message: string; details: readonly string[]; gets: number }
  | { error: 'OperationTimeoutError'; pollTimeout: number; lastStatus: StatusData | null; gets: number }
  | { error: string; message: string; gets: number };

/** The public classes, most derived first: an error is named by the first it is an instance of. */
const CLASSES: ReadonlyArray<readonly [string, abstract new (...args: never[]) => Error]> = [
  ['OperationNotFoundError', OperationNotFoundError],
  ['ApiError', ApiError],
  ['RunError', RunError],
  ['OperationTimeoutError', OperationTimeoutError],
  ['WrongAsyncOperationStatusError', WrongAsyncOperationStatusError],
  ['CancelNotSupportedError', CancelNotSupportedError],
  ['AsyncOperationError', AsyncOperationError],
  ['WireDecodeError', WireDecodeError],
  ['WaitJobError', WaitJobError],
  ['AIStudioError', AIStudioError],
  ['RangeError', RangeError],
  ['TypeError', TypeError],
  ['Error', Error],
];

/** The name of the most derived public class `error` is an instance of. */
export function classOf(error: unknown): string {
  for (const [name, Class] of CLASSES) if (error instanceof Class) return name;
  return typeof error;
}

export function statusData(status: BaseOperationStatus | null): StatusData | null {
  if (status === null) return null;
  const s = status as OperationStatus;
  const error = s.error && {
    code: s.error.code,
    message: s.error.message,
    details: s.error.details === null ? null : [...s.error.details],
  };
  return { done: s.done, statusName: s.statusName, error };
}

/** The outcome of a call that raised `error`. */
export function errorOutcome(error: unknown, gets: number): Outcome {
  const name = classOf(error);
  if (error instanceof ApiError) return { error: name as 'ApiError', grpcCode: error.grpcCode, message: error.message, gets };
  if (error instanceof RunError)
    return { error: 'RunError', code: error.code, message: error.errorMessage, details: [...error.details], gets };
  if (error instanceof OperationTimeoutError) {
    return { error: 'OperationTimeoutError', pollTimeout: error.pollTimeout, lastStatus: statusData(error.lastStatus), gets };
  }
  return { error: name, message: error instanceof Error ? error.message : String(error), gets };
}

/** Runs `call` (a blocking call runs inside the promise) and gives its outcome; `gets` is read after it ended. */
export async function outcomeOf(call: () => unknown, gets: () => Promise<number>): Promise<Outcome> {
  let value: unknown;
  try {
    value = await call();
  } catch (error) {
    return errorOutcome(error, await gets());
  }
  return { ok: value, gets: await gets() };
}
