/**
 * The package as a user gets it: `npm pack`'s tarball installed in a new folder (no registry is
 * asked: the tarball is unpacked, its dependencies linked from this repository's), then imported
 * from ESM and CommonJS, its CLI run, and a TypeScript user's files type-checked under node16,
 * nodenext and bundler resolution with the project's own TypeScript. Nothing here resolves to
 * the repository: only to the installed copy.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ROOT } from './helpers/child';

const run = promisify(execFile);
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');
const FIXTURES = join(ROOT, 'test/fixtures/consumer');
const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };

let temp: string;
/** The user's project, with the tarball installed. */
let project: string;
/** The installed package. */
let installed: string;

beforeAll(async () => {
  temp = mkdtempSync(join(tmpdir(), 'yc-operation-tarball-'));
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', temp], { cwd: ROOT });
  const [{ filename }] = JSON.parse(stdout) as [{ filename: string }];
  project = join(temp, 'project');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'tarball-user', private: true, type: 'module' }));
  // Installed without a registry (only loopback is ever contacted): the tarball unpacked where npm
  // puts it, its bin linked as npm links it, and its dependencies, with the optional peers a user
  // of yc-operation/bullmq installs beside it, linked from this repository's node_modules (each
  // resolves its own dependencies from where it really is).
  installed = join(project, 'node_modules/yc-operation');
  mkdirSync(installed, { recursive: true });
  await run('tar', ['-xzf', join(temp, filename), '-C', installed, '--strip-components', '1']);
  const { dependencies } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  for (const name of [...Object.keys(dependencies), 'bullmq', 'ioredis']) {
    mkdirSync(dirname(join(project, 'node_modules', name)), { recursive: true });
    symlinkSync(realpathSync(join(ROOT, 'node_modules', name)), join(project, 'node_modules', name), 'dir');
  }
  mkdirSync(join(project, 'node_modules/.bin'));
  symlinkSync('../yc-operation/dist/cli/main.js', join(project, 'node_modules/.bin/yc-operation'));
}, 120_000);

afterAll(() => {
  if (temp) rmSync(temp, { recursive: true, force: true });
});

/** Runs `node` in the user's project; resolves with its stdout. */
async function node(args: string[]): Promise<string> {
  return (await run(process.execPath, args, { cwd: project, timeout: 30_000 })).stdout;
}

/** Starts the emulator, waits on one operation with each flavour, prints both results. */
const SCRIPT = `
  const emulator = await startEmulator();
  const response = { '@type': 'type.googleapis.com/example.Result', text: 'done' };
  const promises = new AsyncOperationsClient({ endpoint: emulator.url, auth: null });
  const blocking = new OperationsClient({ endpoint: emulator.url, auth: null });
  const a = await promises.operation(await emulator.create({ donePolls: 2, response })).wait({ pollInterval: 0.05 });
  const b = blocking.operation(await emulator.create({ donePolls: 2, response })).wait({ pollInterval: 0.05 });
  promises.close();
  blocking.close();
  await emulator.close();
  console.log(a.text, b.text);
`;

