/**
 * Row "worker boot", one sample: in this fresh process, the first blocking call against the
 * minimal server, and the p50 of the 200 calls after it. The client starts its worker thread when
 * it is made; with BENCH_BOOT_WORK_MS=0 the call follows at once and `firstMs` runs from the
 * client's construction to the first answer (the whole boot: the SDK's part and Node's thread
 * start); with BENCH_BOOT_WORK_MS=150 the caller first does that much other work on its thread,
 * and `firstMs` is the first call alone (what the boot still costs it).
 */
import { OperationsClient } from 'yc-operation';
import { percentile, report } from '../lib.mjs';

const workMs = Number(process.env.BENCH_BOOT_WORK_MS ?? 0);
let start = performance.now();
const client = new OperationsClient({ endpoint: process.env.BENCH_URL, auth: null });
const op = client.operation('bench0000000000000000');
if (workMs > 0) {
  while (performance.now() - start < workMs); // the caller's own work, on its thread
  start = performance.now();
}
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
