/**
 * The architecture's guards (issue 10, "Must show" 9; issue 19): nothing internal in the public
 * declarations, no import cycle between the folders of src, the two clients thin over one client
 * layer, and no module-level registry beyond the process state listed here. Every name and file a
 * guard names must exist, so that no guard outlives what it guards. The declarations are the
 * build's (`npm test` builds first).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SRC = join(ROOT, 'src');

const INTERNAL = [
  'OperationMachine',
  'CallScope',
  'RequestPacer',
  'ManyScheduler',
  'RequestSlots',
  'RequestLine',
  'ClientLayer',
  'ClientPorts',
  'PromisePorts',
  'BlockingPorts',
  'OperationContext',
  'AsyncContext',
  'SyncContext',
  'INTERNALS',
  'AsyncInternals',
  'SyncInternals',
  'machineFor',
  'OperationMembers',
  'SharedPolls',
  'ApiOperationParts',
  'WorkerBridge',
  'LazyAbort',
];

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

test('every internal name guarded above is declared in src', () => {
  const text = sources(SRC)
    .map((file) => readFileSync(file, 'utf8'))
    .join('\n');
  const missing = INTERNAL.filter((name) => !new RegExp(`\\b(?:class|interface|type|function|const)\\s+${name}\\b`).test(text));
  expect(missing).toEqual([]);
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

/**
 * Which folders each folder may import (the package root: anything). The programs (cli, demo)
 * import the package by its name, as users do: no folder of src but each other's helpers.
 */
const ALLOWED: Record<string, readonly string[] | '*'> = {
  core: [],
  runtime: ['core'],
  transport: ['core', 'runtime', 'proto'],
  client: ['core', 'runtime', 'transport'],
  async: ['core', 'runtime', 'transport', 'client'],
  sync: ['core', 'runtime', 'transport', 'client'],
  testing: ['core', 'runtime', 'proto'],
  proto: [],
  bullmq: ['core'],
  cli: [],
  demo: ['cli'],
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
    expect(
      findCycle(
        new Map([
          ['a', new Set(['b'])],
          ['b', new Set(['c'])],
          ['c', new Set(['a'])],
        ]),
      ),
    ).toEqual(['a', 'b', 'c', 'a']);
  });
});

/** The methods of the producer rows (`method: 'completionAsync'`, ...): the start helpers. */
function producerMethods(): string[] {
  const text = sources(join(SRC, 'core/producers'))
    .map((file) => readFileSync(file, 'utf8'))
    .join('\n');
  return [...text.matchAll(/^\s+method: '(\w+)',$/gm)].map((m) => m[1]!);
}

describe('the two clients', () => {
  const CLIENTS = ['async/client.ts', 'sync/client.ts'].map((file) => join(SRC, file));
  const MEMBERS = join(SRC, 'client/members.ts');

  test('are thin: a constructor and what is their own (close, dispose, toString), nothing per producer', () => {
    const methods = producerMethods();
    expect(methods.length).toBeGreaterThanOrEqual(8);
    for (const file of CLIENTS) {
      const text = readFileSync(file, 'utf8');
      expect(text.split('\n').length).toBeLessThan(100);
      const members = [...text.matchAll(/^ {2}(?:async |override |get )?([\w[\].]+)\(/gm)].map((m) => m[1]);
      expect(
        members.filter((name) => !['constructor', 'close', '[Symbol.dispose]', '[Symbol.asyncDispose]', 'toString'].includes(name!)),
      ).toEqual([]);
    }
  });

  test('each start helper is written once, in the client layer', () => {
    const text = readFileSync(MEMBERS, 'utf8');
    for (const method of producerMethods())
      expect(text.match(new RegExp(`^ {2}${method}\\(`, 'gm'))?.length, method).toBeGreaterThanOrEqual(1);
  });
});

/**
 * The module-level registries (a Map, WeakMap, Set or WeakSet at module scope) that may exist: each
 * is process state that no operation's dependency travels through. A constant table (a Set of
 * names filled once) is not a registry. Dependencies (budget, endpoint, logger, clock, scope)
 * reach an operation through its constructor (`src/client/operation.ts`).
 */
const REGISTRIES: Record<string, string> = {
  // one `abort` listener per AbortSignal, however many calls watch it (a cache keyed by the caller's signal)
  'runtime/abort.ts watchers': 'one listener per signal',
  // sleeps that end at the same moment share one timer (a timer wheel of the process)
  'runtime/sleep.ts wakeups': 'one timer per moment',
  // deadline marks: data about an error object's identity, not a dependency
  'core/deadline.ts marks': 'marks on errors',
  // the worker threads of the process, one per worker file, shared by the blocking clients
  'sync/ports.ts bridges': 'one worker per file',
  // the worker thread's own state: it is a process of its own, serving every blocking client
  'sync/worker.ts clients': "the worker's clients (their transports)",
  'sync/worker.ts logs': "the worker's clients' log lines",
  'sync/worker.ts pending': "the worker's calls in progress",
  // one axios instance per TLS setting for token requests (sockets shared by the process)
  'transport/auth/http.ts tokenClients': 'shared sockets',
  // YC_OPERATION_LOG values already warned about, once per process
  'transport/env-logger.ts warned': 'once per process',
};

describe('module-level registries', () => {
  test('are only the process state listed, and each listed one still exists', () => {
    const found: string[] = [];
    for (const file of sources(SRC)) {
      const rel = relative(SRC, file).split(sep).join('/');
      for (const m of readFileSync(file, 'utf8').matchAll(
        /^(?:export )?(?:const|let) (\w+)(?::[^=]+)? = new (?:WeakMap|Map|WeakSet|Set)(?:<.*?>)?\((.*)\);$/gm,
      )) {
        const constantTable = m[2]!.trim() !== '';
        if (!constantTable) found.push(`${rel} ${m[1]}`);
      }
    }
    expect(found.sort()).toEqual(Object.keys(REGISTRIES).sort());
  });
});
