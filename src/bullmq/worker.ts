/**
 * The worker side: a BullMQ `Worker` whose processor makes one poll per job run. While the
 * operation runs, the job goes back to BullMQ's delayed set until its next poll; when it
 * finishes, the job completes with the response, or fails with the SDK's error as data.
 */
import { DelayedError, Queue, UnrecoverableError, Worker, type ConnectionOptions, type Job, type KeepJobs } from 'bullmq';
import {
  ApiError, AsyncOperationsClient, OperationTimeoutError, type ClientOptions, type OperationStatus,
} from 'yc-operation';
import { errorToData } from './error-data';
import { DEFAULT_QUEUE_NAME, pollIntervalMs, positiveNumber, positiveSeconds, progressOf, statusOfProgress, type WaitJobData } from './job-data';
import type { QueueLocation } from './queue';

/** Options of {@link WaitWorker}. Times in seconds. */
export interface WaitWorkerOptions extends QueueLocation {
  /**
   * The SDK client's options (endpoint, auth, folderId, ...). `retry` defaults to `false`: each
   * job run makes one request, so that the queue, not a sleeping worker, decides when to try
   * again (429: the whole queue backs off; unavailable: the job is delayed). A small policy
   * (`{ maxAttempts: 2 }`) is accepted, at the cost of requests the budget does not see.
   * @default { retry: false } (endpoint: the SDK's default)
   */
  client?: ClientOptions;
  /**
   * The request budget of the whole queue: BullMQ's rate limiter lets at most this many job
   * runs (one Get each) start per second, across every worker of the fleet, whatever their
   * number. Give every worker the same value. @default 50 (AI Studio's quota for getting
   * operation results, per cloud)
   */
  maxRequestsPerSecond?: number;
  /** How many polls this worker makes at once. @default 16 */
  concurrency?: number;
  /**
   * How long a worker's lock on a running job lasts without renewal (BullMQ's `lockDuration`):
   * a worker killed mid-poll leaves its job to another worker after about this, plus up to two
   * `stalledInterval`s. @default 30
   */
  lockDuration?: number;
  /** How often this worker looks for jobs of dead workers (BullMQ's `stalledInterval`). @default 30 */
  stalledInterval?: number;
  /**
   * How many times over its whole life a job may be recovered from a dead worker before BullMQ
   * fails it (BullMQ's `maxStalledCount`; the count is never reset, and a long wait has many
   * runs). @default 10
   */
  maxStalledCount?: number;
  /**
   * How many transient failures in a row (unavailable, no answer in time) a wait takes, each
   * followed by a delayed retry, before it fails with the `ApiError`. @default 5
   */
  maxTransientFailures?: number;
  /**
   * How long the whole queue pauses after a 429 that says nothing of when to come back (no
   * `google.rpc.RetryInfo` detail). @default 1
   */
  rateLimitDelay?: number;
  /** BullMQ's `removeOnComplete` (kept jobs answer later readers at once). @default kept */
  removeOnComplete?: KeepJobs;
  /** BullMQ's `removeOnFail`. @default kept */
  removeOnFail?: KeepJobs;
}

const RETRY_INFO = 'type.googleapis.com/google.rpc.RetryInfo';
/** The backoff between transient failures: min(1 s × 1.5ⁿ + up to 1 s, 10 s), the SDK's retry shape. */
const transientDelayMs = (failures: number): number => Math.min(1000 * 1.5 ** failures + Math.random() * 1000, 10_000);

/**
 * A worker of the fleet: polls the waits of a {@link WaitQueue}. Start as many as you like, in
 * as many processes; `close()` lets the polls in flight finish (a job run is one request).
 */
export class WaitWorker {
  /** The BullMQ worker (for its events: `completed`, `failed`, `stalled`, `error`). */
  readonly worker: Worker<WaitJobData, unknown>;
  readonly #client: AsyncOperationsClient;
  /** For `rateLimit`: BullMQ sets the queue-wide pause through a `Queue`. */
  readonly #queue: Queue;
  readonly #maxTransientFailures: number;
  readonly #rateLimitDelayMs: number;

