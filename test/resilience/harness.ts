/**
 * What every resilience test checks besides its own outcome: no unhandled rejection, no timer or
 * socket left behind (on the caller's thread or in the SDK's worker), and a bound on the time taken. Plus the small stand-ins some tests need.
 */
import { fileURLToPath } from 'node:url';
import { BroadcastChannel, Worker } from 'node:worker_threads';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { Emulator } from 'yc-operation/testing';
import { RESOURCES_CHANNEL, type ResourcesReply, type ResourcesRequest } from '../../src/sync/protocol';
import { type Flavour, type FlavourClient, isGet } from '../helpers/flavours';

/** Quick retries, so that a retried case costs milliseconds (the defaults sleep 1.5 s and more). */
export const QUICK_RETRY = Object.freeze({ initialBackoff: 0.01, maxBackoff: 0.05, jitter: 0 });

/** A response of the Operation API's shape, as a finished completion carries it. */
export const RESPONSE = Object.freeze({
  '@type': 'type.googleapis.com/yandex.cloud.ai.foundation_models.v1.CompletionResponse',
  alternatives: [{ message: { role: 'assistant', text: 'hi' }, status: 'ALTERNATIVE_STATUS_FINAL' }],
});

/** An HTML error page, as a proxy or a load balancer answers in front of the API. */
export const HTML_PAGE = (status: number, reason: string) =>
  `<!DOCTYPE html>\n<html><head><title>${status} ${reason}</title></head>\n<body><center><h1>${status} ${reason}</h1></center><hr><center>nginx</center></body></html>`;

// ---- no unhandled rejection ---------------------------------------------------------------------

const unhandled: unknown[] = [];
process.on('unhandledRejection', (reason) => unhandled.push(reason));

/** Makes every test of the file fail when an unhandled rejection happened during it. */
export function failOnUnhandledRejections(): void {
  afterEach(async () => {
    // A rejection is reported after the microtask queue drains: give it a turn of the loop.
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(unhandled.splice(0), 'unhandled rejections').toEqual([]);
  });
}

// ---- nothing left behind ------------------------------------------------------------------------

type Counts = Record<string, number>;

/**
 * What keeps event loops alive, counted by type (`Timeout`, `TCPSocketWrap`, ...): this thread's,
 * and each SDK worker's (the blocking flavour's sockets and timers live in its worker thread,
 * which this thread's `process.getActiveResourcesInfo()` does not see), by thread id.
 */
export interface Resources {
  thread: Counts;
  workers: Map<number, Counts>;
}

const count = (types: string[]): Counts => {
  const counts: Counts = {};
  for (const type of types) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
};

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The SDK workers that answered the last question: the next one waits for each of them. */
let knownWorkers = new Set<number>();

/**
 * Each SDK worker's resources, as it reports them on `RESOURCES_CHANNEL` (src/sync/protocol.ts).
 * Waits up to 1 s for every worker that answered last time (one that ended since answers nothing).
 */
async function workerResources(): Promise<Map<number, Counts>> {
  const replies = new Map<number, Counts>();
  const channel = new BroadcastChannel(RESOURCES_CHANNEL);
  channel.onmessage = (event) => {
    const reply = (event as { data: ResourcesReply | ResourcesRequest }).data;
    if (reply.type === 'resources') replies.set(reply.threadId, count(reply.resources));
  };
  channel.postMessage({ type: 'resources?' } satisfies ResourcesRequest);
  const until = Date.now() + 1000;
  await pause(20);
  while ([...knownWorkers].some((id) => !replies.has(id)) && Date.now() < until) await pause(10);
  channel.close();
  knownWorkers = new Set(replies.keys());
  return replies;
}

/** Resolves once `n` SDK workers answer (a blocking client's worker boots in the background). */
export async function sdkWorkersUp(n = 1): Promise<void> {
  await until(async () => (await workerResources()).size >= n);
}

/**
 * For the blocking flavour: a client that keeps the SDK's worker running through the tests of the
 * enclosing `describe`, so that a test's own client, closed, frees its sockets there while the
 * worker stays to be asked (the last client's close would end the worker, and with it the check).
 */
export function keepSdkWorker(flavour: Flavour, endpoint: () => string): void {
  let keeper: FlavourClient | null = null;
  beforeAll(async () => {
    if (flavour.name !== 'blocking') return;
    keeper = flavour.client({ endpoint: endpoint(), auth: null });
    await sdkWorkersUp();
  });
  afterAll(() => keeper?.close());
}

/** The resources keeping this thread's loop and the SDK workers' loops alive. */
export async function activeResources(): Promise<Resources> {
  const thread = count(process.getActiveResourcesInfo());
  return { thread, workers: await workerResources() };
}

/** The resources of `after` that `before` did not have. */
function extra(before: Counts, after: Counts): Counts {
  const more: Counts = {};
  for (const [type, n] of Object.entries(after)) if (n > (before[type] ?? 0)) more[type] = n - (before[type] ?? 0);
  return more;
}

/**
 * What is left now beyond `before`: this thread's extras, each SDK worker's extras (as
 * `worker N: Type`), and any SDK worker that did not run then (as `worker N`: a thread left running).
 */
async function leftSince(before: Resources): Promise<Counts> {
  const now = await activeResources();
  const left = extra(before.thread, now.thread);
  for (const [id, counts] of now.workers) {
    const was = before.workers.get(id);
    if (was === undefined) left[`worker ${id}`] = 1;
    for (const [type, n] of Object.entries(extra(was ?? {}, counts))) left[`worker ${id}: ${type}`] = n;
  }
  return left;
}

