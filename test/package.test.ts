/** The built package as users get it: its declarations type-check a user's file. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { ROOT } from './helpers/child';

/** Type-checks the consumer fixture project `tsconfig`; resolves with what tsc printed. */
async function typeCheck(tsconfig: string): Promise<string> {
  const tsc = fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url));
  const project = fileURLToPath(new URL(`./fixtures/consumer/${tsconfig}`, import.meta.url));
  const run = await promisify(execFile)(process.execPath, [tsc, '-p', project], { cwd: ROOT }).catch((e: { stdout: string; code: number }) => e);
  return run.stdout;
}

test('a user file type-checks against the built declarations (tsc, NodeNext resolution)', async () => {
  expect(await typeCheck('tsconfig.json')).toBe('');
}, 60_000);

test('a user file with `await using emulator` type-checks under lib esnext.disposable', async () => {
  expect(await typeCheck('tsconfig.disposable.json')).toBe('');
}, 60_000);
