/** The queue guide's example (docs/guide-queue.md) runs as it is, against the built package and a real Redis. */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ROOT, runNode } from '../helpers/child';
import { skipReason, startRedis, type TestRedis } from './redis';

describe.skipIf(skipReason !== null)("the queue guide's yc-operation/bullmq example", () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(() => redis?.stop());

  test('runs and prints what its comments say', async () => {
    const guide = readFileSync(`${ROOT}/docs/guide-queue.md`, 'utf8');
    const code = /# Durable waits on a job queue[\s\S]*?```js\n([\s\S]*?)```/.exec(guide)![1]!;
    const child = await runNode(['--input-type=module', '-e', code], { REDIS_URL: redis.url });
    expect(child.stderr).toBe('');
    expect(child.code).toBe(0);
    const lines = child.stdout.split('\n');
    const progress = lines.filter((l) => l.startsWith('running: '));
    for (const line of progress) expect(['running: 10%', 'running: 60%']).toContain(line);
    expect(lines.slice(progress.length)).toEqual([
      'done',
      expect.stringMatching(/^Operation [a-v0-9]{20} failed with message: no rows \(code 9\)$/),
      '',
    ]);
  });
});
