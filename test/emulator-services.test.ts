/**
 * The emulator's task services (`yc-operation/testing`, against the build): DatasetService,
 * TuningService and BatchInferenceService over gRPC, called with plain grpc-js, and the batch
 * completion over REST, called with `fetch`; the operation, its task and the dataset store agree
 * over both protocols, and an expired operation is NOT_FOUND while its task stays describable.
 * Time-based checks only look at the order of what is seen, never at how fast it came.
 */

import { setTimeout as sleep } from 'node:timers/promises';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DATASET_ERRORS_HEADER, DONE_AFTER_HEADER, type Emulator, FAIL_WITH_HEADER, GrpcCode, startEmulator } from 'yc-operation/testing';
import { encode } from '../src/proto/from-json';
import { messageType, OPERATION } from '../src/proto/root';
import { messageJson } from '../src/proto/to-json';

const DATASET = 'yandex.cloud.ai.dataset.v1';
const TUNING = 'yandex.cloud.ai.tuning.v1';
const BATCH = 'yandex.cloud.ai.batch_inference.v1';
const TYPE = 'type.googleapis.com/';
const QUICK = { [DONE_AFTER_HEADER]: '0.5' };
const BASE_MODEL = 'gpt://b1gfolder/yandexgpt-lite/latest';

let emu: Emulator;
let client: grpc.Client;
beforeAll(async () => {
  emu = await startEmulator({ grpc: true });
  client = new grpc.Client((emu.grpcUrl as string).replace('http://', ''), grpc.credentials.createInsecure());
});
afterAll(async () => {
  client.close();
  await emu.close();
});

/**
 * A message's proto3 JSON with the fields these tests read, of any message here: an operation
 * (its metadata and response), a dataset, a task, an answer that wraps one, an error. 64-bit
 * numbers are strings.
 */
interface Json {
  id: string;
  done?: boolean;
  error?: unknown;
  code?: number;
  metadata: Json;
  response: Json;
  dataset: Json;
  tuningTask: Json;
  task: Json;
  status: string;
  folderId: string;
  finishedAt?: string;
  targetModelUri?: string;
  tuningTaskId: string;
  taskId: string;
  taskStatus: string;
  resultDatasetId: string;
  processedRows?: string;
  currentStep?: string;
}

/** A request's proto3 JSON. */
type JsonRequest = Record<string, unknown>;

/** One unary call of `path`, its request the `requestType` message of `request`, its answer as proto3 JSON. */
function call(
  path: string,
  requestType: string,
  responseType: string,
  request: JsonRequest,
  headers: Record<string, string> = {},
): Promise<Json> {
  const metadata = new grpc.Metadata();
  for (const [name, value] of Object.entries(headers)) metadata.set(name, value);
  const type = messageType(responseType);
  return callRaw(
    path,
    Buffer.from(encode(messageType(requestType), request)),
    metadata,
    (bytes) => messageJson(type, type.decode(bytes) as never) as Json,
  );
}

function callRaw<T>(path: string, body: Buffer, metadata: grpc.Metadata, decode: (bytes: Buffer) => T): Promise<T> {
  return new Promise((resolve, reject) => {
    client.makeUnaryRequest(
      path,
      (bytes: Buffer) => bytes,
      decode,
      body,
      metadata,
      (error, answer) => (error ? reject(error) : resolve(answer as T)),
    );
  });
}

/** The gRPC code a call fails with. */
async function codeOf(answer: Promise<unknown>): Promise<number> {
  const error = (await answer.then(
    () => expect.fail('the call succeeded'),
    (e: unknown) => e,
  )) as grpc.ServiceError;
  return error.code;
}

const validate = (datasetId: string, headers?: Record<string, string>) =>
  call(`/${DATASET}.DatasetService/Validate`, `${DATASET}.ValidateDatasetRequest`, OPERATION, { datasetId }, headers);
const describeDataset = (datasetId: string) =>
  call(`/${DATASET}.DatasetService/Describe`, `${DATASET}.DescribeDatasetRequest`, `${DATASET}.DescribeDatasetResponse`, {
    datasetId,
  }).then((r) => r.dataset);
