/**
 * `fromOperation()` of an `Operation` of the official SDK (`@yandex-cloud/nodejs-sdk`, ts-proto
 * code), built with that package's own generated message classes: the current release (3.x: an
 * `Any` is `{ typeUrl, value }`) and 2.x (every message also carries `$type`). Its `Any` values
 * read as the REST gateway's JSON (with `"@type"`), a type this package has no `.proto` for keeps
 * its bytes (as over gRPC), and what cannot be read is refused with a TypeError naming the field.
 */

import { ValidateDatasetMetadata } from '@yandex-cloud/nodejs-sdk/ai-dataset-v1/dataset_service';
import { CompletionResponse } from '@yandex-cloud/nodejs-sdk/ai-foundation_models-v1/text_generation/text_generation_service';
import { TranslatedText } from '@yandex-cloud/nodejs-sdk/ai-translate-v2/translation';
import { Any } from '@yandex-cloud/nodejs-sdk/google/protobuf/any';
import { Operation } from '@yandex-cloud/nodejs-sdk/operation/operation';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Any as AnyV2 } from 'yandex-cloud-sdk-v2/dist/generated/google/protobuf/any';
import { Operation as OperationV2 } from 'yandex-cloud-sdk-v2/dist/generated/yandex/cloud/operation/operation';
import { AsyncOperationsClient, OperationsClient, RunError } from 'yc-operation';
import { type Emulator, startEmulator } from 'yc-operation/testing';

const URL_PREFIX = 'type.googleapis.com/';

/** An `Any` of the official SDK holding `message`, encoded by its generated class. */
function pack<M>(type: { encode(message: M): { finish(): Uint8Array } }, name: string, message: M): Any {
  return Any.fromPartial({ typeUrl: URL_PREFIX + name, value: Buffer.from(type.encode(message).finish()) });
}

const metadata = () =>
  pack(
    ValidateDatasetMetadata,
    'yandex.cloud.ai.dataset.v1.ValidateDatasetMetadata',
    ValidateDatasetMetadata.fromPartial({ datasetId: 'ds1', validRows: 5, processedRows: 7, totalRows: 10 }),
  );
const METADATA_JSON = {
  '@type': `${URL_PREFIX}yandex.cloud.ai.dataset.v1.ValidateDatasetMetadata`,
  datasetId: 'ds1',
  validRows: '5',
  processedRows: '7',
  totalRows: '10',
};

const completion = CompletionResponse.fromPartial({
  alternatives: [{ message: { role: 'assistant', text: 'hello there' }, status: 3 }],
  usage: { inputTextTokens: 2, completionTokens: 2, totalTokens: 4 },
  modelVersion: '23.10.2024',
});
/** The same completion as the REST gateway writes it (and as `CompletionResponse` of this package types it). */
const COMPLETION_JSON = {
  '@type': `${URL_PREFIX}yandex.cloud.ai.foundation_models.v1.CompletionResponse`,
  alternatives: [{ message: { role: 'assistant', text: 'hello there' }, status: 'ALTERNATIVE_STATUS_FINAL' }],
  usage: { inputTextTokens: '2', completionTokens: '2', totalTokens: '4' },
  modelVersion: '23.10.2024',
};

let emulator: Emulator;
let client: AsyncOperationsClient;
let blocking: OperationsClient;

beforeAll(async () => {
  emulator = await startEmulator();
  client = new AsyncOperationsClient({ endpoint: emulator.url, auth: null });
  blocking = new OperationsClient({ endpoint: emulator.url, auth: null });
});

afterAll(async () => {
  client?.close();
  blocking?.close();
  await emulator?.close();
});

