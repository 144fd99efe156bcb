/**
 * The call sequences of the kinds tracked by gRPC-only services (`src/core/calls.ts` and the kinds
 * that use it), driven with fake sends: `drive()` runs one synchronously or as a promise alike,
 * a tuning falls back from its expired operation to its task, and an answer about another task or
 * dataset is refused.
 */
import { describe, expect, test } from 'vitest';
import { cancelBatchTask, fetchBatchTask } from '../../src/core/batch-task';
import { type Call, type Calls, drive } from '../../src/core/calls';
import { DatasetValidationError, describeDataset, validatedDataset } from '../../src/core/dataset';
import { ApiError, OperationNotFoundError, WireDecodeError } from '../../src/core/errors';
import { cancelTuning, fetchTuning, type TuningTrack } from '../../src/core/tuning';
import { apiErrorFields } from '../helpers/api-error';

const ENDPOINT = 'http://127.0.0.1:1';
const notFound = (operationId: string) =>
  new OperationNotFoundError({ ...apiErrorFields({ grpcCode: 5, httpStatus: 404, message: 'not found' }), operationId });

/** A send that answers from `answers` by the call's method name, recording each call. */
function fakeSend(answers: Record<string, (call: Call) => unknown>) {
  const sent: string[] = [];
  const send = (call: Call) => {
    const name = call.to === 'operation' ? call.method : call.call.method.slice(call.call.method.lastIndexOf('.') + 1);
    sent.push(name);
    const answer = answers[name];
    if (!answer) throw new Error(`unexpected call ${name}`);
    return answer(call);
  };
  return { sent, send };
}

function* twoCalls(): Calls<string> {
  const a = yield { to: 'operation', method: 'get', operationId: 'a' };
  try {
    yield { to: 'operation', method: 'cancel', operationId: 'b' };
  } catch (error) {
    return `${String(a)}, then caught ${(error as Error).message}`;
  }
  return 'not reached';
}

describe('drive', () => {
  test('runs synchronously with a send that answers values, an error thrown into the generator', () => {
    const { send } = fakeSend({
      get: () => 'first',
      cancel: () => {
        throw new Error('boom');
      },
    });
    expect(drive(twoCalls(), send)).toBe('first, then caught boom');
  });

  test('runs as a promise with a send that answers promises, a rejection thrown into the generator', async () => {
    const { send } = fakeSend({
      get: async () => 'first',
      cancel: async () => {
        throw new Error('boom');
      },
    });
    const run = drive(twoCalls(), (call) => send(call) as Promise<unknown>);
    expect(run).toBeInstanceOf(Promise);
    expect(await run).toBe('first, then caught boom');
  });
});

