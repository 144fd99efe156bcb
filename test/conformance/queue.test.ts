/**
 * The conformance table (test/conformance/table.ts) on the durable queue's path, on a real Redis;
 * then again with the worker's `holdFor` (a job run makes every poll due within 5 s), with the
 * concurrency to hold every row's wait at once.
 */
import { describe } from 'vitest';
import { skipReason } from '../bullmq/redis';
import { openQueuePath } from './paths/queue';
import { runTable } from './run';

describe.skipIf(skipReason !== null)('the durable queue', () => {
  runTable('queue', openQueuePath, { concurrent: true });
});

describe.skipIf(skipReason !== null)('the durable queue, holdFor 5', () => {
  runTable('queue', () => openQueuePath({ holdFor: 5, concurrency: 1000 }), { concurrent: true });
});
