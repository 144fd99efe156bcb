/**
 * `node bench/profile.mjs [--json=<file>] [--keep=<dir>]` (after `npm run build`): where a poll's CPU goes. Each
 * client of bench/peers.mjs — ours over gRPC, the official SDK, bare grpc-js, ours over REST,
 * bare node:http — polls the emulator (a worker thread here; the client in a child process,
 * bench/rows/cpu-profile.mjs) with 64 in flight under V8's CPU profiler. The samples' self time is
 * grouped by where the code lives: our source files (the build's source maps lead back to src/),
 * grpc-js, protobufjs, axios, nice-grpc and the SDK, Node's own modules, V8 (garbage collection,
 * builtins); each group's share of the samples times the client's CPU time per poll
 * (`process.cpuUsage()` over the same polls) gives its microseconds per poll, which a loaded
 * machine's descheduling does not inflate. Prints, per client, the groups and the top functions
 * by self time; `--keep` keeps the `.cpuprofile` files (Chrome DevTools opens them). docs/performance-notes.md reads a run of it.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator } from 'yc-operation/testing';
import { ROOT, runRow } from './lib.mjs';

const ALL = { 'ours-grpc': 6000, sdk: 6000, 'grpc-js': 6000, 'ours-rest': 8000, 'node-http': 8000 };
const only = process.env.BENCH_PROFILE_PEERS?.split(',');
const PEERS = only ? Object.fromEntries(only.map((peer) => [peer, ALL[peer]])) : ALL;
const LOOPS = 64;
const TOP_FUNCTIONS = Number(process.env.BENCH_PROFILE_TOP ?? 12);
const jsonArg = process.argv.find((arg) => arg.startsWith('--json='));
const keepDir = process.argv.find((arg) => arg.startsWith('--keep='))?.slice('--keep='.length);
/** Source maps of the build, read once per file. */
const maps = new Map();

