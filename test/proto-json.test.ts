import { expect, test } from 'vitest';
import { messageType, OPERATION } from '../src/proto/root';
import { encode } from '../src/proto/from-json';
import { messageJson } from '../src/proto/to-json';
test('rt', () => {
  const t = messageType(OPERATION);
  const json = { id: 'abc', description: 'x', createdAt: '2024-05-12T18:46:54.123Z', createdBy: 'aje', modifiedAt: '2024-05-12T18:46:55Z', done: true,
    metadata: { '@type': 'type.googleapis.com/google.protobuf.Struct', value: { a: [1, 'x', null, { b: true }] } },
    response: { '@type': 'type.googleapis.com/yandex.cloud.ai.foundation_models.v1.CompletionResponse', alternatives: [{ message: { role: 'assistant', text: '' }, status: 'ALTERNATIVE_STATUS_FINAL' }], usage: { inputTextTokens: '31', totalTokens: '9007199254740993' }, modelVersion: '18' } };
  const out = messageJson(t, t.decode(encode(t, json)) as never);
  expect(out).toEqual(json);
  const e = { id: 'x', error: { code: 3, message: 'm', details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '1.500s' }, { '@type': 'type.googleapis.com/x.Y', value: 'AAE=' }] } };
  expect(messageJson(t, t.decode(encode(t, e)) as never)).toEqual(e);
  console.log(messageJson(t, t.decode(encode(t, { id: 'x', metadata: { step: 1 } })) as never));
});
