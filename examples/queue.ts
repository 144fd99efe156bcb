// Durable waits on a BullMQ queue (`yc-operation/bullmq`): enqueue a wait by operation id, let a
// worker poll it, and await its outcome; `result<T, M>()` types the result and each progress
// status's metadata. Needs Redis (REDIS_URL, default redis://127.0.0.1:6379) and
// `npm install bullmq ioredis`.
// Run: YC_API_KEY=... (compiled with tsc) node queue.js <operation id>
import { WaitQueue, WaitWorker } from 'yc-operation/bullmq';

interface Report {
  text: string;
}
interface Progress {
  percent: number;
}

const id = process.argv[2] ?? process.env.YC_OPERATION_ID;
if (!id) throw new Error('usage: queue <operation id> (or set YC_OPERATION_ID)');
const connection = { url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' };

// The fleet: a worker in as many processes as you like (here, one in this process). Its client
// options are the SDK client's; credentials come from the environment.
const worker = new WaitWorker({ connection, client: { endpoint: process.env.YC_OPERATION_ENDPOINT } });
// Any process: enqueue the wait, then await its outcome.
const waits = new WaitQueue({ connection });
try {
  await waits.enqueue(id, { pollInterval: 0.5, pollTimeout: 3600 });
  const report = await waits.result<Report, Progress>(id, {
    onProgress: (s) => console.log(`running: ${s.metadata?.percent ?? 0}%`),
  });
  console.log(`done: ${report.text}`);
} finally {
  await worker.close();
  await waits.close();
}
