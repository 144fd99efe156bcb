/**
 * The producer and reader side: enqueue a wait as a BullMQ job, and await its outcome from any
 * process through BullMQ's `QueueEvents`.
 */
import { Job, Queue, QueueEvents, type ConnectionOptions } from 'bullmq';
import { OperationStatus, type SavedOperation } from 'yc-operation';
import { errorFromData } from './error-data';
import {
  checkPollInterval, DEFAULT_POLL_CALL_TIMEOUT_S, DEFAULT_POLL_TIMEOUT_S, DEFAULT_QUEUE_NAME, jobIdOf, positiveSeconds,
  statusOfProgress, type PollIntervalData, type WaitJobData,
} from './job-data';
import { WaitJobError } from './wait-job-error';

/** Where the queue lives: the same for every producer, reader and worker of a fleet. */
export interface QueueLocation {
  /** The Redis connection, as BullMQ takes it (`{ host, port }`, `{ url }`, an ioredis instance). */
  connection: ConnectionOptions;
  /** The BullMQ queue's name. @default 'yc-operation-waits' */
  queueName?: string;
  /** BullMQ's key prefix in Redis. @default 'bull' */
  prefix?: string;
}

/** Options of {@link WaitQueue.enqueue}. Times in seconds. */
export interface EnqueueOptions {
  /**
   * The sleep between polls: a number of seconds, or `backoff()`'s options as plain data
   * (`{ initial, multiplier, max, jitter, min }`), since the policy travels in the job.
   * @default 10
   */
  pollInterval?: PollIntervalData;
  /**
   * The whole wait's bound, counted from this call, across every worker, restart and delay;
   * then the job fails with `OperationTimeoutError`.
   * @default the saved operation's `defaultPollTimeout`, else 3600
   */
  pollTimeout?: number;
  /** The bound of one poll (one Get), cut to the time left. @default 60 */
  timeout?: number;
}

/** A wait in the queue. */
export interface WaitJob {
  /** The BullMQ job id: `op-<operationId>`. */
  readonly jobId: string;
  readonly operationId: string;
}

/** Options of {@link WaitQueue.result}. */
export interface AwaitOptions<T, M> {
  /**
   * Called with each running status the workers saw (its metadata, its error while running),
   * as they publish it as job progress: the current one first, when there is one, then each
   * change. The status has no response (it runs).
   */
  onProgress?: (status: OperationStatus<M>) => void;
  /** Turns the response (the JSON with its `@type`) into the result. @default the response as it is */
  resultDecoder?: (response: unknown) => T | Promise<T>;
  /** Applied to the metadata of each status given to `onProgress`. @default as it is */
  metadataDecoder?: (metadata: unknown) => M;
}

/**
 * A queue of waits on Yandex Cloud operations, in BullMQ on Redis. Any process may enqueue,
 * any process may await the outcome; the polling is done by {@link WaitWorker}s, one poll per
 * job run, and no process holds a wait between polls.
 *
 * One job per operation id: enqueueing an operation already in the queue (waiting, delayed,
 * running, or finished and kept) adds nothing, and every reader awaits the same job, so
 * duplicates share their polls. The first enqueue's poll interval and deadline rule.
 */
export class WaitQueue {
  /** The BullMQ queue (for dashboards, counts, `obliterate`). */
  readonly queue: Queue;
  readonly queueName: string;
  readonly #location: QueueLocation;
  #events: Promise<QueueEvents> | null = null;

  constructor(location: QueueLocation) {
    this.#location = location;
    this.queueName = location.queueName ?? DEFAULT_QUEUE_NAME;
    this.queue = new Queue(this.queueName, { connection: location.connection, prefix: location.prefix });
    this.queue.setMaxListeners(0);
  }

