/** The built package as users get it: its declarations type-check a user's file. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { ROOT } from './helpers/child';

test('a user file type-checks against the built declarations (tsc, NodeNext resolution)', async () => {
  const tsc = fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url));
  const project = fileURLToPath(new URL('./fixtures/consumer/tsconfig.json', import.meta.url));
  const run = await promisify(execFile)(process.execPath, [tsc, '-p', project], { cwd: ROOT }).catch((e: { stdout: string; code: number }) => e);
  expect(run.stdout).toBe('');
}, 60_000);
