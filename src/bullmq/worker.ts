/**
 * The worker side: a BullMQ `Worker` whose processor makes one poll per job run (with `holdFor`,
 * every poll due within the hold). While the operation runs, the job goes back to BullMQ's delayed
 * set until its next poll; when it finishes, the job completes with the response, or fails with
 * the SDK's error as data.
 */
import { type ConnectionOptions, DelayedError, type Job, type KeepJobs, Queue, UnrecoverableError, Worker } from 'bullmq';
import { ApiError, type AsyncOperation, AsyncOperationsClient, type ClientOptions, type OperationStatus } from 'yc-operation';
import { checkOptions, integerInRange, MAX_TIMER_S, numberInRange, positiveSeconds, typeName } from '../core/options';
import { type RetryOptions, type RetryPolicy, resolveRetryPolicy, retryInfoDelayMs } from '../core/retry';
import { overdue, type PollOutcome, pollDeadlineMs, stepWait, type WaitRules, type WaitState } from '../core/wait-state';
import { ConnectionTrouble, checkClusterPrefix } from './connection';
import { errorToData } from './error-data';
import { HeldRuns } from './held-runs';
import { checkJobData, DEFAULT_QUEUE_NAME, progressOf, rulesOf, stateOf, statusOfProgress, type WaitJobData, withState } from './job-data';
import { type Limiter, takeLimiterSlot } from './limiter-slot';
import { LOCATION_OPTIONS, type QueueLocation, queueOptionsOf } from './queue';
import { RedisUnavailableError } from './redis-unavailable-error';
import { writeState } from './state-write';

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
   * number; a poll held by `holdFor` takes a slot of the same limiter. Give every worker the
   * same value. @default 50 (AI Studio's quota for getting operation results, per cloud)
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
   * How a wait retries transient failures across job runs, each try a job run of its own: the
   * SDK's retry options (`maxAttempts` 1 to 100, `initialBackoff`, `maxBackoff`,
   * `backoffMultiplier`, `jitter`; times in seconds), without the hooks. Transient is the SDK's
   * rule (HTTP 429, 502, 503, 504, gRPC 8 and 14, resets and refusals; not DEADLINE_EXCEEDED);
   * the delay is the SDK's backoff, at least the server's `google.rpc.RetryInfo`. After
   * `maxAttempts` tries the wait fails with the last `ApiError`.
   * @default the SDK's policy: 5 tries, min(1 × 1.5ⁿ + up to 1, 10) s apart
   */
  retry?: Omit<RetryOptions, 'shouldRetry' | 'onRetry'>;
  /**
   * How long the whole queue pauses after a 429 that says nothing of when to come back (no
   * `google.rpc.RetryInfo` detail). @default 1
   */
  rateLimitDelay?: number;
  /**
   * How long finished jobs stay (kept jobs answer later readers at once): `true` removes each at
   * once, a number keeps the latest that many, `{ age, count, limit }` is BullMQ's `KeepJobs`
   * (`age` in seconds). @default false: all kept
   */
  removeOnComplete?: boolean | number | KeepJobs;
  /** As `removeOnComplete`, for failed jobs (readers of a removed failed job get a `WaitJobError`). @default false */
  removeOnFail?: boolean | number | KeepJobs;
  /**
   * Whether each poll that leaves the operation running writes BullMQ's `delayed` event to the
   * queue's events stream (for a `QueueEvents` listener of `delayed`), as BullMQ's `moveToDelayed`
   * does. Off by default: no reader of `WaitQueue.result` needs it, and it costs Redis two commands
   * and a stream entry a poll. The `waiting`, `active`, `progress`, `completed` and `failed`
   * events are written either way. @default false
   */
  delayedEvents?: boolean;
  /**
   * How long one job run may keep its job between polls, in seconds. `0`: each poll is a job run
   * of its own, the job going back to BullMQ's delayed set in between. Above 0, a run whose next
   * poll is due before `holdFor` seconds have passed since the run started keeps the job (active,
   * its lock renewed by BullMQ) and polls again in-process at that time; each such poll takes a
   * slot of the same queue-wide limiter (`maxRequestsPerSecond`), and writes the job's data and
   * progress only when they changed. After `holdFor` seconds, or when the worker closes, the run
   * gives the job back to the delayed set with its state. For short poll intervals: a poll held
   * costs Redis one small script where a job run costs two larger ones. A held job occupies one of
   * the worker's `concurrency` slots while it sleeps. @default 0
   */
  holdFor?: number;
}

/**
 * A worker of the fleet: polls the waits of a {@link WaitQueue}. Start as many as you like, in
 * as many processes; `close()` lets the polls in flight finish (a job run is one request; a run
 * held by `holdFor` gives its job back at once, to the delayed set until its next poll).
 *
 * Each job run is one step of the SDK's own wait (as a local `wait()`
 * steps it): the job's data holds the wait's state, its progress the last status.
 */
