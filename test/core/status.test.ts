import { describe, expect, test } from 'vitest';
import { OperationErrorInfo, OperationStatus, sameStatus } from '../../src/core/status';

const err = (code: number) => new OperationErrorInfo(code, 'boom', null);
const RESPONSE = { '@type': 'type.googleapis.com/x.Y', text: 'hi' };

// Every combination of done / error / response, with the reference's rules as the expectation.
const table: Array<[string, { done: boolean; error: OperationErrorInfo | null; response: unknown | null }, Record<string, unknown>]> = [
  [
    'not done, nothing set',
    { done: false, error: null, response: null },
    { isRunning: true, isSucceeded: false, isFailed: false, isFinished: false, statusName: 'running' },
  ],
  [
    'not done, error set (rollback in progress)',
    { done: false, error: err(13), response: null },
    { isRunning: true, isSucceeded: false, isFailed: false, isFinished: false, statusName: 'running' },
  ],
  [
    'not done, response set',
    { done: false, error: null, response: RESPONSE },
    { isRunning: true, isSucceeded: false, isFailed: false, isFinished: false, statusName: 'running' },
  ],
  [
    'done with a response',
    { done: true, error: null, response: RESPONSE },
    { isRunning: false, isSucceeded: true, isFailed: false, isFinished: true, statusName: 'success' },
  ],
  [
    'done with an error',
    { done: true, error: err(3), response: null },
    { isRunning: false, isSucceeded: false, isFailed: true, isFinished: true, statusName: 'failed' },
  ],
  [
    'done with both: the error wins',
    { done: true, error: err(3), response: RESPONSE },
    { isRunning: false, isSucceeded: false, isFailed: true, isFinished: true, statusName: 'failed' },
  ],
  [
    'done with neither',
    { done: true, error: null, response: null },
    { isRunning: false, isSucceeded: false, isFailed: false, isFinished: false, statusName: 'running' },
  ],
  [
    'done with a negative error code is not failed',
    { done: true, error: err(-1), response: null },
    { isRunning: false, isSucceeded: false, isFailed: false, isFinished: false, statusName: 'running' },
  ],
];

describe('OperationStatus follows the reference rules', () => {
  test.each(table)('%s', (_name, fields, expected) => {
    const status = new OperationStatus({ ...fields, metadata: null });
    expect({
      isRunning: status.isRunning,
      isSucceeded: status.isSucceeded,
      isFailed: status.isFailed,
      isFinished: status.isFinished,
      statusName: status.statusName,
    }).toEqual(expected);
  });

  test('only a failed status shows its error in its text form', () => {
    expect(String(new OperationStatus({ done: false, error: err(13), response: null, metadata: null }))).toBe('OperationStatus<running>');
    expect(String(new OperationStatus({ done: true, error: null, response: RESPONSE, metadata: null }))).toBe('OperationStatus<success>');
    expect(
      String(new OperationStatus({ done: true, error: new OperationErrorInfo(5, 'gone', ['d1']), response: null, metadata: null })),
    ).toBe('OperationStatus<failed, error=OperationErrorInfo(code=5, message="gone", details=["d1"])>');
  });

  test('a status and its error are frozen', () => {
    const status = new OperationStatus({ done: true, error: new OperationErrorInfo(1, 'x', ['a']), response: null, metadata: { p: 1 } });
    expect(Object.isFrozen(status)).toBe(true);
    expect(Object.isFrozen(status.error)).toBe(true);
    expect(Object.isFrozen(status.error!.details)).toBe(true);
    expect(() => {
      (status as { done: boolean }).done = false;
    }).toThrow(TypeError);
  });
});

describe('sameStatus: a poll that says the same keeps the last status object', () => {
  const status = (fields: Partial<ConstructorParameters<typeof OperationStatus>[0]>) =>
    new OperationStatus({ done: false, error: null, response: null, metadata: null, ...fields });

  test('equal fields, deep and frozen or not, are the same status', () => {
    const meta = () => ({ '@type': 'type.googleapis.com/x.M', progress: [1, { a: null, b: 'x' }] });
    expect(sameStatus(status({ metadata: meta() }), status({ metadata: Object.freeze(meta()) }))).toBe(true);
    expect(sameStatus(status({ done: true, response: RESPONSE }), status({ done: true, response: { ...RESPONSE } }))).toBe(true);
    expect(sameStatus(status({ error: err(13) }), status({ error: err(13) }))).toBe(true);
  });

  test.each([
    ['done', status({}), status({ done: true })],
    ['metadata', status({ metadata: { p: 1 } }), status({ metadata: { p: 2 } })],
    ['a key more', status({ metadata: { p: 1 } }), status({ metadata: { p: 1, q: undefined } })],
    ['an array for an object', status({ metadata: { 0: 'a' } }), status({ metadata: ['a'] })],
    ['response', status({ done: true, response: RESPONSE }), status({ done: true, response: { ...RESPONSE, text: 'ho' } })],
    ['error code', status({ error: err(13) }), status({ error: err(14) })],
    [
      'error details',
      status({ error: new OperationErrorInfo(13, 'boom', ['a']) }),
      status({ error: new OperationErrorInfo(13, 'boom', ['b']) }),
    ],
    ['an error for none', status({ error: err(13) }), status({})],
    ['class instances compared by identity', status({ metadata: new Date(0) }), status({ metadata: new Date(0) })],
  ])('%s differs', (_, a, b) => {
    expect(sameStatus(a, b)).toBe(false);
    expect(sameStatus(b, a)).toBe(false);
  });

  test('a status of another kind is never taken for another', () => {
    const other = { isRunning: true, isSucceeded: false, isFailed: false };
    expect(sameStatus(other, { ...other })).toBe(false);
    expect(sameStatus(other, other)).toBe(true);
  });

  test('deep data is compared without recursion', () => {
    const deep = () => {
      let v: unknown = 'leaf';
      for (let i = 0; i < 20_000; i++) v = { v };
      return v;
    };
    expect(sameStatus(status({ metadata: deep() }), status({ metadata: deep() }))).toBe(true);
  });
});
