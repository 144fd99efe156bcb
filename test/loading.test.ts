/**
 * What loading the SDK costs and where it works, each case in a child process: importing it loads
 * neither axios, synckit nor node:http; a blocking-only user's main thread never loads axios nor
 * the HTTP stack; a promise client's request, and `yc-operation get`, load the SDK's own copy of
 * axios (dist/transport/axios.cjs), neither the axios package, Node's fetch (undici), a worker
 * thread, synckit nor the gRPC stack; the blocking flavour works from `node -e`, a script piped to node, eval workers
 * (ESM and CJS) and apps bundled with esbuild as docs/guide-blocking.md says; a worker that fails is never an
 * uncaught error; deep JSON passes the worker as it passes the promise flavour; and `instanceof`
 * holds across the ESM and the CJS copy of the package.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Emulator, startEmulator } from 'yc-operation/testing';
import { ROOT, runNode } from './helpers/child';

const FAILING_WORKER = fileURLToPath(new URL('./fixtures/failing-worker.mjs', import.meta.url));
const DEPTH = 5000;

let emu: Emulator;
/** Answers every GET with an operation whose response nests DEPTH levels deep. */
let deep: http.Server;
let deepUrl: string;
beforeAll(async () => {
  emu = await startEmulator();
  const nested = `${'{"a":'.repeat(DEPTH)}1${'}'.repeat(DEPTH)}`;
  deep = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(`{"id":"deep-op","done":true,"response":{"@type":"type.example/Deep","value":${nested}}}`);
  });
  await new Promise<void>((resolve) => deep.listen(0, '127.0.0.1', resolve));
  deepUrl = `http://127.0.0.1:${(deep.address() as AddressInfo).port}`;
});
afterAll(async () => {
  deep.closeAllConnections();
  await Promise.all([emu.close(), new Promise((r) => deep.close(r))]);
});

/** Which of axios, synckit and node:http(s) this process (its main thread) has loaded. */
const LOADED = `
  const cache = Object.keys(require('node:module').createRequire(process.cwd() + '/').cache);
  const natives = process.moduleLoadList.filter((m) => /^NativeModule (http|https|_http_client)$/.test(m));
  const packages = ['axios', 'synckit'].filter((name) => cache.some((file) => file.includes('/node_modules/' + name + '/')));
  const loaded = () => [...packages, ...natives.map((m) => m.slice('NativeModule '.length))].join(',') || 'nothing';
`;

/** One blocking getStatus of `process.env.OP` on `process.env.EMU`, printing `STATUS <name>`. */
const BLOCKING_CALL = `
  const client = new OperationsClient({ endpoint: process.env.EMU, auth: null });
  console.log('STATUS ' + client.operation(process.env.OP).getStatus().statusName);
  client.close();
`;

/** One promise getStatus of `process.env.OP` on `process.env.EMU`, printing `STATUS <name>`. */
const PROMISE_CALL = `
  const client = new AsyncOperationsClient({ endpoint: process.env.EMU, auth: null });
  client.operation(process.env.OP).getStatus().then((status) => console.log('STATUS ' + status.statusName)).finally(() => client.close());
`;

/**
 * A module (for `--import`) that prints, at the process's exit, `HEAVY <list>` on stderr: which of
 * the axios package, synckit, grpc-js and protobufjs (required files), Node's fetch (undici) and
 * worker_threads (built-in modules) the process loaded, or `none`.
 */
const HEAVY_AT_EXIT = `data:text/javascript,${encodeURIComponent(`
  import { createRequire } from 'node:module';
  const cache = createRequire(process.cwd() + '/').cache;
  process.on('exit', () => {
    const files = Object.keys(cache);
    const packages = ['axios', 'synckit', '@grpc/grpc-js', 'protobufjs'].filter((name) => files.some((file) => file.includes('/node_modules/' + name + '/')));
    const natives = ['internal/deps/undici/undici', 'worker_threads'].filter((name) => process.moduleLoadList.includes('NativeModule ' + name));
    process.stderr.write('HEAVY ' + ([...packages, ...natives].join(',') || 'none') + '\\n');
  });
`)}`;

/** Runs node with `stdin` piped to it; resolves with what it printed and its exit code. */
function pipeToNode(script: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(script);
  });
}

