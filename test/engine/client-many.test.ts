/**
 * Issue 21, API: each client's `waitAll`/`asCompleted` answers in its own flavour, the empty list
 * included (the promise client's `waitAll([])` is a Promise), and the blocking client's types
 * refuse a `resultDecoder` that returns a Promise (checked by `tsc --noEmit` in ./client-many-types.ts,
 * and here by the compiler against the built declarations).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type AsyncOperation, AsyncOperationsClient, type Operation, OperationsClient } from 'yc-operation';
import { type Emulator, startEmulator } from 'yc-operation/testing';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.close());

test('the promise client: waitAll([]) is a Promise of [], and asCompleted([]) is async-iterable', async () => {
  const client = new AsyncOperationsClient({ endpoint: emu.url, auth: null });
  try {
    const none = client.waitAll([] as AsyncOperation<number>[]);
    expect(none).toBeInstanceOf(Promise);
    expect(await none.then((results) => results.length)).toBe(0);
    await expect(client.waitAll([], { concurrency: 0 })).rejects.toThrow(RangeError);
    const seen: unknown[] = [];
    for await (const op of client.asCompleted([] as AsyncOperation[])) seen.push(op);
    expect(seen).toEqual([]);
    const ids = [await emu.create({ donePolls: 2 }), await emu.create({})];
    const results = await client.waitAll(
      ids.map((id) => client.operation(id)),
      { pollInterval: 0.01 },
    );
    expect(results).toHaveLength(2);
  } finally {
    client.close();
  }
});

test('the blocking client: waitAll([]) is [] itself, and asCompleted([]) is iterable', async () => {
  const client = new OperationsClient({ endpoint: emu.url, auth: null });
  try {
    const none: number[] = client.waitAll([] as Operation<number>[]);
    expect(none).toEqual([]);
    expect(() => client.waitAll([], { concurrency: 0 })).toThrow(RangeError);
    expect([...client.asCompleted([] as Operation[])]).toEqual([]);
    const ids = [await emu.create({ donePolls: 2 }), await emu.create({})];
    expect(
      client.waitAll(
        ids.map((id) => client.operation(id)),
        { pollInterval: 0.01 },
      ),
    ).toHaveLength(2);
  } finally {
    client.close();
  }
});

test("a client's waitAll refuses operations of the other flavour", async () => {
  const promised = new AsyncOperationsClient({ endpoint: emu.url, auth: null });
  const blocking = new OperationsClient({ endpoint: emu.url, auth: null });
  try {
    await expect(promised.waitAll([blocking.operation('a')] as never)).rejects.toThrow(TypeError);
    expect(() => blocking.waitAll([promised.operation('a')] as never)).toThrow(TypeError);
  } finally {
    promised.close();
    blocking.close();
  }
});

/** The compiler's errors for `source`, a user's file that imports the built package by name. */
function diagnostics(source: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'yc-types-'));
  try {
    const file = join(dir, 'user.ts');
    writeFileSync(file, source);
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const program = ts.createProgram([file], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ['lib.es2022.d.ts', 'lib.esnext.disposable.d.ts'],
      types: ['node'],
      typeRoots: [join(root, 'node_modules/@types')],
      skipLibCheck: true,
      paths: { 'yc-operation': [join(root, 'dist/index.d.ts')] },
    });
    return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the built declarations refuse an async resultDecoder on the blocking client, and take a sync one', () => {
  const head = "import { OperationsClient } from 'yc-operation';\ndeclare const client: OperationsClient;\n";
  expect(diagnostics(`${head}client.operation('x', { resultDecoder: (r: unknown) => r });\n`)).toEqual([]);
  const refused = diagnostics(`${head}client.operation('x', { resultDecoder: async (r: unknown) => r });\n`);
  expect(refused.join('\n')).toMatch(/synchronous resultDecoder only/);
});