describe('tuning', () => {
  const operation = (done: boolean) => ({
    id: 'op1',
    done,
    metadata: { tuningTaskId: 'task1', status: 'IN_PROGRESS' },
    ...(done ? { response: { tuningTaskId: 'task1', targetModelUri: 'gpt://f/m@t' } } : {}),
  });
  const task = (status: string) => ({ tuningTask: { taskId: 'task1', status } });

  test('a Get of the operation learns the task id from its metadata', () => {
    const track: TuningTrack = { operationId: 'op1', taskId: null, expired: false };
    const status = drive(fetchTuning(track, ENDPOINT), fakeSend({ get: () => operation(false) }).send);
    expect(status).toMatchObject({ state: 'IN_PROGRESS', taskId: 'task1', isRunning: true });
    expect(track.taskId).toBe('task1');
  });

  test('NOT_FOUND with a known task: the task is described, and from then on only it', () => {
    const track: TuningTrack = { operationId: 'op1', taskId: 'task1', expired: false };
    const { sent, send } = fakeSend({
      get: () => {
        throw notFound('op1');
      },
      'TuningService/Describe': () => task('COMPLETED'),
    });
    expect(drive(fetchTuning(track, ENDPOINT), send)).toMatchObject({ state: 'COMPLETED', operation: null, task: { taskId: 'task1' } });
    expect(track.expired).toBe(true);
    expect(drive(fetchTuning(track, ENDPOINT), send)).toMatchObject({ state: 'COMPLETED' });
    expect(sent).toEqual(['get', 'TuningService/Describe', 'TuningService/Describe']);
  });

  test('NOT_FOUND without a task id stays an OperationNotFoundError; another error is never a fallback', () => {
    expect(() =>
      drive(fetchTuning({ operationId: 'op1', taskId: null, expired: false }, ENDPOINT), () => {
        throw notFound('op1');
      }),
    ).toThrow(OperationNotFoundError);
    const unavailable = new ApiError(apiErrorFields({ httpStatus: 503, message: 'down', attempts: 5 }));
    const track: TuningTrack = { operationId: 'op1', taskId: 'task1', expired: false };
    expect(() =>
      drive(fetchTuning(track, ENDPOINT), () => {
        throw unavailable;
      }),
    ).toThrow(unavailable);
    expect(track.expired).toBe(false);
  });

  test("cancel of an expired tuning is the task's Cancel, then its Describe", () => {
    const calls: string[] = [];
    const track: TuningTrack = { operationId: null, taskId: 'task1', expired: false };
    const status = drive(cancelTuning(track, ENDPOINT), (call) => {
      if (call.to !== 'service') throw new Error('no operation to call');
      calls.push(call.call.method);
      return call.call.method.endsWith('/Cancel') ? { tuningTaskId: 'task1' } : task('CANCELED');
    });
    expect(calls).toEqual(['/yandex.cloud.ai.tuning.v1.TuningService/Cancel', '/yandex.cloud.ai.tuning.v1.TuningService/Describe']);
    expect(status).toMatchObject({ state: 'CANCELED' });
  });

  test('a Describe answer for another task is a WireDecodeError', () => {
    const track: TuningTrack = { operationId: null, taskId: 'task1', expired: false };
    expect(() => drive(fetchTuning(track, ENDPOINT), () => ({ tuningTask: { taskId: 'task2', status: 'COMPLETED' } }))).toThrow(
      WireDecodeError,
    );
  });
});

describe('batch tasks and datasets', () => {
  test('a batch task is its Describe; cancel is Cancel then Describe; another task is refused', () => {
    expect(drive(fetchBatchTask('t1', ENDPOINT), () => ({ task: { taskId: 't1', status: 'PENDING' } }))).toMatchObject({
      state: 'PENDING',
      isRunning: true,
    });
    const calls: string[] = [];
    drive(cancelBatchTask('t1', ENDPOINT), (call) => {
      calls.push(call.to === 'service' ? call.call.requestType : 'operation');
      return { taskId: 't1', task: { taskId: 't1', status: 'CANCELED' } };
    });
    expect(calls).toEqual([
      'yandex.cloud.ai.batch_inference.v1.CancelBatchInferenceRequest',
      'yandex.cloud.ai.batch_inference.v1.DescribeBatchInferenceRequest',
    ]);
    expect(() => drive(fetchBatchTask('t1', ENDPOINT), () => ({ task: { taskId: 't2', status: 'PENDING' } }))).toThrow(WireDecodeError);
    expect(() => drive(fetchBatchTask('t1', ENDPOINT), () => ({}))).toThrow(WireDecodeError);
  });

  test('a dataset is its Describe; a validation with errors raises DatasetValidationError before any call', () => {
    expect(drive(describeDataset(ENDPOINT, 'd1'), () => ({ dataset: { datasetId: 'd1', status: 'READY' } }))).toEqual({
      datasetId: 'd1',
      status: 'READY',
    });
    expect(() => drive(describeDataset(ENDPOINT, 'd1'), () => ({ dataset: { datasetId: 'd2' } }))).toThrow(WireDecodeError);
    const errors = [{ error: 'bad row', rowNumbers: ['1'] }];
    expect(() =>
      drive(validatedDataset(ENDPOINT, { datasetId: 'd1', isValid: false, errors }), () => {
        throw new Error('no call expected');
      }),
    ).toThrow(DatasetValidationError);
    expect(() => drive(validatedDataset(ENDPOINT, { isValid: true }), () => ({}))).toThrow(WireDecodeError);
  });
});
