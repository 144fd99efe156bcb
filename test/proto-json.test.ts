/**
 * The proto3 JSON mapping of `src/proto` (unit test, on the sources): JSON -> protobuf -> JSON
 * gives back the REST gateway's JSON, for the types the SDK decodes.
 */
import { describe, expect, test } from 'vitest';
import { encode } from '../src/proto/from-json';
import { messageType, OPERATION } from '../src/proto/root';
import { messageJson } from '../src/proto/to-json';
import { timestampText } from '../src/proto/well-known';

const operation = messageType(OPERATION);
const roundTrip = (json: unknown) => messageJson(operation, operation.decode(encode(operation, json)) as never);

describe('proto3 JSON, both ways', () => {
  test('an Operation with timestamps, a Struct metadata and a completion (int64 beyond 2^53, an empty oneof text)', () => {
    const json = {
      id: 'abc',
      description: 'x',
      createdAt: '2024-05-12T18:46:54.123Z',
      createdBy: 'aje',
      modifiedAt: '2024-05-12T18:46:55Z',
      done: true,
      metadata: { '@type': 'type.googleapis.com/google.protobuf.Struct', value: { a: [1, 'x', null, { b: true }] } },
      response: {
        '@type': 'type.googleapis.com/yandex.cloud.ai.foundation_models.v1.CompletionResponse',
        alternatives: [{ message: { role: 'assistant', text: '' }, status: 'ALTERNATIVE_STATUS_FINAL' }],
        usage: { inputTextTokens: '31', totalTokens: '9007199254740993' },
        modelVersion: '18',
      },
    };
    expect(roundTrip(json)).toEqual(json);
  });

  test('an error with a RetryInfo (a Duration) and a detail of an unknown type (its URL and base64 bytes)', () => {
    const json = {
      id: 'x',
      error: {
        code: 3,
        message: 'm',
        details: [
          { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '1.500s' },
          { '@type': 'type.googleapis.com/x.Y', value: 'AAE=' },
        ],
      },
    };
    expect(roundTrip(json)).toEqual(json);
  });

  test('default scalars are left out; a JSON object without "@type" in an Any is a Struct', () => {
    expect(roundTrip({ id: 'x', done: false, description: '', metadata: { step: 1 } })).toEqual({
      id: 'x',
      metadata: { '@type': 'type.googleapis.com/google.protobuf.Struct', value: { step: 1 } },
    });
  });

  test('the AI Studio task messages an operation names: a tuning task, a hybrid index ranked by RRF (an Int64Value)', () => {
    const json = {
      id: 'x',
      done: true,
      metadata: {
        '@type': 'type.googleapis.com/yandex.cloud.ai.tuning.v1.TuningTask',
        taskId: 'ftn',
        operationId: 'op',
        status: 'CANCELED',
        folderId: 'b1g',
        createdBy: 'aje',
        createdAt: '2025-01-02T03:04:05Z',
        startedAt: '2025-01-02T03:04:06Z',
        finishedAt: '2025-01-02T04:04:06Z',
        sourceModelUri: 'gpt://b1g/yandexgpt-lite',
        targetModelUri: 'gpt://b1g/yandexgpt-lite@t1',
      },
      response: {
        '@type': 'type.googleapis.com/yandex.cloud.ai.assistants.v1.searchindex.SearchIndex',
        id: 'fvt',
        hybridSearchIndex: {
          textSearchIndex: { ngramTokenizer: { minGram: '2', maxGram: '3' }, standardAnalyzer: {} },
          combinationStrategy: { rrfCombination: { k: '60' } },
          normalizationStrategy: 'MIN_MAX',
        },
      },
    };
    expect(roundTrip(json)).toEqual(json);
  });

  test('what cannot be packed is refused, naming why', () => {
    expect(() => encode(operation, { response: { '@type': 'type.googleapis.com/x.Y', text: 'hi' } })).toThrow(/no .proto for it here/);
    expect(() => encode(operation, { idd: 'x' })).toThrow(/has no field "idd"/);
    expect(() =>
      encode(operation, { response: { '@type': 'type.googleapis.com/yandex.cloud.ai.foundation_models.v1.Alternative', status: 'DONE' } }),
    ).toThrow(/"DONE" is not a value of/);
  });
});

describe('timestamps', () => {
  /** What `Date#toISOString` writes for `seconds`, without its milliseconds. */
  const iso = (seconds: number) => `${new Date(seconds * 1000).toISOString().slice(0, -5)}Z`;

  test('each second of the years written with four digits reads as Date#toISOString writes it', () => {
    const day = 86_400;
    const edges = [
      -62_167_219_200, // 0000-01-01
      -62_135_596_800, // 0001-01-01, protobuf's first
      -2_208_988_800, // 1900-01-01 (not a leap year)
      -1,
      0,
      951_782_400, // 2000-02-29
      4_107_542_400, // 2100-02-28
      253_402_300_799, // 9999-12-31T23:59:59, protobuf's last
    ];
    const seconds = edges.flatMap((s) => [s - day, s - 1, s, s + 1, s + day]);
    // And a spread of others, the same every run.
    for (let s = -62_167_219_200, step = 7_777_777_777; s < 253_402_300_800; s += step) seconds.push(s, s + 43_261);
    for (const s of seconds.filter((s) => s >= -62_167_219_200 && s < 253_402_300_800)) {
      expect(timestampText({ seconds: s, nanos: 0 })).toBe(iso(s));
    }
  });

  test('a fraction of 3, 6 or 9 digits', () => {
    expect(timestampText({ seconds: 1_715_539_614, nanos: 5_000_000 })).toBe('2024-05-12T18:46:54.005Z');
    expect(timestampText({ seconds: 1_715_539_614, nanos: 5_000 })).toBe('2024-05-12T18:46:54.000005Z');
    expect(timestampText({ seconds: 1_715_539_614, nanos: 5 })).toBe('2024-05-12T18:46:54.000000005Z');
  });
});
