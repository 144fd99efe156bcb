// A user's worker thread that waits on operations with the blocking flavour, one after another,
// and posts how each wait ended (test/resilience/load.test.ts runs four at once).
import { parentPort, workerData } from 'node:worker_threads';

const { OperationsClient } = await import(workerData.dist);
const client = new OperationsClient({ endpoint: workerData.endpoint, auth: null, retry: workerData.retry });
const summaries = workerData.ops.map(({ id, wait }) => {
  try {
    return { ok: true, value: client.operation(id).wait(wait) };
  } catch (e) {
    const last = e.lastStatus;
    return {
      ok: false,
      name: e.name,
      fields: {
        grpcCode: e.grpcCode,
        httpStatus: e.httpStatus,
        attempts: e.attempts,
        code: e.code,
        lastStatus: last === undefined ? undefined : last && { isRunning: last.isRunning, errorCode: last.error ? last.error.code : null },
      },
    };
  }
});
client.close();
parentPort.postMessage(summaries);
