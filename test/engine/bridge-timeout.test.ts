/**
 * Issue 19, "One way a wait times out": a blocking wait whose worker keeps its poll past the
 * wait's deadline (src/sync/ports.ts gives up on it 5 s later) ends with the wait's
 * `OperationTimeoutError`, as a wait ends at every other place its `pollTimeout` runs out; a call
 * of its own ends with the call's DEADLINE_EXCEEDED.
 */
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { ApiError, OperationsClient, OperationTimeoutError } from 'yc-operation';

const PENDING_WORKER = fileURLToPath(new URL('../fixtures/pending-worker.mjs', import.meta.url));

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('it did not throw');
}

test('a wait whose worker never answers ends with OperationTimeoutError, caused by the deadline', () => {
  const client = new OperationsClient({ endpoint: 'http://127.0.0.1:9', allowInsecureHttp: true, auth: null, workerPath: PENDING_WORKER });
  try {
    const error = thrown(() => client.operation('op-1').wait({ pollTimeout: 1, pollInterval: 0.1 }));
    expect(error).toBeInstanceOf(OperationTimeoutError);
    expect((error as OperationTimeoutError).message).toContain('op-1');
    const cause = (error as Error).cause;
    expect(cause).toBeInstanceOf(ApiError);
    expect((cause as ApiError).grpcCode).toBe(4);
    expect((cause as ApiError).message).toMatch(/no answer from its worker/);
  } finally {
    client.close();
  }
});

test("a call of its own whose worker never answers ends with the call's DEADLINE_EXCEEDED", () => {
  const client = new OperationsClient({ endpoint: 'http://127.0.0.1:9', allowInsecureHttp: true, auth: null, workerPath: PENDING_WORKER });
  try {
    const error = thrown(() => client.operation('op-2').getStatus({ timeout: 0.5 }));
    expect(error).toBeInstanceOf(ApiError);
    expect(error).not.toBeInstanceOf(OperationTimeoutError);
    expect((error as ApiError).grpcCode).toBe(4);
  } finally {
    client.close();
  }
});
