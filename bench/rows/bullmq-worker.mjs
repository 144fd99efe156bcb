// A worker process of the "queue" row (bench/rows/bullmq.mjs): `yc-operation/bullmq` imported by
// name, or from QUEUE_DIST (another build's dist/bullmq/index.js, for a side-by-side run). On
// REDIS_URL, or on the Redis Cluster of CLUSTER_PORTS (ports on 127.0.0.1) with PREFIX; with
// HOLD_FOR (seconds), the worker's `holdFor` (absent: not passed, as a build without it needs). Prints
// READY once it takes jobs, `CPU <µs>` (its CPU time so far) on SIGUSR2, and on SIGTERM closes
// gracefully.
import { pathToFileURL } from 'node:url';
import { Cluster } from 'ioredis';

const { WaitWorker } = await import(process.env.QUEUE_DIST ? pathToFileURL(process.env.QUEUE_DIST).href : 'yc-operation/bullmq');
const connection = process.env.CLUSTER_PORTS
  ? new Cluster(
      process.env.CLUSTER_PORTS.split(',').map((port) => ({ host: '127.0.0.1', port: Number(port) })),
      { redisOptions: { maxRetriesPerRequest: null } },
    )
  : { url: process.env.REDIS_URL };
const worker = new WaitWorker({
  connection,
  prefix: process.env.PREFIX || undefined,
  queueName: process.env.QUEUE,
  client: { endpoint: process.env.EMU, auth: null },
  maxRequestsPerSecond: 1_000_000,
  concurrency: Number(process.env.CONCURRENCY),
  ...(process.env.HOLD_FOR && { holdFor: Number(process.env.HOLD_FOR) }),
});
const cpuUs = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};
process.on('SIGUSR2', () => process.stdout.write(`CPU ${cpuUs()}\n`));
process.on('SIGTERM', () =>
  worker.close().then(() => {
    if (connection instanceof Cluster) connection.disconnect();
    process.exit(0);
  }),
);
await worker.ready();
process.stdout.write('READY\n');
