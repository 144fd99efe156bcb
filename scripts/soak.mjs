#!/usr/bin/env node
/**
 * Soak: 100 000 polls on one client against the emulator, printing the heap at intervals, to
 * show that it stays flat (nothing kept per poll, per wait or per failed attempt).
 *
 *   npm run build && node scripts/soak.mjs [--flavour async|blocking] [--polls 100000]
 *
 * Each wait polls an operation that finishes on its 50th poll, 1 ms apart; one operation in five
 * starts with a fault (a 503, a 429, a reset, an HTML 502), retried. The async flavour runs
 * 8 waits at a time; the blocking one, one after another. After a warm-up, the heap is measured
 * after a full GC every `--every` polls; the run fails (exit 1) when the heap after the warm-up
 * grows by more than `--max-growth-mb` (default 4 MB). Time is reported, not judged.
 */
import { parseArgs } from 'node:util';
import v8 from 'node:v8';
import vm from 'node:vm';
import { AsyncOperationsClient, OperationsClient } from 'yc-operation';
import { startEmulator } from 'yc-operation/testing';

const { values } = parseArgs({
  options: {
    flavour: { type: 'string', default: 'async' },
    polls: { type: 'string', default: '100000' },
    every: { type: 'string', default: '10000' },
    'max-growth-mb': { type: 'string', default: '4' },
  },
});
const FLAVOUR = values.flavour;
const TOTAL = Number(values.polls);
const EVERY = Number(values.every);
const MAX_GROWTH_MB = Number(values['max-growth-mb']);
if (!['async', 'blocking'].includes(FLAVOUR) || !(TOTAL > 0) || !(EVERY > 0)) {
  console.error('usage: node scripts/soak.mjs [--flavour async|blocking] [--polls N] [--every N] [--max-growth-mb MB]');
  process.exit(2);
}
// The heap is measured after a full GC. (Not with `node --expose-gc`: worker threads, which the
// emulator and the blocking flavour start, refuse that flag.)
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');

const POLLS_PER_WAIT = 50;
const CONCURRENCY = FLAVOUR === 'async' ? 8 : 1;
const FAULTS = [
  [{ status: 503 }],
  [{ status: 429, retryAfter: '0' }],
  [{ reset: 'before-response' }],
  [{ status: 502, body: '<html><body><h1>502 Bad Gateway</h1></body></html>', contentType: 'text/html' }],
];
const RETRY = { initialBackoff: 0.001, maxBackoff: 0.005, jitter: 0 };

const mb = (bytes) => (bytes / 2 ** 20).toFixed(2);
function heap() {
  gc();
  gc();
  const { heapUsed, rss, external } = process.memoryUsage();
  return { heapUsed, rss, external };
}

const emu = await startEmulator({ requestLogLimit: 0 });
const client =
  FLAVOUR === 'async'
    ? new AsyncOperationsClient({ endpoint: emu.url, auth: null, retry: RETRY })
    : new OperationsClient({ endpoint: emu.url, auth: null, retry: RETRY });

let polls = 0;
let waits = 0;
let nextReport = EVERY;
const samples = [];
const started = performance.now();

function report() {
  const h = heap();
  samples.push({ polls, ...h });
  const base = samples[1] ?? samples[0];
  const delta =
    samples.length > 1
      ? ` (${h.heapUsed >= base.heapUsed ? '+' : ''}${mb(h.heapUsed - base.heapUsed)} MB since ${base.polls} polls)`
      : ' (warm-up)';
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `${String(polls).padStart(7)} polls  ${String(waits).padStart(5)} waits  heapUsed ${mb(h.heapUsed).padStart(6)} MB${delta}  ` +
      `rss ${mb(h.rss)} MB  external ${mb(h.external)} MB  resources ${process.getActiveResourcesInfo().length}  ${seconds} s`,
  );
}

async function oneWait(n) {
  const faults = n % 5 === 0 ? FAULTS[(n / 5) % FAULTS.length] : [];
  const id = await emu.create({ donePolls: POLLS_PER_WAIT, response: { '@type': 'soak', n }, faults });
  const result = await client.operation(id).wait({ pollInterval: 0.001, timeout: 10, pollTimeout: 60, onProgress: () => polls++ });
  if (result.n !== n) throw new Error(`wait ${n} returned ${JSON.stringify(result)}`);
  waits += 1;
  while (polls >= nextReport) {
    report();
    nextReport += EVERY;
  }
}

console.log(`soak: ${FLAVOUR} flavour, ${TOTAL} polls on one client, ${CONCURRENCY} wait(s) at a time, node ${process.version}`);
report();
let n = 0;
async function lane() {
  while (n * POLLS_PER_WAIT < TOTAL) await oneWait(n++);
}
await Promise.all(Array.from({ length: CONCURRENCY }, lane));
client.close();
await emu.close();

const warm = samples[1] ?? samples[0];
const last = samples.at(-1);
const peak = samples.slice(1).reduce((max, s) => Math.max(max, s.heapUsed), 0);
const growthMb = (last.heapUsed - warm.heapUsed) / 2 ** 20;
const seconds = (performance.now() - started) / 1000;
console.log(
  `done: ${polls} polls in ${waits} waits, ${seconds.toFixed(1)} s (${Math.round(polls / seconds)} polls/s); heapUsed after warm-up ` +
    `${mb(warm.heapUsed)} MB, at the end ${mb(last.heapUsed)} MB (${growthMb >= 0 ? '+' : ''}${growthMb.toFixed(2)} MB), peak ${mb(peak)} MB`,
);
if (growthMb > MAX_GROWTH_MB) {
  console.log(`FAIL: the heap grew by ${growthMb.toFixed(2)} MB, more than ${MAX_GROWTH_MB} MB`);
  process.exitCode = 1;
} else {
  console.log(`flat: growth within ${MAX_GROWTH_MB} MB`);
}
