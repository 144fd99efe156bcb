/**
 * Row "polls per second": the most status requests one process completes per second with many
 * in flight (BENCH_CONCURRENCY loops, each polling an operation of its own, so that no two
 * requests are merged), in interleaved slots against the minimal server (another process), for:
 * `AsyncOperation.getStatus()` over the SDK's default adapter (node:http) and over an undici
 * adapter (bench/undici-adapter.mjs), a bare `axios.get`, bare `node:http` GETs and bare
 * `undici` `Pool.request` GETs. Also the client's CPU time
 * per request (user + system, from `process.cpuUsage()`), which is what decides whether one core
 * keeps up with thousands of waits.
 */
import http from 'node:http';
import axios from 'axios';
import { Pool } from 'undici';
import { AsyncOperationsClient } from 'yc-operation';
import { bareGet, bestSlot, report, slot } from '../lib.mjs';
import { undiciAxios, undiciGet } from '../undici-adapter.mjs';

const url = process.env.BENCH_URL;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const SLOT_MS = Number(process.env.BENCH_SLOT_MS ?? 2000);
const SLOTS = Number(process.env.BENCH_SLOTS ?? 3);
const WARMUP_MS = 500;

const client = new AsyncOperationsClient({ endpoint: url, auth: null });
const overUndici = undiciAxios(url, CONCURRENCY);
const undiciClient = new AsyncOperationsClient({ endpoint: url, auth: null, axios: overUndici.instance });
const agent = new http.Agent({ keepAlive: true });
const pool = new Pool(url, { connections: CONCURRENCY });
const ids = Array.from({ length: CONCURRENCY }, (_, i) => `bench${String(i).padStart(16, '0')}`);
const ops = ids.map((id) => client.operation(id));
const undiciOps = ids.map((id) => undiciClient.operation(id));

const variants = {
  ours: (i) => ops[i].getStatus(),
  oursUndici: (i) => undiciOps[i].getStatus(),
  axios: (i) => axios.get(`${url}/operations/${ids[i]}`),
  floor: (i) => bareGet(`${url}/operations/${ids[i]}`, agent),
  undici: (i) => undiciGet(pool, `/operations/${ids[i]}`),
};

for (const fn of Object.values(variants)) await slot(fn, ids.length, WARMUP_MS);
const results = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
for (let s = 0; s < SLOTS; s++) {
  for (const [name, fn] of Object.entries(variants)) results[name].push(await slot(fn, ids.length, SLOT_MS));
}
client.close();
undiciClient.close();
await overUndici.close();
await pool.close();
agent.destroy();
/** Each variant's best slot: "the most one process sustains", least disturbed by other load. */
report(
  Object.fromEntries(
    Object.entries(results).map(([name, slots]) => {
      const best = bestSlot(slots);
      return [name, { perSecond: best.perSecond, cpuUsPerRequest: best.cpuUsPerRequest, slots }];
    }),
  ),
);