const tune = (request: JsonRequest, headers?: Record<string, string>) =>
  call(`/${TUNING}.TuningService/Tune`, `${TUNING}.TuningRequest`, OPERATION, request, headers);
const tuneQuick = (headers?: Record<string, string>) =>
  tune({ baseModelUri: BASE_MODEL, trainDatasets: [{ datasetId: 'fdstrain', weight: 1 }] }, { ...QUICK, ...headers });
const describeTuning = (tuningTaskId: string) =>
  call(`/${TUNING}.TuningService/Describe`, `${TUNING}.DescribeTuningRequest`, `${TUNING}.DescribeTuningResponse`, { tuningTaskId }).then(
    (r) => r.tuningTask,
  );
const cancelTuning = (tuningTaskId: string) =>
  call(`/${TUNING}.TuningService/Cancel`, `${TUNING}.CancelTuningRequest`, `${TUNING}.CancelTuningResponse`, { tuningTaskId });
const describeBatch = (taskId: string) =>
  call(`/${BATCH}.BatchInferenceService/Describe`, `${BATCH}.DescribeBatchInferenceRequest`, `${BATCH}.DescribeBatchInferenceResponse`, {
    taskId,
  }).then((r) => r.task);
const cancelBatch = (taskId: string) =>
  call(`/${BATCH}.BatchInferenceService/Cancel`, `${BATCH}.CancelBatchInferenceRequest`, `${BATCH}.CancelBatchInferenceResponse`, {
    taskId,
  });
const getOperation = (operationId: string) =>
  call('/yandex.cloud.operation.OperationService/Get', 'yandex.cloud.operation.GetOperationRequest', OPERATION, { operationId });
const cancelOperation = (operationId: string) =>
  call('/yandex.cloud.operation.OperationService/Cancel', 'yandex.cloud.operation.CancelOperationRequest', OPERATION, { operationId });

async function rest(path: string, init?: RequestInit): Promise<{ status: number; body: Json }> {
  const response = await fetch(`${emu.url}${path}`, init);
  return { status: response.status, body: (await response.json()) as Json };
}

