/**
 * Where a blocking call's time goes: `node bench/sync-roundtrip.mjs` (after `npm run build`) times,
 * in interleaved rounds in one process, against the minimal server (bench/server.mjs, a child):
 *
 * - futex:   a bare round trip of two threads on a SharedArrayBuffer, the worker blocked in
 *            `Atomics.wait` (no event loop, no message): the floor of any two-thread round trip;
 * - port:    synckit's mechanism without synckit: `postMessage` to a worker waiting in its event
 *            loop, which answers with `postMessage` on a MessageChannel and `Atomics.notify`; the
 *            caller waits in `Atomics.wait` and reads with `receiveMessageOnPort`;
 * - synckit: a no-op synckit call (`startWorkerThread`, `runAsWorker` answering `null`);
 * - portPoll: the `port` round trip whose worker does `AsyncOperation.getStatus()` and answers
 *            `null`: the least a blocking poll through any worker can cost;
 * - pollInWorker: a synckit call whose worker does `AsyncOperation.getStatus()` and answers
 *            `null`: the least a blocking poll through synckit can cost;
 * - blocking: `Operation.getStatus()`, the SDK's blocking call;
 * - async:   `AsyncOperation.getStatus()` on the caller's thread.
 *
 * For each: p50 in microseconds, and the process's CPU microseconds per call (all threads,
 * `process.cpuUsage()`). With BEFORE_DIST=<dir>/index.js, a second blocking client of that build
 * runs in the same rounds (`blockingBefore`); its worker is the `sync/worker.js` next to it.
 * This file is also the workers' script (see the bottom).
 */

import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isMainThread, receiveMessageOnPort, Worker, workerData } from 'node:worker_threads';

const require = createRequire(import.meta.url);
const self = fileURLToPath(import.meta.url);
const id = 'bench0000000000000000';

if (isMainThread) await main();
else await worker();

async function main() {
  const { percentile, startServer } = await import('./lib.mjs');
  const { AsyncOperationsClient, OperationsClient } = await import('yc-operation');
  const { startWorkerThread } = require('synckit');
  const server = await startServer();
  const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
  const PER_ROUND = Number(process.env.BENCH_PER_ROUND ?? 300);
  try {
    // futex: the worker waits on cell 0 for the request count to change and answers in cell 1.
    const futexCells = new Int32Array(new SharedArrayBuffer(8));
    const futexWorker = new Worker(self, { workerData: { mode: 'futex', cells: futexCells.buffer } });
    futexWorker.unref();
    let sent = 0;
    const futex = () => {
      sent += 1;
      Atomics.store(futexCells, 0, sent);
      Atomics.notify(futexCells, 0);
      while (Atomics.load(futexCells, 1) !== sent) Atomics.wait(futexCells, 1, sent - 1, 1000);
    };
    // port: a request by postMessage, the answer by a MessageChannel and a notify.
    const portCells = new Int32Array(new SharedArrayBuffer(4));
    const { port1, port2 } = new MessageChannel();
    const portWorker = new Worker(self, { workerData: { mode: 'port', cells: portCells.buffer, port: port2 }, transferList: [port2] });
    portWorker.unref();
    const port = (request = null) => {
      portWorker.postMessage({ args: [request] });
      for (;;) {
        Atomics.wait(portCells, 0, 0, 1000);
        const got = receiveMessageOnPort(port1);
        if (got) {
          Atomics.sub(portCells, 0, 1);
          return got.message;
        }
      }
    };
    const syncFn = startWorkerThread(self, { timeout: 5000 });
    const asyncClient = new AsyncOperationsClient({ endpoint: server.url, auth: null });
    const syncClient = new OperationsClient({ endpoint: server.url, auth: null });
    const asyncOp = asyncClient.operation(id);
    const syncOp = syncClient.operation(id);
    const variants = {
      futex,
      port,
      synckit: () => syncFn({ kind: 'noop' }),
      portPoll: () => port({ kind: 'poll', url: server.url }),
      pollInWorker: () => syncFn({ kind: 'poll', url: server.url }),
      blocking: () => syncOp.getStatus(),
      async: () => asyncOp.getStatus(),
    };
    let before = null;
    if (process.env.BEFORE_DIST) {
      const base = await import(pathToFileURL(process.env.BEFORE_DIST).href);
      const workerPath = join(dirname(process.env.BEFORE_DIST), 'sync', 'worker.js');
      before = new base.OperationsClient({ endpoint: server.url, auth: null, workerPath });
      const beforeOp = before.operation(id);
      variants.blockingBefore = () => beforeOp.getStatus();
    }
    const samples = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
    const cpu = Object.fromEntries(Object.keys(variants).map((name) => [name, 0]));
    for (const fn of Object.values(variants)) for (let i = 0; i < 500; i++) await fn();
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, fn] of Object.entries(variants)) {
        const used = process.cpuUsage();
        for (let i = 0; i < PER_ROUND; i++) {
          const start = performance.now();
          await fn();
          samples[name].push(performance.now() - start);
        }
        const spent = process.cpuUsage(used);
        cpu[name] += spent.user + spent.system;
      }
    }
    asyncClient.close();
    syncClient.close();
    before?.close();
    const us = (ms) => Math.round(ms * 10000) / 10;
    const result = Object.fromEntries(
      Object.keys(variants).map((name) => [
        name,
        { p50Us: us(percentile(samples[name], 50)), cpuUsPerCall: Math.round(cpu[name] / samples[name].length) },
      ]),
    );
    result.blockingOverAsyncP50 = Math.round((result.blocking.p50Us / result.async.p50Us) * 100) / 100;
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await server.stop();
  }
}

async function worker() {
  if (workerData?.mode === 'futex') {
    const cells = new Int32Array(workerData.cells);
    for (let seen = 0; ; ) {
      Atomics.wait(cells, 0, seen);
      seen = Atomics.load(cells, 0);
      Atomics.store(cells, 1, seen);
      Atomics.notify(cells, 1);
    }
  }
  if (workerData?.mode === 'port') {
    const cells = new Int32Array(workerData.cells);
    const { parentPort } = await import('node:worker_threads');
    const { AsyncOperationsClient } = await import('yc-operation');
    let op = null;
    parentPort.on('message', async ({ args: [request] }) => {
      if (request?.kind === 'poll') {
        op ??= new AsyncOperationsClient({ endpoint: request.url, auth: null }).operation(id);
        await op.getStatus();
      }
      workerData.port.postMessage({ result: null });
      Atomics.add(cells, 0, 1);
      Atomics.notify(cells, 0);
    });
    return;
  }
  const { AsyncOperationsClient } = await import('yc-operation');
  let op = null;
  require('synckit').runAsWorker(async (request) => {
    if (request.kind === 'poll') {
      op ??= new AsyncOperationsClient({ endpoint: request.url, auth: null }).operation(id);
      await op.getStatus();
    }
    return null;
  });
}
