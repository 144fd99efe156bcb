/** Helpers of the benchmark: statistics, the loopback server child, and row children. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import { PerformanceObserver } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
const here = (file) => fileURLToPath(new URL(file, import.meta.url));

/** The `p`-th percentile (0..100) of `samples`, nearest rank. */
export function percentile(samples, p) {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

/** p50, p99 and mean of latency samples (milliseconds). */
export function summarize(samples) {
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  return { n: samples.length, p50: percentile(samples, 50), p99: percentile(samples, 99), mean };
}

export function median(values) {
  return percentile(values, 50);
}

/** Starts the minimal loopback server (bench/server.mjs) in a child process. */
export async function startServer() {
  const child = spawn(process.execPath, [here('./server.mjs')], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  const port = await new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`the bench server exited with code ${code}`)));
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /PORT (\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid,
    async stop() {
      child.stdin.end();
      if (child.exitCode === null) await once(child, 'exit');
    },
  };
}

/**
 * Runs `node bench/rows/<name>.mjs` in the repository root (so that `yc-operation` resolves to
 * the build) and returns the JSON of its `RESULT` line. With `timeoutMs`, a child still running
 * then is killed: its last `PROGRESS` line (JSON, with `killed: true`) stands for its result, and
 * without one the row fails.
 */
export async function runRow(name, env = {}, nodeArgs = [], timeoutMs = 0) {
  const child = spawn(process.execPath, [...nodeArgs, here(`./rows/${name}.mjs`)], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  const killer = timeoutMs > 0 ? setTimeout(() => child.kill('SIGKILL'), timeoutMs) : null;
  const [code, signal] = await once(child, 'exit');
  clearTimeout(killer);
  const lines = out.split('\n');
  const line = lines.find((l) => l.startsWith('RESULT '));
  const progress = lines.findLast((l) => l.startsWith('PROGRESS '));
  if (signal === 'SIGKILL' && !line && progress) return { ...JSON.parse(progress.slice('PROGRESS '.length)), killed: true };
  if (code !== 0 || !line) throw new Error(`bench row ${name} failed (exit code ${code}, signal ${signal}):\n${out.slice(-2000)}`);
  return JSON.parse(line.slice('RESULT '.length));
}

/** Prints the row child's result for the parent. */
export function report(result) {
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}

/** The floor: one bare `node:http` GET on `agent`, its body read and parsed as JSON. */
export function bareGet(url, agent) {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve(JSON.parse(body)));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

/** Runs `fn` `count` times one after another; pushes each call's milliseconds into `into`, if given. */
export async function timeSequential(fn, count, into) {
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await fn();
    into?.push(performance.now() - start);
  }
}

/**
 * `loops` loops, each awaiting `poll(i)` in turn, for `ms`: requests per second and the client's
 * CPU microseconds (user + system, `process.cpuUsage()`) per request.
 */
export async function slot(poll, loops, ms) {
  let done = 0;
  const endAt = performance.now() + ms;
  const cpu = process.cpuUsage();
  const start = performance.now();
  await Promise.all(
    Array.from({ length: loops }, async (_, i) => {
      while (performance.now() < endAt) {
        await poll(i);
        done++;
      }
    }),
  );
  const used = process.cpuUsage(cpu);
  return { perSecond: (done * 1000) / (performance.now() - start), cpuUsPerRequest: (used.user + used.system) / done };
}

/** The slot with the most requests per second: what a process sustains, least disturbed by other load. */
export function bestSlot(slots) {
  return slots.reduce((a, b) => (b.perSecond > a.perSecond ? b : a));
}

/** Garbage collections seen since the first {@link heapBytesPerPoll}, which starts the observer. */
let collections = 0;
let observer = null;
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

/** Two full collections, with a pause between them for finalizers (run with `--expose-gc`). */
export async function fullGc() {
  globalThis.gc();
  await settle();
  globalThis.gc();
}

/**
 * Bytes of JS heap one call of `poll` allocates: the heap's growth over `polls` sequential calls,
 * in a window that no collection ran in (run with `--expose-gc` and a young generation large
 * enough); `null` when a collection ran inside each of `tries` windows.
 */
export async function heapBytesPerPoll(poll, polls, tries = 3) {
  if (observer === null) {
    observer = new PerformanceObserver((list) => (collections += list.getEntries().length));
    observer.observe({ entryTypes: ['gc'] });
  }
  for (let t = 0; t < tries; t++) {
    await fullGc();
    await settle();
    const seen = collections;
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < polls; i++) await poll(0);
    const after = process.memoryUsage().heapUsed;
    await settle();
    if (collections === seen) return (after - before) / polls;
  }
  return null;
}
