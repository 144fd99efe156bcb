/**
 * Row "queue" (yc-operation/bullmq): what a durable wait costs Redis, and the polls per second
 * of BENCH_QUEUE_WORKERS worker processes (bench/rows/bullmq-worker.mjs) against one in-process
 * client polling the same operations, on one Redis and on a Redis Cluster of three masters.
 *
 * Its own redis-server (loopback, free port, no persistence), its own cluster (three
 * `redis-server --cluster-enabled yes` joined by `redis-cli --cluster create`), and the emulator
 * (a worker thread of this process) serve them. BENCH_QUEUE_OPS never-ending operations are each
 * polled in a loop: by one `AsyncOperationsClient` (one `getStatus()` loop per operation; first,
 * so that the emulator is warm for the fleets), by the queue (one job per operation,
 * `pollInterval` 1 ms, no budget in the way), then by the
 * queue on the cluster (`prefix: '{yc}'`), and by the queue again with the workers' `holdFor: 1`
 * (`held`: a job run keeps its job and polls again in-process for up to 1 s; HOLD_FOR in the
 * workers' environment). Polls are counted at the emulator over a measured
 * window after a warm-up; Redis's work over the same window comes from `INFO stats` (commands
 * processed, those inside BullMQ's Lua scripts included; bytes in and out), `INFO commandstats`
 * (the calls of each command, scripts' `EVALSHA` and `EVAL` among them) and `INFO cpu`, summed
 * over the cluster's masters; the workers' CPU time from the workers themselves.
 *
 * With `BEFORE_DIST=<another build's dist/index.js>`, that build's `bullmq/index.js` runs a fleet
 * on the same Redis first (`before`), for a side-by-side comparison in one run.
 */
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Cluster, Redis } from 'ioredis';
import { AsyncOperationsClient } from 'yc-operation';
import { WaitQueue } from 'yc-operation/bullmq';
import { startEmulator } from 'yc-operation/testing';
import { ROOT, report } from '../lib.mjs';

const WORKERS = Number(process.env.BENCH_QUEUE_WORKERS ?? 4);
const OPS = Number(process.env.BENCH_QUEUE_OPS ?? 256);
const WARMUP_MS = 1000;
const WINDOW_MS = Number(process.env.BENCH_QUEUE_WINDOW_MS ?? 3000);
/** Each worker's `concurrency`: how many job runs it has at once. */
const CONCURRENCY = 32;
/**
 * The workers' `holdFor` in the `held` fleet, in seconds, and their `concurrency` there: enough
 * for the fleet to hold every wait at once (a held run keeps its slot while it sleeps).
 */
const HOLD_FOR_S = 1;
const HELD_CONCURRENCY = Number(process.env.BENCH_QUEUE_HELD_CONCURRENCY ?? Math.ceil(OPS / WORKERS));
// A copy inside this package, so that its imports (`yc-operation`, `bullmq`) resolve here.
const BEFORE = process.env.BEFORE_DIST ? join(ROOT, '.bench-before-bullmq.mjs') : null;
if (BEFORE) copyFileSync(join(dirname(process.env.BEFORE_DIST), 'bullmq', 'index.js'), BEFORE);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const dir = mkdtempSync(join(tmpdir(), 'bench-queue-'));
const servers = [];
const port = await freePort();
await startRedisServer(port);
const url = `redis://127.0.0.1:${port}`;
const emulator = await startEmulator({ requestLogLimit: 1_000_000 });
const redis = new Redis(url);
const nodes = [];
try {
  const ids = [];
  for (let i = 0; i < OPS; i++) ids.push(await emulator.create({ never: true }));
  const oneRedis = { location: { connection: { url } }, env: { REDIS_URL: url }, counters: () => counters([redis]) };

  // One in-process client, polling the same operations in loops; first, so that the emulator is
  // warm (its CPU per request falls as V8 compiles it) for every fleet after it.
  const client = new AsyncOperationsClient({ endpoint: emulator.url, auth: null });
  const loops = async (ms) => {
    const endAt = performance.now() + ms;
    await Promise.all(
      ids.map(async (id) => {
        const op = client.operation(id);
        while (performance.now() < endAt) await op.getStatus();
      }),
    );
  };
  await loops(WARMUP_MS);
  const local = await measure(
    () => counters([redis]),
    () => loops(WINDOW_MS),
  );
  client.close();

  // The queue on a Redis Cluster of three masters: its keys share the slot of the tag `{yc}`.
  const ports = await startCluster();
  for (const p of ports) nodes.push(new Redis(`redis://127.0.0.1:${p}`));
  const cluster = new Cluster(
    ports.map((p) => ({ host: '127.0.0.1', port: p })),
    { redisOptions: { maxRetriesPerRequest: null } },
  );
  const onCluster = {
    location: { connection: cluster, prefix: '{yc}' },
    env: { CLUSTER_PORTS: ports.join(','), PREFIX: '{yc}' },
    counters: () => counters(nodes),
  };
  // Each fleet twice, in mirrored order (before, one Redis, held, cluster, cluster, held, one
  // Redis, before), so that a drift of the machine's load over the run weighs on each alike; the
  // means are given.
  const order = [...(BEFORE ? ['before'] : []), 'queue', 'held', 'cluster'];
  const setups = {
    before: { ...oneRedis, dist: BEFORE },
    queue: oneRedis,
    held: { ...oneRedis, env: { ...oneRedis.env, HOLD_FOR: String(HOLD_FOR_S) }, concurrency: HELD_CONCURRENCY },
    cluster: onCluster,
  };
  const runs = { before: [], queue: [], held: [], cluster: [] };
  try {
    for (const [round, name] of [...order, ...order.toReversed()].entries())
      runs[name].push(await fleet(ids, { ...setups[name], queueName: `bench-${round}` }));
  } finally {
    cluster.disconnect();
  }
  const [before, queue, held, onClusterFigures] = ['before', 'queue', 'held', 'cluster'].map((name) =>
    runs[name].length ? mean(runs[name]) : undefined,
  );

  report({
    workers: WORKERS,
    operations: OPS,
    ...(before && { before }),
    queue,
    // The same fleet with the workers' `holdFor`.
    held: { holdFor: HOLD_FOR_S, concurrency: HELD_CONCURRENCY, ...held },
    // This process's CPU: the client's and the emulator's.
    local: { pollsPerSecond: local.pollsPerSecond, cpuUsPerPoll: local.ownCpuUsPerPoll },
    cluster: onClusterFigures,
  });
} finally {
  redis.disconnect();
  for (const node of nodes) node.disconnect();
  await emulator.close();
  for (const server of servers) if (server.exitCode === null) server.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
  if (BEFORE) rmSync(BEFORE, { force: true });
}