export class WaitWorker {
  /** The BullMQ worker (for its events: `completed`, `failed`, `stalled`, `error`). */
  readonly worker: Worker<WaitJobData, unknown>;
  readonly #client: AsyncOperationsClient;
  /** For `rateLimit`: BullMQ sets the queue-wide pause through a `Queue`. */
  readonly #queue: Queue;
  readonly #trouble: ConnectionTrouble;
  readonly #retry: RetryPolicy;
  readonly #rateLimitDelayMs: number;
  readonly #delayedEvents: boolean;
  readonly #holdForMs: number;
  /** BullMQ's limiter as this worker sets it, for the polls of held runs. */
  readonly #limiter: Limiter;
  readonly #held = new HeldRuns();
  #closing: Promise<void> | null = null;

  /** @throws TypeError or RangeError when an option is invalid, naming it */
  constructor(options: WaitWorkerOptions) {
    checkOptions('WaitWorker', options, WORKER_OPTIONS);
    const queueName = options.queueName ?? DEFAULT_QUEUE_NAME;
    checkClusterPrefix(options.connection, options.prefix);
    const queueOptions = queueOptionsOf(options);
    const rate = numberInRange('maxRequestsPerSecond', options.maxRequestsPerSecond ?? 50, 0.001, 1e9);
    // The policy's numbers only: hooks run in a client, not in a job that any worker may run.
    this.#retry = resolveRetryPolicy(
      checkOptions('WaitWorker retry', options.retry, ['maxAttempts', 'initialBackoff', 'maxBackoff', 'backoffMultiplier', 'jitter']),
    );
    this.#rateLimitDelayMs = positiveSeconds('rateLimitDelay', options.rateLimitDelay ?? 1, MAX_TIMER_S) * 1000;
    const lockDurationMs = positiveSeconds('lockDuration', options.lockDuration ?? 30, MAX_TIMER_S) * 1000;
    const concurrency = integerInRange('concurrency', options.concurrency ?? 16, 1, 100_000);
    const stalledIntervalMs = positiveSeconds('stalledInterval', options.stalledInterval ?? 30, MAX_TIMER_S) * 1000;
    const maxStalledCount = integerInRange('maxStalledCount', options.maxStalledCount ?? 10, 1, Number.MAX_SAFE_INTEGER);
    const removeOnComplete = keepJobsOf('removeOnComplete', options.removeOnComplete);
    const removeOnFail = keepJobsOf('removeOnFail', options.removeOnFail);
    this.#delayedEvents = booleanOption('delayedEvents', options.delayedEvents ?? false);
    this.#holdForMs = holdForOf(options.holdFor) * 1000;
    this.#trouble = new ConnectionTrouble(queueName, options.redisTimeout, options.logger ?? options.client?.logger);
    this.#client = new AsyncOperationsClient({ retry: false, ...options.client });
    const connection: ConnectionOptions = options.connection;
    this.#queue = new Queue(queueName, queueOptions);
    this.#trouble.listen(this.#queue, "the worker's queue");
    // A rate as BullMQ's window: `max` runs per `duration` ms (2.5/s is 2 per 800 ms).
    const max = Math.max(1, Math.floor(rate));
    this.#limiter = { max, durationMs: Math.round((1000 * max) / rate) };
    this.worker = new Worker<WaitJobData, unknown>(queueName, (job, token) => this.#poll(job, token), {
      connection,
      prefix: options.prefix,
      concurrency,
      limiter: { max, duration: this.#limiter.durationMs },
      lockDuration: lockDurationMs,
      stalledInterval: stalledIntervalMs,
      maxStalledCount,
      removeOnComplete,
      removeOnFail,
    });
    this.#trouble.listen(this.worker, 'the worker');
  }

  /**
   * Resolves once the worker is connected and takes jobs.
   * @throws RedisUnavailableError when Redis did not answer within `redisTimeout`
   */
  async ready(): Promise<void> {
    await this.#trouble.within('ready', this.worker.waitUntilReady());
  }

  /**
   * Stops taking jobs, lets the polls in flight finish (`force`: abandons them, and another
   * worker takes them over as stalled), has the runs held by `holdFor` give their jobs back to
   * the delayed set until their next poll (at once for those asleep, after its poll for one in
   * flight; never waiting for a hold's end), then closes the connections and the SDK client. Within
   * `redisTimeout` twice over: when Redis does not answer a PING within it, the polls in flight
   * are abandoned, the connections dropped, and it rejects with `RedisUnavailableError`.
   * Idempotent: a second call gives the first one's promise.
   */
  close(force = false): Promise<void> {
    this.#closing ??= this.#close(force);
    return this.#closing;
  }

  async #close(force: boolean): Promise<void> {
    // Held runs asleep give their jobs back to the delayed set now, not at their hold's end.
    const released = this.#held.close();
    let answered = true;
    let unavailable: RedisUnavailableError | null = null;
    try {
      await this.#trouble.within(
        'close',
        this.#queue.getBackend().client.then((client) => (client as unknown as { ping(): Promise<string> }).ping()),
      );
    } catch (error) {
      // No answer in time: Redis is away. Another failure (a connection already closed): nothing to wait for either.
      answered = false;
      if (error instanceof RedisUnavailableError) unavailable = error;
    }
    try {
      const closed = answered ? released.then(() => this.worker.close(force)) : this.worker.close(true);
      await this.#trouble.within('close', Promise.all([closed, this.#queue.close()]));
    } finally {
      this.#client.close();
    }
    if (unavailable !== null) throw unavailable;
  }

  /**
   * One run of a wait job: one step of the wait, then complete, fail, or delay until the next
   * poll; with `holdFor`, more steps while the next poll is due before the hold's end.
   */
  async #poll(job: Job<WaitJobData, unknown>, token: string | undefined): Promise<unknown> {
    const holdEndMs = Date.now() + this.#holdForMs;
    let data: WaitJobData;
    let rules: WaitRules;
    try {
      data = checkJobData(job.data);
      rules = rulesOf(data, this.#retry);
    } catch (error) {
      return this.#refuse(job, error);
    }
    let op: AsyncOperation | undefined;
    // The time of the poll due, once the run holds its job (its first poll's slot was BullMQ's).
    let heldPollMs: number | null = null;
    for (;;) {
      // From what the job stores, each held poll as well: a held poll steps exactly as a new run would.
      const state = stateOf(data, statusOfProgress(job.progress));
      const nowMs = Date.now();
      const late = overdue(state, rules, nowMs);
      if (late !== null) return this.#fail(job, token, late);
      if (heldPollMs !== null && !(await this.#heldSlot(job, token, heldPollMs, holdEndMs))) continue;
      try {
        op ??= data.saved ? this.#client.restore(data.saved) : this.#client.operation(data.operationId);
      } catch (error) {
        return this.#refuse(job, error);
      }
      const outcome = await this.#request(op, state, rules, nowMs);
      const { state: next, decision } = stepWait(state, rules, outcome, Date.now(), Math.random());
      if (decision.type === 'fail') return this.#fail(job, token, decision.error);
      if (decision.type === 'done') {
        try {
          return await op.getResult();
        } catch (error) {
          return this.#fail(job, token, error);
        }
      }
      const progress = next.lastStatus === null ? null : progressOf(next.lastStatus);
      const progressChanged = progress !== null && JSON.stringify(progress) !== JSON.stringify(job.progress);
      const stored = withState(data, next);
      const dataChanged = stored.polls !== data.polls || stored.failures !== data.failures;
      const writes = [dataChanged ? stored : null, progressChanged ? progress : null] as const;
      if (this.#holdForMs === 0 || decision.atMs > holdEndMs || this.#held.closing)
        return this.#release(job, token, decision.atMs, ...writes);
      // Held: what changed is written now (for the readers), lock-checked; the job stays active.
      if (
        (dataChanged || progressChanged) &&
        !(await writeState(this.worker, job, token, { data: writes[0], progress: writes[1], delayUntil: null }))
      )
        throw new DelayedError();
      data = stored;
      heldPollMs = decision.atMs;
      await this.#held.sleep(decision.atMs, () => this.#release(job, token, decision.atMs, null, null));
    }
  }

  /** One Get, as the outcome the core steps on; a 429 pauses the whole queue and ends the run. */
  async #request(
    op: AsyncOperation,
    state: WaitState<OperationStatus<unknown>>,
    rules: WaitRules,
    nowMs: number,
  ): Promise<PollOutcome<OperationStatus<unknown>>> {
    const boundMs = pollDeadlineMs(state, rules, nowMs);
    try {
      return { status: await op.getStatus({ timeout: (boundMs - nowMs) / 1000 }), receivedAtMs: Date.now() };
    } catch (error) {
      if (error instanceof ApiError && (error.httpStatus === 429 || error.grpcCode === 8)) {
        await this.#queue.rateLimit(retryInfoDelayMs(error.details) ?? this.#rateLimitDelayMs);
        throw Worker.RateLimitError();
      }
      // A poll cut to the wait's deadline that ran out of its time ran out of the wait's.
      const cutByDeadline = boundMs === state.deadlineMs && errorToData(error).deadlineMs !== undefined;
      return { error, deadlineMs: cutByDeadline ? state.deadlineMs : null };
    }
  }

  /**
   * Before a held run's poll due at `dueMs`: `true` once it took a slot of the queue's limiter;
   * `false` after sleeping as long as the limiter said (the caller looks again). A run that lost
   * its lock (stalled, taken over) stops, writing nothing; one that would wait past its hold's
   * end, or is woken by `close()`, gives its job back.
   */
  async #heldSlot(job: Job<WaitJobData, unknown>, token: string | undefined, dueMs: number, holdEndMs: number): Promise<boolean> {
    const waitMs = await takeLimiterSlot(this.worker, job, token, this.#limiter);
    if (waitMs === null) throw new DelayedError();
    if (waitMs === 0) return true;
    const release = () => this.#release(job, token, dueMs, null, null);
    const atMs = Date.now() + waitMs;
    if (atMs > holdEndMs) return release();
    await this.#held.sleep(atMs, release);
    return false;
  }

  /**
   * Ends a run whose wait goes on: one script writes what changed (`null`: unchanged) and moves
   * the job to the delayed set until `atMs`, only while this run holds the job's lock; BullMQ
   * does nothing more for a run that ends with DelayedError.
   */
  async #release(
    job: Job<WaitJobData, unknown>,
    token: string | undefined,
    atMs: number,
    data: WaitJobData | null,
    progress: unknown,
  ): Promise<never> {
    await writeState(this.worker, job, token, {
      data,
      progress,
      delayUntil: atMs,
      delayedEvent: this.#delayedEvents,
      // The stream's own trimming came with BullMQ's `delayed` event: about one run in 16 trims it instead.
      trimEvents: job.attemptsStarted % TRIM_EVERY === 0,
    });
    throw new DelayedError();
  }

  /**
   * Stores the error as data in the job (for the readers), then fails the job for good; a run
   * that lost its lock writes nothing and leaves the job to its new owner.
   */
  async #fail(job: Job<WaitJobData, unknown>, token: string | undefined, error: unknown): Promise<never> {
    const data = { ...job.data, error: errorToData(error) };
    if (!(await writeState(this.worker, job, token, { data, progress: null, delayUntil: null }))) throw new DelayedError();
    throw new UnrecoverableError(error instanceof Error ? error.message : String(error));
  }

  /** Fails a job whose data is not a wait job's, leaving its data as it is; readers get a WaitJobError. */
  #refuse(job: Job<WaitJobData, unknown>, error: unknown): never {
    const reason = `its data is not a wait job's (not written by WaitQueue.enqueue?): ${error instanceof Error ? error.message : String(error)}`;
    this.#trouble.logger.warn(`yc-operation/bullmq: job ${job.id} of queue ${this.#trouble.queueName} refused: ${reason}`);
    throw new UnrecoverableError(reason);
  }
}

