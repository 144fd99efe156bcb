/**
 * Row "worker boot", one sample: in this fresh process, the first blocking call (which starts the
 * SDK's worker thread) and the p50 of the 200 calls after it, against the minimal server.
 */
import { OperationsClient } from 'yc-operation';
import { percentile, report } from '../lib.mjs';

const client = new OperationsClient({ endpoint: process.env.BENCH_URL, auth: null });
const op = client.operation('bench0000000000000000');
let start = performance.now();
op.getStatus();
const firstMs = performance.now() - start;
const later = [];
for (let i = 0; i < 200; i++) {
  start = performance.now();
  op.getStatus();
  later.push(performance.now() - start);
}
client.close();
report({ firstMs, laterP50Ms: percentile(later, 50) });
