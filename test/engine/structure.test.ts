/**
 * Issue 10, "Must show" 9: nothing internal in the public declarations, and no import cycle
 * between the folders of src. The declarations are the build's (`npm test` builds first).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SRC = join(ROOT, 'src');

const INTERNAL = ['PACE', 'WAIT_LOOP', 'linkToClient', 'linkToSyncClient', 'asyncInternals', 'syncInternals', 'ClientLink', 'SyncClientLink', 'OperationMachine', 'CallScope', 'RequestPacer', 'ManyScheduler', 'RequestSlots', 'RequestLine'];

describe('the public declarations', () => {
  for (const file of ['dist/index.d.ts', 'dist/index.d.cts']) {
    test(`${file} names nothing internal`, () => {
      const text = readFileSync(join(ROOT, file), 'utf8');
      const found = INTERNAL.filter((name) => new RegExp(`\\b${name}\\b`).test(text));
      expect(found).toEqual([]);
      // and it still declares the public API
      for (const name of ['AsyncOperationsClient', 'OperationsClient', 'waitAll', 'asCompleted', 'ApiError']) expect(text).toContain(name);
    });
  }
});

/** Every .ts file under `dir`. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

/** The module specifiers a file imports or re-exports (static, side-effect and dynamic imports). */
function specifiers(text: string): string[] {
  const out: string[] = [];
  const pattern = /\b(?:import|export)\s[^'";]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const m of text.matchAll(pattern)) out.push((m[1] ?? m[2] ?? m[3])!);
  return out;
}

/** The top folder under src of a path (`(root)` for src/index.ts and src/many.ts); `null` outside src. */
function folderOf(path: string): string | null {
  const rel = relative(SRC, path);
  if (rel.startsWith('..')) return null;
  const parts = rel.split(sep);
  return parts.length === 1 ? '(root)' : parts[0]!;
}

/** The folder graph: for each folder, the other folders it imports by relative path. */
function folderGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of sources(SRC)) {
    const from = folderOf(file)!;
    const edges = graph.get(from) ?? new Set<string>();
    graph.set(from, edges);
    for (const spec of specifiers(readFileSync(file, 'utf8'))) {
      if (!spec.startsWith('.')) continue; // a package (node:, axios, yc-operation itself)
      const to = folderOf(resolve(dirname(file), spec));
      if (to !== null && to !== from) edges.add(to);
    }
  }
  return graph;
}

/** A cycle in `graph` as a path of folders, or `null`. */
function findCycle(graph: Map<string, Set<string>>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (node: string): string[] | null => {
    if (state.get(node) === 'done') return null;
    if (state.get(node) === 'open') return [...path.slice(path.indexOf(node)), node];
    state.set(node, 'open');
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(node, 'done');
    return null;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return null;
}

/** Which folders each folder may import (cli and demo: anything; the package root: anything). */
const ALLOWED: Record<string, readonly string[] | '*'> = {
  core: [],
  runtime: ['core'],
  transport: ['core', 'runtime', 'proto'],
  client: ['core', 'runtime', 'transport'],
  async: ['core', 'runtime', 'transport', 'client'],
  sync: ['core', 'runtime', 'transport', 'client'],
  testing: ['core', 'runtime', 'proto'],
  proto: [],
  bullmq: [],
  cli: '*',
  demo: '*',
  '(root)': '*',
};

describe('the folders of src', () => {
  test('the import parser finds every kind of import', () => {
    const text = `import a from './a';\nimport type { B } from "../b";\nimport {\n  c,\n  d,\n} from './c';\nexport { e } from './e';\nexport * from './f';\nimport './g';\nconst h = await import('./h');\nconst s = 'from nowhere';`;
    expect(specifiers(text)).toEqual(['./a', '../b', './c', './e', './f', './g', './h']);
  });

  test('their import graph has no cycle', () => {
    const graph = folderGraph();
    expect(graph.size).toBeGreaterThanOrEqual(8);
    expect(findCycle(graph)).toBeNull();
  });

  test('each folder imports only the folders allowed today', () => {
    const graph = folderGraph();
    const unexpected: string[] = [];
    for (const [from, edges] of graph) {
      const allowed = ALLOWED[from];
      if (allowed === undefined) unexpected.push(`${from} (a folder this test does not know)`);
      else if (allowed !== '*') for (const to of edges) if (!allowed.includes(to)) unexpected.push(`${from} -> ${to}`);
    }
    expect(unexpected).toEqual([]);
  });

  test('the cycle check would see a cycle', () => {
    expect(findCycle(new Map([['a', new Set(['b'])], ['b', new Set(['c'])], ['c', new Set(['a'])]]))).toEqual(['a', 'b', 'c', 'a']);
  });
});