/**
 * WORKERS worker processes (of `dist`, else this build) polling the waits on `ids` in queue
 * `queueName`: polls per second, Redis's work and the workers' CPU time per poll.
 */
async function fleet(ids, { location, env, counters: read, queueName, dist, concurrency = CONCURRENCY }) {
  const children = [];
  try {
    for (let i = 0; i < WORKERS; i++) {
      const child = spawn(process.execPath, [fileURLToPath(new URL('./bullmq-worker.mjs', import.meta.url))], {
        cwd: ROOT,
        env: { ...process.env, ...env, QUEUE: queueName, QUEUE_DIST: dist ?? '', EMU: emulator.url, CONCURRENCY: String(concurrency) },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      children.push(child);
    }
    await Promise.all(children.map((child) => untilPrinted(child, 'READY')));
    const waits = new WaitQueue({ ...location, queueName });
    await Promise.all(ids.map((id) => waits.enqueue(id, { pollInterval: 0.001, pollTimeout: 3600 })));
    await sleep(WARMUP_MS);
    const cpuBefore = await workersCpu(children);
    const measured = await measure(read, () => sleep(WINDOW_MS));
    const cpuAfter = await workersCpu(children);
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map((child) => (child.exitCode === null ? once(child, 'exit') : null)));
    await waits.close();
    return {
      pollsPerSecond: measured.pollsPerSecond,
      workerCpuUsPerPoll: (cpuAfter - cpuBefore) / measured.polls,
      // This process's CPU meanwhile: the emulator's, the same in every phase.
      emulatorCpuUsPerPoll: measured.ownCpuUsPerPoll,
      ...perPoll(measured),
    };
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  }
}

/** The mean of a fleet's figures over its runs (numbers, and each command's calls per poll). */
function mean(runs) {
  const avg = (values) => values.reduce((a, b) => a + b, 0) / values.length;
  const figures = {};
  for (const key of Object.keys(runs[0])) if (typeof runs[0][key] === 'number') figures[key] = avg(runs.map((run) => run[key]));
  const names = [...new Set(runs.flatMap((run) => Object.keys(run.commandstats)))];
  const commandstats = names.map((name) => [name, Math.round(avg(runs.map((run) => run.commandstats[name] ?? 0)) * 100) / 100]);
  figures.commandstats = Object.fromEntries(commandstats.sort(([, a], [, b]) => b - a));
  figures.runs = runs.map((run) => Math.round(run.pollsPerSecond));
  return figures;
}

/** The CPU time the worker processes spent so far, in µs, summed (each prints it on SIGUSR2). */
async function workersCpu(children) {
  const times = await Promise.all(
    children.map(
      (child) =>
        new Promise((resolve) => {
          let out = '';
          const onData = (chunk) => {
            out += chunk;
            const line = /CPU (\d+)\n/.exec(out);
            if (line === null) return;
            child.stdout.off('data', onData);
            resolve(Number(line[1]));
          };
          child.stdout.on('data', onData);
          child.kill('SIGUSR2');
        }),
    ),
  );
  return times.reduce((a, b) => a + b, 0);
}

/** Polls per second at the emulator, and Redis's counters (as `read` gives them), over the time `run` takes. */
async function measure(read, run) {
  await emulator.clearRequests();
  const before = await read();
  const start = performance.now();
  const cpu = process.cpuUsage();
  await run();
  const { user, system } = process.cpuUsage(cpu);
  const elapsedMs = performance.now() - start;
  const after = await read();
  const polls = (await emulator.requests()).length;
  const delta = Object.fromEntries(Object.keys(after).map((k) => [k, after[k] - (before[k] ?? 0)]));
  return { polls, pollsPerSecond: (polls * 1000) / elapsedMs, delta, ownCpuUsPerPoll: (user + system) / polls };
}

/** The counters of the Redis servers `clients` talk to, summed: commands processed (Lua's included), scripts run, bytes, CPU time, each command's calls. */
async function counters(clients) {
  const total = {};
  for (const client of clients) {
    const stats = parseInfo(await client.info('stats'));
    const cpu = parseInfo(await client.info('cpu'));
    const commandstats = parseInfo(await client.info('commandstats'));
    const calls = (name) => Number(/calls=(\d+)/.exec(commandstats[`cmdstat_${name}`] ?? '')?.[1] ?? 0);
    const add = (key, n) => (total[key] = (total[key] ?? 0) + n);
    add('commands', Number(stats.total_commands_processed));
    add('scripts', calls('evalsha') + calls('eval'));
    add('bytesIn', Number(stats.total_net_input_bytes));
    add('bytesOut', Number(stats.total_net_output_bytes));
    add('cpuUs', (Number(cpu.used_cpu_user) + Number(cpu.used_cpu_sys)) * 1e6);
    for (const key of Object.keys(commandstats)) if (key.startsWith('cmdstat_')) add(`cmd_${key.slice(8)}`, calls(key.slice(8)));
  }
  return total;
}

/** Per poll: Redis's commands, scripts and bytes, and `INFO commandstats` calls of each command (those inside scripts included). */
function perPoll({ polls, delta }) {
  const round = (n) => Math.round(n * 100) / 100;
  const commandstats = Object.entries(delta)
    .filter(([k, v]) => k.startsWith('cmd_') && v > 0)
    .sort(([, a], [, b]) => b - a)
    .map(([k, v]) => [k.slice(4), round(v / polls)]);
  return {
    commandsPerPoll: delta.commands / polls,
    scriptsPerPoll: delta.scripts / polls,
    bytesInPerPoll: delta.bytesIn / polls,
    bytesOutPerPoll: delta.bytesOut / polls,
    redisCpuUsPerPoll: delta.cpuUs / polls,
    commandstats: Object.fromEntries(commandstats),
  };
}

function parseInfo(text) {
  const fields = {};
  for (const line of text.split('\r\n')) {
    const at = line.indexOf(':');
    if (at > 0 && !line.startsWith('#')) fields[line.slice(0, at)] = line.slice(at + 1);
  }
  return fields;
}

function untilPrinted(child, text) {
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (chunk) => {
      out += chunk;
      if (!out.includes(text)) return;
      child.stdout.off('data', onData);
      resolve();
    };
    child.stdout.on('data', onData);
    child.on('exit', (code) => reject(new Error(`a child of the queue row exited (${code}) before printing ${text}: ${out}`)));
  });
}

