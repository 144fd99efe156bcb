/**
 * Row "allocation": what a poll allocates and what a sleeping wait holds, in this process (the
 * emulator runs in the parent, another process).
 *
 * - Bytes allocated per poll: one `getStatus()` at a time for BENCH_ALLOC_POLLS polls, the JS
 *   heap's growth (`heapUsed`) over the run divided by the polls, with the young generation made
 *   large enough (run with `--min-semi-space-size=128 --max-semi-space-size=128 --expose-gc`)
 *   that no collection runs inside the window: a window in which one ran (a `gc` performance
 *   entry) is measured again, and its figure is `null` if every try saw one. Ours over REST and
 *   over gRPC, and their floors: bare `node:http`, the official SDK, bare grpc-js
 *   (bench/peers.mjs). The median of BENCH_ALLOC_ROUNDS interleaved rounds.
 * - Bytes per sleeping wait: BENCH_ALLOC_WAITS `wait()`s on never-ending operations, every one
 *   asleep after its first poll (poll interval one hour), REST and then gRPC; heap snapshots
 *   before and after each set, after full collections: the retained self size per wait, and the
 *   kinds of object (a snapshot node's type and name) that hold most of it.
 */
import { readFileSync } from 'node:fs';
import v8 from 'node:v8';
import { AsyncOperationsClient } from 'yc-operation';
import { fullGc, heapBytesPerPoll, median, report } from '../lib.mjs';
import { makePeers } from '../peers.mjs';

const input = JSON.parse(readFileSync(process.env.BENCH_ALLOC_FILE, 'utf8'));
const POLLS = Number(process.env.BENCH_ALLOC_POLLS ?? 1000);
const ROUNDS = Number(process.env.BENCH_ALLOC_ROUNDS ?? 3);
const TRIES = 3;
const NAMES = ['ours-rest', 'node-http', 'ours-grpc', 'sdk', 'grpc-js'];
const TOP_KINDS = 6;

const { peers, close } = makePeers(NAMES, input);
for (const poll of Object.values(peers)) for (let i = 0; i < 200; i++) await poll(0);
const perPoll = Object.fromEntries(NAMES.map((name) => [name, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, poll] of Object.entries(peers)) perPoll[name].push(await heapBytesPerPoll(poll, POLLS, TRIES));
}
close();

/** Self size per (type, name) of a heap snapshot of this process, after full collections. */
async function snapshotKinds() {
  await fullGc();
  const { heapUsed } = process.memoryUsage();
  let text = '';
  for await (const chunk of v8.getHeapSnapshot()) text += chunk;
  const { snapshot, nodes, strings } = JSON.parse(text);
  const fields = snapshot.meta.node_fields;
  const types = snapshot.meta.node_types[0];
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
  const kinds = new Map();
  let total = 0;
  for (let i = 0; i < nodes.length; i += fields.length) {
    const size = nodes[i + sizeAt];
    const kind = `${types[nodes[i + typeAt]]} ${strings[nodes[i + nameAt]].slice(0, 60)}`;
    kinds.set(kind, (kinds.get(kind) ?? 0) + size);
    total += size;
  }
  return { total, kinds, heapUsed };
}

/** What `count` sleeping waits hold: snapshot deltas per wait, and the kinds holding most. */
function perWait(before, after, count) {
  const deltas = [...after.kinds].map(([kind, size]) => [kind, (size - (before.kinds.get(kind) ?? 0)) / count]);
  deltas.sort((a, b) => b[1] - a[1]);
  return {
    snapshotBytes: (after.total - before.total) / count,
    heapUsedBytes: (after.heapUsed - before.heapUsed) / count,
    top: deltas.slice(0, TOP_KINDS).map(([kind, bytes]) => ({ kind, bytes })),
  };
}

/** Starts a wait per id on `client` and resolves once every one made its first poll. */
async function sleepingWaits(client, ids) {
  let polled = 0;
  let firstDone;
  const allPolled = new Promise((resolve) => (firstDone = resolve));
  for (const id of ids) {
    client
      .operation(id)
      .wait({ pollInterval: 3600, pollTimeout: 86_400, onProgress: () => ++polled === ids.length && firstDone() })
      .catch(() => {});
  }
  await allPolled;
}

const rest = new AsyncOperationsClient({ endpoint: input.url, auth: null });
const grpc = new AsyncOperationsClient({ endpoint: input.grpcUrl, auth: null, protocol: 'grpc' });
for (const client of [rest, grpc]) for (let i = 0; i < 50; i++) await client.operation(input.ids[0]).getStatus();
const s0 = await snapshotKinds();
await sleepingWaits(rest, input.sleepIds);
const s1 = await snapshotKinds();
await sleepingWaits(grpc, input.sleepIds);
const s2 = await snapshotKinds();

report({
  polls: POLLS,
  perPoll: Object.fromEntries(
    Object.entries(perPoll).map(([name, runs]) => [
      name,
      { bytes: runs.some((r) => r !== null) ? median(runs.filter((r) => r !== null)) : null, runs },
    ]),
  ),
  waits: input.sleepIds.length,
  perWait: { rest: perWait(s0, s1, input.sleepIds.length), grpc: perWait(s1, s2, input.sleepIds.length) },
});
process.exit(0);
