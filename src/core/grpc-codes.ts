/**
 * gRPC status codes and the HTTP statuses the Yandex Cloud REST gateway answers with for them
 * (the table in https://github.com/yc-operation/yc-operation/blob/main/docs/wire.md), as data.
 */

/** The gRPC status codes by name. */
export const GrpcCode = Object.freeze({
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
} as const);

/** The HTTP status of each gRPC error code (docs/wire.md). */
const HTTP_STATUS_BY_GRPC_CODE: Readonly<Record<number, number>> = Object.freeze({
  [GrpcCode.CANCELLED]: 499,
  [GrpcCode.UNKNOWN]: 500,
  [GrpcCode.INVALID_ARGUMENT]: 400,
  [GrpcCode.DEADLINE_EXCEEDED]: 504,
  [GrpcCode.NOT_FOUND]: 404,
  [GrpcCode.ALREADY_EXISTS]: 409,
  [GrpcCode.PERMISSION_DENIED]: 403,
  [GrpcCode.RESOURCE_EXHAUSTED]: 429,
  [GrpcCode.FAILED_PRECONDITION]: 400,
  [GrpcCode.ABORTED]: 409,
  [GrpcCode.OUT_OF_RANGE]: 400,
  [GrpcCode.UNIMPLEMENTED]: 501,
  [GrpcCode.INTERNAL]: 500,
  [GrpcCode.UNAVAILABLE]: 503,
  [GrpcCode.DATA_LOSS]: 500,
  [GrpcCode.UNAUTHENTICATED]: 401,
});

/**
 * The gRPC code of an HTTP status: the canonical one where several codes share a status
 * (400 → INVALID_ARGUMENT, 409 → ABORTED, 500 → INTERNAL), and 502 → UNAVAILABLE as gRPC's own
 * HTTP mapping has it.
 */
const GRPC_CODE_BY_HTTP_STATUS: Readonly<Record<number, number>> = Object.freeze({
  400: GrpcCode.INVALID_ARGUMENT,
  401: GrpcCode.UNAUTHENTICATED,
  403: GrpcCode.PERMISSION_DENIED,
  404: GrpcCode.NOT_FOUND,
  409: GrpcCode.ABORTED,
  429: GrpcCode.RESOURCE_EXHAUSTED,
  499: GrpcCode.CANCELLED,
  500: GrpcCode.INTERNAL,
  501: GrpcCode.UNIMPLEMENTED,
  502: GrpcCode.UNAVAILABLE,
  503: GrpcCode.UNAVAILABLE,
  504: GrpcCode.DEADLINE_EXCEEDED,
});

/** The HTTP status the gateway answers for a gRPC error code; 500 for a code outside the table. */
export function httpStatusOf(grpcCode: number): number {
  return HTTP_STATUS_BY_GRPC_CODE[grpcCode] ?? 500;
}

/** The gRPC code an HTTP error status stands for; UNKNOWN (2) for a status outside the table. */
export function grpcCodeOf(httpStatus: number): number {
  return GRPC_CODE_BY_HTTP_STATUS[httpStatus] ?? GrpcCode.UNKNOWN;
}
