/**
 * The operation store and each operation's life as its script tells it: what an operation
 * looks like at its n-th successful poll or at a given time, and what a Cancel does to it.
 * Time is passed in (`nowMs`, milliseconds since the epoch); every step is O(1). An operation
 * that stands for a task (a tuning, a batch, a validation) derives its metadata from its stage,
 * and the task reads the same stage: the two agree at every instant.
 */
import { randomBytes } from 'node:crypto';
import { GrpcCode } from '../core/grpc-codes';
import { FaultQueue } from './faults';
import type { OperationScript, RpcStatus } from './script';

/** The Operation message in its REST form (docs/wire.md): camelCase, `done` always explicit. */
export interface OperationJson {
  id: string;
  description: string;
  createdAt: string;
  createdBy: string;
  modifiedAt: string;
  done: boolean;
  metadata: unknown;
  response?: unknown;
  error?: RpcStatus;
}

const DEFAULT_DESCRIPTION = 'Emulated operation';
const DEFAULT_RESPONSE = Object.freeze({ '@type': 'type.googleapis.com/google.protobuf.Empty' });
const CANCELLED: RpcStatus = Object.freeze({ code: GrpcCode.CANCELLED, message: 'Operation cancelled' });
/** The `createdBy` of everything the emulator creates (operations, runs, tasks, ...): a Yandex-like account id. */
export const CREATED_BY = 'ajeemulator000000000';

/** Where an operation is in its life, and since when (ms since the epoch). */
interface Progress {
  done: boolean;
  /** Which metadata entry it shows (0 when there are none). */
  metadataIndex: number;
  sinceMs: number;
}

/** How an operation is at an instant: its step, whether and how it finished, and since when. */
export interface Stage {
  /** The step it is at: 0 at creation, the last (its metadata's `steps`) once done by itself. */
  step: number;
  outcome: 'running' | 'succeeded' | 'failed' | 'cancelled';
  /** Since when (ms since the epoch) it is at this step and outcome: once finished, when it finished. */
  sinceMs: number;
  /** The error it finished with, when `failed`. */
  error?: RpcStatus;
}

/**
 * An operation's metadata as a function of its stage: `steps` share the operation's time (or
 * polls) equally, as the entries of a script's `metadata` do, the last shown once done.
 */
export interface LiveMetadata {
  steps: number;
  at(stage: Stage): unknown;
}

/** A script's `metadata` entries: entry `i` at step `i`, `null` when there are none. */
function metadataEntries(entries: readonly unknown[] = []): LiveMetadata {
  return { steps: Math.max(entries.length - 1, 0), at: ({ step }) => entries[step] ?? null };
}

/** One emulated operation. */
export class EmulatedOperation {
  /** The faults still to inject into requests to this operation. */
  readonly faults: FaultQueue;
  private readonly createdAt: string;
  private readonly metadata: LiveMetadata;
  private readonly lastMetadataIndex: number;
  /** Successful Gets so far. */
  private polls = 0;
  /** The progress frozen by a Cancel, or `null`. */
  private cancelled: Progress | null = null;
  /** The progress last shown, to move `modifiedAt` when it changes. */
  private shown: Progress;

  constructor(
    readonly id: string,
    private readonly script: OperationScript,
    readonly createdAtMs: number,
    metadata?: LiveMetadata,
  ) {
    this.faults = new FaultQueue(script.faults ?? []);
    this.createdAt = new Date(createdAtMs).toISOString();
    this.metadata = metadata ?? metadataEntries(script.metadata);
    this.lastMetadataIndex = this.metadata.steps;
    this.shown = this.progress(createdAtMs);
  }

  /** A successful Get: the operation counts one more poll, then shows itself. */
  poll(nowMs: number): OperationJson {
    this.polls += 1;
    return this.json(nowMs);
  }

  /** A Cancel: a running operation finishes with CANCELLED (code 1); a finished one is unchanged. */
  cancel(nowMs: number): OperationJson {
    const now = this.progress(nowMs);
    if (!now.done) this.cancelled = { done: true, metadataIndex: now.metadataIndex, sinceMs: nowMs };
    return this.json(nowMs);
  }

  /** The operation as it is at `nowMs`, without advancing it. */
  json(nowMs: number): OperationJson {
    const stage = this.stage(nowMs);
    const done = stage.outcome !== 'running';
    return {
      id: this.id,
      description: this.script.description ?? DEFAULT_DESCRIPTION,
      createdAt: this.createdAt,
      createdBy: CREATED_BY,
      modifiedAt: new Date(stage.sinceMs).toISOString(),
      done,
      metadata: this.metadata.at(stage),
      ...(done ? this.result() : this.script.runningError && { error: this.script.runningError }),
    };
  }