describe('an Operation of the official SDK', () => {
  test('running: its metadata reads as JSON, its timestamps as text, and both flavours wait on it', async () => {
    const response = { '@type': 'type.googleapis.com/example.Result', text: 'done' };
    for (const flavour of ['promise', 'blocking'] as const) {
      const id = await emulator.create({ donePolls: 2, response });
      const sdkOp = Operation.fromPartial({
        id,
        description: 'validation',
        createdAt: new Date('2026-01-02T03:04:05Z'),
        done: false,
        metadata: metadata(),
      });
      const op = flavour === 'promise' ? client.fromOperation(sdkOp) : blocking.fromOperation(sdkOp);
      expect(op.id).toBe(id);
      expect(op.lastKnownStatus?.isRunning).toBe(true);
      expect(op.lastKnownStatus?.metadata).toEqual(METADATA_JSON);
      const result =
        flavour === 'promise'
          ? await (op as ReturnType<typeof client.fromOperation>).wait({ pollInterval: 0.05 })
          : (op as ReturnType<typeof blocking.fromOperation>).wait({ pollInterval: 0.05 });
      expect(result).toEqual(response);
    }
  });

  test('done with a CompletionResponse: the response is the gateway JSON, typed by the caller', () => {
    const sdkOp = Operation.fromPartial({
      id: 'op-done',
      done: true,
      modifiedAt: new Date(0),
      response: pack(CompletionResponse, 'yandex.cloud.ai.foundation_models.v1.CompletionResponse', completion),
    });
    for (const c of [client, blocking]) {
      const status = c.fromOperation(sdkOp).lastKnownStatus!;
      expect(status.isSucceeded).toBe(true);
      expect(status.response).toEqual(COMPLETION_JSON);
    }
  });

  test('failed: the error keeps its code and message; a detail of a type this package does not know keeps its bytes', async () => {
    const detail = pack(TranslatedText, 'yandex.cloud.ai.translate.v2.TranslatedText', TranslatedText.fromPartial({ text: 'bonjour' }));
    const sdkOp = Operation.fromPartial({ id: 'op-failed', done: true, error: { code: 9, message: 'no rows', details: [detail] } });
    const op = client.fromOperation(sdkOp);
    const status = op.lastKnownStatus!;
    expect(status.isFailed).toBe(true);
    expect(status.error?.code).toBe(9);
    expect(status.error?.message).toBe('no rows');
    expect(status.error?.details?.map((d) => JSON.parse(d))).toEqual([
      { '@type': `${URL_PREFIX}yandex.cloud.ai.translate.v2.TranslatedText`, value: Buffer.from(detail.value).toString('base64') },
    ]);
    const error = await op.getResult().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunError);
    expect((error as RunError).errorMessage).toBe('no rows');
  });

  test('a response of a type this package has no .proto for is kept as { "@type", value }, as over gRPC', () => {
    const response = pack(TranslatedText, 'yandex.cloud.ai.translate.v2.TranslatedText', TranslatedText.fromPartial({ text: 'hallo' }));
    const status = blocking.fromOperation(Operation.fromPartial({ id: 'op-unknown', done: true, response })).lastKnownStatus!;
    expect(status.response).toEqual({ '@type': response.typeUrl, value: Buffer.from(response.value).toString('base64') });
  });

  test('the 2.x shape, with $type on every message, reads the same', () => {
    const sdkOp = OperationV2.fromPartial({
      id: 'op-v2',
      done: true,
      metadata: AnyV2.fromPartial(metadata()),
      response: AnyV2.fromPartial(pack(CompletionResponse, 'yandex.cloud.ai.foundation_models.v1.CompletionResponse', completion)),
    });
    expect(sdkOp.$type).toBe('yandex.cloud.operation.Operation');
    expect(sdkOp.response?.$type).toBe('google.protobuf.Any');
    const status = client.fromOperation(sdkOp).lastKnownStatus!;
    expect(status.metadata).toEqual(METADATA_JSON);
    expect(status.response).toEqual(COMPLETION_JSON);
  });
});

test('an Operation JSON with a Date timestamp (a mix of both forms) keeps its JSON Any', () => {
  const status = client.fromOperation({ id: 'op-mixed', done: false, createdAt: new Date(0), metadata: METADATA_JSON }).lastKnownStatus!;
  expect(status.metadata).toEqual(METADATA_JSON);
});

describe('what cannot be read is refused, naming the field', () => {
  const cases: Array<[string, object, RegExp]> = [
    [
      'an Any whose value is not bytes',
      { id: 'x', done: true, response: { typeUrl: `${URL_PREFIX}x.Y`, value: 'aGk=' } },
      /the Operation's response must be a google\.protobuf\.Any of the official SDK \(\{ typeUrl: string, value: bytes \}\), got an object with "typeUrl", "value"/,
    ],
    [
      'bytes that do not decode as their type',
      {
        id: 'x',
        done: false,
        metadata: Any.fromPartial({
          typeUrl: `${URL_PREFIX}yandex.cloud.ai.dataset.v1.ValidateDatasetMetadata`,
          value: Buffer.from([0x10, 0x80]),
        }),
      },
      /the Operation's metadata \("type\.googleapis\.com\/yandex\.cloud\.ai\.dataset\.v1\.ValidateDatasetMetadata"\) does not decode as that type/,
    ],
    [
      'another message of the SDK',
      { ...CompletionResponse.fromPartial({}), $type: 'yandex.cloud.ai.foundation_models.v1.CompletionResponse' },
      /fromOperation takes an Operation, got the official SDK's "yandex\.cloud\.ai\.foundation_models\.v1\.CompletionResponse" message/,
    ],
    ['an invalid Date', Operation.fromPartial({ id: 'x', createdAt: new Date('nope') }), /the Operation's createdAt must be a valid Date/],
    [
      'an error detail that is not an Any',
      { id: 'x', done: true, createdAt: new Date(0), error: { code: 3, message: 'm', details: [{ note: 1 }] } },
      /the Operation's error\.details\[0\] must be a google\.protobuf\.Any/,
    ],
  ];
  test.each(cases)('%s', (_name, wire, message) => {
    for (const c of [client, blocking]) expect(() => c.fromOperation(wire)).toThrow(message);
  });
});
