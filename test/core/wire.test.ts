import { describe, expect, test } from 'vitest';
import { WireDecodeError } from '../../src/core/errors';
import { decodeOperation } from '../../src/core/wire';

describe('decodeOperation reads the proto3 JSON form', () => {
  test('a start call answer: done false, metadata null, no result', () => {
    const { id, status } = decodeOperation({
      id: 'd7qi6shlbvo5xxxxxxxx',
      description: 'Async GPT Completion',
      createdAt: '2023-11-30T18:31:32Z',
      createdBy: 'aje2stn6id9kxxxxxxxx',
      modifiedAt: '2023-11-30T18:31:33Z',
      done: false,
      metadata: null,
    });
    expect(id).toBe('d7qi6shlbvo5xxxxxxxx');
    expect(status).toMatchObject({ done: false, error: null, response: null, metadata: null, isRunning: true });
  });

  test('an omitted done means false (proto3 omits default values)', () => {
    expect(decodeOperation({ id: 'a' }).status.done).toBe(false);
  });

  test('a response keeps its @type key', () => {
    const response = { '@type': 'type.googleapis.com/yandex.cloud.ai.foundation_models.v1.CompletionResponse', alternatives: [] };
    expect(decodeOperation({ done: true, response }).status.response).toEqual(response);
  });

  test('an error with code 0 means no error', () => {
    expect(decodeOperation({ done: true, error: { code: 0, message: '' }, response: {} }).status.error).toBeNull();
  });

  test('an error is kept while done is still false', () => {
    const { status } = decodeOperation({ done: false, error: { code: 13, message: 'rolling back' } });
    expect(status.error).toMatchObject({ code: 13, message: 'rolling back', details: [] }); // an absent repeated field is empty
    expect(status.isRunning).toBe(true);
    expect(status.isFailed).toBe(false);
  });

  test('error details become their JSON text, in order', () => {
    const details = [
      { '@type': 'type.googleapis.com/google.rpc.RequestInfo', requestId: 'r1' },
      { '@type': 'x', a: 1 },
    ];
    const { status } = decodeOperation({ done: true, error: { code: 3, message: 'bad', details } });
    expect(status.error!.details).toEqual(details.map((d) => JSON.stringify(d)));
  });

  test('absent and null fields mean the same', () => {
    const a = decodeOperation({ done: true, response: null, metadata: null, error: null }).status;
    const b = decodeOperation({ done: true }).status;
    expect([a.response, a.metadata, a.error]).toEqual([b.response, b.metadata, b.error]);
  });

  test.each([
    ['a non-object', 'text'],
    ['null', null],
    ['an array', []],
    ['done that is not a boolean', { done: 'yes' }],
    ['id that is not a string', { id: 5 }],
    ['an error that is not an object', { done: true, error: 'boom' }],
    ['an error code that is not an integer', { done: true, error: { code: '5' } }],
    ['details that are not an array', { done: true, error: { code: 5, details: {} } }],
    ['a message that is not a string', { done: true, error: { code: 5, message: 7 } }],
  ])('%s throws WireDecodeError', (_name, json) => {
    expect(() => decodeOperation(json)).toThrow(WireDecodeError);
  });
});