  /** Where the operation is at `nowMs`, without advancing it. */
  stage(nowMs: number): Stage {
    const now = this.progress(nowMs);
    if (now.done !== this.shown.done || now.metadataIndex !== this.shown.metadataIndex) this.shown = now;
    const at = { step: now.metadataIndex, sinceMs: this.shown.sinceMs };
    if (!now.done) return { ...at, outcome: 'running' };
    if (this.cancelled) return { ...at, outcome: 'cancelled' };
    const { error } = this.result();
    return error ? { ...at, outcome: 'failed', error } : { ...at, outcome: 'succeeded' };
  }

  private progress(nowMs: number): Progress {
    if (this.cancelled) return this.cancelled;
    const { doneAfter, donePolls = 1, never } = this.script;
    return doneAfter === undefined
      ? this.progressByPolls(never ? Infinity : donePolls, nowMs)
      : this.progressByTime(doneAfter * 1000, nowMs);
  }

  /** Step n is the n-th successful Get; the step that finishes is the last to move the metadata. */
  private progressByPolls(donePolls: number, nowMs: number): Progress {
    const step = Math.min(this.polls, donePolls);
    return { done: step >= donePolls, metadataIndex: this.metadataIndexAt(step - 1), sinceMs: nowMs };
  }

  /** The metadata entries share the time to `doneAfter` equally; the last shows once done. */
  private progressByTime(doneAfterMs: number, nowMs: number): Progress {
    const elapsedMs = nowMs - this.createdAtMs;
    if (elapsedMs >= doneAfterMs) {
      return { done: true, metadataIndex: this.lastMetadataIndex, sinceMs: this.createdAtMs + doneAfterMs };
    }
    const stepMs = doneAfterMs / Math.max(this.lastMetadataIndex, 1);
    const index = this.metadataIndexAt(Math.floor(elapsedMs / stepMs));
    return { done: false, metadataIndex: index, sinceMs: this.createdAtMs + Math.round(index * stepMs) };
  }

  private metadataIndexAt(step: number): number {
    return Math.min(Math.max(step, 0), this.lastMetadataIndex);
  }

  /** The result of a finished operation: exactly one of `response`/`error`, or neither if scripted. */
  private result(): Pick<OperationJson, 'response' | 'error'> {
    const { script } = this;
    if (this.cancelled) return { error: CANCELLED };
    if (script.neither) return {};
    const error = script.error ?? (script.response === undefined ? script.runningError : undefined);
    return error ? { error } : { response: script.response ?? DEFAULT_RESPONSE };
  }
}

/** Every operation of one emulator, by id. */
export class OperationStore {
  private readonly operations = new Map<string, EmulatedOperation>();

  /**
   * Creates an operation that follows `script` (already validated) from `nowMs` on; its metadata
   * is `metadata`'s when given, else the script's entries.
   */
  create(script: OperationScript, nowMs: number, metadata?: LiveMetadata): EmulatedOperation {
    const operation = new EmulatedOperation(unusedId(this.operations), script, nowMs, metadata);
    this.operations.set(operation.id, operation);
    return operation;
  }

  /** The operation of an id, unless there is none or it has expired. */
  get(id: string): EmulatedOperation | undefined {
    return this.operations.get(id);
  }

  /**
   * Forgets an operation, as Yandex Cloud does some two weeks after it finished (docs/wire.md):
   * Get and Cancel then answer NOT_FOUND, while a task that holds it still follows it.
   * @throws Error naming the id when there is no such operation
   */
  expire(id: string): void {
    if (!this.operations.delete(id)) throw new Error(`No operation ${JSON.stringify(id)} to expire`);
  }
}

/** Lower-case base32hex, the alphabet of Yandex Cloud ids. */
const ID_ALPHABET = '0123456789abcdefghijklmnopqrstuv';

/** A Yandex-like id (of an operation, a run, ...): 20 characters of [a-v0-9], starting with a letter. */
export function newOperationId(): string {
  const bytes = randomBytes(20);
  let id = ID_ALPHABET[10 + ((bytes[0] as number) % 22)] as string;
  for (let i = 1; i < 20; i += 1) id += ID_ALPHABET[(bytes[i] as number) & 31];
  return id;
}

/** A new id that `taken` does not hold yet. */
export function unusedId(taken: { has(id: string): boolean }): string {
  let id = newOperationId();
  while (taken.has(id)) id = newOperationId();
  return id;
}
