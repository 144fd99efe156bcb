/**
 * Row "queue" (yc-operation/bullmq): what a durable wait costs Redis, and the polls per second
 * of BENCH_QUEUE_WORKERS worker processes (bench/rows/bullmq-worker.mjs) against one in-process
 * client polling the same operations.
 *
 * Its own redis-server (loopback, free port, no persistence) and the emulator (a worker thread of
 * this process) serve both. BENCH_QUEUE_OPS never-ending operations are each polled in a loop:
 * by the queue (one job per operation, `pollInterval` 1 ms, no budget in the way), then by one
 * `AsyncOperationsClient` (one `getStatus()` loop per operation). Polls are counted at the
 * emulator over a measured window after a warm-up; Redis's work over the same window comes from
 * `INFO stats` (commands processed, those inside BullMQ's Lua scripts included; bytes in and out)
 * and `INFO commandstats` (the scripts run: `EVALSHA` and `EVAL` calls).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { AsyncOperationsClient } from 'yc-operation';
import { WaitQueue } from 'yc-operation/bullmq';
import { startEmulator } from 'yc-operation/testing';
import { ROOT, report } from '../lib.mjs';

const WORKERS = Number(process.env.BENCH_QUEUE_WORKERS ?? 4);
const OPS = Number(process.env.BENCH_QUEUE_OPS ?? 256);
const WARMUP_MS = 1000;
const WINDOW_MS = Number(process.env.BENCH_QUEUE_WINDOW_MS ?? 3000);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const port = await freePort();
const redisServer = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
await untilPrinted(redisServer, 'Ready to accept connections');
const url = `redis://127.0.0.1:${port}`;
const emulator = await startEmulator({ requestLogLimit: 1_000_000 });
const redis = new Redis(url);
const children = [];
try {
  const ids = [];
  for (let i = 0; i < OPS; i++) ids.push(await emulator.create({ never: true }));

  // The queue: WORKERS processes polling OPS waits.
  const queueName = 'bench';
  for (let i = 0; i < WORKERS; i++) {
    const child = spawn(process.execPath, [fileURLToPath(new URL('./bullmq-worker.mjs', import.meta.url))], {
      cwd: ROOT,
      env: { ...process.env, REDIS_URL: url, QUEUE: queueName, EMU: emulator.url, CONCURRENCY: '32' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
  }
  await Promise.all(children.map((child) => untilPrinted(child, 'READY')));
  const waits = new WaitQueue({ connection: { url }, queueName });
  await Promise.all(ids.map((id) => waits.enqueue(id, { pollInterval: 0.001, pollTimeout: 3600 })));
  await sleep(WARMUP_MS);
  const queue = await measure(() => sleep(WINDOW_MS));
  for (const child of children) child.kill('SIGTERM');
  await Promise.all(children.map((child) => (child.exitCode === null ? once(child, 'exit') : null)));
  await waits.close();

  // One in-process client, polling the same operations in loops.
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
  const local = await measure(() => loops(WINDOW_MS));
  client.close();

  report({
    workers: WORKERS,
    operations: OPS,
    queue: { pollsPerSecond: queue.pollsPerSecond, ...perPoll(queue) },
    local: { pollsPerSecond: local.pollsPerSecond },
  });
} finally {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  redis.disconnect();
  await emulator.close();
  redisServer.kill('SIGTERM');
}

/** Polls per second at the emulator, and Redis's counters, over the time `run` takes. */
async function measure(run) {
  await emulator.clearRequests();
  const before = await counters();
  const start = performance.now();
  await run();
  const elapsedMs = performance.now() - start;
  const after = await counters();
  const polls = (await emulator.requests()).length;
  const delta = Object.fromEntries(Object.keys(after).map((k) => [k, after[k] - before[k]]));
  return { polls, pollsPerSecond: (polls * 1000) / elapsedMs, delta };
}

/** Redis's counters: commands processed (Lua's included), scripts run, bytes in and out. */
async function counters() {
  const stats = parseInfo(await redis.info('stats'));
  const commandstats = parseInfo(await redis.info('commandstats'));
  const calls = (name) => Number(/calls=(\d+)/.exec(commandstats[`cmdstat_${name}`] ?? '')?.[1] ?? 0);
  return {
    commands: Number(stats.total_commands_processed),
    scripts: calls('evalsha') + calls('eval'),
    bytesIn: Number(stats.total_net_input_bytes),
    bytesOut: Number(stats.total_net_output_bytes),
  };
}

function perPoll({ polls, delta }) {
  return {
    commandsPerPoll: delta.commands / polls,
    scriptsPerPoll: delta.scripts / polls,
    bytesInPerPoll: delta.bytesIn / polls,
    bytesOutPerPoll: delta.bytesOut / polls,
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
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (out.includes(text)) resolve();
    });
    child.on('exit', (code) => reject(new Error(`a child of the queue row exited (${code}) before printing ${text}: ${out}`)));
  });
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
