/** The fields of an `ApiError` for tests of the core: `fields` over defaults that name no request (UNAVAILABLE, no HTTP status). */
import type { ApiErrorFields } from '../../src/core/errors';

export function apiErrorFields(fields: Partial<ApiErrorFields> = {}): ApiErrorFields {
  return {
    grpcCode: 14,
    httpStatus: null,
    message: 'x',
    details: [],
    requestId: null,
    serverTraceId: null,
    clientRequestId: null,
    endpoint: 'x',
    attempts: 1,
    authProvider: null,
    ...fields,
  };
}
