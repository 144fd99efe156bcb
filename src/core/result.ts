/**
 * `getResult`'s decision on the last known status (docs/behaviour.md): succeeded gives
 * the result; failed raises {@link RunError}; running and "done with neither" raise
 * {@link WrongAsyncOperationStatusError}.
 */
import { type RunError, WrongAsyncOperationStatusError } from './errors';
import type { BaseOperationStatus } from './status';

/**
 * `null` when `status` succeeded (the caller decodes the result), else the error to raise.
 * `self` is the operation's text form, which starts the reference's messages; `runError`
 * builds the RunError of a failed status of this kind.
 */
export function resultError<S extends BaseOperationStatus>(status: S, self: string, runError: (failed: S) => RunError): Error | null {
  if (status.isSucceeded) return null;
  if (status.isFailed) return runError(status);
  if (status.isRunning) return new WrongAsyncOperationStatusError(`${self} is running and therefore can't return a result`);
  return new WrongAsyncOperationStatusError(`${self} is done but response have result neither error fields set`);
}
