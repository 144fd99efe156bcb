/**
 * Row "10k waits" (and "10k waits over gRPC"): BENCH_WAITS concurrent `AsyncOperation.wait({ pollInterval: 5 })`, on
 * operations of the emulator (run by the parent, in another process) that finish 5 to 20 s after
 * they were created. Measures, in this process only: the extra RSS and heap at their peak over a
 * baseline taken after start-up and a warm-up call, the live heap after a full collection at 3 s
 * (all waits started and asleep) and at 12 s (polls in flight), the event loop's delay
 * (`monitorEventLoopDelay`) while the waits run, the polls made, and the synchronous start of a
 * wait (the time to call them all, divided by their number).
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
let liveHeap = 0;
const collect = () => {
  globalThis.gc?.();
  liveHeap = Math.max(liveHeap, process.memoryUsage().heapUsed);
};
const collections = [setTimeout(collect, 3000), setTimeout(collect, 12_000)];
const started = performance.now();
const waits = ids.map((id) =>
  client.operation(id).wait({ pollInterval: 5, onProgress: () => polls++ }).then(() => true, (error) => {
    if (failed++ === 0) console.error(`first failed wait: ${error?.message ?? error}`);
    return false;
  }));
const startUsPerWait = ((performance.now() - started) * 1000) / ids.length;
const results = await Promise.all(waits);
const elapsedMs = performance.now() - started;
for (const timer of collections) clearTimeout(timer);
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
  liveHeapMB: (liveHeap - base.heapUsed) / MB,
  startUsPerWait,
  baseRssMB: base.rss / MB,
  lagP50Ms: lag.percentile(50) / 1e6,
  lagP99Ms: lag.percentile(99) / 1e6,
  lagMaxMs: lag.max / 1e6,
});
