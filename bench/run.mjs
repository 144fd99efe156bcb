/**
 * `npm run bench`: what this SDK costs its users, as ratios measured in one run against the
 * physical floor (bare `node:http`), bare axios and a peer waiter, printed as one table.
 * `npm run -s bench -- --json` prints the same figures as JSON instead (progress goes to stderr);
 * `--json=<file>` writes them to a file and still prints the table; `--from <file>` prints the
 * table of figures saved before; `--only=<section,…>` runs only those sections of `measure()` (their
 * `wanted()` names) and prints their raw figures as JSON, without the table.
 *
 * Every server runs outside the measured client: the minimal server (bench/server.mjs) in a
 * child process, the emulator in a worker thread of this process while the client runs in a child.
 * Each row runs in a fresh child process (bench/rows/). Traffic goes to 127.0.0.1 only.
 */
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator } from 'yc-operation/testing';
import { median, ROOT, runRow, startServer } from './lib.mjs';

const jsonArg = process.argv.find((arg) => arg === '--json' || arg.startsWith('--json='));
const jsonFile = jsonArg?.startsWith('--json=') ? jsonArg.slice('--json='.length) : null;
const log = (line) => process.stderr.write(`bench: ${line}\n`);
const BOOT_RUNS = 5;
const EXIT_RUNS = 5;
const IMPORT_RUNS = 10;
const CLI_RUNS = 5;
const WAITS = 10_000;
const HUNDRED_K = 100_000;
const ALLOC_WAITS = 10_000;
const HUNDRED_K_POLL_INTERVAL = 10;
/**
 * The 100k row's cut-off: a fixed run ends in 36 s (REST) and 63 s (gRPC) on the bench's 2-core
 * machine (docs/performance-notes.md, "Per-poll garbage and the peak RSS"); twice the slower.
 */
const HUNDRED_K_DEADLINE_S = Number(process.env.BENCH_100K_DEADLINE_S ?? 120);
const PROTOCOL_OPS = Number(process.env.BENCH_CONCURRENCY ?? 64);
const MB = 1024 * 1024;

const onlyArg = process.argv.find((arg) => arg.startsWith('--only='));
const only = onlyArg ? new Set(onlyArg.slice('--only='.length).split(',')) : null;
/** True when the section `name` runs: always, unless `--only=<name,…>` names others. */
const wanted = (name) => only === null || only.has(name);

const fromIndex = process.argv.indexOf('--from');
const { machine, figures } =
  fromIndex > 0 ? JSON.parse(readFileSync(process.argv[fromIndex + 1], 'utf8')) : { machine: thisMachine(), figures: await measure() };

/** Runs every row; the figures as measured. */
async function measure() {
  const server = await startServer();
  const figures = {};
  try {
    if (wanted('latency')) {
      log('latency: blocking, async, axios, node:http (interleaved rounds)');
      figures.latency = await runRow('latency', { BENCH_URL: server.url });
    }
    if (wanted('throughput')) {
      log('polls per second');
      figures.throughput = await runRow('throughput', { BENCH_URL: server.url });
    }
    if (wanted('boot')) {
      log(`worker boot (${BOOT_RUNS} fresh processes, cold and after 150 ms of other work)`);
      const boots = [];
      const warmBoots = [];
      for (let i = 0; i < BOOT_RUNS; i++) {
        boots.push(await runRow('boot', { BENCH_URL: server.url, BENCH_BOOT_WORK_MS: '0' }));
        warmBoots.push(await runRow('boot', { BENCH_URL: server.url, BENCH_BOOT_WORK_MS: '150' }));
      }
      figures.boot = {
        firstMs: median(boots.map((b) => b.firstMs)),
        firstMaxMs: Math.max(...boots.map((b) => b.firstMs)),
        afterWorkMs: median(warmBoots.map((b) => b.firstMs)),
        laterP50Ms: median(boots.map((b) => b.laterP50Ms)),
        runs: boots,
        afterWorkRuns: warmBoots,
      };
    }
    if (wanted('import')) {
      log(`import (${IMPORT_RUNS} fresh processes each: bare, import, require)`);
      figures.import = await importTimes();
    }
    if (wanted('exit')) {
      log(`exit (${EXIT_RUNS} processes, and as many bare and undici ones)`);
      const exits = [];
      const bare = [];
      const undici = [];
      for (let i = 0; i < EXIT_RUNS; i++) {
        exits.push(await exitDelay({ BENCH_URL: server.url }));
        bare.push(await exitDelay({ BENCH_BARE: '1' }));
        undici.push(await exitDelay({ BENCH_URL: server.url, BENCH_UNDICI: '1' }));
      }
      figures.exit = { ms: median(exits), maxMs: Math.max(...exits), bareMs: median(bare), undiciMs: median(undici), runs: exits };
    }
    if (wanted('lag')) {
      log('detection lag, ours and the peer (about 15 s)');
      figures.lag = await runRow('lag');
    }
    if (wanted('cli')) {
      log(`yc-operation get against the emulator (${CLI_RUNS} runs, and as many bare ones)`);
      figures.cli = await cliGet();
    }
    if (wanted('waits')) {
      log(`${WAITS} concurrent waits (about 25 s)`);
      figures.waits = await manyWaits('rest');
    }
    if (wanted('protocols')) {
      log('REST and gRPC on one emulator: latency and polls per second');
      figures.protocols = await protocolRows();
    }
    if (wanted('grpcWaits')) {
      log(`${WAITS} concurrent waits over gRPC (about 25 s)`);
      figures.grpcWaits = await manyWaits('grpc');
    }
    if (wanted('emulatorRows')) {
      ({ peers: figures.grpcPeers, alloc: figures.alloc } = await emulatorRows());
    }
    if (wanted('hundredK')) {
      for (const protocol of ['rest', 'grpc']) {
        log(`${HUNDRED_K} concurrent waits over ${protocol} (cut off after ${HUNDRED_K_DEADLINE_S} s)`);
        figures[`hundredK_${protocol}`] = await manyWaits(protocol, HUNDRED_K).catch((error) => ({
          error: String(error.message).replaceAll(/\s+/g, ' ').slice(0, 300),
        }));
      }
    }
    if (wanted('importCost')) {
      log(`import cost (${IMPORT_RUNS} fresh processes each, REST-only and gRPC)`);
      figures.importCost = await importCost();
    }
    if (wanted('queue')) {
      if (spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0) {
        log('yc-operation/bullmq: Redis per poll, 4 worker processes vs one client, on one Redis and on a cluster (about 60 s)');
        figures.queue = await runRow('bullmq');
      } else {
        log('yc-operation/bullmq row skipped: no redis-server on PATH (Debian: apt-get install -y redis-server)');
        figures.queue = { skipped: 'no redis-server on PATH' };
      }
    }
  } finally {
    await server.stop();
  }
  return figures;
}