describe('what loading the SDK loads', () => {
  test.each([
    ['import', `import('yc-operation').then(() => { ${LOADED} console.log('LOADED ' + loaded()); })`],
    ['require', `require('yc-operation'); ${LOADED} console.log('LOADED ' + loaded());`],
  ])('%s of the SDK loads neither axios, synckit nor node:http', async (_, script) => {
    const child = await runNode(['-e', script]);
    expect(child.stdout.trim()).toBe('LOADED nothing');
  });

  test("a blocking-only user's main thread loads synckit, never axios nor node:http", async () => {
    const id = await emu.create({});
    const child = await runNode(
      [
        '-e',
        `
      const { OperationsClient } = require('yc-operation');
      ${BLOCKING_CALL}
      ${LOADED} console.log('LOADED ' + loaded());
    `,
      ],
      { EMU: emu.url, OP: id },
    );
    expect(child.stdout).toContain('STATUS success');
    expect(child.stdout).toContain('LOADED synckit\n');
  });

  test("a promise client's request loads the SDK's own axios: neither the axios package, Node's fetch, a worker thread, synckit nor grpc-js", async () => {
    const id = await emu.create({});
    const script = `const { AsyncOperationsClient } = require('yc-operation');\n${PROMISE_CALL}`;
    const child = await runNode(['--import', HEAVY_AT_EXIT, '-e', script], { EMU: emu.url, OP: id });
    expect(child.stdout).toContain('STATUS success');
    expect(child.stderr).toContain('HEAVY none\n');
  });

  test("yc-operation get loads neither the axios package, Node's fetch, a worker thread, synckit nor grpc-js", async () => {
    const cli = join(ROOT, 'dist/cli/main.js');
    const child = await runNode(['--import', HEAVY_AT_EXIT, cli, '--endpoint', emu.url, '--no-auth', 'get', await emu.create({})]);
    expect(child.code).toBe(0);
    expect(child.stdout).toMatch(/: success/);
    expect(child.stderr).toContain('HEAVY none\n');
  });
});

/** A module hook that prints `LOADS <specifier>` for every import of the SDK. */
const SDK_IMPORTS_HOOK =
  'data:text/javascript,import { register } from "node:module"; register("data:text/javascript,' +
  'export async function resolve(s, c, n) { if (s.startsWith(\\"yc-operation\\")) process.stderr.write(\\"LOADS \\" + s + \\"\\\\n\\"); return n(s, c); }");';

test.each([['--version'], ['--help']])('yc-operation %s loads none of the SDK', async (flag) => {
  const cli = join(ROOT, 'dist/cli/main.js');
  const child = await runNode(['--import', SDK_IMPORTS_HOOK, cli, flag]);
  expect(child.code).toBe(0);
  expect(child.stdout).not.toBe('');
  expect(child.stderr).not.toContain('LOADS');
  const command = await runNode(['--import', SDK_IMPORTS_HOOK, cli, '--endpoint', emu.url, '--no-auth', 'get', await emu.create({})]);
  expect(command.stderr).toContain('LOADS yc-operation'); // the hook does see a command's loading
});

