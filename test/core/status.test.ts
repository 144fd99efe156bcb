import { describe, expect, test } from 'vitest';
import { OperationErrorInfo, OperationStatus } from '../../src/core/status';

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
