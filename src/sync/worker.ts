/**
 * The SDK's worker thread: it runs the blocking flavour's requests with the async transport
 * (the same code as the promise flavour) and answers in plain data; an operation's JSON travels
 * as text, so that no depth of nesting overflows the structured clone. Built to one file,
 * `dist/sync/worker.js`, with axios inlined; synckit is required from the file's own location.
 */
import axios from 'axios';
import type { runAsWorker } from 'synckit';
import { errorToData } from './error-data';
import { provideAxios } from '../transport/axios';
import { loadAtFirstUse } from '../runtime/load';
import { resolveClientConfig } from '../transport/config';
import { createTransport } from '../transport/create-transport';
import type { CallOptions, Logger, OperationTransport } from '../core/transport';
import { IN_WORKER, type LogLine, type WorkerCall, type WorkerClientOptions, type WorkerReply, type WorkerRequest } from './protocol';

(globalThis as Record<symbol, unknown>)[IN_WORKER] = true;
provideAxios(axios);

const transports = new Map<number, OperationTransport>();
/** The log lines of each client's transport not yet sent back (for clients with a logger). */
const logs = new Map<number, LogLine[]>();
const pending = new Map<number, { settled: Promise<WorkerReply>; controller: AbortController; client: number }>();
let nextTicket = 1;

function transportOf(client: number, options: WorkerClientOptions): OperationTransport {
  let transport = transports.get(client);
  if (!transport) {
    const { log, ...rest } = options;
    // Without a logger on the caller's side, the worker logs nothing: it never reads YC_OPERATION_LOG itself.
    transport = createTransport(resolveClientConfig({ ...rest, logger: log ? collector(client) : SILENT }));
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

/** `reply` with the client's pending log lines, if any. */
function withLogs(client: number, reply: WorkerReply): WorkerReply {
  const lines = logs.get(client);
  return lines?.length ? { ...reply, logs: lines.splice(0) } : reply;
}

/** The reply when `settled` settles within `waitMs`, else `pending` with the ticket. */
async function within(ticket: number, waitMs: number): Promise<WorkerReply> {
  const entry = pending.get(ticket);
  if (!entry) return { state: 'failed', error: errorToData(new Error(`no blocking call with ticket ${ticket}`)) };
  let timer: NodeJS.Timeout | undefined;
  const slice = new Promise<WorkerReply>((resolve) => (timer = setTimeout(resolve, waitMs, { state: 'pending', ticket })));
  const reply = await Promise.race([entry.settled, slice]);
  clearTimeout(timer);
  if (reply.state !== 'pending') pending.delete(ticket);
  return withLogs(entry.client, reply);
}

/** Sends one call through the client's transport. */
function send(transport: OperationTransport, call: WorkerCall, options: CallOptions): Promise<unknown> {
  switch (call.op) {
    case 'start':
      return transport.startOperation(call.url, call.body, options);
    case 'fetch':
      return transport.getJson(call.url, options);
    case 'get':
      return transport.getOperation(call.id, options);
    case 'cancel':
      return transport.cancelOperation(call.id, options);
  }
}

async function handle(request: WorkerRequest): Promise<WorkerReply> {
  switch (request.type) {
    case 'call': {
      const ticket = nextTicket++;
      const controller = new AbortController();
      const settled = (async (): Promise<WorkerReply> => {
        const transport = transportOf(request.client, request.options);
        const options = { deadlineMs: request.deadlineMs, timeoutMs: request.timeoutMs, signal: controller.signal };
        const wire = await send(transport, request, options);
        return { state: 'done', json: JSON.stringify(wire) };
      })().catch((error: unknown) => ({ state: 'failed', error: errorToData(error) }) as const);
      pending.set(ticket, { settled, controller, client: request.client });
      return within(ticket, request.waitMs);
    }
    case 'poll':
      return within(request.ticket, request.waitMs);
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

// synckit's CommonJS build, from this file's location: the same module instance as the
// `register.cjs` synckit preloads into the thread, and lighter to load than its ES modules.
loadAtFirstUse<{ runAsWorker: typeof runAsWorker }>('synckit').runAsWorker(handle);
