/**
 * `yc-operation/bullmq`: durable waits on Yandex Cloud operations, in BullMQ on Redis.
 *
 * - {@link WaitQueue}: enqueue a wait (an operation id or a saved `toJSON()`), and await its
 *   outcome from any process, with the same errors as a local `wait()`;
 * - {@link WaitWorker}: the fleet's workers, one poll per job run, the whole fleet under one
 *   request budget (BullMQ's rate limiter), a 429 pausing the whole queue.
 *
 * `bullmq` (and a Redis driver it loads, `ioredis`) is an optional peer dependency: install it
 * to use this subpath; the rest of the package needs neither.
 */

export type { EnqueueOptions, PollIntervalData, ProgressData, WaitJobData } from './job-data';
export { DEFAULT_QUEUE_NAME, jobIdOf } from './job-data';
export type { AwaitOptions, QueueLocation, WaitJob } from './queue';
export { WaitQueue } from './queue';
export { RedisUnavailableError } from './redis-unavailable-error';
export { WaitJobError } from './wait-job-error';
export type { WaitWorkerOptions } from './worker';
export { WaitWorker } from './worker';
