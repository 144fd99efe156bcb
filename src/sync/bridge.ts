/**
 * The caller's side of the worker: blocking round trips through synckit, whose CommonJS build is
 * loaded when the first worker starts (async-only users never load it). The worker starts when
 * {@link WorkerBridge.start} is called (a blocking client does at its construction, so that the
 * thread boots while the caller does other work) or at the first call. A worker that times out
 * or dies fails that call with an {@link AIStudioError} and is replaced on the next call; a call the
 * worker keeps past its deadline fails as its deadline's (`ApiError` DEADLINE_EXCEEDED, marked).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { startWorkerThread } from 'synckit';
import { AIStudioError, ApiError } from '../core/errors';
import { markDeadline } from '../core/deadline';
import { buildUrl, loadAtFirstUse } from '../runtime/load';
import { errorFromData } from './error-data';
import { IN_WORKER, type RetryAnswer, type RetryQuestion, type WorkerCall, type WorkerClientOptions, type WorkerReply, type WorkerRequest } from './protocol';

/** How long the worker may keep one round trip before it answers `pending`, in milliseconds. */
const SLICE_MS = 1000;
/** How much longer than a slice the caller waits for an answer before it gives up on the worker. */
const SLACK_MS = 5000;

type SyncFn = (request: WorkerRequest) => WorkerReply;

/** Where the worker's prebuilt JavaScript is: the option, else `YC_OPERATION_WORKER`, else next to this build. */
export function resolveWorkerPath(option: string | undefined): string {
  const path = option ?? process.env.YC_OPERATION_WORKER ?? fileURLToPath(new URL('./sync/worker.js', buildUrl()));
  if (!existsSync(path)) {
    throw new AIStudioError(
      `the blocking flavour's worker is not at ${path}; if you bundle this SDK, ship dist/sync/worker.js and pass its path as the workerPath option or YC_OPERATION_WORKER`,
    );
  }
  return path;
}

/** One worker, shared by the blocking clients that use the same worker file. */
export class WorkerBridge {
  readonly #path: string;
  #syncFn: SyncFn | null = null;

  constructor(path: string) {
    this.#path = path;
  }

  /**
   * Starts the worker thread now, if none runs (unref'd: it never holds the process open).
   * Never throws; from inside the SDK's own worker, starts nothing.
   */
  start(): void {
    if (this.#syncFn !== null || (globalThis as Record<symbol, unknown>)[IN_WORKER]) return;
    try {
      this.#syncFn = this.#startWorker();
    } catch {
      // the first call starts it again and reports what failed
    }
  }

  /**
   * Sends `request` and blocks until its answer, at most until its `deadlineMs` plus slack; a request the
   * worker is still working on then is abandoned (its HTTP request aborted). A retry hook the
   * worker asks for runs here, on the caller's thread, through `onAsk`, and the call goes on.
   */
  call(
    head: { client: number; options: WorkerClientOptions; deadlineMs: number; timeoutMs: number; trace: boolean },
    call: WorkerCall,
    onAsk: (question: RetryQuestion) => RetryAnswer,
  ): WorkerReply {
    const request = { type: 'call' as const, ...head, ...call, waitMs: SLICE_MS };
    const deadline = request.deadlineMs + SLACK_MS;
    let reply = this.#send(request);
    const logs = [...(reply.logs ?? [])];
    const traces = [...(reply.traces ?? [])];
    while (reply.state === 'pending' || reply.state === 'ask') {
      if (reply.state === 'ask') {
        reply = this.#send({ type: 'answer', ticket: reply.ticket, answer: onAsk(reply.question), waitMs: SLICE_MS });
      } else {
        if (Date.now() > deadline) {
          this.#send({ type: 'abandon', ticket: reply.ticket });
          throw noAnswer(head.deadlineMs, head.options.endpoint ?? null);
        }
        reply = this.#send({ type: 'poll', ticket: reply.ticket, waitMs: SLICE_MS });
      }
      logs.push(...(reply.logs ?? []));
      traces.push(...(reply.traces ?? []));
    }
    return { ...reply, ...(logs.length ? { logs } : {}), ...(traces.length ? { traces } : {}) };
  }

  /**
   * Frees a client's sockets in the worker; `exit` also ends the worker (the next call starts
   * another). Never throws: a worker that already died has nothing left to free.
   */
  close(client: number, exit: boolean): void {
    if (this.#syncFn === null) return;
    try {
      this.#send({ type: 'close', client, exit });
    } catch {
      // the worker is gone (it died or stalled): its sockets went with it
    }
    if (exit) this.#syncFn = null;
  }

  #send(request: WorkerRequest): WorkerReply {
    if ((globalThis as Record<symbol, unknown>)[IN_WORKER]) {
      throw new AIStudioError('the blocking API cannot be called from inside the SDK\'s own worker thread');
    }
    try {
      this.#syncFn ??= this.#startWorker();
      return this.#syncFn(request);
    } catch (cause) {
      this.#syncFn = null; // timed out or died: the next call starts a fresh worker
      throw new AIStudioError(`the blocking flavour's worker failed: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    }
  }

  #startWorker(): SyncFn {
    const synckit = loadAtFirstUse<{ startWorkerThread: typeof startWorkerThread }>('synckit');
    return synckit.startWorkerThread(this.#path, { timeout: SLICE_MS + SLACK_MS }) as SyncFn;
  }
}

/**
 * The error of a call whose worker gave no answer until its deadline and the slack after it: the
 * call's deadline ran out (gRPC DEADLINE_EXCEEDED), marked with that deadline, so that a wait whose
 * deadline it is ends with its `OperationTimeoutError`, as at every other place (`src/core/deadline.ts`).
 */
function noAnswer(deadlineMs: number, endpoint: string | null): ApiError {
  return markDeadline(new ApiError({
    grpcCode: 4,
    httpStatus: null,
    message: `the blocking call got no answer from its worker within ${SLACK_MS / 1000} s after its deadline`,
    details: [],
    requestId: null,
    serverTraceId: null,
    clientRequestId: null,
    endpoint: endpoint ?? "the blocking flavour's worker",
    attempts: 0,
    authProvider: null,
  }), deadlineMs);
}

/** The answer of a `call` (its JSON parsed here), or its error rebuilt as the class it was thrown as. */
export function unwrap(reply: WorkerReply): unknown {
  if (reply.state === 'done') return JSON.parse(reply.json);
  if (reply.state === 'failed') throw errorFromData(reply.error);
  throw new AIStudioError(`unexpected answer from the blocking flavour's worker: ${reply.state}`);
}
