/** The bookkeeping of shared polls (src/async/shared-polls.ts), on a stand-in transport. */
import { expect, test } from 'vitest';
import { SharedPolls } from '../src/async/shared-polls';
import { markDeadline } from '../src/core/deadline';
import { ApiError } from '../src/core/errors';
import type { CallOptions, OperationTransport } from '../src/core/transport';
import { apiErrorFields } from './helpers/api-error';

/** A transport whose Gets answer after `latencyMs`, or time out at their own deadline first. */
function standIn(latencyMs: number): OperationTransport & { gets: number } {
  const transport = {
    endpoint: 'http://127.0.0.1:1',
    gets: 0,
    getOperation(id: string, { deadlineMs, signal }: CallOptions): Promise<unknown> {
      transport.gets += 1;
      return new Promise((resolve, reject) => {
        const done = setTimeout(() => resolve({ id, done: false }), latencyMs);
        const late = setTimeout(() => {
          clearTimeout(done);
          reject(markDeadline(new ApiError(apiErrorFields({ grpcCode: 4, message: 'deadline' })), deadlineMs));
        }, deadlineMs - Date.now());
        signal?.addEventListener('abort', () => {
          clearTimeout(done);
          clearTimeout(late);
          reject(signal.reason);
        });
      });
    },
    cancelOperation: () => Promise.reject(new Error('unused')),
    startOperation: () => Promise.reject(new Error('unused')),
    getJson: () => Promise.reject(new Error('unused')),
    close() {},
  };
  return transport;
}

test('callers that leave early leave no entry behind once the request is over', async () => {
  const polls = new SharedPolls(standIn(100));
  const left = Array.from({ length: 50 }, (_, i) =>
    polls.get(`op${i}`, { deadlineMs: Date.now() + 5000, signal: AbortSignal.timeout(20) }).catch(() => 'left'),
  );
  expect(await Promise.all(left)).toEqual(Array(50).fill('left'));
  await new Promise((r) => setTimeout(r, 150));
  expect(polls.inFlight).toBe(0);
});

test('a caller that joined a request with a shorter deadline asks again within its own', async () => {
  const transport = standIn(300);
  const polls = new SharedPolls(transport);
  const short = polls.get('op', { deadlineMs: Date.now() + 100 }).catch((e: unknown) => e);
  const long = polls.get('op', { deadlineMs: Date.now() + 5000 });
  expect(await short).toMatchObject({ grpcCode: 4 });
  expect((await long).wire).toEqual({ id: 'op', done: false });
  expect(transport.gets).toBe(2);
  expect(polls.inFlight).toBe(0);
});

test('concurrent callers share one request', async () => {
  const transport = standIn(20);
  const polls = new SharedPolls(transport);
  const answers = await Promise.all(Array.from({ length: 100 }, () => polls.get('op', { deadlineMs: Date.now() + 1000 })));
  expect(new Set(answers.map((a) => a.wire)).size).toBe(1);
  expect(transport.gets).toBe(1);
});
