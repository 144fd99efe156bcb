/** The one sentence for an answer over the client's size limit, over REST and gRPC alike. */

/** The message of the `ApiError` (gRPC 8, not retried) of an answer longer than `limit` bytes. */
export function answerTooLarge(limit: number | string): string {
  return `the answer is larger than the client's limit of ${limit} bytes (the maxResponseBytes option); it was not read further`;
}
