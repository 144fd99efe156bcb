/** The one place credential failures become the package's `ApiError`. */
import { ApiError, type ApiErrorFields } from '../../core/errors';

/** gRPC UNAUTHENTICATED: the code of a credential that could not be obtained. */
const UNAUTHENTICATED = 16;

/**
 * An `ApiError` for a credential that could not be obtained. `endpoint` is what was consulted (a
 * URL, `env:YC_TOKEN`, a command line); the message must already be free of secrets.
 * Defaults: gRPC code 16, no HTTP status, no details or ids, one attempt.
 */
export function credentialError(fields: Pick<ApiErrorFields, 'message' | 'endpoint' | 'authProvider'> & Partial<ApiErrorFields>): ApiError {
  return new ApiError({
    grpcCode: UNAUTHENTICATED,
    httpStatus: null,
    details: [],
    requestId: null,
    serverTraceId: null,
    clientRequestId: null,
    attempts: 1,
    ...fields,
  });
}
