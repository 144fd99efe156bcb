/**
 * What `yc-operation/bullmq` does with Redis connection trouble: each BullMQ object and the
 * readers' connection get an `error` listener (so that neither BullMQ nor ioredis prints to
 * stderr), whose errors go to the SDK's logger; and every call that needs Redis is bounded by the
 * queue's `redisTimeout`, failing with {@link RedisUnavailableError} and the last error seen.
 */
import type { Logger } from 'yc-operation';
import { MAX_TIMER_S, positiveSeconds } from '../core/options';
import { SILENT_LOGGER } from '../core/transport';
import { RedisUnavailableError } from './redis-unavailable-error';

/** The bound of a call that needs Redis when none is given, in seconds. */
export const DEFAULT_REDIS_TIMEOUT_S = 10;

/** The connection errors of one queue's objects: logged, and the last one kept. */
export class ConnectionTrouble {
  readonly queueName: string;
  readonly timeoutMs: number;
  readonly logger: Logger;
  #lastError: Error | null = null;

  constructor(queueName: string, redisTimeoutS: number | undefined, logger: Logger | undefined) {
    this.queueName = queueName;
    this.timeoutMs = positiveSeconds('redisTimeout', redisTimeoutS ?? DEFAULT_REDIS_TIMEOUT_S, MAX_TIMER_S) * 1000;
    this.logger = logger ?? SILENT_LOGGER;
  }

  /** Listens to the `error` events of `emitter` (a BullMQ object, an ioredis connection), named `source` in the log. */
  listen(emitter: { on(event: 'error', listener: (error: Error) => void): unknown }, source: string): void {
    emitter.on('error', (error: Error) => {
      // The same error again (ioredis reconnects every second or so) goes to debug.
      const again = this.#lastError?.message === error.message;
      this.#lastError = error;
      const line = `yc-operation/bullmq: ${source} of queue ${this.queueName}: Redis connection error: ${error.message}`;
      if (again) this.logger.debug(line);
      else this.logger.warn(line);
    });
  }

  /** The error of `call` when Redis did not answer within the bound. */
  unavailable(call: string): RedisUnavailableError {
    return new RedisUnavailableError({ queueName: this.queueName, call, timeout: this.timeoutMs / 1000, lastError: this.#lastError });
  }

  /** `promise`, or {@link RedisUnavailableError} when it does not settle within the bound. */
  within<T>(call: string, promise: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(this.unavailable(call)), this.timeoutMs);
    });
    // The call may still settle later (a command queued while Redis was away): nobody awaits it then.
    promise.catch(() => undefined);
    return Promise.race([promise, late]).finally(() => clearTimeout(timer));
  }
}

/**
 * Refuses a Redis Cluster connection whose key prefix has no hash tag: BullMQ's scripts touch many
 * keys of a queue at once, which a cluster allows only when they hash to one slot (else each
 * fails with `CROSSSLOT`). `prefix: '{yc}'` puts every key of the queue in one slot.
 * @throws TypeError naming the prefix
 */
export function checkClusterPrefix(connection: unknown, prefix: string | undefined): void {
  if ((connection as { isCluster?: unknown } | null)?.isCluster !== true) return;
  const p = prefix ?? 'bull';
  if (!/^\{[^}]+\}/.test(p.slice(p.indexOf('{')))) {
    throw new TypeError(
      `a Redis Cluster connection needs a key prefix with a hash tag, such as prefix: '{yc}', so that a queue's keys share one slot (BullMQ's scripts fail with CROSSSLOT otherwise); got prefix ${JSON.stringify(p)}`,
    );
  }
}
