/**
 * What every resilience test checks besides its own outcome: no unhandled rejection, no timer or
 * socket left behind, and a bound on the time taken. Plus the small stand-ins some tests need.
 */
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterEach, expect } from 'vitest';

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

/** The resources keeping this thread's event loop alive, counted by type (`Timeout`, `TCPSocketWrap`, ...). */
export function activeResources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}

/** The resources of `after` that `before` did not have. */
function extra(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const more: Record<string, number> = {};
  for (const [type, n] of Object.entries(after)) if (n > (before[type] ?? 0)) more[type] = n - (before[type] ?? 0);
  return more;
}

/**
 * Expects no timer or socket beyond those of `before` once the loop has settled (a destroyed
 * socket reports closed a few turns later): waits up to 2 s for them to go, then compares.
 */
export async function expectNothingLeft(before: Record<string, number>): Promise<void> {
  const until = Date.now() + 2000;
  while (Object.keys(extra(before, activeResources())).length > 0 && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  expect(extra(before, activeResources()), 'timers or sockets left behind').toEqual({});
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
export function valueOf(outcome: Outcome): unknown {
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
