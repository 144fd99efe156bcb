/**
 * A real Redis for the queue tests: `REDIS_URL` when set, else a `redis-server` from PATH started
 * on a free loopback port, without persistence. Without either, the tests are skipped and the
 * reason is printed on one line.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { WaitQueue, WaitWorker, type WaitWorkerOptions } from 'yc-operation/bullmq';
import { type Emulator, startEmulator } from 'yc-operation/testing';

const hasRedisServer = !process.env.REDIS_URL && spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;

/** Why the queue tests cannot run here, or `null` when they can. */
export const skipReason: string | null =
  process.env.REDIS_URL || hasRedisServer
    ? null
    : 'bullmq tests skipped: no redis-server on PATH and no REDIS_URL (Debian: apt-get install -y redis-server)';

if (skipReason !== null) process.stdout.write(`${skipReason}\n`);

export interface TestRedis {
  url: string;
  /** The connection, as `yc-operation/bullmq` takes it. */
  connection: { url: string };
  /** A queue name of its own for each test, so that tests sharing a Redis never meet. */
  queueName(): string;
  stop(): Promise<void>;
}

/** Starts a Redis (or uses `REDIS_URL`). */
export async function startRedis(): Promise<TestRedis> {
  let server: ChildProcess | null = null;
  let url = process.env.REDIS_URL ?? '';
  if (!url) {
    const started = await startServer();
    server = started.child;
    url = `redis://127.0.0.1:${started.port}`;
  }
  const run = randomUUID().slice(0, 8);
  let n = 0;
  return {
    url,
    connection: { url },
    queueName: () => `t-${run}-${n++}`,
    async stop() {
      if (server && server.exitCode === null) {
        server.kill('SIGTERM');
        await once(server, 'exit');
      }
    },
  };
}

/** What {@link redisAndEmulator} gives a describe block (set once its `beforeAll` ran). */
export interface RedisAndEmulator {
  redis: TestRedis;
  emu: Emulator;
  /** A plain ioredis client of the Redis, for looking at (and writing) keys directly. */
  client: Redis;
  /** Run (concurrently, errors ignored) before the Redis and the emulator stop. */
  closers: Array<() => Promise<unknown>>;
}

/** A Redis, the emulator and a plain client for the describe block it is called in: started before its tests, stopped after them. */
export function redisAndEmulator(): RedisAndEmulator {
  const env = { closers: [] } as unknown as RedisAndEmulator;
  beforeAll(async () => {
    [env.redis, env.emu] = await Promise.all([startRedis(), startEmulator()]);
    env.client = new Redis(env.redis.url);
  });
  afterAll(async () => {
    await Promise.all(env.closers.map((close) => close().catch(() => undefined)));
    env.client?.disconnect();
    await Promise.all([env.redis?.stop(), env.emu?.close()]);
  });
  return env;
}

/** A `redis-server` of a test's own, which the test stops, kills and starts again on the same port. */
export interface RedisServer {
  url: string;
  port: number;
  /** Ends the server: SIGTERM (a clean shutdown) or SIGKILL (a crash). */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** Starts it again on the same port (and, with AOF, the same directory: what it wrote survives). */
  start(): Promise<void>;
}

/** A `redis-server` on a free loopback port; `aof`: with an append-only file (`appendfsync always`) in `dir`. */
export async function startRedisServer(options: { aof?: boolean; dir?: string } = {}): Promise<RedisServer> {
  let child: ChildProcess | null = null;
  const persistence = options.aof ? ['--appendonly', 'yes', '--appendfsync', 'always', '--dir', options.dir!] : ['--appendonly', 'no'];
  const first = await startServer(persistence);
  child = first.child;
  const port = first.port;
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    async stop(signal = 'SIGTERM') {
      if (child && child.exitCode === null && child.signalCode === null) {
        const exited = once(child, 'exit');
        child.kill(signal);
        await exited;
      }
    },
    async start() {
      child = (await startServer(persistence, port)).child;
    },
  };
}

async function startServer(
  persistence: string[] = ['--appendonly', 'no'],
  fixedPort?: number,
): Promise<{ child: ChildProcess; port: number }> {
  for (let attempt = 0; ; attempt++) {
    const port = fixedPort ?? (await freePort());
    const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', ...persistence], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const ready = await new Promise<boolean>((resolve) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk;
        if (out.includes('Ready to accept connections')) resolve(true);
      });
      child.on('exit', () => resolve(false));
    });
    if (ready) return { child, port };
    if (attempt >= 3) throw new Error(`redis-server did not start: ${out}`);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * A queue of its own on `redis`, and a way to start workers on it in this process against the
 * emulator at `endpoint` (fast stall settings, no budget in the way); each goes to `closers`.
 */
export function inProcessFleet(
  redis: TestRedis,
  endpoint: string,
  closers: Array<() => Promise<unknown>>,
  workerOptions: Partial<WaitWorkerOptions> = {},
) {
  const location = { connection: redis.connection, queueName: redis.queueName() };
  const queue = new WaitQueue(location);
  closers.push(() => queue.close());
  const startWorker = () => {
    const worker = new WaitWorker({
      ...location,
      client: { endpoint, auth: null },
      maxRequestsPerSecond: 1000,
      lockDuration: 2,
      stalledInterval: 1,
      ...workerOptions,
    });
    closers.push(() => worker.close());
    return worker;
  };
  return { location, queue, startWorker };
}

/** A Redis Cluster of three masters on loopback (`redis-server --cluster-enabled yes`, then `redis-cli --cluster create`). */
export async function startRedisCluster(dir: string): Promise<{ ports: number[]; stop(): Promise<void> }> {
  const nodes: ChildProcess[] = [];
  const ports: number[] = [];
  for (let i = 0; i < 3; i++) {
    const port = await freePort();
    const child = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        `nodes-${port}.conf`,
        '--dir',
        dir,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    nodes.push(child);
    ports.push(port);
    await untilPrinted(child, 'Ready to accept connections');
  }
  const create = spawnSync(
    'redis-cli',
    ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes'],
    { encoding: 'utf8', timeout: 30_000 },
  );
  const fail = (message: string): never => {
    for (const child of nodes) child.kill('SIGKILL');
    throw new Error(message);
  };
  if (create.status !== 0) fail(`redis-cli --cluster create failed: ${create.stdout}${create.stderr}`);
  // Until every node sees the cluster as ok (bounded: 10 s).
  for (let i = 0; ; i++) {
    const ok = ports.every((p) =>
      /cluster_state:ok/.test(spawnSync('redis-cli', ['-p', String(p), 'cluster', 'info'], { encoding: 'utf8' }).stdout),
    );
    if (ok) break;
    if (i === 100) fail(`the Redis Cluster on ports ${ports.join(', ')} did not reach cluster_state:ok`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    ports,
    async stop() {
      await Promise.all(
        nodes.map(async (child) => {
          if (child.exitCode !== null || child.signalCode !== null) return;
          const exited = once(child, 'exit');
          child.kill('SIGKILL');
          await exited;
        }),
      );
    },
  };
}

/** Resolves once `child` printed `text` on its stdout; rejects if it exits first. */
export function untilPrinted(child: ChildProcess, text: string): Promise<void> {
  let out = '';
  return new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk;
      if (out.includes(text)) resolve();
    });
    child.on('exit', (code, signal) => reject(new Error(`${child.spawnfile} exited (${code ?? signal}) before printing ${text}: ${out}`)));
  });
}
