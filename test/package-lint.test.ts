/**
 * The package as npm would publish it, checked by the two linters users and registries trust:
 * publint (package.json fields against the packed files) and Are the Types Wrong (the types of
 * every entry point, `yc-operation` and `yc-operation/testing`, under node10, node16 from CJS
 * and from ESM, and bundler resolution). Any message, suggestions included, fails the test.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { expect, test } from 'vitest';
import { ROOT } from './helpers/child';

const ATTW = fileURLToPath(new URL('../node_modules/@arethetypeswrong/cli/dist/index.js', import.meta.url));

test('publint finds nothing to report in the packed package, not even a suggestion', async () => {
  const { messages, pkg } = await publint({ pkgDir: ROOT, level: 'suggestion', pack: 'npm', strict: true });
  expect(messages.map((message) => formatMessage(message, pkg, { color: false }))).toEqual([]);
}, 60_000);

test('Are the Types Wrong finds no problem in any entry point under any resolution (attw on the packed tarball)', async () => {
  // Packed into a temporary folder: nothing is written into the repository.
  const temp = mkdtempSync(join(tmpdir(), 'yc-operation-attw-'));
  const { stdout } = await promisify(execFile)('npm', ['pack', '--json', '--pack-destination', temp], { cwd: ROOT });
  const [{ filename }] = JSON.parse(stdout) as [{ filename: string }];
  const run = await promisify(execFile)(process.execPath, [ATTW, join(temp, filename), '--format', 'json'], { cwd: temp })
    .catch((error: { stdout: string; stderr: string; code: number }) => error)
    .finally(() => rmSync(temp, { recursive: true, force: true }));
  const report = JSON.parse(run.stdout) as { analysis: { entrypoints: Record<string, unknown> }; problems: unknown };
  expect(Object.keys(report.analysis.entrypoints).sort()).toEqual(['.', './bullmq', './package.json', './testing']);
  expect(report.problems).toEqual({});
  expect('code' in run ? run.code : 0).toBe(0);
}, 60_000);

test('the package ships what users run: no demo, no sources inside the source maps', () => {
  const { files } = JSON.parse(readFileSync(`${ROOT}/package.json`, 'utf8')) as { files: string[] };
  expect(files).toContain('!dist/demo');
  const map = JSON.parse(readFileSync(`${ROOT}/dist/index.js.map`, 'utf8')) as { sources: string[]; sourcesContent?: unknown };
  expect(map.sources.length).toBeGreaterThan(0);
  expect(map.sourcesContent).toBeUndefined();
});
