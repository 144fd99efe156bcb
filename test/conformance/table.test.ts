/** The table itself: unique names, and every exclusion names a path and says why. */
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { PATHS, rowsFor, TABLE } from './table';

test('row names are unique', () => {
  expect(new Set(TABLE.map((row) => row.name)).size).toBe(TABLE.length);
});

test('every excluded path is a path, with a reason', () => {
  for (const row of TABLE) {
    for (const [path, reason] of Object.entries(row.excluded ?? {})) {
      expect(PATHS, row.name).toContain(path);
      expect(reason, row.name).toMatch(/\w{3,}/);
    }
  }
});

test('every row applies to a path, and the rows of more than one path are most of the table', () => {
  const applies = TABLE.map((row) => PATHS.filter((path) => rowsFor(path).includes(row)).length);
  expect(Math.min(...applies)).toBeGreaterThanOrEqual(1);
  expect(applies.filter((n) => n === PATHS.length).length).toBeGreaterThan(TABLE.length / 2);
});

test('docs/conformance.md lists every row, with the paths it applies to', () => {
  const lines = readFileSync(new URL('../../docs/conformance.md', import.meta.url), 'utf8').split('\n');
  for (const row of TABLE) {
    const cells = PATHS.map((path) => (row.excluded?.[path] === undefined ? '✓' : '–'));
    expect(lines, row.name).toContain(`| ${row.group}: ${row.name} | ${cells.join(' | ')} |`);
  }
});
