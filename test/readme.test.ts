/**
 * The README's code, as a user meets it: its quick start type-checks under `strict` against the
 * built package (no `unknown` where the type is known), and the JavaScript tsc makes of it runs
 * and prints what its comments say. Every other snippet of the README is a program of
 * examples/, or lines of one (test/examples.test.ts type-checks and runs those programs).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ROOT, runNode } from './helpers/child';

const run = promisify(execFile);
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** Every fenced block of a language among `languages`, with the heading it stands under. */
function blocks(markdown: string, languages: string[]): { heading: string; lang: string; code: string }[] {
  const found: { heading: string; lang: string; code: string }[] = [];
  let heading = '';
  for (const m of markdown.matchAll(/^(#{1,6} .*)$|^```(\w*)\n([\s\S]*?)^```$/gm)) {
    if (m[1] !== undefined) heading = m[1];
    else if (languages.includes(m[2]!)) found.push({ heading, lang: m[2]!, code: m[3]! });
  }
  return found;
}

const snippets = blocks(README, ['js', 'ts', 'mjs', 'cjs']);
const quickStart = snippets.find((b) => b.heading === '## Quick start' && b.lang === 'ts');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'yc-operation-readme-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(ROOT, join(dir, 'node_modules/yc-operation'), 'dir');
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test("the README's quick start type-checks under strict and runs as it is", async () => {
  expect(quickStart).toBeDefined();
  writeFileSync(join(dir, 'quick.ts'), quickStart!.code);
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        lib: ['ES2022'],
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        types: ['node'],
        typeRoots: [join(ROOT, 'node_modules/@types')],
        outDir: '.',
        rootDir: '.',
      },
      files: ['quick.ts'],
    }),
  );
  const tsc = await run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(dir, 'tsconfig.json')], {
    cwd: dir,
  }).catch((error: { stdout: string }) => error);
  expect(tsc.stdout).toBe('');

  const child = await runNode([join(dir, 'quick.js')]);
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
}, 120_000);

test('every other snippet of the README is a program of examples/, or lines of one', () => {
  const examples = readdirSync(join(ROOT, 'examples'))
    .filter((name) => /\.(mjs|cjs|ts)$/.test(name))
    .map((name) => readFileSync(join(ROOT, 'examples', name), 'utf8'));
  /** A line as compared: trimmed, without a trailing `// comment`. */
  const norm = (line: string) => line.replace(/\s+\/\/ .*$/, '').trim();
  const known = new Set(examples.flatMap((text) => text.split('\n').map(norm)));
  const others = snippets.filter((b) => b !== quickStart);
  expect(others.length).toBeGreaterThanOrEqual(3);
  expect(others.filter((b) => examples.includes(b.code)).length).toBeGreaterThanOrEqual(1);
  for (const { heading, code } of others) {
    if (examples.includes(code)) continue;
    const lines = code
      .split('\n')
      .map(norm)
      .filter((line) => line !== '' && !line.startsWith('//'));
    expect(
      lines.filter((line) => !known.has(line)),
      `a snippet under "${heading}"`,
    ).toEqual([]);
  }
});

/** GitHub's anchor of a heading: lower case, punctuation dropped, each space a hyphen. */
const slug = (heading: string) =>
  heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/ /g, '-');

/** The anchors a Markdown file offers: one per heading. */
function anchors(path: string): Set<string> {
  const text = readFileSync(path, 'utf8').replace(/^```[\s\S]*?^```$/gm, '');
  return new Set([...text.matchAll(/^#{1,6} (.*)$/gm)].map((m) => slug(m[1]!)));
}

const PAGES = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

test.each(PAGES)('%s: every link to this repository leads to a file, and to a heading of it', (page) => {
  const path = join(ROOT, page);
  const text = readFileSync(path, 'utf8').replace(/^```[\s\S]*?^```$/gm, '');
  const broken: string[] = [];
  for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
    if (/^[a-z]+:/.test(target!)) continue;
    const [file, anchor] = target!.split('#') as [string, string | undefined];
    const resolved = file === '' ? path : join(path, '..', file);
    if (!existsSync(resolved)) broken.push(target!);
    else if (anchor !== undefined && resolved.endsWith('.md') && !anchors(resolved).has(anchor)) broken.push(target!);
  }
  expect(broken).toEqual([]);
});
