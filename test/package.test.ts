/** The built package as users get it: its declarations type-check a user's file. */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';
import { ROOT } from './helpers/child';

/** Type-checks the consumer fixture project `tsconfig`; resolves with tsc's exit code and what it printed. */
async function typeCheck(tsconfig: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const tsc = fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url));
  const project = fileURLToPath(new URL(`./fixtures/consumer/${tsconfig}`, import.meta.url));
  return promisify(execFile)(process.execPath, [tsc, '-p', project], { cwd: ROOT }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (e: { stdout: string; stderr: string; code: number }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}

test('a user file type-checks against the built declarations (tsc ran and exited 0, NodeNext resolution)', async () => {
  expect(await typeCheck('tsconfig.json')).toEqual({ code: 0, stdout: '', stderr: '' });
}, 60_000);

test('a user file with `await using emulator` type-checks under lib esnext.disposable (tsc exited 0)', async () => {
  expect(await typeCheck('tsconfig.disposable.json')).toEqual({ code: 0, stdout: '', stderr: '' });
}, 60_000);
