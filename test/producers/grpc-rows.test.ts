/**
 * The rows of the services with no REST route, in both flavours against the emulator (its REST
 * and gRPC sides on one state): dataset validation (DatasetService over gRPC, its operation polled
 * over REST), tuning (a kind of its own: its operation, then its task's Describe once the operation
 * expired) and batch completion (a REST start, then a batch task on BatchInferenceService). Each:
 * start, progress, success, failure, cancel, the kind's defaults, a malformed request refused.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  AsyncOperationsClient,
  BatchTaskStatus,
  type DatasetInfo,
  DatasetValidationError,
  OperationNotFoundError,
  OperationsClient,
  RunError,
  type TunedModel,
  TuningStatus,
} from 'yc-operation';
import { type Emulator, type RecordedRequest, startEmulator } from 'yc-operation/testing';
import { wrap } from '../helpers/flavours';
import { FOLDER, infoLines, PRODUCER_KEY, START_FLAVOURS } from '../helpers/producers';

let emu: Emulator;
let grpcUrl: string;
beforeAll(async () => {
  emu = await startEmulator({ apiKey: PRODUCER_KEY, grpc: true });
  grpcUrl = emu.grpcUrl as string;
});
afterAll(() => emu.close());

const DATASET_SERVICE = '/yandex.cloud.ai.dataset.v1.DatasetService';
const TUNING_SERVICE = '/yandex.cloud.ai.tuning.v1.TuningService';
const BATCH_SERVICE = '/yandex.cloud.ai.batch_inference.v1.BatchInferenceService';
const BASE_MODEL = `gpt://${FOLDER}/yandexgpt-lite/latest`;
const TUNING_REQUEST = { baseModelUri: BASE_MODEL, trainDatasets: [{ datasetId: 'fdstrain', weight: 1 }] };
const BATCH_REQUEST = { modelUri: BASE_MODEL, sourceDatasetId: 'fdssource' };
const paths = (requests: RecordedRequest[]) => requests.map((r) => r.path);
const states = (seen: Array<{ state: string }>) => [...new Set(seen.map((s) => s.state))];

describe.each(START_FLAVOURS)('$name', (flavour) => {
  describe('validateDataset', () => {
    test('DatasetService.Validate over gRPC from a REST client; the operation polled over REST; wait gives the dataset, described again', async () => {
      const client = flavour.client(emu, { doneAfter: 0.4 });
      await emu.clearRequests();
      const op = await client.start('validateDataset', { datasetId: 'fdsvalid1' }, { endpoint: grpcUrl });
      expect(op.lastKnownStatus?.isRunning).toBe(true);
      const seen: string[] = [];
      const dataset = (await op.wait({
        pollInterval: 0.05,
        onProgress: (s: { statusName: string }) => seen.push(s.statusName),
      })) as DatasetInfo;
      expect(dataset).toMatchObject({ datasetId: 'fdsvalid1', status: 'READY', folderId: FOLDER });
      expect([seen[0], seen.at(-1)]).toEqual(['running', 'success']);
      const requests = await emu.requests();
      expect(requests[0]).toMatchObject({ path: `${DATASET_SERVICE}/Validate`, operationId: op.id });
      expect(requests[0]!.headers).toMatchObject({ 'x-folder-id': FOLDER, authorization: `Api-Key ${PRODUCER_KEY}` });
      expect(paths(requests)).toContain(`/operations/${op.id}`);
      expect(paths(requests).at(-1)).toBe(`${DATASET_SERVICE}/Describe`);
      client.close();
    });

    test('a validation that found errors is a DatasetValidationError with them', async () => {
      const problems = [{ error: 'bad json', errorDescription: 'line is not JSON', rowNumbers: ['3', '7'] }];
      const client = flavour.client(emu, { doneAfter: 0.1, headers: { 'x-emulator-dataset-errors': JSON.stringify(problems) } });
      const op = await client.start('validateDataset', { datasetId: 'fdsbroken' }, { endpoint: grpcUrl });
      const error = await op.wait({ pollInterval: 0.05 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DatasetValidationError);
      expect(error).toMatchObject({ name: 'DatasetValidationError', datasetId: 'fdsbroken', errors: problems });
      expect((error as Error).message).toContain('bad json');
      client.close();
    });

    test('a scripted failure is a RunError; cancel finishes it as CANCELLED', async () => {
      const failing = flavour.client(emu, { doneAfter: 0.1, failWith: { code: 8, message: 'too many validations' } });
      const failed = await failing.start('validateDataset', { datasetId: 'fdsquota' }, { endpoint: grpcUrl });
      await expect(failed.wait({ pollInterval: 0.05 })).rejects.toMatchObject({
        name: 'RunError',
        code: 8,
        errorMessage: 'too many validations',
        operationId: failed.id,
      });
      const slow = flavour.client(emu, { doneAfter: 60 });
      const op = await slow.start('validateDataset', { datasetId: 'fdsslow' }, { endpoint: grpcUrl });
      await op.cancel();
      await expect(op.getResult()).rejects.toMatchObject({ name: 'RunError', code: 1 });
      failing.close();
      slow.close();
    });

    test("the kind's defaults: 6 h, polled every 60 s", async () => {
      const { lines, logger } = infoLines();
      const client = flavour.client(emu, { doneAfter: 0 }, logger);
      const op = await client.start('validateDataset', { datasetId: 'fdsdefaults' }, { endpoint: grpcUrl });
      await op.wait();
      expect(lines).toContain(`Polling operation ${op.id}: every 60 s, poll timeout 21600 s`);
      client.close();
    });

    test('an expired validation is an OperationNotFoundError that names both causes', async () => {
      const client = flavour.client(emu, { doneAfter: 0 });
      const op = await client.start('validateDataset', { datasetId: 'fdsold' }, { endpoint: grpcUrl });
      await emu.expire(op.id);
      const error = await op.getStatus().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OperationNotFoundError);
      expect((error as Error).message).toMatch(/the id is wrong, or the operation expired/);
      client.close();
    });
  });

  describe('tune', () => {
    test('TuningService.Tune over gRPC; a TuningStatus from the operation; wait gives the tuned model', async () => {
      const client = flavour.client(emu, { doneAfter: 0.4 });
      await emu.clearRequests();
      const op = await client.start('tune', TUNING_REQUEST, { endpoint: grpcUrl });
      const first = op.lastKnownStatus as unknown as TuningStatus;
      expect(first).toBeInstanceOf(TuningStatus);
      expect(first).toMatchObject({ isRunning: true, state: 'IN_PROGRESS', task: null });
      expect(first.taskId).toMatch(/^[a-v][a-v0-9]{19}$/);
      const seen: TuningStatus[] = [];
      const model = (await op.wait({ pollInterval: 0.05, onProgress: (s: TuningStatus) => seen.push(s) })) as TunedModel;
      expect(model).toEqual({ uri: `${BASE_MODEL}@${first.taskId}`, taskId: first.taskId });
      expect(states(seen)).toEqual(['IN_PROGRESS', 'COMPLETED']);
      expect(String(seen.at(-1))).toBe('TuningStatus<COMPLETED>');
      const requests = await emu.requests();
      expect(requests[0]).toMatchObject({ path: `${TUNING_SERVICE}/Tune`, operationId: op.id });
      expect(paths(requests).filter((p) => p.startsWith(TUNING_SERVICE))).toEqual([`${TUNING_SERVICE}/Tune`]);
      client.close();
    });

    test('once the operation expired, the task is described instead, and tuning(id) resumes it', async () => {
      const client = flavour.client(emu, { doneAfter: 0.4 });
      const op = await client.start('tune', TUNING_REQUEST, { endpoint: grpcUrl });
      const { taskId } = op.lastKnownStatus as unknown as TuningStatus;
      await emu.expire(op.id);
      await emu.clearRequests();
      const model = (await op.wait({ pollInterval: 0.05 })) as TunedModel;
      expect(model.taskId).toBe(taskId);
      const last = op.lastKnownStatus as unknown as TuningStatus;
      expect(last).toMatchObject({
        state: 'COMPLETED',
        operation: null,
        task: { taskId, status: 'COMPLETED', sourceModelUri: BASE_MODEL },
      });
      const requests = paths(await emu.requests());
      expect(requests.filter((p) => p === `/operations/${op.id}`)).toHaveLength(1); // the one NOT_FOUND, then never again
      expect(requests).toContain(`${TUNING_SERVICE}/Describe`);
      // By its task alone:
      const byTask = wrap((client.raw as AsyncOperationsClient).tuning(null, { taskId: taskId!, endpoint: grpcUrl }));
      expect(await byTask.getStatus()).toMatchObject({ state: 'COMPLETED', taskId });
      expect(() => (client.raw as AsyncOperationsClient).tuning(null)).toThrow(/an operation id or a taskId/);
      client.close();
    });

    test('the operation of an expired tuning with no task id known is an OperationNotFoundError', async () => {
      const client = flavour.client(emu, { doneAfter: 0 });
      const op = await client.start('tune', TUNING_REQUEST, { endpoint: grpcUrl });
      await emu.expire(op.id);
      const fresh = wrap((client.raw as AsyncOperationsClient).tuning(op.id, { endpoint: grpcUrl }));
      await expect(fresh.getStatus()).rejects.toBeInstanceOf(OperationNotFoundError);
      client.close();
    });

    test('a scripted failure is a RunError; cancel cancels it, through the task once the operation expired', async () => {
      const failing = flavour.client(emu, { doneAfter: 0.1, failWith: { code: 9, message: 'dataset is not ready' } });
      const failed = await failing.start('tune', TUNING_REQUEST, { endpoint: grpcUrl });
      await expect(failed.wait({ pollInterval: 0.05 })).rejects.toMatchObject({
        name: 'RunError',
        code: 9,
        errorMessage: 'dataset is not ready',
      });
      expect(failed.lastKnownStatus).toMatchObject({ state: 'FAILED', isFailed: true });
      const slow = flavour.client(emu, { doneAfter: 60 });
      const op = await slow.start('tune', TUNING_REQUEST, { endpoint: grpcUrl });
      await op.cancel();
      expect(op.lastKnownStatus).toMatchObject({ state: 'CANCELED' });
      await expect(op.getResult()).rejects.toMatchObject({ name: 'RunError', code: 1 });
      const other = await slow.start('tune', TUNING_REQUEST, { endpoint: grpcUrl });
      await emu.expire(other.id);
      await emu.clearRequests();
      await other.cancel();
      expect(other.lastKnownStatus).toMatchObject({ state: 'CANCELED', operation: null });
      expect(paths(await emu.requests())).toEqual([
        `/operations/${other.id}:cancel`,
        `${TUNING_SERVICE}/Cancel`,
        `${TUNING_SERVICE}/Describe`,
      ]);
      failing.close();
      slow.close();
    });

    test("the kind's defaults: 72 h, polled every 60 s", async () => {
      const { lines, logger } = infoLines();
      const client = flavour.client(emu, { doneAfter: 0 }, logger);
      const op = await client.start('tune', TUNING_REQUEST, { endpoint: grpcUrl });
      await op.wait();
      expect(lines).toContain(`Polling operation ${op.id}: every 60 s, poll timeout 259200 s`);
      client.close();
    });
  });

  describe('completionBatch', () => {
    test('a REST start, then a batch task on BatchInferenceService: PENDING, IN_PROGRESS, COMPLETED; wait gives the result dataset', async () => {
      // PENDING lasts the first third of doneAfter: 1 s, so that a first poll late on a busy machine still sees it.
      const client = flavour.client(emu, { doneAfter: 3 });
      await emu.clearRequests();
      const task = await client.start('completionBatch', BATCH_REQUEST, { serviceEndpoint: grpcUrl });
      expect(task.lastKnownStatus).toBeNull();
      const seen: BatchTaskStatus[] = [];
      const dataset = (await task.wait({ pollInterval: 0.05, onProgress: (s: BatchTaskStatus) => seen.push(s) })) as DatasetInfo;
      expect(states(seen)).toEqual(['PENDING', 'IN_PROGRESS', 'COMPLETED']);
      const last = seen.at(-1)!;
      expect(last).toBeInstanceOf(BatchTaskStatus);
      expect(last.task).toMatchObject({ taskId: task.id, modelUri: BASE_MODEL, sourceDatasetId: 'fdssource' });
      expect(dataset).toMatchObject({ datasetId: last.task.resultDatasetId, status: 'READY' });
      const requests = await emu.requests();
      expect(requests[0]).toMatchObject({ method: 'POST', path: '/foundationModels/v1/completionBatch' });
      expect(
        paths(requests)
          .slice(1)
          .every((p) => p === `${BATCH_SERVICE}/Describe` || p === `${DATASET_SERVICE}/Describe`),
      ).toBe(true);
      // batchTask(id) tracks the same task:
      const again = wrap((client.raw as AsyncOperationsClient).batchTask(task.id, { endpoint: grpcUrl }));
      expect(await again.getStatus()).toMatchObject({ state: 'COMPLETED' });
      client.close();
    });

    test("a FAILED task is a RunError with the task's status; cancel makes it CANCELED (code 1)", async () => {
      const failing = flavour.client(emu, { doneAfter: 0.1, failWith: { code: 3, message: 'line 2 is not a request' } });
      const failed = await failing.start('completionBatch', BATCH_REQUEST, { serviceEndpoint: grpcUrl });
      const error = await failed.wait({ pollInterval: 0.05 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RunError);
      expect(error).toMatchObject({ code: 3, errorMessage: 'line 2 is not a request', operationId: failed.id });
      const slow = flavour.client(emu, { doneAfter: 60 });
      const task = await slow.start('completionBatch', BATCH_REQUEST, { serviceEndpoint: grpcUrl });
      await emu.clearRequests();
      await task.cancel();
      expect(task.lastKnownStatus).toMatchObject({ state: 'CANCELED', isFailed: true });
      expect(paths(await emu.requests())).toEqual([`${BATCH_SERVICE}/Cancel`, `${BATCH_SERVICE}/Describe`]);
      await expect(task.getResult()).rejects.toMatchObject({ name: 'RunError', code: 1 });
      failing.close();
      slow.close();
    });

    test("the kind's defaults: 72 h, polled every 10 s", async () => {
      const { lines, logger } = infoLines();
      const client = flavour.client(emu, { doneAfter: 0 }, logger);
      const task = await client.start('completionBatch', BATCH_REQUEST, { serviceEndpoint: grpcUrl });
      await task.wait();
      expect(lines).toContain(`Polling operation ${task.id}: every 10 s, poll timeout 259200 s`);
      client.close();
    });
  });

  test.each([
    ['validateDataset', { datasetId: '' }, /datasetId must be a non-empty string/],
    ['tune', { baseModelUri: BASE_MODEL, trainDatasets: [] }, /trainDatasets must be a non-empty array/],
    ['tune', { ...TUNING_REQUEST, textToTextCompletion: {}, textClassificationMulticlass: {} }, /at most one of/],
    ['completionBatch', { modelUri: BASE_MODEL }, /sourceDatasetId must be a non-empty string/],
  ])('%s: a malformed request is refused before any call', async (method, request, message) => {
    const client = flavour.client(emu);
    await emu.clearRequests();
    await expect(client.start(method, request)).rejects.toThrow(message);
    await expect(client.start(method, request)).rejects.toThrow(TypeError);
    expect(await emu.requests()).toHaveLength(0);
    client.close();
  });
});

describe('over a gRPC client', () => {
  test.each([
    ['async', AsyncOperationsClient],
    ['blocking', OperationsClient],
  ] as const)('%s: validateDataset, and its operation polled over gRPC', async (_name, Client) => {
    const client = new Client({
      endpoint: grpcUrl,
      protocol: 'grpc',
      auth: { apiKey: PRODUCER_KEY },
      headers: { 'x-emulator-done-after': '0.2' },
    });
    const op = await client.validateDataset({ datasetId: 'fdsovergrpc' }, { endpoint: grpcUrl });
    expect(await op.wait({ pollInterval: 0.05 })).toMatchObject({ datasetId: 'fdsovergrpc', status: 'READY' });
    client.close();
  });
});
