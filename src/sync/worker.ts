/**
 * The SDK's worker thread: it runs the blocking flavour's requests with the async transport
 * (the same code as the promise flavour) and answers in plain data. Built to `dist/sync/worker.js`.
 */
import { runAsWorker } from 'synckit';
import { errorToData } from '../core/errors';
import { createTransport, resolveClientConfig } from '../transport/config';
import type { RestTransport } from '../transport/rest';
import { IN_WORKER, type WorkerClientOptions, type WorkerReply, type WorkerRequest } from './protocol';

(globalThis as Record<symbol, unknown>)[IN_WORKER] = true;

const transports = new Map<number, RestTransport>();
const pending = new Map<number, { settled: Promise<WorkerReply>; controller: AbortController }>();
let nextTicket = 1;

function transportOf(client: number, options: WorkerClientOptions): RestTransport {
  let transport = transports.get(client);
  if (!transport) {
    transport = createTransport(resolveClientConfig(options));
    transports.set(client, transport);
  }
  return transport;
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
  return reply;
}

async function handle(request: WorkerRequest): Promise<WorkerReply> {
  switch (request.type) {
    case 'call': {
      const ticket = nextTicket++;
      const controller = new AbortController();
      const settled = (async (): Promise<WorkerReply> => {
        const transport = transportOf(request.client, request.options);
        const options = { timeoutMs: request.timeoutMs, signal: controller.signal };
        const wire = await (request.op === 'start'
          ? transport.startOperation(request.url, request.body, options)
          : request.op === 'get'
            ? transport.getOperation(request.id, options)
            : transport.cancelOperation(request.id, options));
        return { state: 'done', wire };
      })().catch((error: unknown) => ({ state: 'failed', error: errorToData(error) }) as const);
      pending.set(ticket, { settled, controller });
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
      if (request.exit) setImmediate(() => process.exit(0));
      return { state: 'closed' };
  }
}

runAsWorker(handle);
