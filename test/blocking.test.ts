/**
 * What only the blocking flavour has: the worker thread. It starts lazily, survives a crash or a
 * stall of its own (the call fails clearly, the next one works), lets the process exit at once,
 * and loads from both the ESM and the CJS build.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AIStudioError, ApiError, type OperationStatus, OperationsClient, RunError } from 'yc-operation';
import { type Emulator, startEmulator } from 'yc-operation/testing';
import { runNode } from './helpers/child';

const CRASHING_WORKER = fileURLToPath(new URL('./fixtures/crashing-worker.mjs', import.meta.url));

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.close());

describe('the blocking flavour', () => {
  test('onProgress runs on the caller thread and may itself call getStatus()', () => {
    const client = new OperationsClient({ endpoint: emu.url, auth: null });
    return emu.create({ donePolls: 4 }).then((id) => {
      const op = client.operation(id);
      const inner: string[] = [];
      op.wait({
        pollInterval: 0.01,
        onProgress: (s: OperationStatus) => {
          if (s.isRunning) inner.push(op.getStatus().statusName);
        },
      });
      client.close();
      expect(inner).toEqual(['running', 'success']);
    });
  });

  test('a worker that dies mid-call fails that call clearly, and the next call works', async () => {
    const client = new OperationsClient({ endpoint: emu.url, auth: null, workerPath: CRASHING_WORKER });
    const id = await emu.create({});
    expect(client.operation(id).getStatus().isSucceeded).toBe(true);
    const error = (() => {
      try {
        client.operation('crash-me').getStatus();
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(AIStudioError);
    expect((error as Error).message).toMatch(/^the blocking flavour's worker failed: /);
    expect(client.operation(id).getStatus().isSucceeded).toBe(true);
    client.close();
  });

  test('a worker that stalls fails that call within its bound, and the next call works', async () => {
    const client = new OperationsClient({ endpoint: emu.url, auth: null, workerPath: CRASHING_WORKER });
    const id = await emu.create({});
    const started = Date.now();
    expect(() => client.operation('stall-me').getStatus({ timeout: 1 })).toThrow(/worker failed: .*timed-out/);
    expect(Date.now() - started).toBeLessThan(20_000); // bounded, never forever
    expect(client.operation(id).getStatus().isSucceeded).toBe(true);
    client.close();
  }, 40_000);

  test('errors come back as their classes with their fields', async () => {
    const client = new OperationsClient({ endpoint: emu.url, auth: null, retry: false });
    const failed = await emu.create({ error: { code: 9, message: 'precondition' } });
    expect(() => client.operation(failed).wait({ pollInterval: 0.01 })).toThrow(RunError);
    const missing = client.operation('d7qnotthere000000000');
    const error = (() => {
      try {
        missing.getStatus();
      } catch (e) {
        return e;
      }
    })();
    expect(error).toMatchObject({ name: 'OperationNotFoundError', grpcCode: 5, httpStatus: 404, attempts: 1 });
    expect(error).toBeInstanceOf(ApiError);
    expect((error as { requestId: string }).requestId).toBeTruthy();
    client.close();
  });

  test('a Promise-returning resultDecoder is refused with a clear error', async () => {
    const client = new OperationsClient({ endpoint: emu.url, auth: null });
    const id = await emu.create({});
    const op = client.operation(id, { resultDecoder: (async () => 1) as never });
    expect(() => op.wait({ pollInterval: 0.01 })).toThrow(/only a synchronous resultDecoder/);
    client.close();
  });

  test('a closed client refuses calls, and a new one starts a fresh worker', async () => {
    const id = await emu.create({});
    const first = new OperationsClient({ endpoint: emu.url, auth: null });
    first.operation(id).getStatus();
    first.close();
    expect(() => first.operation(id).getStatus()).toThrow(/closed/);
    const second = new OperationsClient({ endpoint: emu.url, auth: null });
    expect(second.operation(id).getStatus().isSucceeded).toBe(true);
    second.close();
  });

  test('a client that cannot find its worker says how to fix it', () => {
    expect(() => new OperationsClient({ workerPath: '/nonexistent/worker.js', auth: null })).toThrow(/ship dist\/sync\/worker.js/);
  });
});

describe('the blocking flavour in a child process', () => {
  const script = (loader: 'import' | 'require') => `
    ${loader === 'import' ? "import { OperationsClient } from 'yc-operation';" : "const { OperationsClient } = require('yc-operation');"}
    const client = new OperationsClient({ endpoint: process.env.EMU, auth: null });
    const result = client.operation(process.env.OP).wait({ pollInterval: 0.05 });
    console.log('RESULT ' + JSON.stringify(result));
    console.log('LAST line');
  `;

  test.each(['import', 'require'] as const)(
    '%s of the built package runs a blocking wait, and the process exits at once',
    async (loader) => {
      const id = await emu.create({ donePolls: 2, response: { '@type': 'x', v: loader } });
      const args = loader === 'import' ? ['--input-type=module', '-e', script(loader)] : ['-e', script(loader)];
      const child = await runNode(args, { EMU: emu.url, OP: id });
      expect(child.stderr).toBe('');
      expect(child.stdout).toContain(`RESULT {"@type":"x","v":"${loader}"}`);
      expect(child.code).toBe(0);
      expect(child.afterLastLineMs).toBeLessThan(1000);
    },
  );

  test('async-only users never start a worker nor load synckit', async () => {
    const id = await emu.create({});
    const child = await runNode(
      [
        '--input-type=module',
        '-e',
        `
      import wt from 'node:worker_threads';
      import { createRequire, syncBuiltinESMExports } from 'node:module';
      let started = 0;
      wt.Worker = class extends wt.Worker { constructor(...a) { super(...a); started++; } };
      syncBuiltinESMExports();
      const { AsyncOperationsClient } = await import('yc-operation');
      const client = new AsyncOperationsClient({ endpoint: process.env.EMU, auth: null });
      await client.operation(process.env.OP).wait({ pollInterval: 0.05 });
      client.close();
      const synckit = createRequire(import.meta.url).resolve('synckit');
      console.log('WORKERS ' + started + ' SYNCKIT ' + Object.keys(createRequire(import.meta.url).cache).includes(synckit));
    `,
      ],
      { EMU: emu.url, OP: id },
    );
    expect(child.stdout.trim()).toBe('WORKERS 0 SYNCKIT false');
  });

  test('a blocking client starts its worker when it is made, and the process still exits at once', async () => {
    const child = await runNode(
      [
        '--input-type=module',
        '-e',
        `
      import wt from 'node:worker_threads';
      import { syncBuiltinESMExports } from 'node:module';
      let started = 0;
      wt.Worker = class extends wt.Worker { constructor(...a) { super(...a); started++; } };
      syncBuiltinESMExports();
      const { OperationsClient } = await import('yc-operation');
      new OperationsClient({ endpoint: process.env.EMU, auth: null });
      console.log('WORKERS ' + started);
      console.log('LAST');
    `,
      ],
      { EMU: emu.url },
    );
    expect(child.stdout).toContain('WORKERS 1');
    expect(child.code).toBe(0);
    expect(child.afterLastLineMs).toBeLessThan(2000); // nothing of the worker keeps the process alive
  });

  test('a blocking call from inside the SDK worker is refused', async () => {
    const child = await runNode(
      [
        '--input-type=module',
        '-e',
        `
      globalThis[Symbol.for('yc-operation.sync-worker')] = true;
      const { OperationsClient } = await import('yc-operation');
      try { new OperationsClient({ endpoint: process.env.EMU, auth: null }).operation('abc').getStatus(); }
      catch (e) { console.log(e.message); }
    `,
      ],
      { EMU: emu.url },
    );
    expect(child.stdout).toContain("cannot be called from inside the SDK's own worker thread");
  });
});

describe('YC_OPERATION_WORKER', () => {
  /** Sets YC_OPERATION_WORKER for the length of `body`. */
  function withWorkerVariable<T>(path: string, body: () => T): T {
    const saved = process.env.YC_OPERATION_WORKER;
    process.env.YC_OPERATION_WORKER = path;
    try {
      return body();
    } finally {
      if (saved === undefined) delete process.env.YC_OPERATION_WORKER;
      else process.env.YC_OPERATION_WORKER = saved;
    }
  }

  test('names the worker a client without workerPath runs (its own "crash-me" shows it is that one)', async () => {
    const id = await emu.create({});
    const client = withWorkerVariable(CRASHING_WORKER, () => new OperationsClient({ endpoint: emu.url, auth: null }));
    expect(client.operation(id).getStatus().isSucceeded).toBe(true);
    expect(() => client.operation('crash-me').getStatus()).toThrow(/worker failed/);
    client.close();
  });

  test('a path where there is no worker fails at once, naming the path and the variable', () => {
    const missing = '/nonexistent/yc-operation/worker.js';
    expect(() => withWorkerVariable(missing, () => new OperationsClient({ endpoint: emu.url, auth: null }))).toThrow(AIStudioError);
    expect(() => withWorkerVariable(missing, () => new OperationsClient({ endpoint: emu.url, auth: null }))).toThrow(
      new RegExp(`worker is not at ${missing}.*YC_OPERATION_WORKER`),
    );
  });

  test('the workerPath option wins over it', async () => {
    const id = await emu.create({});
    const real = fileURLToPath(new URL('../dist/sync/worker.js', import.meta.url));
    const client = withWorkerVariable(
      '/nonexistent/worker.js',
      () => new OperationsClient({ endpoint: emu.url, auth: null, workerPath: real }),
    );
    expect(client.operation(id).getStatus().isSucceeded).toBe(true);
    client.close();
  });
});
