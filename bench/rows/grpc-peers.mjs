/**
 * Row "gRPC vs the official SDK": our gRPC `getStatus()`, the official SDK's OperationService
 * client (nice-grpc and its middleware), the SDK's generated grpc-js client, and bare grpc-js
 * (bench/peers.mjs), on the same grpc-js server: the emulator's gRPC side, run by the parent in
 * another process. Polls per second with BENCH_CONCURRENCY in flight (interleaved slots, the best
 * per client, with the client's CPU per poll), and sequential latency (interleaved rounds after a
 * warm-up; p50 and p99). With `BEFORE_DIST=<another build's dist/index.js>` (one whose folder
 * resolves `@grpc/grpc-js`), that build's gRPC client runs beside ours as `before-grpc`, in the same
 * rounds and slots, for before/after ratios of one machine state.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { bestSlot, report, slot, summarize, timeSequential } from '../lib.mjs';
import { makePeers } from '../peers.mjs';

const input = JSON.parse(readFileSync(process.env.BENCH_PROTOCOLS_FILE, 'utf8'));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const PER_ROUND = Number(process.env.BENCH_PER_ROUND ?? 200);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 300);
const SLOT_MS = Number(process.env.BENCH_SLOT_MS ?? 1500);
const SLOTS = Number(process.env.BENCH_SLOTS ?? 3);
const NAMES = ['ours-grpc', 'sdk', 'sdk-grpc-js', 'grpc-js'];

const { peers, close } = makePeers(NAMES, input);
const loops = input.ids.length;
let before = null;
if (process.env.BEFORE_DIST) {
  const { AsyncOperationsClient } = await import(pathToFileURL(process.env.BEFORE_DIST).href);
  before = new AsyncOperationsClient({ endpoint: input.grpcUrl, auth: null, protocol: 'grpc' });
  const ops = input.ids.map((id) => before.operation(id));
  peers['before-grpc'] = (i) => ops[i].getStatus();
  NAMES.push('before-grpc');
}

for (const poll of Object.values(peers)) await timeSequential(() => poll(0), WARMUP);
const samples = Object.fromEntries(NAMES.map((name) => [name, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, poll] of Object.entries(peers)) await timeSequential(() => poll(0), PER_ROUND, samples[name]);
}

for (const poll of Object.values(peers)) await slot(poll, loops, 300);
const slots = Object.fromEntries(NAMES.map((name) => [name, []]));
for (let s = 0; s < SLOTS; s++) {
  for (const [name, poll] of Object.entries(peers)) slots[name].push(await slot(poll, loops, SLOT_MS));
}
close();
before?.close();
report({
  loops,
  latency: Object.fromEntries(Object.entries(samples).map(([name, s]) => [name, summarize(s)])),
  throughput: Object.fromEntries(Object.entries(slots).map(([name, s]) => [name, bestSlot(s)])),
});
