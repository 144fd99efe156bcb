/**
 * Row "10k waits" (and "10k waits over gRPC"): BENCH_WAITS concurrent `AsyncOperation.wait({ pollInterval: 5 })`, on
 * operations of the emulator (run by the parent, in another process) that finish 5 to 20 s after
 * they were created. Measures, in this process only: the extra RSS and heap at their peak over a
 * baseline taken after start-up and a warm-up call, the event loop's delay
 * (`monitorEventLoopDelay`) while the waits run, and the polls made.
 * Run with `--expose-gc`, so that the baseline is taken after a full collection.
 */
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { AsyncOperationsClient } from 'yc-operation';
import { report } from '../lib.mjs';

const MB = 1024 * 1024;
const { url, ids, warmupId, protocol } = JSON.parse(readFileSync(process.env.BENCH_WAITS_FILE, 'utf8'));

const client = new AsyncOperationsClient({ endpoint: url, auth: null, protocol });
for (let i = 0; i < 20; i++) await client.operation(warmupId).getStatus();
globalThis.gc?.();
await new Promise((resolve) => setTimeout(resolve, 100));
globalThis.gc?.();
const base = process.memoryUsage();
let peakRss = base.rss;
let peakHeap = base.heapUsed;
const sampler = setInterval(() => {
  const now = process.memoryUsage();
  peakRss = Math.max(peakRss, now.rss);
  peakHeap = Math.max(peakHeap, now.heapUsed);
}, 50);

const lag = monitorEventLoopDelay({ resolution: 10 });
lag.enable();
let polls = 0;
let failed = 0;
const started = performance.now();
const results = await Promise.all(ids.map((id) =>
  client.operation(id).wait({ pollInterval: 5, onProgress: () => polls++ }).then(() => true, (error) => {
    if (failed++ === 0) console.error(`first failed wait: ${error?.message ?? error}`);
    return false;
  })));
const elapsedMs = performance.now() - started;
lag.disable();
clearInterval(sampler);
const end = process.memoryUsage();
peakRss = Math.max(peakRss, end.rss);
peakHeap = Math.max(peakHeap, end.heapUsed);
client.close();

report({
  waits: ids.length,
  completed: results.filter(Boolean).length,
  failed,
  polls,
  elapsedS: elapsedMs / 1000,
  extraRssMB: (peakRss - base.rss) / MB,
  extraHeapMB: (peakHeap - base.heapUsed) / MB,
  baseRssMB: base.rss / MB,
  lagP50Ms: lag.percentile(50) / 1e6,
  lagP99Ms: lag.percentile(99) / 1e6,
  lagMaxMs: lag.max / 1e6,
});
