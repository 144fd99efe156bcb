/**
 * The producer and reader side: enqueue a wait as a BullMQ job, and await its outcome from any
 * process through the queue's events stream.
 */
import { type ConnectionOptions, Job, Queue, type QueueOptions } from 'bullmq';
import { type Logger, OperationStatus, type SavedOperation } from 'yc-operation';
import { checkOperationId, checkOptions, integerInRange } from '../core/options';
import { ConnectionTrouble, checkClusterPrefix } from './connection';
import { errorFromData } from './error-data';
import { DEFAULT_QUEUE_NAME, type EnqueueOptions, jobIdOf, newJobData, statusOfProgress, type WaitJobData } from './job-data';
import { isAfter, JobEvents, JobLost } from './job-events';
import { WaitJobError } from './wait-job-error';

/** Where the queue lives: the same for every producer, reader and worker of a fleet. */
export interface QueueLocation {
  /** The Redis connection, as BullMQ takes it (`{ host, port }`, `{ url }`, an ioredis instance). */
  connection: ConnectionOptions;
  /** The BullMQ queue's name. @default 'yc-operation-waits' */
  queueName?: string;
  /** BullMQ's key prefix in Redis. @default 'bull' */
  prefix?: string;
  /**
   * The bound of every call that needs Redis (`enqueue`, `result`'s lookups, `ready`, `close`), in
   * seconds; a reader of `result` fails when Redis has not answered its events read for 5 s plus
   * this. Then the call fails with `RedisUnavailableError` (with the last connection error).
   * @default 10
   */
  redisTimeout?: number;
  /**
   * Where Redis connection errors are logged (`warn`, the same error again at `debug`): every
   * BullMQ object and connection gets an `error` listener, so nothing is printed to stderr.
   * @default the worker's `client.logger`; else silent
   */
  logger?: Logger;
  /**
   * About how many entries the queue's events stream keeps (BullMQ's `streams.events.maxLen`,
   * trimmed approximately): the readers of `result` read it as it grows, and a poll adds two
   * entries (`waiting`, `active`). Every queue and worker object writes it to Redis when made,
   * so give all of a fleet the same value. @default 10000
   */
  maxEvents?: number;
}

/** The options of {@link QueueLocation}, which `WaitWorker` takes too. */
export const LOCATION_OPTIONS = ['connection', 'queueName', 'prefix', 'redisTimeout', 'logger', 'maxEvents'];

