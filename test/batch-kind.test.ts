/**
 * The machinery is generic over the status type, as the reference's is: a second operation kind
 * with an enum status (the reference's batch tasks) fetched by a call of its own reuses the whole
 * wait loop, in both flavours.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  BaseAsyncOperation,
  BaseOperation,
  type BaseOperationStatus,
  isFinished,
  type OperationKind,
  OperationTimeoutError,
  RunError,
  statusNameOf,
} from 'yc-operation';

type BatchState = 'CREATED' | 'PENDING' | 'IN_PROGRESS' | 'COMPLETED' | 'FAILED' | 'CANCELED';

class BatchTaskStatus implements BaseOperationStatus {
  constructor(readonly state: BatchState) {}
  get isRunning() {
    return this.state === 'CREATED' || this.state === 'PENDING' || this.state === 'IN_PROGRESS';
  }
  get isSucceeded() {
    return this.state === 'COMPLETED';
  }
  get isFailed() {
    return this.state === 'FAILED' || this.state === 'CANCELED';
  }
  toString() {
    return `BatchTaskStatus<${this.state}>`;
  }
}

const batchKind: OperationKind<BatchTaskStatus, string> = {
  defaultPollTimeoutS: 72 * 3600,
  runError: (operationId, failed) =>
    new RunError({ code: failed.state === 'CANCELED' ? 1 : 13, message: `batch task ${failed.state}`, details: null, operationId }),
  result: (succeeded) => `dataset of ${succeeded.state}`,
};
const silent = { debug() {}, info() {}, warn() {}, error() {} };

describe('the enum status obeys the derived contract', () => {
  test.each([
    ['CREATED', true, false, false, 'running'],
    ['PENDING', true, false, false, 'running'],
    ['IN_PROGRESS', true, false, false, 'running'],
    ['COMPLETED', false, true, true, 'success'],
    ['FAILED', false, false, true, 'failed'],
    ['CANCELED', false, false, true, 'failed'],
  ] as const)('%s', (state, running, succeeded, finished, name) => {
    const s = new BatchTaskStatus(state);
    expect([s.isRunning, s.isSucceeded, isFinished(s), statusNameOf(s)]).toEqual([running, succeeded, finished, name]);
  });
});

describe('async: a batch task polled over its own HTTP call', () => {
  const states: BatchState[] = ['CREATED', 'PENDING', 'IN_PROGRESS', 'COMPLETED'];
  let server: http.Server;
  let url: string;
  let polls = 0;
  beforeAll(async () => {
    server = http.createServer((_req, res) => res.end(JSON.stringify({ status: states[Math.min(polls++, states.length - 1)] })));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/batch/tasks/t1`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  const task = () =>
    new BaseAsyncOperation<BatchTaskStatus, string>({
      id: 't1',
      kind: batchKind,
      logger: silent,
      fetch: async ({ signal }) => new BatchTaskStatus(((await (await fetch(url, { signal })).json()) as { status: BatchState }).status),
      cancel: async () => new BatchTaskStatus('CANCELED'),
    });

  test('wait runs the same loop and returns the kind result', async () => {
    polls = 0;
    const seen: string[] = [];
    expect(await task().wait({ pollInterval: 0.01, onProgress: (s) => seen.push(s.state) })).toBe('dataset of COMPLETED');
    expect(seen).toEqual(states);
  });

  test("a class of one's own names itself in getResult's messages by its own toString()", async () => {
    class BatchTask extends BaseAsyncOperation<BatchTaskStatus, string> {
      override toString() {
        return `BatchTask<${this.id}>`;
      }
    }
    const parts = {
      id: 't1',
      kind: batchKind,
      logger: silent,
      fetch: async () => new BatchTaskStatus('PENDING'),
      cancel: async () => new BatchTaskStatus('CANCELED'),
    };
    await expect(new BatchTask(parts).getResult()).rejects.toThrow("BatchTask<t1> is running and therefore can't return a result");
    // The flavour's own class keeps its own text form.
    await expect(new BaseAsyncOperation(parts).getResult()).rejects.toThrow('AsyncOperation<id="t1"> is running');
  });

  test('cancel makes getResult throw the kind RunError', async () => {
    const t = task();
    await t.cancel();
    await expect(t.getResult()).rejects.toMatchObject({
      name: 'RunError',
      code: 1,
      message: 'Operation t1 failed with message: batch task CANCELED (code 1)',
    });
  });
});

describe('blocking: a batch task with a blocking fetcher', () => {
  const task = (script: BatchState[], kind = batchKind) =>
    new BaseOperation<BatchTaskStatus, string>({
      id: 't2',
      kind,
      logger: silent,
      fetch: () => new BatchTaskStatus(script.length > 1 ? script.shift()! : script[0]!),
      cancel: () => new BatchTaskStatus('CANCELED'),
    });

  test('wait runs the same loop, and a FAILED task raises the kind RunError', () => {
    expect(task(['PENDING', 'IN_PROGRESS', 'COMPLETED']).wait({ pollInterval: 0.01 })).toBe('dataset of COMPLETED');
    expect(() => task(['PENDING', 'FAILED']).wait({ pollInterval: 0.01 })).toThrow('batch task FAILED (code 13)');
  });

  test("a class of one's own names itself in getResult's messages by its own toString()", () => {
    class BatchTask extends BaseOperation<BatchTaskStatus, string> {
      override toString() {
        return `BatchTask<${this.id}>`;
      }
    }
    const parts = { id: 't2', kind: batchKind, logger: silent, cancel: () => new BatchTaskStatus('CANCELED') };
    const t = new BatchTask({ ...parts, fetch: () => new BatchTaskStatus('PENDING') });
    expect(() => t.getResult()).toThrow("BatchTask<t2> is running and therefore can't return a result");
    expect(() => task(['PENDING']).getResult()).toThrow('Operation<id="t2"> is running');
  });

  /** The error of a wait on a task that never ends. */
  const timeoutOf = (t: BaseOperation<BatchTaskStatus, string>, options: Record<string, unknown>) => {
    try {
      t.wait({ pollInterval: 0.01, ...options });
    } catch (e) {
      return e as OperationTimeoutError;
    }
    return expect.unreachable('the wait ended without a timeout');
  };

  test('the kind default poll timeout applies when the wait gives none, and an explicit one bounds the wait', () => {
    // A kind whose default is short enough to reach: the wait ends at it, and says so.
    const byDefault = timeoutOf(task(['PENDING'], { ...batchKind, defaultPollTimeoutS: 0.15 }), {});
    expect(byDefault).toBeInstanceOf(OperationTimeoutError);
    expect(byDefault.pollTimeout).toBe(0.15);
    expect(String(byDefault.lastStatus)).toBe('BatchTaskStatus<PENDING>');
    const explicit = timeoutOf(task(['PENDING']), { pollTimeout: 0.1 });
    expect(explicit).toBeInstanceOf(OperationTimeoutError);
    expect(explicit.pollTimeout).toBe(0.1);
    expect(String(explicit.lastStatus)).toBe('BatchTaskStatus<PENDING>');
  });
});