/** A redis-server on `port` (loopback, no persistence), with `extra` arguments; killed at the end. */
async function startRedisServer(port, extra = []) {
  const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...extra], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  servers.push(server);
  await untilPrinted(server, 'Ready to accept connections');
}

/** Three cluster-enabled masters joined by `redis-cli --cluster create`; their ports once the cluster is ok. */
async function startCluster() {
  const ports = [await freePort(), await freePort(), await freePort()];
  await Promise.all(
    ports.map((p) => startRedisServer(p, ['--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${p}.conf`, '--dir', dir])),
  );
  const create = spawnSync(
    'redis-cli',
    ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes'],
    {
      encoding: 'utf8',
      timeout: 30_000,
    },
  );
  if (create.status !== 0) throw new Error(`redis-cli --cluster create failed: ${create.stdout}${create.stderr}`);
  for (let i = 0; i < 100; i++) {
    const info = ports.map((p) => spawnSync('redis-cli', ['-p', String(p), 'cluster', 'info'], { encoding: 'utf8' }).stdout);
    if (info.every((text) => text.includes('cluster_state:ok'))) return ports;
    await sleep(100);
  }
  throw new Error('the Redis Cluster of the queue row did not reach cluster_state:ok');
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port: free } = server.address();
      server.close(() => resolve(free));
    });
  });
}