/**
 * Expects no timer or socket beyond those of `before`, on this thread or in an SDK worker, once
 * the loops have settled (a destroyed socket reports closed a few turns later): waits up to 2 s
 * for them to go, then compares.
 */
export async function expectNothingLeft(before: Resources): Promise<void> {
  const deadline = Date.now() + 2000;
  let left = await leftSince(before);
  while (Object.keys(left).length > 0 && Date.now() < deadline) {
    await pause(20);
    left = await leftSince(before);
  }
  expect(left, 'timers or sockets left behind').toEqual({});
}

// ---- outcomes -----------------------------------------------------------------------------------

export type Outcome = { ok: true; value: unknown; seconds: number } | { ok: false; error: unknown; seconds: number };

/** Runs `call` (a promise, or a blocking call wrapped in one) and records how it ended and how long it took. */
export async function outcomeOf(call: () => Promise<unknown>): Promise<Outcome> {
  const started = performance.now();
  try {
    const value = await call();
    return { ok: true, value, seconds: (performance.now() - started) / 1000 };
  } catch (error) {
    return { ok: false, error, seconds: (performance.now() - started) / 1000 };
  }
}

/** The value of an outcome that must have succeeded (its error is thrown, to show in the report). */
export function okValueOf(outcome: Outcome): unknown {
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}

/** The error of an outcome that must have failed. */
export function errorOf(outcome: Outcome): Error & Record<string, unknown> {
  if (outcome.ok) expect.unreachable(`expected a failure, got ${JSON.stringify(outcome.value)}`);
  return (outcome as { error: Error & Record<string, unknown> }).error;
}

/** Resolves once `check` is true, polling every 10 ms; rejects after `timeoutMs`. */
export async function until(check: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

// ---- the emulator's log -------------------------------------------------------------------------

/** The GETs (of the Operation API, over either protocol) `emu` received for one operation, oldest first. */
export const getsOf = async (emu: Emulator, id: string) => (await emu.requests()).filter((r) => r.operationId === id && isGet(r));

/** The wait options the fault cases start from: quick polls, a 5 s request timeout, a 30 s poll timeout. */
export const WAIT = Object.freeze({ pollInterval: 0.02, timeout: 5, pollTimeout: 30 });

// ---- the built package, for code that runs outside vitest (worker threads, children) -------------

/** The file URL of the built package's ESM entry (what `import 'yc-operation'` resolves to). */
export const DIST_INDEX = new URL('../../dist/index.js', import.meta.url).href;
export const DIST_TESTING = new URL('../../dist/testing/index.js', import.meta.url).href;
export const DIST_CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

// ---- HTTP stand-ins off this thread -----------------------------------------------------------------

/** One request a stand-in received. */
export interface SeenRequest {
  server: string;
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A reply a stand-in sends: status, headers, body. */
export interface StandInReply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface StandIns {
  /** `http://host:port` of each server, by name. */
  urls: Record<string, string>;
  /** Every request received, in order. */
  seen(): Promise<SeenRequest[]>;
  close(): Promise<void>;
}

/**
 * HTTP servers in a worker thread (so that they answer while this thread is blocked in a
 * blocking-flavour call). Each server is `{ host, reply }`; `reply` is the source of a function
 * `(req, urls, body) => StandInReply`, evaluated in the worker, that may refer to the other servers' URLs.
 */
export async function startStandIns(servers: Record<string, { host: string; reply: string }>): Promise<StandIns> {
  const source = `
    const { parentPort, workerData } = require('node:worker_threads');
    const http = require('node:http');
    const seen = [];
    const urls = {};
    const made = [];
    (async () => {
      for (const [name, { host, reply }] of Object.entries(workerData)) {
        const answer = eval('(' + reply + ')');
        const server = http.createServer((req, res) => {
          let body = '';
          req.on('data', (c) => (body += c));
          req.on('end', () => {
            seen.push({ server: name, method: req.method, url: req.url, headers: req.headers, body });
            const r = answer(req, urls, body);
            res.writeHead(r.status, r.headers || {});
            res.end(r.body || '');
          });
        });
        await new Promise((resolve) => server.listen(0, host, resolve));
        urls[name] = 'http://' + host + ':' + server.address().port;
        made.push(server);
      }
      parentPort.postMessage({ kind: 'ready', urls });
    })();
    parentPort.on('message', (m) => {
      if (m === 'seen') parentPort.postMessage({ kind: 'seen', seen });
      if (m === 'close') {
        for (const s of made) s.closeAllConnections();
        Promise.all(made.map((s) => new Promise((r) => s.close(r)))).then(() => parentPort.postMessage({ kind: 'closed' }));
      }
    });
  `;
  const worker = new Worker(source, { eval: true, workerData: servers });
  const next = (kind: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const onMessage = (m: Record<string, unknown>) => {
        if (m.kind !== kind) return;
        worker.off('message', onMessage);
        worker.off('error', reject);
        resolve(m);
      };
      worker.on('message', onMessage);
      worker.on('error', reject);
    });
  const ready = await next('ready');
  return {
    urls: ready.urls as Record<string, string>,
    async seen() {
      const reply = next('seen');
      worker.postMessage('seen');
      return (await reply).seen as SeenRequest[];
    },
    async close() {
      const closed = next('closed');
      worker.postMessage('close');
      await closed;
      await worker.terminate();
    },
  };
}
