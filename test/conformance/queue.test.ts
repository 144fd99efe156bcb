/** The conformance table (test/conformance/table.ts) on the durable queue's path, on a real Redis. */
import { describe } from 'vitest';
import { skipReason } from '../bullmq/redis';
import { openQueuePath } from './paths/queue';
import { runTable } from './run';

describe.skipIf(skipReason !== null)('the durable queue', () => {
  runTable('queue', openQueuePath, { concurrent: true });
});
