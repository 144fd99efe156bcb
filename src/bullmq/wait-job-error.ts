import { AIStudioError } from 'yc-operation';

/**
 * A wait job could not give an outcome of the operation itself: no such job in the queue, or
 * BullMQ failed it for a reason of its own (stalled more than `maxStalledCount` times, removed).
 * The operation's own outcomes are the SDK's classes (`RunError`, `OperationTimeoutError`,
 * `ApiError`, ...), never this one.
 */
export class WaitJobError extends AIStudioError {
  override name = 'WaitJobError';
  /** The BullMQ job id (`op-<operation id>`). */
  readonly jobId: string;
  readonly operationId: string;
  /** The queue's name. */
  readonly queueName: string;

  constructor(fields: { jobId: string; operationId: string; queueName: string; reason: string }) {
    super(`Wait job ${fields.jobId} (operation ${fields.operationId}) in queue ${fields.queueName}: ${fields.reason}`);
    this.jobId = fields.jobId;
    this.operationId = fields.operationId;
    this.queueName = fields.queueName;
  }
}
