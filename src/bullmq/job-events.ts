/**
 * The readers' side of a queue's events: one Redis connection of its own (a duplicate of the
 * queue's) reads BullMQ's events stream (`XREAD BLOCK`) and hands each job's `progress`,
 * `completed` and `failed` to the readers of that job. It is ours rather than BullMQ's
 * `QueueEvents` so that its connection can always be closed (a `QueueEvents` whose Redis died
 * keeps the process alive) and so that a reader learns when Redis is away or lost its job:
 * - no answer from Redis for the read's block plus `redisTimeout`: every reader fails with
 *   {@link RedisUnavailableError};
 * - after the connection came back, each reader's job is looked up once: a job that is gone
 *   (Redis restarted without persistence) fails its readers with {@link JobLost}.
 */
import type { Queue } from 'bullmq';
import type { ConnectionTrouble } from './connection';

/** What a reader of one job is told; `id` is the event's id in the stream. */
export interface JobListener {
  progress(data: unknown, id: string): void;
  completed(returnValue: unknown, id: string): void;
  failed(reason: string, id: string): void;
  /** Redis did not answer (`RedisUnavailableError`), or the job is gone (`JobLost`). */
  lost(error: Error): void;
}

/** The commands this reader sends, on the duplicate of the queue's connection. */
interface StreamClient {
  xread(...args: Array<string | number>): Promise<Array<[string, Array<[string, string[]]>]> | null>;
  xrevrange(key: string, end: string, start: string, count: 'COUNT', n: number): Promise<Array<[string, string[]]>>;
  exists(key: string): Promise<number>;
  on(event: string, listener: (...args: never[]) => void): unknown;
  disconnect(): void;
}

/** The queue's own connection's `MULTI`, for {@link JobEvents.snapshot}. */
interface SnapshotClient {
  multi(): SnapshotPipeline;
}
interface SnapshotPipeline {
  hgetall(key: string): SnapshotPipeline;
  xrevrange(key: string, end: string, start: string, count: 'COUNT', n: number): SnapshotPipeline;
  exec(): Promise<Array<[Error | null, unknown]> | null>;
}

/**
 * A job as one reader found it, and the events stream's last id at that moment (both read in one
 * `MULTI`): the events up to that id are in it, the later ones are not.
 */
export interface JobSnapshot {
  /** `null` when there is no such job. */
  job: { finished: boolean; failedReason: string; returnValue: unknown; progress: unknown } | null;
  position: string;
}

/** How long one read blocks in Redis, in milliseconds. */
const BLOCK_MS = 5000;

export class JobEvents {
  readonly #queue: Queue;
  readonly #trouble: ConnectionTrouble;
  readonly #listeners = new Map<string, Set<JobListener>>();
  #client: Promise<StreamClient> | null = null;
  #closed = false;
  /** The connection dropped since the last lookup of the readers' jobs. */
  #dropped = false;

  constructor(queue: Queue, trouble: ConnectionTrouble) {
    this.#queue = queue;
    this.#trouble = trouble;
  }