  /**
   * Enqueues a wait on an operation, given by id or as its saved form (`op.toJSON()`).
   * Resolves once the job is stored in Redis.
   * @throws TypeError or RangeError when an option is invalid, naming it
   */
  async enqueue(target: string | SavedOperation, options: EnqueueOptions = {}): Promise<WaitJob> {
    const saved = typeof target === 'string' ? null : target;
    const operationId = checkJobOperationId(saved === null ? target : saved.id);
    const pollInterval = checkPollInterval(options.pollInterval);
    const pollTimeout = options.pollTimeout === undefined ? (saved?.defaultPollTimeout ?? DEFAULT_POLL_TIMEOUT_S) : positiveSeconds('pollTimeout', options.pollTimeout);
    const timeout = options.timeout === undefined ? DEFAULT_POLL_CALL_TIMEOUT_S : positiveSeconds('timeout', options.timeout);
    const startedAt = Date.now();
    const data: WaitJobData = {
      v: 1, operationId, saved, pollInterval, pollTimeout, timeout, startedAt, deadlineAt: startedAt + pollTimeout * 1000, failures: 0,
    };
    const jobId = jobIdOf(operationId);
    await this.queue.add('wait', data, { jobId });
    return { jobId, operationId };
  }

  /**
   * Awaits the outcome of the wait on an operation, from any process: resolves with the result,
   * or rejects with the same errors as a local `wait()` (`RunError`, `OperationTimeoutError`,
   * `ApiError`, `WrongAsyncOperationStatusError`, ...), rebuilt with their fields. A job that
   * finished before the call gives its outcome at once.
   * @throws WaitJobError when there is no such job, or BullMQ failed it for a reason of its own
   */
  async result<T = unknown, M = unknown>(target: string | WaitJob, options: AwaitOptions<T, M> = {}): Promise<T> {
    const operationId = typeof target === 'string' ? checkJobOperationId(target) : target.operationId;
    const jobId = jobIdOf(operationId);
    const events = await this.#queueEvents();
    const decodeMetadata = options.metadataDecoder ?? ((m: unknown) => m as M);
    const showProgress = (progress: unknown): void => {
      const status = statusOfProgress(progress);
      if (status === null || options.onProgress === undefined) return;
      const metadata = status.metadata === null ? null : decodeMetadata(status.metadata);
      options.onProgress(new OperationStatus<M>({ done: false, error: status.error, response: null, metadata }));
    };
    const onProgress = (event: { jobId: string; data: unknown }): void => {
      if (event.jobId === jobId) showProgress(event.data);
    };
    if (options.onProgress) events.on('progress', onProgress);
    try {
      const job = await Job.fromId<WaitJobData>(this.queue, jobId);
      if (job === undefined) throw this.#jobError(jobId, operationId, 'no such job: enqueue the wait first');
      showProgress(job.progress);
      let response: unknown;
      try {
        response = await job.waitUntilFinished(events);
      } catch (failure) {
        throw await this.#failureOf(jobId, operationId, failure);
      }
      return options.resultDecoder ? await options.resultDecoder(response) : (response as T);
    } finally {
      events.off('progress', onProgress);
    }
  }

  /** Closes the queue's Redis connections (not the workers'). Idempotent. */
  async close(): Promise<void> {
    const events = this.#events;
    this.#events = null;
    await Promise.all([this.queue.close(), events?.then((e) => e.close(), () => undefined)]);
  }

  /** The error a failed job stored, rebuilt; BullMQ's own reason when it stored none. */
  async #failureOf(jobId: string, operationId: string, failure: unknown): Promise<Error> {
    const job = await Job.fromId<WaitJobData>(this.queue, jobId);
    if (job?.data.error) return errorFromData(job.data.error);
    const reason = failure instanceof Error ? failure.message : String(failure);
    return this.#jobError(jobId, operationId, job === undefined ? `the job was removed (${reason})` : `failed: ${reason}`);
  }

  #jobError(jobId: string, operationId: string, reason: string): WaitJobError {
    return new WaitJobError({ jobId, operationId, queueName: this.queueName, reason });
  }

  /** One `QueueEvents` per queue object, listening before the first job is looked at. */
  #queueEvents(): Promise<QueueEvents> {
    this.#events ??= (async () => {
      const { connection, prefix } = this.#location;
      const events = new QueueEvents(this.queueName, { connection, prefix });
      events.setMaxListeners(0);
      await events.waitUntilReady();
      return events;
    })();
    return this.#events;
  }
}

/** An operation id that makes a BullMQ job id: 1–128 characters of `A-Z a-z 0-9 _ - .`. */
function checkJobOperationId(id: unknown): string {
  if (typeof id !== 'string' || !/^[A-Za-z0-9_.-]{1,128}$/.test(id)) {
    throw new RangeError(`operation id must be 1 to 128 characters of A-Z a-z 0-9 _ - ., got ${JSON.stringify(id)?.slice(0, 60)}`);
  }
  return id;
}
