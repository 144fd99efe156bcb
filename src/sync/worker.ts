/**
 * The SDK's worker thread: it runs the blocking flavour's requests with the async transport
 * (the same code as the promise flavour) and answers in plain data; an operation's JSON travels
 * as text, so that no depth of nesting overflows the structured clone. Built to one file,
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
import type { ClientTransport, Logger } from '../core/transport';
import { loadAtFirstUse } from '../runtime/load';
import { provideAxios } from '../transport/axios';
import { resolveClientConfig } from '../transport/config';
import { createTransport } from '../transport/create-transport';
import { TRACE_CHANNELS } from '../transport/tracing';
import { errorFromData, errorToData } from './error-data';
import { watchSigint } from './interrupt';
import {
  IN_WORKER,
  type LogLine,
  RESOURCES_CHANNEL,
  type ResourcesReply,
  type RetryQuestion,
  type TraceLine,
  type WorkerClientOptions,
  type WorkerReply,
  type WorkerRequest,
} from './protocol';

(globalThis as Record<symbol, unknown>)[IN_WORKER] = true;
provideAxios(axios);

const transports = new Map<number, ClientTransport>();
/** The log lines of each client's transport not yet sent back (for clients with a logger). */
const logs = new Map<number, LogLine[]>();
/** A blocking call in progress: its outcome, and what it waits for from the caller's thread. */
interface Pending {
  settled: Promise<WorkerReply>;
  controller: AbortController;
  client: number;
  /** A retry hook the caller's thread must run before the call goes on. */
  question: { data: RetryQuestion; resolve: (value: unknown) => void; reject: (error: unknown) => void } | null;
  /** Wakes the reply in progress when a question comes. */
  asked: (() => void) | null;
  /** The tracing events of the call, when the caller listens; sent back with the replies. */
  traces: TraceLine[] | null;
}
const pending = new Map<number, Pending>();
/** The ticket of the call whose code runs (retry hooks and tracing events find their call by it). */
const current = new AsyncLocalStorage<number>();
let nextTicket = 1;
/** Whether this worker watches SIGINT for the caller's thread (from its first call on). */
let watching = false;

/** Asks the caller's thread to run a retry hook for the call in progress; resolves with its value. */
function ask(question: RetryQuestion): Promise<unknown> {
  const entry = pending.get(current.getStore() ?? 0);
  if (!entry) return Promise.reject(new Error('a retry hook ran outside a blocking call'));
  return new Promise((resolve, reject) => {
    entry.question = { data: question, resolve, reject };
    entry.asked?.();
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

function transportOf(client: number, options: WorkerClientOptions): ClientTransport {
  let transport = transports.get(client);
  if (!transport) {
    const { log, retryHooks: _askedFor, ...rest } = options;
    // Without a logger on the caller's side, the worker logs nothing: it never reads YC_OPERATION_LOG itself.
    transport = createTransport(resolveClientConfig({ ...rest, retry: retryOf(options), logger: log ? collector(client) : SILENT }));
    transports.set(client, transport);
  }
  return transport;
}

const SILENT: Logger = { debug() {}, info() {}, warn() {}, error() {} };

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

/**
 * The reply when `settled` settles within `waitMs`; `ask` when a retry hook must run on the
 * caller's thread first; else `pending` with the ticket.
 */
async function within(ticket: number, waitMs: number): Promise<WorkerReply> {
  const entry = pending.get(ticket);
  if (!entry) return { state: 'failed', error: errorToData(new Error(`no blocking call with ticket ${ticket}`)) };
  let timer: NodeJS.Timeout | undefined;
  const slice = new Promise<WorkerReply>((resolve) => (timer = setTimeout(resolve, waitMs, { state: 'pending', ticket })));
  const question = (): WorkerReply => ({ state: 'ask', ticket, question: entry.question!.data });
  const asked = new Promise<WorkerReply>((resolve) => {
    if (entry.question) resolve(question());
    else entry.asked = () => resolve(question());
  });
  const reply = await Promise.race([entry.settled, slice, asked]);
  clearTimeout(timer);
  entry.asked = null;
  if (reply.state !== 'pending' && reply.state !== 'ask') pending.delete(ticket);
  return withLogs(entry, reply);
}

async function handle(request: WorkerRequest): Promise<WorkerReply> {
  switch (request.type) {
    case 'call': {
      if (!watching) {
        watching = true;
        watchSigint(request.sigint);
      }
      const ticket = nextTicket++;
      const controller = new AbortController();
      if (request.trace) traceCalls();
      const entry: Pending = {
        settled: Promise.resolve({ state: 'closed' }),
        controller,
        client: request.client,
        question: null,
        asked: null,
        traces: request.trace ? [] : null,
      };
      pending.set(ticket, entry);
      entry.settled = current
        .run(ticket, async (): Promise<WorkerReply> => {
          const transport = transportOf(request.client, request.options);
          const options = { deadlineMs: request.deadlineMs, timeoutMs: request.timeoutMs, signal: controller.signal };
          const wire = await sendCall(transport, request, options);
          return { state: 'done', json: JSON.stringify(wire) };
        })
        .catch((error: unknown) => ({ state: 'failed', error: errorToData(error) }) as const);
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
      pending.get(request.ticket)?.controller.abort();
      pending.delete(request.ticket);
      return { state: 'closed' };
    case 'close':
      transports.get(request.client)?.close();
      transports.delete(request.client);
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