if (only !== null) {
  process.stdout.write(`${JSON.stringify({ machine, figures }, null, 2)}\n`);
  process.exit(0);
}
const rows = table(figures);
const asJson = `${JSON.stringify({ machine, rows, figures }, null, 2)}\n`;
if (jsonFile) writeFileSync(jsonFile, asJson);
if (jsonArg && !jsonFile) {
  process.stdout.write(asJson);
} else {
  process.stdout.write(
    `${render(rows)}\n\nMachine: ${machine.cpus} CPUs (${machine.cpuModel}), Node ${machine.node}, ${machine.platform}; ${machine.date}\n`,
  );
}

/** Milliseconds from a child's LAST line to its exit. */
async function exitDelay(env) {
  const child = spawn(process.execPath, [fileURLToPath(new URL('./rows/exit-child.mjs', import.meta.url))], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  let lastAt = null;
  child.stdout.on('data', (chunk) => {
    out += chunk;
    if (lastAt === null && out.includes('LAST')) lastAt = performance.now();
  });
  const [code] = await once(child, 'exit');
  if (code !== 0 || lastAt === null) throw new Error(`the exit child failed (code ${code}): ${out}`);
  return performance.now() - lastAt;
}

/** The emulator here (a worker thread), both protocols; the clients in a child process. */
async function protocolRows() {
  const emulator = await startEmulator({ requestLogLimit: 0, grpc: true });
  const dir = mkdtempSync(join(tmpdir(), 'yc-bench-'));
  try {
    const ids = await Promise.all(Array.from({ length: PROTOCOL_OPS }, () => emulator.create({ never: true })));
    const file = join(dir, 'protocols.json');
    writeFileSync(file, JSON.stringify({ url: emulator.url, grpcUrl: emulator.grpcUrl, ids }));
    return await runRow('protocols', { BENCH_PROTOCOLS_FILE: file });
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await emulator.close();
  }
}

/**
 * The emulator here (a worker thread, both protocols), the clients in child processes: the gRPC
 * peers row (ours, the official SDK, grpc-js) and the allocation row, the latter with
 * ALLOC_WAITS more never-ending operations for its sleeping waits.
 */
async function emulatorRows() {
  const emulator = await startEmulator({ requestLogLimit: 0, grpc: true });
  const dir = mkdtempSync(join(tmpdir(), 'yc-bench-'));
  try {
    const ids = await Promise.all(Array.from({ length: PROTOCOL_OPS }, () => emulator.create({ never: true })));
    const file = join(dir, 'peers.json');
    writeFileSync(file, JSON.stringify({ url: emulator.url, grpcUrl: emulator.grpcUrl, ids }));
    log('gRPC: ours, the official SDK, grpc-js on one server (about 25 s)');
    const peers = await runRow('grpc-peers', { BENCH_PROTOCOLS_FILE: file });
    const sleepIds = [];
    for (let start = 0; start < ALLOC_WAITS; start += 1000)
      sleepIds.push(...(await Promise.all(Array.from({ length: 1000 }, () => emulator.create({ never: true })))));
    writeFileSync(file, JSON.stringify({ url: emulator.url, grpcUrl: emulator.grpcUrl, ids, sleepIds }));
    log(`allocation: bytes per poll, and heap snapshots of ${ALLOC_WAITS} sleeping waits per protocol (about 30 s)`);
    const alloc = await runRow('alloc', { BENCH_ALLOC_FILE: file }, [
      '--expose-gc',
      '--min-semi-space-size=128',
      '--max-semi-space-size=128',
    ]);
    return { peers, alloc };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await emulator.close();
  }
}

/** Wall milliseconds and peak RSS (bytes) of `node <args>`, run in the repository root. */
async function timed(args) {
  const startedAt = performance.now();
  const child = spawn(process.execPath, ['-r', fileURLToPath(new URL('./rows/max-rss.cjs', import.meta.url)), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (chunk) => (err += chunk));
  child.stdout.resume();
  const [code] = await once(child, 'exit');
  const ms = performance.now() - startedAt;
  const rss = Number(/MAXRSS (\d+)/.exec(err)?.[1]);
  if (code !== 0 || !rss) throw new Error(`node ${args.join(' ')} failed (code ${code}): ${err}`);
  return { ms, rss };
}

/** Fresh processes, interleaved: a bare `node -e 0`, `import('yc-operation')` and `require('yc-operation')`. */
async function importTimes() {
  const variants = { bare: ['-e', '0'], import: ['-e', "import('yc-operation')"], require: ['-e', "require('yc-operation')"] };
  const runs = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
  for (let i = 0; i < IMPORT_RUNS; i++) {
    for (const [name, args] of Object.entries(variants)) runs[name].push((await timed(args)).ms);
  }
  return Object.fromEntries(Object.entries(runs).map(([name, ms]) => [name, { ms: median(ms), runs: ms }]));
}

/** `yc-operation get <id>` against the emulator (a worker thread here), and bare `node -e 0`, interleaved. */
async function cliGet() {
  const emulator = await startEmulator();
  try {
    const id = await emulator.create({});
    const cli = [fileURLToPath(new URL('../dist/cli/main.js', import.meta.url)), '--endpoint', emulator.url, '--no-auth', 'get', id];
    const gets = [];
    const bare = [];
    for (let i = 0; i < CLI_RUNS; i++) {
      gets.push(await timed(cli));
      bare.push(await timed(['-e', '0']));
    }
    return {
      ms: median(gets.map((g) => g.ms)),
      bareMs: median(bare.map((b) => b.ms)),
      rssMB: median(gets.map((g) => g.rss)) / MB,
      maxRssMB: Math.max(...gets.map((g) => g.rss)) / MB,
      bareRssMB: median(bare.map((b) => b.rss)) / MB,
      runs: gets,
    };
  } finally {
    await emulator.close();
  }
}

/** Medians over fresh processes: `import('yc-operation')` alone, and the gRPC transport's lazy load. */
async function importCost() {
  const rest = [];
  const grpc = [];
  for (let i = 0; i < IMPORT_RUNS; i++) {
    rest.push((await runRow('import-cost')).indexMs);
    grpc.push((await runRow('import-cost', { BENCH_GRPC: '1' })).grpcMs);
  }
  return { indexMs: median(rest), grpcMs: median(grpc), runs: { rest, grpc } };
}

/**
 * The emulator here (a worker thread); `count` waits in a child process, whose memory is measured.
 * 10k: operations done 5–20 s after creation, polled every 5 s. 100k: operations done on their
 * second poll, polled every HUNDRED_K_POLL_INTERVAL s, the row cut off after HUNDRED_K_DEADLINE_S.
 */
async function manyWaits(protocol, count = WAITS) {
  const emulator = await startEmulator({ requestLogLimit: 0, grpc: protocol === 'grpc' });
  const dir = mkdtempSync(join(tmpdir(), 'yc-bench-'));
  const hundredK = count > WAITS;
  try {
    const warmupId = await emulator.create({});
    const ids = [];
    const createdAt = performance.now();
    for (let start = 0; start < count; start += 1000) {
      const batch = [];
      for (let i = start; i < Math.min(count, start + 1000); i++)
        batch.push(emulator.create(hundredK ? { donePolls: 2 } : { doneAfter: 5 + (15 * i) / (count - 1) }));
      ids.push(...(await Promise.all(batch)));
    }
    log(`  ${count} operations created in ${((performance.now() - createdAt) / 1000).toFixed(1)} s`);
    const file = join(dir, 'waits.json');
    writeFileSync(file, JSON.stringify({ url: protocol === 'grpc' ? emulator.grpcUrl : emulator.url, ids, warmupId, protocol }));
    const env = { BENCH_WAITS_FILE: file };
    if (hundredK)
      Object.assign(env, {
        BENCH_WAITS_POLL_INTERVAL: String(HUNDRED_K_POLL_INTERVAL),
        BENCH_WAITS_DEADLINE_S: String(HUNDRED_K_DEADLINE_S),
      });
    return await runRow('waits', env, ['--expose-gc'], hundredK ? (HUNDRED_K_DEADLINE_S + 30) * 1000 : 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await emulator.close();
  }
}

function thisMachine() {
  return {
    cpus: cpus().length,
    cpuModel: modelName(),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    date: new Date().toISOString(),
  };
}

function modelName() {
  try {
    return /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpus()[0]?.model ?? 'unknown';
  } catch {
    return cpus()[0]?.model ?? 'unknown';
  }
}

function ms(v) {
  return `${v < 10 ? v.toFixed(3) : v.toFixed(1)} ms`;
}
function x(v) {
  return `${v.toFixed(2)}×`;
}
function pct(v) {
  return `${(v * 100).toFixed(0)} %`;
}

/** The table: one entry per row, with what was measured, the ratio, the goal and whether it is met. */
function table(f) {
  const { blocking, async: asy, axios, floor } = f.latency;
  const t = f.throughput;
  const w = f.waits;
  const lag = Object.entries(f.lag);
  const find = (prefix) => lag.find(([name]) => name.startsWith(prefix));
  const [defName, def] = find('ours: default');
  const [, plain] = find('ours: backoff() defaults');
  const [bestName, best] = find('ours: best');
  const [budgetName, budget] = find("ours: peer's budget");
  const [peerName, peer] = find('peer: createWaiter defaults');
  const [peer2Name, peer2] = find('peer: createWaiter at');
  const boot = f.boot;
  const p = f.protocols;
  const gw = f.grpcWaits;
  const lat = (name) => p.latency[name];
  const imp = f.import;
  const cli = f.cli;
  const us = (v) => `${v.toFixed(0)} µs`;
  return [
    {
      row: 'blocking/async',
      what: '`Operation.getStatus()` vs `AsyncOperation.getStatus()`, one at a time',
      measured: `blocking p50 ${ms(blocking.p50)}, p99 ${ms(blocking.p99)}; async p50 ${ms(asy.p50)}, p99 ${ms(asy.p99)}; the worker adds ${((blocking.p50 - asy.p50) * 1000).toFixed(0)} µs at p50`,
      ratio: `p50 ${x(blocking.p50 / asy.p50)}, p99 ${x(blocking.p99 / asy.p99)}`,
      goal: 'p50 ratio ≤ 1.25',
      met: blocking.p50 / asy.p50 <= 1.25,
    },
    {
      row: 'async/floor',
      what: '`AsyncOperation.getStatus()` vs a bare `node:http` keep-alive GET, one at a time',
      measured: `node:http p50 ${ms(floor.p50)}, p99 ${ms(floor.p99)}; undici p50 ${ms(f.latency.undici.p50)}; bare axios p50 ${ms(axios.p50)}`,
      ratio: `p50 ${x(asy.p50 / floor.p50)}, p99 ${x(asy.p99 / floor.p99)} (axios alone ${x(axios.p50 / floor.p50)})`,
      goal: 'p50 ratio ≤ 2.0',
      met: asy.p50 / floor.p50 <= 2,
    },
    {
      row: 'polls per second',
      what: `status requests per second, ${process.env.BENCH_CONCURRENCY ?? 64} in flight, one process`,
      measured: `ours ${t.ours.perSecond.toFixed(0)}/s (${us(t.ours.cpuUsPerRequest)} CPU each); node:http ${t.floor.perSecond.toFixed(0)}/s (${us(t.floor.cpuUsPerRequest)}); undici ${t.undici.perSecond.toFixed(0)}/s (${us(t.undici.cpuUsPerRequest)}); bare axios ${t.axios.perSecond.toFixed(0)}/s (${us(t.axios.cpuUsPerRequest)})`,
      ratio: `${x(t.ours.perSecond / t.floor.perSecond)} node:http, ${x(t.ours.perSecond / t.undici.perSecond)} undici`,
      goal: '≥ 0.6× node:http',
      met: t.ours.perSecond / t.floor.perSecond >= 0.6,
    },
    {
      row: 'CPU per poll',
      what: 'client CPU per status request, 64 in flight: ours vs the raw client it runs on (node:http)',
      measured: `ours ${us(t.ours.cpuUsPerRequest)}, node:http ${us(t.floor.cpuUsPerRequest)}`,
      ratio: x(t.ours.cpuUsPerRequest / t.floor.cpuUsPerRequest),
      goal: '≤ 2.5×',
      met: t.ours.cpuUsPerRequest / t.floor.cpuUsPerRequest <= 2.5,
    },
    {
      row: 'adapter choice',
      what: 'the same SDK over its node:http adapter (default) and over an undici 7 Pool adapter (bench/undici-adapter.mjs), 64 in flight',
      measured: `node:http adapter ${t.ours.perSecond.toFixed(0)}/s (${us(t.ours.cpuUsPerRequest)}); undici adapter ${t.oursUndici.perSecond.toFixed(0)}/s (${us(t.oursUndici.cpuUsPerRequest)})`,
      ratio: x(t.ours.perSecond / t.oursUndici.perSecond),
      goal: 'reported',
      met: null,
    },
    {
      row: 'import',
      what: `\`import('yc-operation')\` and \`require('yc-operation')\` in a fresh \`node -e\`, over a bare \`node -e 0\` (median of ${IMPORT_RUNS})`,
      measured: `bare ${ms(imp.bare.ms)}; import ${ms(imp.import.ms)}; require ${ms(imp.require.ms)}`,
      ratio: `+${(imp.import.ms - imp.bare.ms).toFixed(1)} ms, +${(imp.require.ms - imp.bare.ms).toFixed(1)} ms`,
      goal: '≤ +40 ms',
      met: imp.import.ms - imp.bare.ms <= 40 && imp.require.ms - imp.bare.ms <= 40,
    },
    {
      row: 'worker boot',
      what: `first blocking call of a process (median of ${BOOT_RUNS}): from the client's construction, and after 150 ms of the caller's own work`,
      measured: `cold ${ms(boot.firstMs)} (worst ${ms(boot.firstMaxMs)}); after other work ${ms(boot.afterWorkMs)}; later p50 ${ms(boot.laterP50Ms)}`,
      ratio: x(boot.firstMs / boot.laterP50Ms),
      goal: 'cold ≤ 120 ms',
      met: boot.firstMs <= 120,
    },
    {
      row: 'CLI get',
      what: `\`yc-operation get <id>\` against the emulator, wall time and peak RSS, vs a bare \`node -e 0\` (median of ${CLI_RUNS})`,
      measured: `${ms(cli.ms)}, ${cli.rssMB.toFixed(1)} MB RSS (max ${cli.maxRssMB.toFixed(1)}); bare ${ms(cli.bareMs)}, ${cli.bareRssMB.toFixed(1)} MB`,
      ratio: `+${(cli.ms - cli.bareMs).toFixed(0)} ms`,
      goal: '≤ +150 ms; ≤ 60 MB',
      met: cli.ms - cli.bareMs <= 150 && cli.maxRssMB <= 60,
    },
    {
      row: '10k waits',
      what: `${w.waits} concurrent \`wait({ pollInterval: 5 })\`, operations done 5–20 s after creation`,
      measured: `${w.completed}/${w.waits} done in ${w.elapsedS.toFixed(1)} s, ${w.polls} polls; +${w.extraRssMB.toFixed(1)} MB RSS, heap after GC +${w.liveHeapMB.toFixed(1)} MB (peak +${w.extraHeapMB.toFixed(1)} MB); event-loop lag p50 ${ms(w.lagP50Ms)}, p99 ${ms(w.lagP99Ms)}, max ${ms(w.lagMaxMs)}; start ${w.startUsPerWait.toFixed(1)} µs per wait`,
      ratio: '',
      goal: 'all done; ≤ 60 MB RSS; heap after GC ≤ 40 MB; lag p99 ≤ 30 ms; start ≤ 20 µs',
      met: w.completed === w.waits && w.extraRssMB <= 60 && w.liveHeapMB <= 40 && w.lagP99Ms <= 30 && w.startUsPerWait <= 20,
    },
    queueRow(f.queue),
    ...queueHeldRow(f.queue),
    {
      row: 'exit',
      what: `from a script's last line to its exit, after 20 blocking calls, client not closed (median of ${EXIT_RUNS})`,
      measured: `${ms(f.exit.ms)} (worst ${ms(f.exit.maxMs)}); a bare \`node\` script ${ms(f.exit.bareMs)}; a script of 20 undici GETs ${ms(f.exit.undiciMs)}`,
      ratio: x(f.exit.ms / f.exit.bareMs),
      goal: '≤ 100 ms',
      met: f.exit.ms <= 100,
    },
    {
      row: 'detection lag',
      what: 'operations done after 2.75–3.25 s: time from done to `wait()` returning, and polls',
      measured: `${defName.slice(6)}: ${def.lagS.toFixed(2)} s late (${pct(def.lagShare)}), ${def.polls.toFixed(1)} polls; backoff() defaults: ${plain.lagS.toFixed(2)} s (${pct(plain.lagShare)}), ${plain.polls.toFixed(1)} polls; ${bestName.slice(6)}: ${best.lagS.toFixed(2)} s (${pct(best.lagShare)}), ${best.polls.toFixed(1)} polls (max ${best.maxPolls})`,
      ratio: '',
      goal: 'best: lag ≤ 15 % of op time, ≤ 12 polls',
      met: best.lagShare <= 0.15 && best.maxPolls <= 12,
    },
    {
      row: 'peer',
      what: '`@smithy/util-waiter` `createWaiter` wrapping the same `getStatus()`, at matched poll budgets',
      measured: `${peerName.slice(6)}: ${peer.lagS.toFixed(2)} s, ${peer.polls.toFixed(1)} polls vs ${budgetName.slice(6)}: ${budget.lagS.toFixed(2)} s, ${budget.polls.toFixed(1)} polls; ${peer2Name.slice(6)}: ${peer2.lagS.toFixed(2)} s, ${peer2.polls.toFixed(1)} polls vs ours best ${best.lagS.toFixed(2)} s, ${best.polls.toFixed(1)} polls`,
      ratio: `lag ${x(budget.lagS / peer.lagS)} and ${x(best.lagS / peer2.lagS)} of the peer's`,
      goal: 'ours ≥ peer on lag and polls',
      met: budget.lagS <= peer.lagS && budget.polls <= peer.polls && best.lagS <= peer2.lagS && best.polls <= peer2.polls,
    },
    {
      row: 'gRPC latency',
      what: '`getStatus()` over gRPC vs over REST, one at a time, the same emulator (another process)',
      measured: `async: gRPC p50 ${ms(lat('async grpc').p50)}, p99 ${ms(lat('async grpc').p99)}; REST p50 ${ms(lat('async rest').p50)}, p99 ${ms(lat('async rest').p99)}. blocking: gRPC p50 ${ms(lat('blocking grpc').p50)}; REST p50 ${ms(lat('blocking rest').p50)}`,
      ratio: `async p50 ${x(lat('async grpc').p50 / lat('async rest').p50)}, blocking p50 ${x(lat('blocking grpc').p50 / lat('blocking rest').p50)}`,
      goal: 'async p50 ≤ 1.3× REST',
      met: lat('async grpc').p50 / lat('async rest').p50 <= 1.3,
    },
    {
      row: 'gRPC polls per second',
      what: `status requests per second, ${PROTOCOL_OPS} in flight, one process, the same emulator`,
      measured: `gRPC ${p.throughput.grpc.perSecond.toFixed(0)}/s (${p.throughput.grpc.cpuUsPerRequest.toFixed(0)} µs CPU each); REST ${p.throughput.rest.perSecond.toFixed(0)}/s (${p.throughput.rest.cpuUsPerRequest.toFixed(0)} µs)`,
      ratio: x(p.throughput.grpc.perSecond / p.throughput.rest.perSecond),
      goal: '≥ 0.8× REST',
      met: p.throughput.grpc.perSecond / p.throughput.rest.perSecond >= 0.8,
    },
    {
      row: '10k waits over gRPC',
      what: `${gw.waits} concurrent \`wait({ pollInterval: 5 })\` with \`protocol: 'grpc'\`, as the 10k waits row`,
      measured: `${gw.completed}/${gw.waits} done in ${gw.elapsedS.toFixed(1)} s, ${gw.polls} polls; +${gw.extraRssMB.toFixed(1)} MB RSS, +${gw.extraHeapMB.toFixed(1)} MB heap; event-loop lag p50 ${ms(gw.lagP50Ms)}, p99 ${ms(gw.lagP99Ms)}, max ${ms(gw.lagMaxMs)}`,
      ratio: `RSS ${x(gw.extraRssMB / w.extraRssMB)} of REST's`,
      goal: "all done; RSS ≤ 1.2× REST's; lag p99 ≤ 50 ms",
      met: gw.completed === gw.waits && gw.extraRssMB / w.extraRssMB <= 1.2 && gw.lagP99Ms <= 50,
    },
    ...grpcPeerRows(f.grpcPeers),
    hundredKRow('rest', f.hundredK_rest),
    hundredKRow('grpc', f.hundredK_grpc),
    allocRow(f.alloc),
    {
      row: 'import cost',
      what: `\`import('yc-operation')\` in a fresh process, and what a gRPC client's first call loads (grpc-js, protobufjs, the descriptor); median of ${IMPORT_RUNS}`,
      measured: `import('yc-operation') ${ms(f.importCost.indexMs)} (gRPC not loaded); the gRPC transport +${ms(f.importCost.grpcMs)} at its first call`,
      ratio: x((f.importCost.indexMs + f.importCost.grpcMs) / f.importCost.indexMs),
      goal: 'REST-only users pay none of it',
      met: null,
    },
  ];
}

/** The yc-operation/bullmq row; figures saved before it existed, or without Redis, say so. */
function queueRow(q) {
  const what =
    'yc-operation/bullmq: Redis per poll, and polls/s of worker processes vs one in-process client (never-ending operations, no budget), on one Redis and on a 3-master Redis Cluster';
  if (!q || q.skipped)
    return { row: 'queue', what, measured: `skipped: ${q?.skipped ?? 'not measured'}`, ratio: '', goal: 'reported', met: null };
  const { queue, local, cluster, before } = q;
  const top = Object.entries(queue.commandstats ?? {})
    .slice(0, 6)
    .map(([name, calls]) => `${name} ${calls}`)
    .join(', ');
  const was = before ? ` (the base build: ${before.commandsPerPoll.toFixed(1)}, ${before.bytesInPerPoll.toFixed(0)} B in)` : '';
  const onCluster = cluster
    ? `; on the cluster (prefix '{yc}') ${cluster.pollsPerSecond.toFixed(0)} polls/s, ${x(cluster.pollsPerSecond / queue.pollsPerSecond)} one Redis`
    : '';
  return {
    row: 'queue',
    what: what.replace('worker processes', `${q.workers} worker processes`).replace('operations,', `operations (${q.operations}),`),
    measured: `${queue.commandsPerPoll.toFixed(1)} Redis commands per poll${was} (${queue.scriptsPerPoll.toFixed(1)} Lua scripts; commandstats per poll: ${top}, …), ${queue.bytesInPerPoll.toFixed(0)} B in and ${queue.bytesOutPerPoll.toFixed(0)} B out per poll; queue ${queue.pollsPerSecond.toFixed(0)} polls/s, one client ${local.pollsPerSecond.toFixed(0)} polls/s${onCluster}`,
    ratio: x(queue.pollsPerSecond / local.pollsPerSecond),
    goal: '≤ 12 Redis commands per poll; ≥ 1.0× one client; the cluster reported',
    met: queue.commandsPerPoll <= 12 && queue.pollsPerSecond >= local.pollsPerSecond,
  };
}

/** The queue row's fleet with the workers' `holdFor` (several polls per job run); none in figures saved before it existed. */
function queueHeldRow(q) {
  if (!q?.held?.commandsPerPoll) return [];
  const { held, queue, local } = q;
  return [
    {
      row: 'queue, holdFor',
      what: `the queue row's fleet with the workers' \`holdFor: ${held.holdFor}\` (a job run polls again in-process for up to ${held.holdFor} s; \`concurrency\` ${held.concurrency} per worker, to hold every wait)`,
      measured: `${held.commandsPerPoll.toFixed(1)} Redis commands per poll (default ${queue.commandsPerPoll.toFixed(1)}; ${held.scriptsPerPoll.toFixed(2)} Lua scripts), ${held.bytesInPerPoll.toFixed(0)} B in per poll; ${held.pollsPerSecond.toFixed(0)} polls/s (default ${queue.pollsPerSecond.toFixed(0)}, one client ${local.pollsPerSecond.toFixed(0)}); worker CPU ${held.workerCpuUsPerPoll.toFixed(0)} µs per poll (default ${queue.workerCpuUsPerPoll.toFixed(0)})`,
      ratio: x(held.pollsPerSecond / local.pollsPerSecond),
      goal: '≤ 12 Redis commands per poll; ≥ 1.0× one client',
      met: held.commandsPerPoll <= 12 && held.pollsPerSecond >= local.pollsPerSecond,
    },
  ];
}

/** The rows of bench/rows/grpc-peers.mjs: ours over gRPC against the official SDK, its grpc-js client and bare grpc-js. */
function grpcPeerRows(g) {
  if (!g) return [];
  const t = g.throughput;
  const l = g.latency;
  const us = (v) => `${v.toFixed(0)} µs`;
  const each = (name) => `${t[name].perSecond.toFixed(0)}/s (${us(t[name].cpuUsPerRequest)} CPU each)`;
  return [
    {
      row: 'gRPC vs the official SDK: polls per second',
      what: `status requests per second, ${g.loops} in flight, one process, on the same grpc-js server (the emulator's, another process): ours, \`@yandex-cloud/nodejs-sdk\` v3 (nice-grpc, its middleware), its generated grpc-js client, bare grpc-js (bytes in, bytes out)`,
      measured: `ours ${each('ours-grpc')}; the SDK ${each('sdk')}; its grpc-js client ${each('sdk-grpc-js')}; bare grpc-js ${each('grpc-js')}`,
      ratio: `${x(t['ours-grpc'].perSecond / t.sdk.perSecond)} the SDK's; CPU ${x(t['ours-grpc'].cpuUsPerRequest / t.sdk.cpuUsPerRequest)} the SDK's, ${x(t['ours-grpc'].cpuUsPerRequest / t['grpc-js'].cpuUsPerRequest)} grpc-js's`,
      goal: "≥ 1.2× the SDK's",
      met: t['ours-grpc'].perSecond / t.sdk.perSecond >= 1.2,
    },
    {
      row: 'gRPC vs the official SDK: latency',
      what: '`getStatus()` one at a time, the same clients and server as the row above, interleaved rounds',
      measured: `ours p50 ${ms(l['ours-grpc'].p50)}, p99 ${ms(l['ours-grpc'].p99)}; the SDK p50 ${ms(l.sdk.p50)}, p99 ${ms(l.sdk.p99)}; its grpc-js client p50 ${ms(l['sdk-grpc-js'].p50)}; bare grpc-js p50 ${ms(l['grpc-js'].p50)}`,
      ratio: `p50 ${x(l['ours-grpc'].p50 / l.sdk.p50)} the SDK's, ${x(l['ours-grpc'].p50 / l['grpc-js'].p50)} grpc-js's`,
      goal: "p50 ≤ 0.8× the SDK's",
      met: l['ours-grpc'].p50 / l.sdk.p50 <= 0.8,
    },
  ];
}

/** The row of 100 000 waits on one protocol (bench/rows/waits.mjs, cut off by a deadline). */
function hundredKRow(protocol, h) {
  const row = `100k waits, ${protocol === 'grpc' ? 'gRPC' : 'REST'}`;
  const what = `${HUNDRED_K} concurrent \`wait({ pollInterval: ${HUNDRED_K_POLL_INTERVAL} })\`${protocol === 'grpc' ? " with `protocol: 'grpc'`" : ''} in one process, operations done on their second poll, the emulator in another process; cut off after ${HUNDRED_K_DEADLINE_S} s`;
  const goal = 'all done; ≤ 600 MB RSS; lag p99 ≤ 50 ms; start ≤ 10 µs';
  if (!h) return { row, what, measured: 'not measured', ratio: '', goal, met: null };
  if (h.error) return { row, what, measured: `the row failed: ${h.error}`, ratio: '', goal, met: false };
  const failures = h.failed ? `; ${h.failed} failed (first: ${h.firstError.replaceAll(/\s+/g, ' ')})` : '';
  return {
    row,
    what,
    measured: `${h.completed}/${h.waits} done in ${h.elapsedS.toFixed(1)} s${h.killed ? ' (killed: the event loop held the deadline; figures of the last second it ran)' : h.timedOut ? ' (cut off)' : ''}, ${h.polls} polls${failures}; +${h.extraRssMB.toFixed(0)} MB RSS, heap after GC ${h.liveHeapMB > 0 ? `+${h.liveHeapMB.toFixed(0)} MB` : 'not reached'} (peak +${h.extraHeapMB.toFixed(0)} MB); event-loop lag p50 ${ms(h.lagP50Ms)}, p99 ${ms(h.lagP99Ms)}, max ${ms(h.lagMaxMs)}; start ${h.startUsPerWait.toFixed(1)} µs per wait`,
    ratio: '',
    goal,
    met: h.completed === h.waits && h.extraRssMB <= 600 && h.lagP99Ms <= 50 && h.startUsPerWait <= 10,
  };
}

/** The allocation row (bench/rows/alloc.mjs). */
function allocRow(a) {
  const what = `JS heap allocated per \`getStatus()\` (one at a time, no collection in the window; median of rounds), ours and the floors; and per sleeping wait, from heap snapshots of ${a?.waits ?? ALLOC_WAITS} waits asleep after their first poll`;
  if (!a) return { row: 'allocation', what, measured: 'not measured', ratio: '', goal: 'reported', met: null };
  const kb = (b) => (b === null ? 'n/a (a collection in every window)' : `${(b / 1024).toFixed(1)} KB`);
  const p = a.perPoll;
  const top = (w) =>
    w.top
      .slice(0, 3)
      .map((k) => `${k.kind.trim() || '?'} ${k.bytes.toFixed(0)} B`)
      .join(', ');
  return {
    row: 'allocation',
    what,
    measured: `per poll: REST ours ${kb(p['ours-rest'].bytes)}, node:http ${kb(p['node-http'].bytes)}; gRPC ours ${kb(p['ours-grpc'].bytes)}, the official SDK ${kb(p.sdk.bytes)}, bare grpc-js ${kb(p['grpc-js'].bytes)}. Per sleeping wait: REST ${a.perWait.rest.snapshotBytes.toFixed(0)} B (most: ${top(a.perWait.rest)}), gRPC ${a.perWait.grpc.snapshotBytes.toFixed(0)} B (most: ${top(a.perWait.grpc)})`,
    ratio:
      p['ours-rest'].bytes && p['node-http'].bytes && p['ours-grpc'].bytes && p.sdk.bytes
        ? `REST ${x(p['ours-rest'].bytes / p['node-http'].bytes)} node:http; gRPC ${x(p['ours-grpc'].bytes / p.sdk.bytes)} the SDK, ${x(p['ours-grpc'].bytes / p['ours-rest'].bytes)} REST`
        : '',
    goal: 'reported',
    met: null,
  };
}

/** A Markdown table. */
function render(rows) {
  const cell = (v) => String(v).replaceAll('|', '\\|');
  const lines = ['| row | what | measured | ratio | goal | met |', '|---|---|---|---|---|---|'];
  for (const r of rows)
    lines.push(
      `| ${[r.row, r.what, r.measured, r.ratio, r.goal, r.met === null ? '–' : r.met ? 'yes' : '**no**'].map(cell).join(' | ')} |`,
    );
  return lines.join('\n');
}
