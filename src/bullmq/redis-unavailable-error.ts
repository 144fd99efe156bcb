import { AIStudioError } from 'yc-operation';

/**
 * Redis did not answer a call of `yc-operation/bullmq` within its bound (the queue's
 * `redisTimeout`): it is down, unreachable, or refuses the connection. `cause` is the last
 * connection error seen, when there was one. Nothing is said about the operation itself: a
 * wait already enqueued goes on once Redis is back.
 */
export class RedisUnavailableError extends AIStudioError {
  override name = 'RedisUnavailableError';
  /** The queue's name. */
  readonly queueName: string;
  /** What was called: `enqueue`, `result`, `ready` or `close`. */
  readonly call: string;
  /** The bound that ran out, in seconds. */
  readonly timeout: number;

  constructor(fields: { queueName: string; call: string; timeout: number; lastError: Error | null }) {
    const last = fields.lastError === null ? 'no connection error was reported' : `last connection error: ${fields.lastError.message}`;
    super(
      `Redis did not answer ${fields.call}() of queue ${fields.queueName} within ${fields.timeout} s (${last})`,
      fields.lastError === null ? undefined : { cause: fields.lastError },
    );
    this.queueName = fields.queueName;
    this.call = fields.call;
    this.timeout = fields.timeout;
  }
}