const emulator = await startEmulator({ requestLogLimit: 0, grpc: true });
const dir = mkdtempSync(join(tmpdir(), 'yc-profile-'));
const results = {};
if (keepDir) mkdirSync(keepDir, { recursive: true });
try {
  const ids = await Promise.all(Array.from({ length: LOOPS }, () => emulator.create({ never: true })));
  const file = join(dir, 'peers.json');
  writeFileSync(file, JSON.stringify({ url: emulator.url, grpcUrl: emulator.grpcUrl, ids }));
  for (const [peer, polls] of Object.entries(PEERS)) {
    process.stderr.write(`profile: ${peer}, ${polls} polls\n`);
    const out = join(keepDir ?? dir, `${peer}.cpuprofile`);
    const run = await runRow('cpu-profile', {
      BENCH_PROTOCOLS_FILE: file,
      BENCH_PROFILE_PEER: peer,
      BENCH_PROFILE_POLLS: String(polls),
      BENCH_PROFILE_OUT: out,
    });
    results[peer] = {
      ...run,
      cpuUsPerPoll: run.cpuUs / run.polls,
      ...attribute(JSON.parse(readFileSync(out, 'utf8')), run.cpuUs / run.polls),
    };
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
  await emulator.close();
}
if (jsonArg) writeFileSync(jsonArg.slice('--json='.length), `${JSON.stringify(results, null, 2)}\n`);
for (const [peer, r] of Object.entries(results)) {
  const line = (label, us) => `  ${us.toFixed(1).padStart(7)} µs  ${label}`;
  process.stdout.write(
    `\n${peer}: ${r.cpuUsPerPoll.toFixed(0)} µs of CPU per poll (${r.polls} polls, ${LOOPS} in flight, ${r.samples} samples)\n`,
  );
  process.stdout.write(`${r.layers.map(([label, us]) => line(label, us)).join('\n')}\n  by file or package:\n`);
  process.stdout.write(`${r.groups.map(([label, us]) => line(label, us)).join('\n')}\n  top functions (self):\n`);
  process.stdout.write(`${r.functions.map(([label, us]) => line(label, us)).join('\n')}\n`);
}

function sourceMapOf(path) {
  if (!maps.has(path)) maps.set(path, existsSync(`${path}.map`) ? new SourceMap(JSON.parse(readFileSync(`${path}.map`, 'utf8'))) : null);
  return maps.get(path);
}

/** Where a profile node's code lives: [group, a label for the function]. */
function placeOf({ functionName, url, lineNumber, columnNumber }) {
  const name = functionName || '(anonymous)';
  if (!url) {
    if (name === '(garbage collector)') return ['V8: garbage collection', name];
    if (name === '(program)') return ['V8: (program), native code', name];
    return ['native: V8 builtins, Node bindings (socket writes)', name];
  }
  if (url.startsWith('node:')) {
    const module = url
      .replace(/^node:(internal\/)?/, '')
      .split('/')
      .slice(0, 2)
      .join('/');
    return [
      `Node: ${/^(http2|http|_http|net|stream|streams|timers|url|buffer|events|perf_hooks|async_hooks|process)/.exec(module)?.[1] ?? 'other'}`,
      `${name} (${module})`,
    ];
  }
  const path = url.startsWith('file:') ? fileURLToPath(url) : url;
  const at = relative(ROOT, path);
  if (at.startsWith('dist/')) {
    const entry = sourceMapOf(path)?.findEntry(lineNumber, columnNumber);
    const source = entry?.originalSource
      ? `src/${entry.originalSource
          .split('/src/')
          .pop()
          .replace(/^(\.\.\/)+src\//, '')}`
      : at;
    return [`ours: ${source}`, `${name} (${source}:${(entry?.originalLine ?? lineNumber) + 1})`];
  }
  const pkg =
    /node_modules\/((@[^/]+\/)?[^/]+)/.exec(at.split('node_modules/').length > 2 ? at.slice(at.lastIndexOf('node_modules/')) : at)?.[1] ??
    at;
  const group = {
    '@grpc/grpc-js': 'grpc-js',
    protobufjs: 'protobufjs',
    axios: 'axios',
    'nice-grpc': 'nice-grpc',
    'nice-grpc-common': 'nice-grpc',
    'nice-grpc-client-middleware-deadline': 'nice-grpc',
    'abort-controller-x': 'nice-grpc',
    '@yandex-cloud/nodejs-sdk': 'the SDK (ts-proto codec, middleware)',
    long: 'long (int64s of protobufjs and ts-proto)',
  }[pkg];
  return [group ?? (at.startsWith('bench/') ? 'the bench loop' : `other: ${pkg}`), `${name} (${pkg}:${lineNumber + 1})`];
}

/** The layer of a group of {@link placeOf}: our code split by role, then the libraries, Node and V8. */
function layerOf(group) {
  if (group.startsWith('ours: src/proto/')) return 'ours: protobuf ⇄ JSON mapping (src/proto/)';
  if (group === 'ours: src/transport/grpc-channel.ts') return 'ours: channel wrapper, metadata (src/transport/grpc-channel.ts)';
  if (group === 'ours: src/transport/grpc.ts') return 'ours: gRPC transport call (src/transport/grpc.ts)';
  if (group === 'ours: src/transport/rest.ts') return 'ours: REST transport call (src/transport/rest.ts)';
  if (group === 'ours: src/transport/http-adapter.ts') return 'ours: axios adapter (src/transport/http-adapter.ts)';
  if (group.startsWith('ours: ')) return 'ours: the pipeline (client, shared polls, machine, request line, call bounds, aborts)';
  if (group.startsWith('Node: ')) return 'Node (http, http2, streams, events, timers, ...)';
  if (group.startsWith('V8: ') || group.startsWith('native: ')) return 'V8 and native (GC, builtins, socket writes)';
  return group;
}

/** Self time per group and per function, in µs per poll: shares of the non-idle samples times the CPU per poll. */
function attribute(profile, cpuUsPerPoll) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const hits = new Map();
  for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
  const groups = new Map();
  const functions = new Map();
  let busy = 0;
  for (const [id, count] of hits) {
    const { callFrame } = byId.get(id);
    if (callFrame.functionName === '(idle)') continue;
    const [group, fn] = placeOf(callFrame);
    groups.set(group, (groups.get(group) ?? 0) + count);
    functions.set(fn, (functions.get(fn) ?? 0) + count);
    busy += count;
  }
  const layers = new Map();
  for (const [group, count] of groups) layers.set(layerOf(group), (layers.get(layerOf(group)) ?? 0) + count);
  const inUs = (map, limit) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([label, count]) => [label, (count / busy) * cpuUsPerPoll]);
  return { samples: busy, layers: inUs(layers, Infinity), groups: inUs(groups, Infinity), functions: inUs(functions, TOP_FUNCTIONS) };
}
