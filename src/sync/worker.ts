/**
 * The SDK's worker thread: it runs the blocking flavour's requests with the async transport
 * (the same code as the promise flavour) and answers in plain data; an operation's JSON travels
 * as text, so that no depth of nesting overflows the structured clone. A client's transport is made
 * from the setup its first call brings (its options), and kept until its `close`. Built to one file,
 * `dist/sync/worker.js`, with axios inlined; synckit is required from the file's own location.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import diagnostics from 'node:diagnostics_channel';
import { BroadcastChannel, threadId } from 'node:worker_threads';
import axios from 'axios';
import type { runAsWorker } from 'synckit';
import { sendCall } from '../client/send';
import type { ApiError } from '../core/errors';
import type { RetryOptions } from '../core/retry';
import { type ClientTransport, type Logger, SILENT_LOGGER } from '../core/transport';
import { loadAtFirstUse } from '../runtime/load';
import { provideAxios } from '../transport/axios';
import { resolveClientConfig } from '../transport/config';
import { createTransport } from '../transport/create-transport';
import { TRACE_CHANNELS } from '../transport/tracing';
import { errorFromData, errorToData } from './error-data';
import { type RoundTripWatch, watchSigint } from './interrupt';
import {
  IN_WORKER,
  type LogLine,
  RESOURCES_CHANNEL,
  type ResourcesReply,
  type RetryQuestion,
  type TraceLine,
  type WorkerClientOptions,
  type WorkerClientSetup,
  type WorkerReply,
  type WorkerRequest,
} from './protocol';

(globalThis as Record<symbol, unknown>)[IN_WORKER] = true;
provideAxios(axios);

/** A client as this worker keeps it, from the setup its first call brought. */
interface WorkerClient {
  transport: ClientTransport;
  /** Its retry hooks run on the caller's thread: its calls run under {@link current}. */
  asks: boolean;
  /**
   * The abort of its calls while they come one at a time (the caller's thread blocks in each):
   * made once, not per call, and replaced when an abandoned call aborts it. A call made while
   * another of the client's is in progress (from a retry hook) gets one of its own.
   */
  abort: AbortController;
  /** How many of its calls have not settled yet. */
  calls: number;
}
const clients = new Map<number, WorkerClient>();
/** The log lines of each client's transport not yet sent back (for clients with a logger). */
const logs = new Map<number, LogLine[]>();
/** A blocking call in progress: its outcome once it settles, and what it waits for from the caller's thread. */
interface Pending {
  /** The final reply (`done` or `failed`), once the call settled. */
  outcome: WorkerReply | null;
  controller: AbortController;
  client: number;
  /** A retry hook the caller's thread must run before the call goes on. */
  question: { data: RetryQuestion; resolve: (value: unknown) => void; reject: (error: unknown) => void } | null;
  /** Wakes the reply in progress when the call settles or a question comes. */
  wake: (() => void) | null;
  /** The tracing events of the call, when the caller listens; sent back with the replies. */
  traces: TraceLine[] | null;
}
const pending = new Map<number, Pending>();
/**
 * The ticket of the call whose code runs, for the retry hooks and tracing events, which find their
 * call by it. Entered only for a call that needs it (its client has retry hooks, or its caller
 * traces): a call without it runs with no async context tracking at all.
 */
const current = new AsyncLocalStorage<number>();
let nextTicket = 1;
/** The SIGINT watch for the caller's thread (from the first setup on). */
let sigint: RoundTripWatch | null = null;

/** Asks the caller's thread to run a retry hook for the call in progress; resolves with its value. */
function ask(question: RetryQuestion): Promise<unknown> {
  const entry = pending.get(current.getStore() ?? 0);
  if (!entry) return Promise.reject(new Error('a retry hook ran outside a blocking call'));
  return new Promise((resolve, reject) => {
    entry.question = { data: question, resolve, reject };
    entry.wake?.();
  });
}

/** The retry policy of a client whose hooks run on the caller's thread. */
function retryOf(options: WorkerClientOptions): RetryOptions | false | undefined {
  const { retry, retryHooks = [] } = options;
  if (retry === false || retryHooks.length === 0) return retry;
  return {
    ...retry,
    ...(retryHooks.includes('shouldRetry')
      ? {
          shouldRetry: (error: ApiError, attempt: number) =>
            ask({ hook: 'shouldRetry', error: errorToData(error), attempt }) as unknown as boolean,
        }
      : {}),
    ...(retryHooks.includes('onRetry')
      ? {
          onRetry: (attempt: number, error: ApiError, delay: number) =>
            ask({ hook: 'onRetry', error: errorToData(error), attempt, delay }) as unknown as void,
        }
      : {}),
  };
}

let tracing = false;
/** Collects the tracing events of the calls whose caller listens (subscribed at the first such call). */
function traceCalls(): void {
  if (tracing) return;
  tracing = true;
  for (const name of Object.values(TRACE_CHANNELS)) {
    diagnostics.subscribe(name, (event) => pending.get(current.getStore() ?? 0)?.traces?.push([name, event]));
  }
}

/** Makes a client's transport from its setup (its first call to this worker), and starts the SIGINT watch. */
function open(client: number, setup: WorkerClientSetup): void {
  sigint ??= watchSigint(setup.sigint);
  const { log, retryHooks, ...rest } = setup.options;
  clients.get(client)?.transport.close();
  clients.set(client, {
    // Without a logger on the caller's side, the worker logs nothing: it never reads YC_OPERATION_LOG itself.
    transport: createTransport(
      resolveClientConfig({ ...rest, retry: retryOf(setup.options), logger: log ? collector(client) : SILENT_LOGGER }),
    ),
    asks: (retryHooks?.length ?? 0) > 0,
    abort: new AbortController(),
    calls: 0,
  });
}

