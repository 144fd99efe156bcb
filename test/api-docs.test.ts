/**
 * The TSDoc a user reads in the built declarations points only at pages they can open: no path of
 * this repository (src/, docs/, test/, ...) unless it is a URL of the repository on GitHub. The
 * API reference (`npm run docs:api`, typedoc with warnings as errors) runs after the tests, in
 * `npm test`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { ROOT } from './helpers/child';

const DECLARATIONS = ['index.d.ts', 'index.d.cts', 'testing/index.d.ts', 'testing/index.d.cts', 'bullmq/index.d.ts', 'bullmq/index.d.cts'];

test.each(DECLARATIONS)('dist/%s names no file that the package does not ship', (file) => {
  const text = readFileSync(join(ROOT, 'dist', file), 'utf8');
  const repoPaths = [...text.matchAll(/(\S*)\b(?:src|docs|test|bench|scripts)\/[\w./-]+/g)]
    .filter((m) => !m[1]!.includes('://'))
    .map((m) => m[0]);
  expect(repoPaths).toEqual([]);
  expect(text).not.toMatch(/\bthe README\b/);
});
