// A worker process of the "queue" row (bench/rows/bullmq.mjs): the built package, imported by name.
// Prints READY once it takes jobs; on SIGTERM closes gracefully.
import { WaitWorker } from 'yc-operation/bullmq';

const worker = new WaitWorker({
  connection: { url: process.env.REDIS_URL },
  queueName: process.env.QUEUE,
  client: { endpoint: process.env.EMU, auth: null },
  maxRequestsPerSecond: 1_000_000,
  concurrency: Number(process.env.CONCURRENCY),
});
process.on('SIGTERM', () => worker.close().then(() => process.exit(0)));
await worker.ready();
process.stdout.write('READY\n');