  constructor(options: WaitWorkerOptions) {
    const queueName = options.queueName ?? DEFAULT_QUEUE_NAME;
    const rate = positiveNumber('maxRequestsPerSecond', options.maxRequestsPerSecond ?? 50);
    this.#maxTransientFailures = wholeNumber('maxTransientFailures', options.maxTransientFailures ?? 5);
    this.#rateLimitDelayMs = positiveSeconds('rateLimitDelay', options.rateLimitDelay ?? 1) * 1000;
    this.#client = new AsyncOperationsClient({ retry: false, ...options.client });
    const connection: ConnectionOptions = options.connection;
    this.#queue = new Queue(queueName, { connection, prefix: options.prefix });
    // A rate as BullMQ's window: `max` runs per `duration` ms (2.5/s is 2 per 800 ms).
    const max = Math.max(1, Math.floor(rate));
    this.worker = new Worker<WaitJobData, unknown>(queueName, (job, token) => this.#poll(job, token), {
      connection,
      prefix: options.prefix,
      concurrency: wholeNumber('concurrency', options.concurrency ?? 16),
      limiter: { max, duration: Math.round((1000 * max) / rate) },
      lockDuration: positiveSeconds('lockDuration', options.lockDuration ?? 30) * 1000,
      stalledInterval: positiveSeconds('stalledInterval', options.stalledInterval ?? 30) * 1000,
      maxStalledCount: wholeNumber('maxStalledCount', options.maxStalledCount ?? 10),
      removeOnComplete: options.removeOnComplete,
      removeOnFail: options.removeOnFail,
    });
  }

  /** Resolves once the worker is connected and takes jobs. */
  async ready(): Promise<void> {
    await this.worker.waitUntilReady();
  }

  /**
   * Stops taking jobs, lets the polls in flight finish (`force`: abandons them, and another
   * worker takes them over as stalled), then closes the connections and the SDK client.
   */
  async close(force = false): Promise<void> {
    try {
      await this.worker.close(force);
      await this.#queue.close();
    } finally {
      this.#client.close();
    }
  }

  /** One run of a wait job: one Get, then complete, fail, or delay until the next poll. */
  async #poll(job: Job<WaitJobData, unknown>, token: string | undefined): Promise<unknown> {
    const data = job.data;
    const left = data.deadlineAt - Date.now();
    if (left <= 0) return this.#fail(job, this.#timeout(data, statusOfProgress(job.progress)));
    const op = data.saved ? this.#client.restore(data.saved) : this.#client.operation(data.operationId);
    let status: OperationStatus<unknown>;
    try {
      status = await op.getStatus({ timeout: Math.min(data.timeout, left / 1000) });
    } catch (error) {
      return this.#failedPoll(job, token, error);
    }
    if (data.failures > 0) await job.updateData({ ...data, failures: 0 });
    if (!status.isRunning) {
      try {
        return await op.getResult();
      } catch (error) {
        return this.#fail(job, error);
      }
    }
    const progress = progressOf(status);
    if (JSON.stringify(progress) !== JSON.stringify(job.progress)) await job.updateProgress(progress);
    // The next poll, never past the deadline: that run fails the wait with the timeout.
    const next = Math.min(Date.now() + pollIntervalMs(data.pollInterval, job.attemptsStarted), data.deadlineAt);
    return this.#delay(job, token, next);
  }

  /** A poll that got no status: back the queue off (429), retry later (transient), or fail. */
  async #failedPoll(job: Job<WaitJobData, unknown>, token: string | undefined, error: unknown): Promise<unknown> {
    const data = job.data;
    if (!(error instanceof ApiError)) return this.#fail(job, error);
    if (error.httpStatus === 429 || error.grpcCode === 8) {
      await this.#queue.rateLimit(retryDelayOf(error) ?? this.#rateLimitDelayMs);
      throw Worker.RateLimitError();
    }
    if (Date.now() >= data.deadlineAt) return this.#fail(job, this.#timeout(data, statusOfProgress(job.progress), error));
    const failures = data.failures + 1;
    if (!isTransient(error) || failures >= this.#maxTransientFailures) return this.#fail(job, error);
    await job.updateData({ ...data, failures });
    const next = Math.min(Date.now() + (retryDelayOf(error) ?? transientDelayMs(failures)), data.deadlineAt);
    return this.#delay(job, token, next);
  }

  /** Puts the job back in the delayed set until `at` (ms since the epoch); this run ends there. */
  async #delay(job: Job<WaitJobData, unknown>, token: string | undefined, at: number): Promise<never> {
    await job.moveToDelayed(at, token);
    throw new DelayedError();
  }

  /** Stores the error as data in the job (for the readers), then fails the job for good. */
  async #fail(job: Job<WaitJobData, unknown>, error: unknown): Promise<never> {
    await job.updateData({ ...job.data, error: errorToData(error) });
    throw new UnrecoverableError(error instanceof Error ? error.message : String(error));
  }

  #timeout(data: WaitJobData, lastStatus: OperationStatus<unknown> | null, cause?: unknown): OperationTimeoutError {
    return new OperationTimeoutError({ operationId: data.operationId, pollTimeout: data.pollTimeout, lastStatus }, cause === undefined ? undefined : { cause });
  }
}

/** Unavailable (14), no answer in time (4), a 502/503/504: worth another poll later. */
function isTransient(error: ApiError): boolean {
  return error.grpcCode === 14 || error.grpcCode === 4 || [502, 503, 504].includes(error.httpStatus ?? 0);
}

/** The server's `google.rpc.RetryInfo` delay (`"1.5s"`), in milliseconds, when it sent one. */
function retryDelayOf(error: ApiError): number | null {
  for (const detail of error.details) {
    const d = detail as { '@type'?: unknown; retryDelay?: unknown };
    if (d?.['@type'] !== RETRY_INFO) continue;
    const match = typeof d.retryDelay === 'string' ? /^(\d+(?:\.\d+)?)s$/.exec(d.retryDelay) : null;
    if (match) return Number(match[1]) * 1000;
  }
  return null;
}

function wholeNumber(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a whole number of at least 1, got ${String(value)}`);
  }
  return value;
}
