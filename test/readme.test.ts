/** The README's quick start runs as it is, against the built package. */
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { ROOT, runNode } from './helpers/child';

test("the README's quick start runs and prints what its comments say", async () => {
  const readme = readFileSync(`${ROOT}/README.md`, 'utf8');
  const code = /## Quick start[\s\S]*?```js\n([\s\S]*?)```/.exec(readme)![1]!;
  const child = await runNode(['--input-type=module', '-e', code]);
  expect(child.stderr).toBe('');
  expect(child.code).toBe(0);
  expect(child.stdout.split('\n')).toEqual([
    'OperationStatus<running>',
    'OperationStatus<running>',
    'OperationStatus<success>',
    'done',
    expect.stringMatching(/^Operation [a-v0-9]{20} failed with message: no rows \(code 9\)$/),
    '',
  ]);
});
