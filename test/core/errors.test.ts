import { describe, expect, test } from 'vitest';
import {
  AIStudioError,
  ApiError,
  AsyncOperationError,
  isAIStudioError,
  OperationTimeoutError,
  RunError,
  WrongAsyncOperationStatusError,
} from '../../src/core/errors';
import { OperationErrorInfo, OperationStatus } from '../../src/core/status';
import { errorFromData, errorToData } from '../../src/sync/error-data';

const apiFields = {
  grpcCode: 14,
  httpStatus: 503,
  message: 'try later',
  details: [{ '@type': 'x' }],
  requestId: 'r-1',
  serverTraceId: 't-1',
  clientRequestId: 'c-1',
  endpoint: 'http://127.0.0.1:1/operations/a',
  attempts: 5,
  authProvider: 'api-key',
};

describe('errors', () => {
  test("RunError's text is the reference's, one line per detail, and details is [] when none", () => {
    const e = new RunError({ code: 3, message: '', details: null, operationId: 'op1' });
    expect(e.message).toBe('Operation op1 failed with message: <Empty message> (code 3)');
    expect(e.details).toEqual([]);
    const d = RunError.fromErrorInfo('op2', new OperationErrorInfo(5, 'gone', ['a', 'b']));
    expect(d.message).toBe('Operation op2 failed with message: gone (code 5)\na\nb');
    expect(d).toBeInstanceOf(AIStudioError);
    expect(d.name).toBe('RunError');
  });

  test('the hierarchy is the one of docs/behaviour.md (Errors)', () => {
    expect(new WrongAsyncOperationStatusError('x')).toBeInstanceOf(AsyncOperationError);
    expect(new OperationTimeoutError({ operationId: 'a', pollTimeout: 1, lastStatus: null })).toBeInstanceOf(AsyncOperationError);
    expect(new ApiError(apiFields)).toBeInstanceOf(AIStudioError);
  });

  test('an ApiError names the status, the endpoint and the ids', () => {
    expect(new ApiError(apiFields).message).toBe(
      'try later (HTTP 503, gRPC code 14; http://127.0.0.1:1/operations/a; request id r-1, server trace id t-1, client request id c-1, 5 attempts)',
    );
  });

  test.each([
    ['RunError', new RunError({ code: 1, message: 'cancelled', details: ['d'], operationId: 'op' })],
    ['ApiError', new ApiError(apiFields, { cause: new Error('socket') })],
    [
      'OperationTimeoutError',
      new OperationTimeoutError({
        operationId: 'op',
        pollTimeout: 3,
        lastStatus: new OperationStatus({ done: false, error: new OperationErrorInfo(13, 'r', null), response: null, metadata: { p: 1 } }),
      }),
    ],
    ['WrongAsyncOperationStatusError', new WrongAsyncOperationStatusError('is running')],
  ])('a %s survives the plain-data round trip with its class and fields', (_name, error) => {
    const data = errorToData(error);
    expect(structuredClone(data)).toEqual(data);
    const back = errorFromData(data);
    expect(back.constructor).toBe(error.constructor);
    expect(back.message).toBe(error.message);
    expect({ ...back }).toEqual({ ...error });
    expect(isAIStudioError(back)).toBe(true);
  });

  test('a foreign error crosses as a plain Error with its name, code and cause', () => {
    const error = Object.assign(new TypeError('bad'), { code: 'E_BAD' });
    const back = errorFromData(errorToData(new Error('outer', { cause: error })));
    expect(back.message).toBe('outer');
    expect((back.cause as Error).name).toBe('TypeError');
    expect((back.cause as { code: string }).code).toBe('E_BAD');
  });
});
