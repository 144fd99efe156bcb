/**
 * The programs of examples/ as a user runs them: the TypeScript ones type-checked by `tsc` under
 * `strict` against the built package (examples/tsconfig.json resolves `yc-operation` through
 * package.json's exports to dist/, never to src/), then every example run under Node in a child
 * process against the emulator (scripts/run-examples.mjs; the queue example with a Redis of its
 * own). scripts/runtimes.sh runs the same under Bun and Deno.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { skipReason, startRedis, type TestRedis } from './bullmq/redis';
import { ROOT } from './helpers/child';

const run = promisify(execFile);
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');
const TS_EXAMPLES = readdirSync(join(ROOT, 'examples')).filter((name) => name.endsWith('.ts'));

/** Where tsc emits the TypeScript examples: a folder whose `yc-operation` is this repository. */
let compiled: string;
let redis: TestRedis | null = null;

beforeAll(async () => {
  compiled = mkdtempSync(join(tmpdir(), 'yc-operation-examples-'));
  writeFileSync(join(compiled, 'package.json'), JSON.stringify({ type: 'module' }));
  mkdirSync(join(compiled, 'node_modules'));
  symlinkSync(ROOT, join(compiled, 'node_modules/yc-operation'), 'dir');
  if (skipReason === null) redis = await startRedis();
});

afterAll(async () => {
  await redis?.stop();
  if (compiled) rmSync(compiled, { recursive: true, force: true });
});

test('tsc type-checks the TypeScript examples under strict, against dist/', async () => {
  expect(TS_EXAMPLES.length).toBeGreaterThanOrEqual(4);
  // --listFiles shows what was checked: each example, and the package's built declarations.
  const { stdout } = await run(
    process.execPath,
    [TSC, '-p', 'examples/tsconfig.json', '--noEmit', 'false', '--outDir', compiled, '--listFiles'],
    { cwd: ROOT },
  );
  const files = stdout.trim().split('\n');
  for (const name of TS_EXAMPLES) {
    expect(files).toContain(join(ROOT, 'examples', name));
    expect(existsSync(join(compiled, name.replace(/\.ts$/, '.js')))).toBe(true);
  }
  expect(files).toContain(join(ROOT, 'dist/index.d.ts'));
  expect(files).toContain(join(ROOT, 'dist/bullmq/index.d.ts'));
  expect(files.filter((file) => file.startsWith(join(ROOT, 'src')))).toEqual([]);
}, 120_000);

test('every example runs under Node against the emulator and prints what it should', async () => {
  const env = { ...process.env, REDIS_URL: redis?.url ?? '' };
  const child = await run(process.execPath, ['scripts/run-examples.mjs', '--runtime', 'node', '--compiled', compiled], {
    cwd: ROOT,
    env,
    timeout: 300_000,
  }).catch((error: { stdout: string; stderr: string; code: number }) => error);
  expect(child.stderr).toBe('');
  const lines = child.stdout.trim().split('\n');
  const expected = [
    'quick-start.mjs',
    'quick-start.cjs',
    'completion.ts',
    'typed-operation.ts',
    'typed-operation.ts (failed)',
    'fetch-adapter.mjs',
    'from-operation.ts',
    'queue.ts',
  ];
  if (redis === null) expected.pop();
  expect(lines.filter((line) => line.startsWith('ok ')).map((line) => line.slice(3).replace(/ \(node\)$/, ''))).toEqual(expected);
  expect(lines.filter((line) => line.startsWith('FAIL'))).toEqual([]);
  expect(lines.at(-1)).toBe(`node: ${expected.length} passed, 0 failed, ${redis === null ? 1 : 0} skipped`);
}, 300_000);
