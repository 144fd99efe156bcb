/** The gRPC code behind each HTTP status a gRPC-transcoding gateway answers (wire.md), plus 502. */
const HTTP_TO_GRPC: Record<number, number> = {
  400: 3, 401: 16, 403: 7, 404: 5, 409: 10, 429: 8, 499: 1, 500: 13, 501: 12, 502: 14, 503: 14, 504: 4,
};

/** The gRPC code of an HTTP error status (UNKNOWN = 2 for a status with no mapping). */
export function grpcCodeOfHttp(status: number): number {
  return HTTP_TO_GRPC[status] ?? 2;
}