/** BullMQ's `Queue` options for `location`: its connection, prefix and events stream length. */
export function queueOptionsOf(location: QueueLocation): QueueOptions {
  const maxLen = integerInRange('maxEvents', location.maxEvents ?? 10_000, 1, Number.MAX_SAFE_INTEGER);
  return { connection: location.connection, prefix: location.prefix, streams: { events: { maxLen } } };
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
  readonly #trouble: ConnectionTrouble;
  readonly #events: JobEvents;

  /** @throws TypeError or RangeError when an option is invalid, naming it */
  constructor(location: QueueLocation) {
    checkOptions('WaitQueue', location, LOCATION_OPTIONS);
    this.queueName = location.queueName ?? DEFAULT_QUEUE_NAME;
    checkClusterPrefix(location.connection, location.prefix);
    this.#trouble = new ConnectionTrouble(this.queueName, location.redisTimeout, location.logger);
    this.queue = new Queue(this.queueName, queueOptionsOf(location));
    this.queue.setMaxListeners(0);
    this.#trouble.listen(this.queue, 'the queue');
    this.#events = new JobEvents(this.queue, this.#trouble);
  }

  /**
   * Enqueues a wait on an operation, given by id or as its saved form (`op.toJSON()`).
   * Resolves once the job is stored in Redis, within the queue's `redisTimeout`. A call that
   * ran out of it may still be stored once Redis is back: enqueueing again adds nothing.
   * @throws TypeError or RangeError when an option is invalid, naming it
   * @throws RedisUnavailableError when Redis did not answer within `redisTimeout`
   */
  async enqueue(target: string | SavedOperation, options: EnqueueOptions = {}): Promise<WaitJob> {
    const data = newJobData(target, options, Date.now());
    const jobId = jobIdOf(data.operationId);
    await this.#trouble.within('enqueue', this.queue.add('wait', data, { jobId }));
    return { jobId, operationId: data.operationId };
  }

  /**
   * Awaits the outcome of the wait on an operation, from any process: resolves with the result,
   * or rejects with the same errors as a local `wait()` (`RunError`, `OperationTimeoutError`,
   * `ApiError`, `WrongAsyncOperationStatusError`, ...), rebuilt with their fields. A job that
   * finished before the call gives its outcome at once.
   * @throws WaitJobError when there is no such job, the job is gone (Redis lost it), BullMQ
   *   failed it for a reason of its own, or `close()` was called meanwhile
   * @throws RedisUnavailableError when Redis did not answer within `redisTimeout` (while
   *   awaiting: its events read got no answer for 5 s plus `redisTimeout`)
   */
  async result<T = unknown, M = unknown>(target: string | WaitJob, options: AwaitOptions<T, M> = {}): Promise<T> {
    const operationId = typeof target === 'string' ? checkOperationId(target) : target.operationId;
    const jobId = jobIdOf(operationId);
    const decodeMetadata = options.metadataDecoder ?? ((m: unknown) => m as M);
    const showProgress = (progress: unknown): void => {
      const status = statusOfProgress(progress);
      if (status === null || options.onProgress === undefined) return;
      const metadata = status.metadata === null ? null : decodeMetadata(status.metadata);
      options.onProgress(new OperationStatus<M>({ done: false, error: status.error, response: null, metadata }));
    };
    let settle!: { resolve: (response: unknown) => void; reject: (error: unknown) => void };
    const outcome = new Promise<unknown>((resolve, reject) => (settle = { resolve, reject }));
    outcome.catch(() => undefined); // settled before it is awaited when the lookup fails first
    const failed = (reason: string) => this.#failureOf(jobId, operationId, reason).then(settle.reject, settle.reject);
    const progress = (data: unknown) => {
      try {
        showProgress(data);
      } catch (error) {
        settle.reject(error);
      }
    };
    // The events up to the snapshot's position are in the snapshot: those read before it is
    // taken are held, and only the later ones are acted on (each progress change shown once).
    let position: string | null = null;
    const held: Array<[string, () => void]> = [];
    const onEvent = (id: string, act: () => void) => {
      if (position === null) held.push([id, act]);
      else if (isAfter(id, position)) act();
    };
    const stop = await this.#events.listen(jobId, {
      progress: (data, id) => onEvent(id, () => progress(data)),
      completed: (returnValue, id) => onEvent(id, () => settle.resolve(returnValue)),
      failed: (reason, id) => onEvent(id, () => void failed(reason)),
      lost: (error) => settle.reject(error instanceof JobLost ? this.#jobError(jobId, operationId, error.message) : error),
    });
    try {
      const { job, position: at } = await this.#trouble.within('result', this.#events.snapshot(jobId));
      if (job === null) throw this.#jobError(jobId, operationId, 'no such job: enqueue the wait first');
      if (job.finished && !job.failedReason) settle.resolve(job.returnValue);
      else if (job.finished) void failed(job.failedReason);
      else progress(job.progress);
      position = at;
      for (const [id, act] of held.splice(0)) if (isAfter(id, at)) act();
      const response = await outcome;
      return options.resultDecoder ? await options.resultDecoder(response) : (response as T);
    } finally {
      stop();
    }
  }

  /** Closes the queue's Redis connections (not the workers'), within `redisTimeout`. Idempotent. */
  async close(): Promise<void> {
    this.#events.close();
    try {
      await this.#trouble.within('close', this.queue.close());
    } catch (error) {
      // Redis away: drop the connection rather than wait for it (its end may never be reported).
      this.queue.disconnect().catch(() => undefined);
      throw error;
    }
  }

  /** The error a failed job stored, rebuilt; BullMQ's own reason when it stored none. */
  async #failureOf(jobId: string, operationId: string, reason: string): Promise<Error> {
    const job = await this.#trouble.within('result', Job.fromId<WaitJobData>(this.queue, jobId));
    const stored = job?.data?.error;
    if (stored !== null && typeof stored === 'object' && typeof stored.name === 'string') return errorFromData(stored);
    return this.#jobError(jobId, operationId, job === undefined ? `the job was removed (${reason})` : `failed: ${reason}`);
  }

  #jobError(jobId: string, operationId: string, reason: string): WaitJobError {
    return new WaitJobError({ jobId, operationId, queueName: this.queueName, reason });
  }
}
