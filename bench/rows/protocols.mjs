/**
 * Rows "gRPC latency" and "gRPC polls per second": the same operations of one emulator (run by the
 * parent, in another process), polled over REST and over gRPC. Latency: `getStatus()` one at a
 * time, async and blocking, in interleaved rounds after a warm-up; p50 and p99. Throughput:
 * BENCH_CONCURRENCY loops, each polling an operation of its own, in interleaved slots; the best
 * slot per protocol, with the client's CPU time per request.
 */
import { readFileSync } from 'node:fs';
import { AsyncOperationsClient, OperationsClient } from 'yc-operation';
import { bestSlot, report, slot as slotOf, summarize, timeSequential } from '../lib.mjs';

const { url, grpcUrl, ids } = JSON.parse(readFileSync(process.env.BENCH_PROTOCOLS_FILE, 'utf8'));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const PER_ROUND = Number(process.env.BENCH_PER_ROUND ?? 300);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 500);
const SLOT_MS = Number(process.env.BENCH_SLOT_MS ?? 2000);
const SLOTS = Number(process.env.BENCH_SLOTS ?? 3);

const clients = [
  new AsyncOperationsClient({ endpoint: url, auth: null }),
  new AsyncOperationsClient({ endpoint: grpcUrl, auth: null, protocol: 'grpc' }),
  new OperationsClient({ endpoint: url, auth: null }),
  new OperationsClient({ endpoint: grpcUrl, auth: null, protocol: 'grpc' }),
];
const [asyncRest, asyncGrpc, blockingRest, blockingGrpc] = clients.map((client) => ids.map((id) => client.operation(id)));

const latency = {
  'async rest': () => asyncRest[0].getStatus(),
  'async grpc': () => asyncGrpc[0].getStatus(),
  'blocking rest': () => blockingRest[0].getStatus(),
  'blocking grpc': () => blockingGrpc[0].getStatus(),
};

for (const fn of Object.values(latency)) await timeSequential(fn, WARMUP);
const samples = Object.fromEntries(Object.keys(latency).map((name) => [name, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, fn] of Object.entries(latency)) await timeSequential(fn, PER_ROUND, samples[name]);
}

const slot = (ops, ms) => slotOf((i) => ops[i].getStatus(), ops.length, ms);

const throughput = { rest: [], grpc: [] };
await slot(asyncRest, 500);
await slot(asyncGrpc, 500);
for (let s = 0; s < SLOTS; s++) {
  throughput.rest.push(await slot(asyncRest, SLOT_MS));
  throughput.grpc.push(await slot(asyncGrpc, SLOT_MS));
}
for (const client of clients) client.close();
report({
  latency: Object.fromEntries(Object.entries(samples).map(([name, s]) => [name, summarize(s)])),
  throughput: { rest: bestSlot(throughput.rest), grpc: bestSlot(throughput.grpc) },
});