describe('the blocking flavour from every loading context', () => {
  test('node -e with import()', async () => {
    const id = await emu.create({});
    const child = await runNode(['-e', `import('yc-operation').then(({ OperationsClient }) => { ${BLOCKING_CALL} })`], {
      EMU: emu.url,
      OP: id,
    });
    expect(child.stdout.trim()).toBe('STATUS success');
    expect(child.code).toBe(0);
  });

  test('a script piped to node', async () => {
    const id = await emu.create({});
    const child = await pipeToNode(`import('yc-operation').then(({ OperationsClient }) => { ${BLOCKING_CALL} });`, {
      EMU: emu.url,
      OP: id,
    });
    expect(child.stdout.trim()).toBe('STATUS success');
    expect(child.code).toBe(0);
  });

  test.each([
    ['ESM', `import('yc-operation').then(({ OperationsClient }) => { ${BLOCKING_CALL} })`],
    ['CJS', `const { OperationsClient } = require('yc-operation'); ${BLOCKING_CALL}`],
  ])('an eval worker that loads the SDK as %s', async (_, code) => {
    const id = await emu.create({});
    const child = await runNode(
      [
        '-e',
        `
      const { Worker } = require('node:worker_threads');
      new Worker(${JSON.stringify(code)}, { eval: true }).on('error', (e) => console.log('WORKER ERROR ' + e.message));
    `,
      ],
      { EMU: emu.url, OP: id },
    );
    expect(child.stdout.trim()).toBe('STATUS success');
    expect(child.code).toBe(0);
  });

  describe('an app bundled with esbuild, the worker copied beside it (docs/guide-blocking.md: Bundlers)', () => {
    let out: string;
    beforeAll(async () => {
      // An app of its own in a temporary folder (nothing is written into the repository), with
      // the packages it installed: the SDK, and synckit, which the copied worker resolves from there.
      out = mkdtempSync(join(tmpdir(), 'yc-bundle-'));
      mkdirSync(join(out, 'node_modules'));
      symlinkSync(ROOT, join(out, 'node_modules/yc-operation'), 'dir');
      symlinkSync(realpathSync(join(ROOT, 'node_modules/synckit')), join(out, 'node_modules/synckit'), 'dir');
      writeFileSync(join(out, 'app.mjs'), `import { OperationsClient } from 'yc-operation';\n${BLOCKING_CALL}`);
      writeFileSync(join(out, 'promises.mjs'), `import { AsyncOperationsClient } from 'yc-operation';\n${PROMISE_CALL}`);
      symlinkSync(realpathSync(join(ROOT, 'node_modules/axios')), join(out, 'node_modules/axios'), 'dir');
      // The promise app twice: in dist/ alone, and in copied/ with the SDK's copy of axios beside it.
      for (const [app, folder] of [
        ['app', 'dist'],
        ['promises', 'dist'],
        ['promises', 'copied'],
      ])
        for (const format of ['cjs', 'esm'] as const) {
          await build({
            entryPoints: [join(out, `${app}.mjs`)],
            bundle: true,
            platform: 'node',
            format,
            outfile: join(out, `${folder}/${app}.${format === 'cjs' ? 'cjs' : 'mjs'}`),
            logLevel: 'silent',
          });
        }
      mkdirSync(join(out, 'dist/sync'));
      copyFileSync(join(ROOT, 'dist/sync/worker.js'), join(out, 'dist/sync/worker.js'));
      mkdirSync(join(out, 'copied/transport'));
      copyFileSync(join(ROOT, 'dist/transport/axios.cjs'), join(out, 'copied/transport/axios.cjs'));
    });
    afterAll(() => rmSync(out, { recursive: true, force: true }));

    test.each([
      ['CommonJS', 'app.cjs'],
      ['ESM', 'app.mjs'],
    ])('bundled as %s', async (_, file) => {
      const id = await emu.create({});
      const child = await runNode([join(out, 'dist', file)], { EMU: emu.url, OP: id });
      expect(child.stderr).toBe('');
      expect(child.stdout.trim()).toBe('STATUS success');
    });

    test.each([
      ['CommonJS', 'promises.cjs'],
      ['ESM', 'promises.mjs'],
    ])('the promise flavour, bundled as %s: with no copy of its axios beside the bundle, it uses the axios package', async (_, file) => {
      const id = await emu.create({});
      const child = await runNode(['--import', HEAVY_AT_EXIT, join(out, 'dist', file)], { EMU: emu.url, OP: id });
      expect(child.stdout.trim()).toBe('STATUS success');
      expect(child.stderr).toMatch(/^HEAVY axios\b/m);
    });

    test.each([
      ['CommonJS', 'promises.cjs'],
      ['ESM', 'promises.mjs'],
    ])('the promise flavour, bundled as %s, with transport/axios.cjs copied beside it: it loads that copy', async (_, file) => {
      const id = await emu.create({});
      const child = await runNode(['--import', HEAVY_AT_EXIT, join(out, 'copied', file)], { EMU: emu.url, OP: id });
      expect(child.stdout.trim()).toBe('STATUS success');
      expect(child.stderr).toContain('HEAVY none\n');
    });
  });
});