/** A logger that keeps a client's lines for its next reply. */
function collector(client: number): Logger {
  const lines: LogLine[] = [];
  logs.set(client, lines);
  const at = (level: LogLine[0]) => (message: string) => void lines.push([level, message]);
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** `reply` with the client's pending log lines and the call's tracing events, if any. */
function withLogs(entry: Pending, reply: WorkerReply): WorkerReply {
  const lines = logs.get(entry.client);
  const out: WorkerReply = lines?.length ? { ...reply, logs: lines.splice(0) } : reply;
  return entry.traces?.length ? { ...out, traces: entry.traces.splice(0) } : out;
}

/** The reply the call has now: its outcome, or `ask` when a retry hook must run on the caller's thread; else `null`. */
function replyNow(ticket: number, entry: Pending): WorkerReply | null {
  if (entry.outcome !== null) {
    pending.delete(ticket);
    return withLogs(entry, entry.outcome);
  }
  if (entry.question !== null) return withLogs(entry, { state: 'ask', ticket, question: entry.question.data });
  return null;
}

/** The call's reply when it has one within `waitMs`; else `pending` with the ticket. */
function within(ticket: number, waitMs: number): WorkerReply | Promise<WorkerReply> {
  const entry = pending.get(ticket);
  if (!entry) return { state: 'failed', error: errorToData(new Error(`no blocking call with ticket ${ticket}`)) };
  const now = replyNow(ticket, entry);
  if (now !== null) return now;
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      entry.wake = null;
      resolve(withLogs(entry, { state: 'pending', ticket }));
    }, waitMs);
    entry.wake = () => {
      clearTimeout(timer);
      entry.wake = null;
      resolve(replyNow(ticket, entry)!);
    };
  });
}

/** Starts one call; its outcome wakes the reply in progress. */
function start(request: Extract<WorkerRequest, { type: 'call' }>): number {
  if (request.setup) open(request.client, request.setup);
  const client = clients.get(request.client);
  if (!client) throw new Error(`the blocking client ${request.client} sent no setup to this worker`);
  const ticket = nextTicket++;
  const controller = client.calls === 0 ? client.abort : new AbortController();
  client.calls += 1;
  if (request.trace) traceCalls();
  const entry: Pending = {
    outcome: null,
    controller,
    client: request.client,
    question: null,
    wake: null,
    traces: request.trace ? [] : null,
  };
  pending.set(ticket, entry);
  // Settled, the call no longer uses its abort, nor holds the SIGINT watch: let go once its
  // answer is posted (the reply in progress, if any, is woken first).
  const settle = (outcome: WorkerReply): void => {
    client.calls -= 1;
    entry.outcome = outcome;
    entry.wake?.();
    setImmediate(() => sigint?.release());
  };
  const options = { deadlineMs: request.deadlineMs, timeoutMs: request.timeoutMs, signal: controller.signal };
  const send = (): Promise<unknown> => sendCall(client.transport, request, options);
  let sent: Promise<unknown>;
  try {
    sent = request.trace || client.asks ? current.run(ticket, send) : send();
  } catch (error) {
    sent = Promise.reject(error);
  }
  sent.then(
    (wire) => settle({ state: 'done', json: JSON.stringify(wire) }),
    (error: unknown) => settle({ state: 'failed', error: errorToData(error) }),
  );
  sigint?.hold(); // after the request left: the watch's start is not on its way
  return ticket;
}

function handle(request: WorkerRequest): WorkerReply | Promise<WorkerReply> {
  switch (request.type) {
    case 'call': {
      let ticket: number;
      try {
        ticket = start(request);
      } catch (error) {
        return { state: 'failed', error: errorToData(error) };
      }
      return within(ticket, request.waitMs);
    }
    case 'poll':
      return within(request.ticket, request.waitMs);
    case 'answer': {
      const question = pending.get(request.ticket)?.question;
      if (question) {
        pending.get(request.ticket)!.question = null;
        if ('value' in request.answer) question.resolve(request.answer.value);
        else question.reject(errorFromData(request.answer.thrown));
      }
      return within(request.ticket, request.waitMs);
    }
    case 'abandon':
      if (pending.has(request.ticket)) {
        const { controller, client } = pending.get(request.ticket)!;
        controller.abort();
        const kept = clients.get(client);
        if (kept?.abort === controller) kept.abort = new AbortController();
        pending.delete(request.ticket); // it settles soon, aborted
      }
      return { state: 'closed' };
    case 'close':
      clients.get(request.client)?.transport.close();
      clients.delete(request.client);
      logs.delete(request.client);
      if (request.exit) setImmediate(() => process.exit(0));
      return { state: 'closed' };
  }
}

// Says what keeps this thread's loop alive to whoever asks (the channel itself does not: unref'd).
const resources = new BroadcastChannel(RESOURCES_CHANNEL);
resources.unref();
resources.onmessage = (event) => {
  if ((event as MessageEvent).data?.type !== 'resources?') return;
  resources.postMessage({ type: 'resources', threadId, resources: process.getActiveResourcesInfo() } satisfies ResourcesReply);
};

// synckit's CommonJS build, from this file's location: the same module instance as the
// `register.cjs` synckit preloads into the thread, and lighter to load than its ES modules.
loadAtFirstUse<{ runAsWorker: typeof runAsWorker }>('synckit').runAsWorker(handle);
