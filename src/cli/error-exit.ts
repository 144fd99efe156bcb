/** Which error ends the program with which exit code (loaded only when a command fails). */
import { isAIStudioError, OperationTimeoutError, RunError } from 'yc-operation';
import { NoCredentialsError } from './credentials';
import { ExitCode, UsageError } from './exit-codes';

/**
 * The exit code an error ends the program with. Bad input the SDK refuses (a `TypeError` or
 * `RangeError` thrown before any request) is a usage error, like a bad flag; no credentials
 * anywhere is an API error, as the server's 401 would be.
 */
export function exitCodeOf(error: unknown): ExitCode {
  if (error instanceof RunError) return ExitCode.operationFailed;
  if (error instanceof OperationTimeoutError) return ExitCode.timedOut;
  if (isAIStudioError(error) || error instanceof NoCredentialsError) return ExitCode.apiError;
  if (error instanceof UsageError || error instanceof TypeError || error instanceof RangeError) return ExitCode.usage;
  return ExitCode.internal;
}