  /**
   * Listens to the events of job `jobId` from now on; resolves once listening (the events
   * stream's position taken), within the queue's `redisTimeout`. Returns the function that stops.
   */
  async listen(jobId: string, listener: JobListener): Promise<() => void> {
    await this.#trouble.within('result', this.#start());
    const set = this.#listeners.get(jobId) ?? new Set<JobListener>();
    this.#listeners.set(jobId, set);
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.#listeners.get(jobId) === set) this.#listeners.delete(jobId);
    };
  }

  /** Reads job `jobId` and the events stream's position at once (see {@link JobSnapshot}). */
  async snapshot(jobId: string): Promise<JobSnapshot> {
    const client = (await this.#queue.getBackend().client) as unknown as SnapshotClient;
    const replies = await client.multi().hgetall(this.#queue.toKey(jobId)).xrevrange(this.#queue.keys.events!, '+', '-', 'COUNT', 1).exec();
    const [[hashError, hash] = [null, {}], [rangeError, range] = [null, []]] = replies ?? [];
    if (hashError || rangeError) throw hashError ?? rangeError;
    const fields = hash as Record<string, string>;
    const position = (range as Array<[string, string[]]>)[0]?.[0] ?? '0-0';
    if (Object.keys(fields).length === 0) return { job: null, position };
    return {
      job: {
        finished: fields.finishedOn !== undefined,
        failedReason: fields.failedReason ?? '',
        returnValue: parseJson(fields.returnvalue),
        progress: parseJson(fields.progress),
      },
      position,
    };
  }

  /** Closes the connection; the readers still waiting fail with a {@link JobLost} that says so. */
  close(): void {
    this.#closed = true;
    this.#loseAll(() => new JobLost('the WaitQueue was closed while awaiting the job'));
    this.#client?.then(
      (client) => client.disconnect(),
      () => undefined,
    );
  }

  /** Connects once, takes the stream's last id, and starts the read loop. */
  #start(): Promise<StreamClient> {
    this.#client ??= (async () => {
      const base = (await this.#queue.getBackend().client) as unknown as { duplicate(options: object): StreamClient };
      const client = base.duplicate({ maxRetriesPerRequest: null });
      this.#trouble.listen(client as Parameters<ConnectionTrouble['listen']>[0], "the readers' connection");
      client.on('close', () => (this.#dropped = true));
      client.on('ready', () => {
        if (this.#dropped) void this.#lookUpJobs();
      });
      const key = this.#queue.keys.events!;
      const last = await client.xrevrange(key, '+', '-', 'COUNT', 1);
      void this.#loop(client, key, last[0]?.[0] ?? '0-0');
      return client;
    })();
    // A start that failed is tried again by the next reader.
    this.#client.catch(() => (this.#client = null));
    return this.#client;
  }

  async #loop(client: StreamClient, key: string, from: string): Promise<void> {
    let id = from;
    while (!this.#closed) {
      const read = client.xread('BLOCK', BLOCK_MS, 'STREAMS', key, id);
      // Redis away: the read does not come back. Once its block and the bound have passed, every
      // reader fails, also those that came meanwhile (checked each second).
      const startedAt = Date.now();
      const timer = setInterval(() => {
        if (Date.now() - startedAt >= BLOCK_MS + this.#trouble.timeoutMs) this.#loseAll(() => this.#trouble.unavailable('result'));
      }, 1000).unref();
      let reply: Awaited<ReturnType<StreamClient['xread']>>;
      try {
        reply = await read;
      } catch {
        if (this.#closed) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
        continue;
      } finally {
        clearInterval(timer);
      }
      for (const [, entries] of reply ?? []) {
        for (const [entryId, fields] of entries) {
          id = entryId;
          this.#dispatch(entryId, fields);
        }
      }
    }
  }

  #dispatch(id: string, fields: string[]): void {
    const event: Record<string, string> = {};
    for (let i = 0; i + 1 < fields.length; i += 2) event[fields[i]!] = fields[i + 1]!;
    const listeners = event.jobId === undefined ? undefined : this.#listeners.get(event.jobId);
    if (listeners === undefined) return;
    for (const listener of [...listeners]) {
      if (event.event === 'progress') listener.progress(parseJson(event.data), id);
      else if (event.event === 'completed') listener.completed(parseJson(event.returnvalue), id);
      else if (event.event === 'failed') listener.failed(event.failedReason ?? '', id);
    }
  }

  /** After a reconnection: the readers of a job that is gone (Redis lost it) fail. */
  async #lookUpJobs(): Promise<void> {
    this.#dropped = false;
    const client = await this.#client!;
    for (const [jobId, listeners] of [...this.#listeners]) {
      let exists: number;
      try {
        exists = await client.exists(this.#queue.toKey(jobId));
      } catch {
        return;
      }
      if (exists === 0) for (const listener of [...listeners]) listener.lost(new JobLost(GONE));
    }
  }

  #loseAll(error: () => Error): void {
    for (const listeners of [...this.#listeners.values()]) for (const listener of [...listeners]) listener.lost(error());
  }
}

const GONE = 'the job is gone: Redis lost it (restarted without persistence, or flushed), or it was removed; enqueue the wait again';

/** A reader's job can give no outcome (gone, or the queue object closed); `WaitQueue` makes it a `WaitJobError`. */
export class JobLost extends Error {}

/** Whether stream id `a` (`<ms>-<seq>`) comes after `b`. */
export function isAfter(a: string, b: string): boolean {
  const [aMs = 0, aSeq = 0] = a.split('-').map(Number);
  const [bMs = 0, bSeq = 0] = b.split('-').map(Number);
  return aMs > bMs || (aMs === bMs && aSeq > bSeq);
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