const startBatch = (body: JsonRequest, headers: Record<string, string> = QUICK) =>
  rest('/foundationModels/v1/completionBatch', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
/** The statuses a batch task goes through, in order. */
const BATCH_ORDER = ['PENDING', 'IN_PROGRESS', 'COMPLETED'];
const BATCH_REQUEST = { modelUri: 'gpt://b1gfolder/yandexgpt-lite', sourceDatasetId: 'fdssource', completionOptions: { temperature: 0.3 } };

/** Polls the operation over gRPC until done; every answer, oldest first. */
async function pollUntilDone(operationId: string): Promise<Json[]> {
  const seen = [await getOperation(operationId)];
  while (!seen.at(-1)?.done) {
    await sleep(30);
    seen.push(await getOperation(operationId));
  }
  return seen;
}

/** Asserts that the numbers (none negative) never decrease and end at `last`. */
function expectProgress(values: number[], last: number): void {
  expect(values.every((value, i) => value >= (i === 0 ? 0 : (values[i - 1] as number)))).toBe(true);
  expect(values.at(-1)).toBe(last);
}

describe('DatasetService', () => {
  test('Validate: an operation whose metadata counts the rows, a dataset VALIDATING then READY, the same over REST', async () => {
    const started = await validate('fdsgood', { ...QUICK, 'x-folder-id': 'b1gmine' });
    expect(started).toMatchObject({
      description: 'Dataset validation',
      metadata: { '@type': `${TYPE}${DATASET}.ValidateDatasetMetadata`, datasetId: 'fdsgood', totalRows: '100' },
    });
    expect(started.done).toBeUndefined();
    expect(await describeDataset('fdsgood')).toMatchObject({
      datasetId: 'fdsgood',
      folderId: 'b1gmine',
      name: 'dataset-fdsgood',
      status: 'VALIDATING',
      taskType: 'TextToTextGeneration',
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      rows: '100',
      sizeBytes: expect.any(String),
      createdBy: expect.any(String),
    });

    const seen = await pollUntilDone(started.id);
    expectProgress(
      seen.map((op) => Number(op.metadata.processedRows ?? 0)),
      100,
    );
    expect(seen.at(-1)?.response).toEqual({ '@type': `${TYPE}${DATASET}.ValidateDatasetResponse`, datasetId: 'fdsgood', isValid: true });
    expect(await describeDataset('fdsgood')).toMatchObject({ status: 'READY', folderId: 'b1gmine' });
    const { status, body } = await rest(`/operations/${started.id}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      done: true,
      response: { isValid: true, errors: [] },
      metadata: { processedRows: '100', validRows: '100' },
    });
    expect((await emu.requests()).some((r) => r.path.endsWith('/Validate') && r.operationId === started.id)).toBe(true);
  });

  test(`${DATASET_ERRORS_HEADER}: the validation finds those errors, and the dataset is INVALID`, async () => {
    const errors = [{ error: 'bad_json', errorDescription: 'not JSON', rowNumbers: [3, 7] }];
    const started = await validate('fdsbad', { ...QUICK, [DATASET_ERRORS_HEADER]: JSON.stringify(errors) });
    expect((await describeDataset('fdsbad')).folderId).toBe('b1gemulator');
    const done = (await pollUntilDone(started.id)).at(-1) as Json;
    expect(done.response).toEqual({
      '@type': `${TYPE}${DATASET}.ValidateDatasetResponse`,
      datasetId: 'fdsbad',
      errors: [{ ...errors[0], rowNumbers: ['3', '7'] }],
    });
    expect(done.metadata).toMatchObject({ processedRows: '100', validRows: '98' });
    expect((await describeDataset('fdsbad')).status).toBe('INVALID');
    expect(await codeOf(validate('fdsbad', { [DATASET_ERRORS_HEADER]: '{"error":1}' }))).toBe(GrpcCode.INVALID_ARGUMENT);
  });

  test('fail-with fails the validation and a cancelled one leaves the dataset INVALID too', async () => {
    const failed = await validate('fdsfail', { ...QUICK, [FAIL_WITH_HEADER]: '{"code":9,"message":"dataset is locked"}' });
    expect((await pollUntilDone(failed.id)).at(-1)?.error).toEqual({ code: 9, message: 'dataset is locked' });
    expect((await describeDataset('fdsfail')).status).toBe('INVALID');

    const cancelled = await validate('fdscancel', { [DONE_AFTER_HEADER]: '30' });
    expect((await cancelOperation(cancelled.id)).error).toEqual({ code: GrpcCode.CANCELLED, message: 'Operation cancelled' });
    expect((await describeDataset('fdscancel')).status).toBe('INVALID');
  });

  test('NOT_FOUND for an unknown dataset; INVALID_ARGUMENT for no id, a request that does not decode, bad scripting', async () => {
    expect(await codeOf(describeDataset('fdsnone'))).toBe(GrpcCode.NOT_FOUND);
    expect(await codeOf(validate(''))).toBe(GrpcCode.INVALID_ARGUMENT);
    expect(await codeOf(validate('fdsx', { [DONE_AFTER_HEADER]: 'soon' }))).toBe(GrpcCode.INVALID_ARGUMENT);
    const undecodable = Buffer.of((15 << 3) | 7); // a tag of wire type 7, which does not exist
    expect(await codeOf(callRaw(`/${DATASET}.DatasetService/Validate`, undecodable, new grpc.Metadata(), (b) => b))).toBe(
      GrpcCode.INVALID_ARGUMENT,
    );
    expect(await codeOf(callRaw(`/${DATASET}.DatasetService/Delete`, Buffer.alloc(0), new grpc.Metadata(), (b) => b))).toBe(
      GrpcCode.UNIMPLEMENTED,
    );
  });
});

describe('TuningService', () => {
  test('Tune: an operation ten steps long and its task, IN_PROGRESS then COMPLETED with the tuned model', async () => {
    const started = await tuneQuick({ 'x-folder-id': 'b1gtune' });
    const { tuningTaskId } = started.metadata;
    expect(started).toMatchObject({
      description: 'Tuning',
      metadata: {
        '@type': `${TYPE}${TUNING}.TuningMetadata`,
        tuningTaskId: expect.stringMatching(/^[a-v][0-9a-v]{19}$/),
        totalSteps: '10',
      },
    });
    const running = await describeTuning(tuningTaskId);
    expect(running).toMatchObject({
      taskId: tuningTaskId,
      operationId: started.id,
      folderId: 'b1gtune',
      sourceModelUri: BASE_MODEL,
      createdAt: expect.any(String),
      startedAt: expect.any(String),
    });
    expect(['CREATED', 'IN_PROGRESS']).toContain(running.status);
    expect(running.finishedAt).toBeUndefined();
    expect(running.targetModelUri).toBeUndefined();

    const seen = await pollUntilDone(started.id);
    expectProgress(
      seen.map((op) => Number(op.metadata.currentStep ?? 0)),
      10,
    );
    const targetModelUri = `${BASE_MODEL}@${tuningTaskId}`;
    expect(seen.at(-1)?.response).toEqual({
      '@type': `${TYPE}${TUNING}.TuningResponse`,
      tuningTaskId,
      status: 'COMPLETED',
      targetModelUri,
    });
    expect(await describeTuning(tuningTaskId)).toMatchObject({ status: 'COMPLETED', targetModelUri, finishedAt: expect.any(String) });
  });

  test('fail-with: the operation fails and the task is FAILED, with no tuned model', async () => {
    const started = await tuneQuick({ [FAIL_WITH_HEADER]: '{"code":8,"message":"quota exceeded"}' });
    expect((await pollUntilDone(started.id)).at(-1)?.error).toEqual({ code: 8, message: 'quota exceeded' });
    const task = await describeTuning(started.metadata.tuningTaskId);
    expect(task).toMatchObject({ status: 'FAILED', finishedAt: expect.any(String) });
    expect(task.targetModelUri).toBeUndefined();
  });

  test('TuningService/Cancel cancels the task and its operation (code 1); a finished task is unchanged', async () => {
    const started = await tuneQuick({ [DONE_AFTER_HEADER]: '30' });
    const { tuningTaskId } = started.metadata;
    expect(await cancelTuning(tuningTaskId)).toEqual({ tuningTaskId });
    expect(await describeTuning(tuningTaskId)).toMatchObject({ status: 'CANCELED', finishedAt: expect.any(String) });
    const operation = await getOperation(started.id);
    expect(operation).toMatchObject({ done: true, error: { code: GrpcCode.CANCELLED }, metadata: { status: 'CANCELED' } });

    const finished = await tuneQuick({ [DONE_AFTER_HEADER]: '0' });
    expect(await cancelTuning(finished.metadata.tuningTaskId)).toEqual({ tuningTaskId: finished.metadata.tuningTaskId });
    expect((await describeTuning(finished.metadata.tuningTaskId)).status).toBe('COMPLETED');
    expect((await getOperation(finished.id)).response.status).toBe('COMPLETED');
  });

  test("an OperationService Cancel (REST) of the tuning's operation makes its task CANCELED", async () => {
    const started = await tuneQuick({ [DONE_AFTER_HEADER]: '30' });
    const { status, body } = await rest(`/operations/${started.id}:cancel`, { method: 'POST' });
    expect(status).toBe(200);
    expect(body).toMatchObject({ done: true, error: { code: GrpcCode.CANCELLED } });
    expect((await describeTuning(started.metadata.tuningTaskId)).status).toBe('CANCELED');
  });

  test('INVALID_ARGUMENT without a base model or train datasets; NOT_FOUND for an unknown task', async () => {
    expect(await codeOf(tune({ trainDatasets: [{ datasetId: 'fdstrain' }] }))).toBe(GrpcCode.INVALID_ARGUMENT);
    expect(await codeOf(tune({ baseModelUri: BASE_MODEL }))).toBe(GrpcCode.INVALID_ARGUMENT);
    expect(await codeOf(tune({ baseModelUri: BASE_MODEL, trainDatasets: [{ weight: 1 }] }))).toBe(GrpcCode.INVALID_ARGUMENT);
    expect(await codeOf(describeTuning('ftnnone'))).toBe(GrpcCode.NOT_FOUND);
    expect(await codeOf(cancelTuning('ftnnone'))).toBe(GrpcCode.NOT_FOUND);
  });
});

describe('batch completion and BatchInferenceService', () => {
  test('the POST answers metadata.taskId; the task goes PENDING, IN_PROGRESS, COMPLETED; its result dataset is then READY', async () => {
    const { status, body: started } = await startBatch(BATCH_REQUEST, { [DONE_AFTER_HEADER]: '0.6', 'x-folder-id': 'b1gbatch' });
    expect(status).toBe(200);
    expect(started).toMatchObject({
      description: 'Batch completion',
      done: false,
      metadata: {
        '@type': `${TYPE}yandex.cloud.ai.foundation_models.v1.BatchCompletionMetadata`,
        taskId: expect.any(String),
        taskStatus: 'PENDING',
        completedBatches: '0',
        totalBatches: '3',
      },
    });
    const { taskId } = started.metadata;
    expect(await describeBatch(taskId)).toMatchObject({
      taskId,
      operationId: started.id,
      folderId: 'b1gbatch',
      modelUri: BATCH_REQUEST.modelUri,
      sourceDatasetId: 'fdssource',
      createdBy: expect.any(String),
      createdAt: expect.any(String),
      startedAt: expect.any(String),
    });

    const statuses: string[] = [started.metadata.taskStatus];
    let operation = started;
    while (!operation.done) {
      await sleep(30);
      statuses.push((await describeBatch(taskId)).status);
      operation = (await rest(`/operations/${started.id}`)).body;
    }
    statuses.push((await describeBatch(taskId)).status);
    expectProgress(
      statuses.map((s) => BATCH_ORDER.indexOf(s)),
      BATCH_ORDER.length - 1,
    );
    const { resultDatasetId } = operation.response;
    expect(operation.response).toEqual({
      '@type': `${TYPE}yandex.cloud.ai.foundation_models.v1.BatchCompletionResponse`,
      taskId,
      taskStatus: 'COMPLETED',
      resultDatasetId: expect.any(String),
    });
    expect(operation.metadata).toMatchObject({ taskStatus: 'COMPLETED', completedBatches: '3' });
    expect(await describeBatch(taskId)).toMatchObject({ status: 'COMPLETED', resultDatasetId, finishedAt: expect.any(String) });
    expect(await describeDataset(resultDatasetId)).toMatchObject({ datasetId: resultDatasetId, folderId: 'b1gbatch', status: 'READY' });
  });

  test('the result dataset does not exist before the batch completes', async () => {
    const { body } = await startBatch(BATCH_REQUEST, { [DONE_AFTER_HEADER]: '30' });
    const { taskId } = body.metadata;
    expect((await describeBatch(taskId)).resultDatasetId).toBeUndefined();
    expect(await cancelBatch(taskId)).toEqual({ taskId });
    const operation = (await rest(`/operations/${body.id}`)).body;
    expect(operation).toMatchObject({ done: true, error: { code: GrpcCode.CANCELLED }, metadata: { taskStatus: 'CANCELED' } });
    expect(await describeBatch(taskId)).toMatchObject({ status: 'CANCELED', finishedAt: expect.any(String) });
  });

  test('fail-with: the task is FAILED with that status among its errors', async () => {
    const failWith = { code: 9, message: 'source dataset is not READY' };
    const { body } = await startBatch(BATCH_REQUEST, { ...QUICK, [FAIL_WITH_HEADER]: JSON.stringify(failWith) });
    expect((await pollUntilDone(body.id)).at(-1)?.error).toEqual(failWith);
    const task = await describeBatch(body.metadata.taskId);
    expect(task).toMatchObject({ status: 'FAILED', errors: { status: failWith } });
    expect(task.resultDatasetId).toBeUndefined();
  });

  test('Cancel of a finished task leaves it COMPLETED; NOT_FOUND for an unknown task; 400 code 3 for an invalid request', async () => {
    const { body } = await startBatch(BATCH_REQUEST, { [DONE_AFTER_HEADER]: '0' });
    expect(body.done).toBe(true);
    expect(await cancelBatch(body.metadata.taskId)).toEqual({ taskId: body.metadata.taskId });
    expect((await describeBatch(body.metadata.taskId)).status).toBe('COMPLETED');
    expect(await codeOf(describeBatch('fbtnone'))).toBe(GrpcCode.NOT_FOUND);
    expect(await codeOf(cancelBatch('fbtnone'))).toBe(GrpcCode.NOT_FOUND);
    for (const invalid of [{ sourceDatasetId: 'fds' }, { modelUri: 'gpt://b1g/yandexgpt' }, { ...BATCH_REQUEST, jsonObject: 'yes' }]) {
      const { status, body: error } = await startBatch(invalid);
      expect(status).toBe(400);
      expect(error.code).toBe(GrpcCode.INVALID_ARGUMENT);
    }
  });
});

describe('expire', () => {
  test('an expired operation is NOT_FOUND over both protocols, while its task stays describable', async () => {
    const started = await tuneQuick({ [DONE_AFTER_HEADER]: '0' });
    await emu.expire(started.id);
    const get = await rest(`/operations/${started.id}`);
    expect(get.status).toBe(404);
    expect(get.body).toMatchObject({ code: GrpcCode.NOT_FOUND, message: expect.stringContaining(started.id) });
    expect((await rest(`/operations/${started.id}:cancel`)).status).toBe(404);
    expect(await codeOf(getOperation(started.id))).toBe(GrpcCode.NOT_FOUND);
    expect(await codeOf(cancelOperation(started.id))).toBe(GrpcCode.NOT_FOUND);
    expect(await describeTuning(started.metadata.tuningTaskId)).toMatchObject({ operationId: started.id, status: 'COMPLETED' });

    const { body: batch } = await startBatch(BATCH_REQUEST, { [DONE_AFTER_HEADER]: '0' });
    await emu.expire(batch.id);
    expect((await rest(`/operations/${batch.id}`)).status).toBe(404);
    expect(await describeBatch(batch.metadata.taskId)).toMatchObject({
      status: 'COMPLETED',
      resultDatasetId: batch.response.resultDatasetId,
    });
  });

  test('expire rejects for an operation the emulator does not have, naming it', async () => {
    await expect(emu.expire('nosuchoperation')).rejects.toThrow(/nosuchoperation/);
    const id = await emu.create();
    await emu.expire(id);
    await expect(emu.expire(id)).rejects.toThrow(id);
  });
});

test('the new methods check credentials like the others', async () => {
  const guarded = await startEmulator({ grpc: true, apiKey: 'AQVNsecret' });
  const other = new grpc.Client((guarded.grpcUrl as string).replace('http://', ''), grpc.credentials.createInsecure());
  try {
    const answer = new Promise((resolve, reject) => {
      const body = Buffer.from(encode(messageType(`${DATASET}.ValidateDatasetRequest`), { datasetId: 'fds' }));
      other.makeUnaryRequest(
        `/${DATASET}.DatasetService/Validate`,
        (b: Buffer) => b,
        (b) => b,
        body,
        new grpc.Metadata(),
        (e, r) => (e ? reject(e) : resolve(r)),
      );
    });
    expect(await codeOf(answer)).toBe(GrpcCode.UNAUTHENTICATED);
  } finally {
    other.close();
    await guarded.close();
  }
});