const WORKER_OPTIONS = [
  ...LOCATION_OPTIONS,
  'client',
  'maxRequestsPerSecond',
  'concurrency',
  'lockDuration',
  'stalledInterval',
  'maxStalledCount',
  'retry',
  'rateLimitDelay',
  'removeOnComplete',
  'removeOnFail',
  'delayedEvents',
  'holdFor',
];

/** Without `delayed` events, the job runs whose attempt count is a multiple of this trim the events stream. */
const TRIM_EVERY = 16;

/** `holdFor`: 0 (the default) or a number of seconds up to the longest timer. */
function holdForOf(value: unknown): number {
  if (value === undefined) return 0;
  if (typeof value !== 'number') throw new TypeError(`holdFor must be a number of seconds, got ${typeName(value)}`);
  return numberInRange('holdFor', value, 0, MAX_TIMER_S);
}

function booleanOption(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new TypeError(`${name} must be a boolean, got ${typeName(value)}`);
  return value;
}

/**
 * `removeOnComplete`/`removeOnFail` as BullMQ's worker takes them (`KeepJobs`): `true` removes
 * at once (`{ count: 0 }`), a number `n` keeps the latest `n`, `false` or absent keeps all.
 * (BullMQ's job options take the boolean and number forms, but its worker passes them to a
 * script that reads only the object form.)
 */
function keepJobsOf(name: string, value: boolean | number | KeepJobs | undefined): KeepJobs | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) return { count: 0 };
  if (typeof value === 'number') return { count: integerInRange(name, value, 0, Number.MAX_SAFE_INTEGER) };
  const keep: { age?: number; count?: number; limit?: number } = checkOptions(name, value, ['age', 'count', 'limit']);
  if (keep.age !== undefined) positiveSeconds(`${name}.age`, keep.age);
  if (keep.count !== undefined) integerInRange(`${name}.count`, keep.count, 0, Number.MAX_SAFE_INTEGER);
  if (keep.limit !== undefined) integerInRange(`${name}.limit`, keep.limit, 1, Number.MAX_SAFE_INTEGER);
  return { ...keep } as KeepJobs;
}
