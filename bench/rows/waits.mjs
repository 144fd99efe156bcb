/**
 * Rows "10k waits", "10k waits over gRPC" and "100k waits" (REST and gRPC): concurrent
 * `AsyncOperation.wait({ pollInterval })` (BENCH_WAITS_POLL_INTERVAL seconds, default 5), one per
 * operation id of the emulator (run by the parent, in another process), whose scripts the parent
 * chose (10k: done 5 to 20 s after creation; 100k: done on the second poll). Measures, in this process only: the extra RSS and heap at their peak over a
 * baseline taken after start-up and a warm-up call, the live heap after a full collection at 3 s
 * (all waits started and asleep) and at 12 s (polls in flight), the event loop's delay
 * (`monitorEventLoopDelay`) while the waits run, the polls made, and the synchronous start of a
 * wait (the time to call them all, divided by their number).
 * With BENCH_WAITS_DEADLINE_S, the row reports what completed by then (`completed` < `waits`) and
 * exits, so that a slow machine bounds it rather than stretches it.
 * Run with `--expose-gc`, so that the baseline is taken after a full collection.
 */
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { AsyncOperationsClient } from 'yc-operation';
import { report } from '../lib.mjs';

const MB = 1024 * 1024;
const { url, ids, warmupId, protocol } = JSON.parse(readFileSync(process.env.BENCH_WAITS_FILE, 'utf8'));
const POLL_INTERVAL = Number(process.env.BENCH_WAITS_POLL_INTERVAL ?? 5);
const DEADLINE_S = Number(process.env.BENCH_WAITS_DEADLINE_S ?? Infinity);

const client = new AsyncOperationsClient({ endpoint: url, auth: null, protocol });
for (let i = 0; i < 20; i++) await client.operation(warmupId).getStatus();
globalThis.gc?.();
await new Promise((resolve) => setTimeout(resolve, 100));
globalThis.gc?.();
const base = process.memoryUsage();
let peakRss = base.rss;
let peakHeap = base.heapUsed;
let sampleErrors = 0;
/** `process.memoryUsage()`, or null when it failed: out of file descriptors (EMFILE), reading /proc fails too. */
const memory = () => {
  try {
    return process.memoryUsage();
  } catch {
    sampleErrors++;
    return null;
  }
};
const sample = () => {
  const now = memory();
  peakRss = Math.max(peakRss, now?.rss ?? 0);
  peakHeap = Math.max(peakHeap, now?.heapUsed ?? 0);
};
const sampler = setInterval(sample, 50);

const lag = monitorEventLoopDelay({ resolution: 10 });
lag.enable();
let polls = 0;
let failed = 0;
let firstError = null;
let liveHeap = 0;
const collect = () => {
  globalThis.gc?.();
  liveHeap = Math.max(liveHeap, memory()?.heapUsed ?? 0);
};
const collections = [setTimeout(collect, 3000), setTimeout(collect, 12_000)];
const started = performance.now();
let completed = 0;
const waits = ids.map((id) =>
  client
    .operation(id)
    .wait({ pollInterval: POLL_INTERVAL, onProgress: () => polls++ })
    .then(
      () => completed++,
      (error) => {
        if (failed++ === 0) firstError = String(error?.message ?? error).slice(0, 200);
        return false;
      },
    ),
);
const startUsPerWait = ((performance.now() - started) * 1000) / ids.length;
/** The figures so far; `timedOut` unless every wait settled. */
const figures = (timedOut) => ({
  waits: ids.length,
  completed,
  timedOut,
  failed,
  firstError,
  sampleErrors,
  polls,
  elapsedS: (performance.now() - started) / 1000,
  extraRssMB: (peakRss - base.rss) / MB,
  extraHeapMB: (peakHeap - base.heapUsed) / MB,
  liveHeapMB: (liveHeap - base.heapUsed) / MB,
  startUsPerWait,
  baseRssMB: base.rss / MB,
  lagP50Ms: lag.percentile(50) / 1e6,
  lagP99Ms: lag.percentile(99) / 1e6,
  lagMaxMs: lag.max / 1e6,
});
// A stalled event loop can hold the deadline's timer far past it, until the parent kills this
// process: the figures so far, every second the loop runs, are what the parent then reports.
const progress = setInterval(() => process.stdout.write(`PROGRESS ${JSON.stringify(figures(true))}\n`), 1000);
let deadline;
const allDone = await Promise.race([
  Promise.all(waits).then(() => true),
  ...(Number.isFinite(DEADLINE_S) ? [new Promise((resolve) => (deadline = setTimeout(resolve, DEADLINE_S * 1000, false)))] : []),
]);
clearTimeout(deadline);
clearInterval(progress);
for (const timer of collections) clearTimeout(timer);
clearInterval(sampler);
sample();
const result = figures(!allDone);
lag.disable();
client.close();
report(result);
// Waits cut off by the deadline are still asleep or in flight: end here rather than wait for them.
if (!allDone) process.exit(0);
