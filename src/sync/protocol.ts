/**
 * The messages between the caller's thread and the SDK's worker. Plain data only: they are
 * structured-cloned, so each carries only what changes: a client's options and the SIGINT cells go
 * once, with its first call to a worker, and an answer is one string. A call that takes longer than one `waitMs` slice answers `pending` with a
 * ticket; the caller asks again with `poll`, so that each blocking round trip stays short and a
 * stuck worker is noticed.
 */

import type { RetryOptions } from '../core/retry';
import type { ServiceCall } from '../core/transport';
import type { AuthData } from '../transport/config';
import type { ErrorData } from './error-data';

/** A blocking client's options as they travel to the worker. */
export interface WorkerClientOptions {
  auth?: AuthData;
  folderId?: string;
  endpoint?: string;
  allowInsecureHttp?: boolean;
  retry?: RetryOptions | false;
  headers?: Record<string, string>;
  iamEndpoint?: string;
  protocol?: 'rest' | 'grpc';
  /** The `ca` option, as PEM text. */
  ca?: string;
  discoverEndpoints?: boolean;
  maxResponseBytes?: number;
  /** Send the transport's log lines back with the replies (the client has a logger). */
  log?: boolean;
  /** The retry hooks the client has: the worker asks the caller's thread to run them. */
  retryHooks?: Array<'shouldRetry' | 'onRetry'>;
}

/** A retry hook the worker asks the caller's thread to run, with the failed attempt's error. */
export type RetryQuestion =
  | { hook: 'shouldRetry'; error: ErrorData; attempt: number }
  | { hook: 'onRetry'; error: ErrorData; attempt: number; delay: number };

/** The caller's answer: the hook's value, or the error it threw. */
export type RetryAnswer = { value: unknown } | { thrown: ErrorData };

/** A tracing event published in the worker, sent back to be published on the caller's thread. */
export type TraceLine = [channel: string, event: unknown];

/** A log line of the worker's transport: its level and its text. */
export type LogLine = ['debug' | 'info' | 'warn' | 'error', string];

/** What a call does: a Get or a Cancel of an operation, the POST that starts one, a plain GET of a URL, or a call of a gRPC-only service. */
export type WorkerCall =
  | { op: 'get' | 'cancel'; id: string }
  | { op: 'start'; url: string; body: unknown }
  | { op: 'fetch'; url: string }
  | { op: 'service'; endpoint: string; call: ServiceCall };

/**
 * What a client sends its worker once, with its first call to that worker: what does not change
 * from call to call.
 */
export interface WorkerClientSetup {
  options: WorkerClientOptions;
  /** The cells of the caller's SIGINT watch (`./interrupt.ts`): the worker starts watching at the first setup. */
  sigint: SharedArrayBuffer;
}

export type WorkerRequest =
  | ({
      type: 'call';
      client: number;
      /** The client's setup, on its first call to this worker only (the worker keeps it until `close`). */
      setup?: WorkerClientSetup;
      deadlineMs: number;
      timeoutMs: number;
      waitMs: number;
      trace: boolean;
    } & WorkerCall)
  | { type: 'poll'; ticket: number; waitMs: number }
  | { type: 'answer'; ticket: number; answer: RetryAnswer; waitMs: number }
  | { type: 'abandon'; ticket: number }
  | { type: 'close'; client: number; exit: boolean };

export type WorkerReply =
  /** The operation's JSON, as text. */
  (
    | { state: 'done'; json: string }
    | { state: 'failed'; error: ErrorData }
    | { state: 'pending'; ticket: number }
    | { state: 'ask'; ticket: number; question: RetryQuestion }
    | { state: 'closed' }
  ) & { logs?: LogLine[]; traces?: TraceLine[] };

/**
 * The channel (a `BroadcastChannel` name) on which every SDK worker of the process says what keeps
 * its event loop alive, when a {@link ResourcesRequest} is posted there: the blocking flavour's
 * sockets and timers live in the worker, out of sight of the caller's
 * `process.getActiveResourcesInfo()`. The SDK's tests check with it that a blocking call leaves
 * nothing behind (test/resilience/harness.ts).
 */
export const RESOURCES_CHANNEL = 'yc-operation.worker-resources';

/** The question posted on {@link RESOURCES_CHANNEL}. */
export interface ResourcesRequest {
  type: 'resources?';
}

/** A worker's answer on {@link RESOURCES_CHANNEL}: its thread id and `process.getActiveResourcesInfo()` there. */
export interface ResourcesReply {
  type: 'resources';
  threadId: number;
  resources: string[];
}

/** Set in the SDK's own worker, so that a blocking call made from inside it is refused. */
export const IN_WORKER = Symbol.for('yc-operation.sync-worker');