describe('the installed tarball', () => {
  test('holds what users run and its license, and neither the demo nor the sources', () => {
    for (const file of [
      'LICENSE',
      'README.md',
      'package.json',
      'testing/package.json',
      'dist/index.js',
      'dist/index.cjs',
      'dist/cli/main.js',
      'dist/sync/worker.js',
      'dist/transport/axios.cjs',
      'dist/testing/emulator-worker.js',
    ]) {
      expect(existsSync(join(installed, file)), file).toBe(true);
    }
    for (const absent of ['dist/demo', 'src', 'test']) expect(existsSync(join(installed, absent)), absent).toBe(false);
  });

  test('imports from ESM, and both flavours wait on the emulator (the worker threads load from node_modules)', async () => {
    const code = `import { AsyncOperationsClient, OperationsClient } from 'yc-operation';
      import { startEmulator } from 'yc-operation/testing';
      ${SCRIPT}`;
    expect(await node(['--input-type=module', '-e', code])).toBe('done done\n');
  });

  test('requires from CommonJS, and both flavours wait on the emulator', async () => {
    const code = `const { AsyncOperationsClient, OperationsClient } = require('yc-operation');
      const { startEmulator } = require('yc-operation/testing');
      (async () => { ${SCRIPT} })().catch((error) => { console.error(error); process.exitCode = 1; });`;
    expect(await node(['--input-type=commonjs', '-e', code])).toBe('done done\n');
  });

  test('without the optional gRPC peers: the emulator serves gRPC, and a gRPC call of either flavour fails naming what to install', async () => {
    for (const peer of ['@grpc/grpc-js', 'protobufjs']) expect(existsSync(join(project, 'node_modules', peer)), peer).toBe(false);
    const code = `import { AsyncOperationsClient, OperationsClient } from 'yc-operation';
      import { startEmulator } from 'yc-operation/testing';
      const emulator = await startEmulator({ grpc: true });
      const id = await emulator.create({ donePolls: 1, response: { '@type': 'type.googleapis.com/example.Result', text: 'done' } });
      const options = { endpoint: emulator.grpcUrl, auth: null, protocol: 'grpc', retry: false };
      const promises = new AsyncOperationsClient(options);
      const blocking = new OperationsClient(options);
      const a = await promises.operation(id).getStatus().catch((error) => error);
      let b;
      try { blocking.operation(id).getStatus(); } catch (error) { b = error; }
      promises.close();
      blocking.close();
      await emulator.close();
      console.log(a.name + ': ' + a.message);
      console.log(b.name + ': ' + b.message);`;
    const expected =
      "AIStudioError: a gRPC call (protocol: 'grpc', and tune, validateDataset, completionBatch and batch tasks with either protocol) needs @grpc/grpc-js, which is not installed (an optional peer dependency of yc-operation): npm install @grpc/grpc-js protobufjs";
    expect(await node(['--input-type=module', '-e', code])).toBe(`${expected}\n${expected}\n`);
  });

  test('its CLI runs from node_modules/.bin', async () => {
    const { stdout } = await run(join(project, 'node_modules/.bin/yc-operation'), ['--version'], { cwd: project });
    expect(stdout.trim()).toBe(version);
  });

  test.each([
    ['node16', { module: 'Node16', moduleResolution: 'Node16' }, ['consumer.ts', 'disposable.ts', 'require.cts']],
    ['nodenext', { module: 'NodeNext', moduleResolution: 'NodeNext' }, ['consumer.ts', 'disposable.ts', 'require.cts']],
    ['bundler', { module: 'ESNext', moduleResolution: 'Bundler' }, ['consumer.ts', 'disposable.ts']],
  ])(
    'a TypeScript user type-checks under %s resolution',
    async (name, resolution, files) => {
      const dir = join(project, `ts-${name}`);
      mkdirSync(dir);
      for (const file of files) cpSync(join(FIXTURES, file), join(dir, file));
      const compilerOptions = {
        ...resolution,
        target: 'ES2022',
        lib: ['ES2022', 'ESNext.Disposable'],
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        types: ['node'],
        typeRoots: [join(ROOT, 'node_modules/@types')],
      };
      writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files }));
      const result = await run(process.execPath, [TSC, '-p', dir], { cwd: dir }).then(
        ({ stdout }) => ({ code: 0, stdout }),
        (error: { stdout: string; code: number }) => ({ code: error.code, stdout: error.stdout }),
      );
      expect(result).toEqual({ code: 0, stdout: '' }); // tsc ran, found nothing, exited 0
    },
    120_000,
  );

  test("README's quick start compiles under strict TypeScript against the installed package, and runs", async () => {
    const dir = join(project, 'ts-quick-start');
    mkdirSync(dir);
    writeFileSync(join(dir, 'quick.ts'), quickStart());
    const compilerOptions = {
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      target: 'ES2022',
      strict: true,
      outDir: 'out',
      skipLibCheck: false,
      types: ['node'],
      typeRoots: [join(ROOT, 'node_modules/@types')],
    };
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['quick.ts'] }));
    const result = await run(process.execPath, [TSC, '-p', dir], { cwd: dir }).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (error: { stdout: string; code: number }) => ({ code: error.code, stdout: error.stdout }),
    );
    expect(result).toEqual({ code: 0, stdout: '' }); // tsc ran, found nothing, exited 0
    const emitted = join(dir, 'out/quick.js');
    expect(existsSync(emitted)).toBe(true); // and it compiled the file
    const lines = (await node([emitted])).trim().split('\n');
    expect(lines).toContain('done');
    expect(lines.at(-1)).toMatch(/^Operation .+ failed with message: no rows \(code 9\)$/);
  }, 120_000);
});

/** The ```ts block under README.md's "## Quick start", as the README has it now. */
function quickStart(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.split(/^## Quick start$/m)[1]?.split(/^## /m)[0] ?? '';
  const block = /^```ts\n([\s\S]*?)^```$/m.exec(section)?.[1];
  if (!block) throw new Error('README.md has no ```ts block under "## Quick start"');
  return block;
}