describe('the worker, when things go wrong or get deep', () => {
  test('a worker that fails as it loads fails the call, is never an uncaught error, and close() does not throw', async () => {
    const child = await runNode(
      [
        '-e',
        `
      const { OperationsClient, AIStudioError } = require('yc-operation');
      const client = new OperationsClient({ endpoint: process.env.EMU, auth: null, workerPath: process.env.WORKER });
      try {
        client.operation('any-op').getStatus({ timeout: 2 });
      } catch (error) {
        console.log('FAILED ' + (error instanceof AIStudioError));
      } finally {
        client.close();
      }
      setTimeout(() => console.log('ALIVE'), 200);
    `,
      ],
      { EMU: emu.url, WORKER: FAILING_WORKER },
    );
    expect(child.stdout).toContain('FAILED true');
    expect(child.stdout).toContain('ALIVE');
    expect(child.stderr).not.toMatch(/Uncaught|triggerUncaughtException|Error: this worker fails/);
    expect(child.code).toBe(0);
  });

  test(`JSON nested ${DEPTH} levels deep: the blocking flavour decodes it as the promise flavour does`, async () => {
    const child = await runNode(
      [
        '-e',
        `
      const { AsyncOperationsClient, OperationsClient } = require('yc-operation');
      const depth = (v) => { let n = 0; while (v && typeof v === 'object') { v = v.a; n++; } return n; };
      const sync = new OperationsClient({ endpoint: process.env.DEEP, auth: null });
      console.log('BLOCKING ' + depth(sync.operation('deep-op').getResult().value));
      sync.close();
      const promises = new AsyncOperationsClient({ endpoint: process.env.DEEP, auth: null });
      promises.operation('deep-op').getResult().then((r) => console.log('PROMISE ' + depth(r.value)), (e) => console.log('PROMISE ' + e.message)).finally(() => promises.close());
    `,
      ],
      { DEEP: deepUrl },
    );
    expect(child.stdout).toContain(`BLOCKING ${DEPTH}`);
    expect(child.stdout).toContain(`PROMISE ${DEPTH}`);
  });
});

test('instanceof holds across the ESM and the CJS copy of the package, for every error class', async () => {
  const child = await runNode([
    '--input-type=module',
    '-e',
    `
    import { createRequire } from 'node:module';
    const esm = await import('yc-operation');
    const cjs = createRequire(process.cwd() + '/')('yc-operation');
    const api = { grpcCode: 5, httpStatus: 404, message: 'm', details: [], requestId: null, serverTraceId: null, clientRequestId: null, endpoint: 'e', attempts: 1, authProvider: null };
    const make = (m) => ({
      AIStudioError: new m.AIStudioError('x'),
      RunError: new m.RunError({ code: 1, message: 'x', details: [], operationId: 'o' }),
      AsyncOperationError: new m.AsyncOperationError('x'),
      WrongAsyncOperationStatusError: new m.WrongAsyncOperationStatusError('x'),
      OperationTimeoutError: new m.OperationTimeoutError({ operationId: 'o', pollTimeout: 1, lastStatus: null }),
      ApiError: new m.ApiError(api),
      WireDecodeError: new m.WireDecodeError('x'),
    });
    const lines = [];
    for (const [from, to] of [[cjs, esm], [esm, cjs]]) {
      for (const [name, error] of Object.entries(make(from))) {
        const matches = Object.keys(make(to)).filter((other) => error instanceof to[other]);
        lines.push(name + ': ' + matches.join(' '));
      }
    }
    lines.push('cross copy: ' + (esm.RunError !== cjs.RunError) + ', plain Error: ' + (new Error('x') instanceof esm.AIStudioError) + ', null: ' + (null instanceof esm.ApiError));
    console.log(lines.join('\\n'));
  `,
  ]);
  const expected = [
    'AIStudioError: AIStudioError',
    'RunError: AIStudioError RunError',
    'AsyncOperationError: AIStudioError AsyncOperationError',
    'WrongAsyncOperationStatusError: AIStudioError AsyncOperationError WrongAsyncOperationStatusError',
    'OperationTimeoutError: AIStudioError AsyncOperationError OperationTimeoutError',
    'ApiError: AIStudioError ApiError',
    'WireDecodeError: AIStudioError WireDecodeError',
  ];
  expect(child.stdout.trim().split('\n')).toEqual([...expected, ...expected, 'cross copy: true, plain Error: false, null: false']);
});
