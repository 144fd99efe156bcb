/**
 * Rows blocking/async, async/axios and async/floor: the latency of one status request, one at a
 * time, against the minimal server (another process). The four clients run in interleaved
 * rounds, so that drift of a noisy machine (CPU frequency, other load) hits them alike.
 *
 * - blocking: `Operation.getStatus()` (caller's thread -> synckit worker -> axios -> back);
 * - async:    `AsyncOperation.getStatus()` (axios, retry wrapper, headers, JSON, decoding);
 * - axios:    a bare `axios.get(url)` (default instance, keep-alive global agent, JSON parsed);
 * - floor:    a bare `node:http` GET on a keep-alive agent, body read and `JSON.parse`d;
 * - undici:   a bare `undici` `Pool.request` GET, body read as JSON;
 * - blockingBefore (only with BEFORE_DIST=<dir>/index.js): the blocking call of that build, with
 *   the `sync/worker.js` next to it (the build must resolve `synckit`), to compare in one run.
 */

import http from 'node:http';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import axios from 'axios';
import { Pool } from 'undici';
import { AsyncOperationsClient, OperationsClient } from 'yc-operation';
import { bareGet, report, summarize, timeSequential } from '../lib.mjs';
import { undiciGet } from '../undici-adapter.mjs';

const url = process.env.BENCH_URL;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const PER_ROUND = Number(process.env.BENCH_PER_ROUND ?? 400);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 1000);
const id = 'bench0000000000000000';

const asyncClient = new AsyncOperationsClient({ endpoint: url, auth: null });
const syncClient = new OperationsClient({ endpoint: url, auth: null });
const asyncOp = asyncClient.operation(id);
const syncOp = syncClient.operation(id);
const agent = new http.Agent({ keepAlive: true });
const target = `${url}/operations/${id}`;
const pool = new Pool(url, { connections: 1 });

const variants = {
  blocking: () => syncOp.getStatus(),
  async: () => asyncOp.getStatus(),
  axios: () => axios.get(target),
  floor: () => bareGet(target, agent),
  undici: () => undiciGet(pool, `/operations/${id}`),
};

let before = null;
if (process.env.BEFORE_DIST) {
  const base = await import(pathToFileURL(process.env.BEFORE_DIST).href);
  before = new base.OperationsClient({
    endpoint: url,
    auth: null,
    workerPath: join(dirname(process.env.BEFORE_DIST), 'sync', 'worker.js'),
  });
  const beforeOp = before.operation(id);
  variants.blockingBefore = () => beforeOp.getStatus();
}

for (const fn of Object.values(variants)) await timeSequential(fn, WARMUP);
const samples = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, fn] of Object.entries(variants)) await timeSequential(fn, PER_ROUND, samples[name]);
}
asyncClient.close();
syncClient.close();
before?.close();
agent.destroy();
await pool.close();
report(Object.fromEntries(Object.entries(samples).map(([name, s]) => [name, summarize(s)])));
