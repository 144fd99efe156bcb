#!/usr/bin/env node
// Runs every program of examples/ against the emulator, each in a child process of the runtime
// named by --runtime (node, bun or deno), and checks what it prints. The emulator runs here,
// under Node, with an API key that the examples find in YC_API_KEY as they would a real one.
//
//   node scripts/run-examples.mjs --runtime node --compiled <dir>   (the .ts examples as tsc emitted them)
//   node scripts/run-examples.mjs --runtime bun                     (Bun and Deno run .ts as it is)
//
// The queue example runs when REDIS_URL is set. Exit code 0 when every example printed what it
// should; each result is one line: `ok <example> (<runtime>)` or `FAIL ...` with its output.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startEmulator } from 'yc-operation/testing';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const EXAMPLES = join(ROOT, 'examples');
const API_KEY = 'example-key';
const TIMEOUT_MS = 60_000;

const { values } = parseArgs({
  options: { runtime: { type: 'string', default: 'node' }, compiled: { type: 'string' }, bin: { type: 'string' } },
});
const runtime = values.runtime;
const bin = values.bin ?? runtime;
if (!['node', 'bun', 'deno'].includes(runtime)) throw new Error(`--runtime must be node, bun or deno, got ${runtime}`);
if (runtime === 'node' && !values.compiled) throw new Error('--runtime node needs --compiled <dir>: the .ts examples as tsc emitted them');

/** The command that runs an example file under this runtime. */
function command(file) {
  if (runtime === 'bun') return [bin, ['run', join(EXAMPLES, file)]];
  if (runtime === 'deno') return [bin, ['run', '--allow-all', join(EXAMPLES, file)]];
  const path = file.endsWith('.ts') ? join(values.compiled, file.replace(/\.ts$/, '.js')) : join(EXAMPLES, file);
  return [process.execPath, [path]];
}

function run(file, args, env) {
  const [cmd, base] = command(file);
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, [...base, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

const emulator = await startEmulator({ apiKey: API_KEY });
const env = {
  YC_OPERATION_ENDPOINT: emulator.url,
  YC_LLM_ENDPOINT: emulator.url,
  YC_API_KEY: API_KEY,
  YC_FOLDER_ID: 'b1gexamples',
  // The credential chain never reaches past the key; if it did, only a closed loopback port.
  YC_METADATA_ADDR: '127.0.0.1:9',
};
const report = { '@type': 'type.googleapis.com/example.Report', text: 'report ready' };
const progress = [{ percent: 10 }, { percent: 60 }];

/** Each example, what it is given, and the lines its output must contain, in order. */
const cases = [
  { file: 'quick-start.mjs', expect: [/^promise: OperationStatus<running>$/, /^promise: Say hello$/, /^blocking: Say hello$/] },
  { file: 'quick-start.cjs', expect: [/^promise: Say hello$/, /^blocking: Say hello$/] },
  {
    file: 'completion.ts',
    expect: [
      /^started \w+$/,
      /^promise: What is a long-running operation\? \(\d+ tokens\)$/,
      /^blocking: What is a long-running operation\? \(model .+\)$/,
    ],
  },
  {
    file: 'typed-operation.ts',
    args: async () => [await emulator.create({ donePolls: 3, metadata: progress, response: report })],
    expect: [/^running: 10%$/, /^running: 60%$/, /^promise: report ready$/, /^blocking: report ready \(success\)$/],
  },
  {
    file: 'typed-operation.ts',
    name: 'typed-operation.ts (failed)',
    args: async () => [await emulator.create({ donePolls: 1, error: { code: 9, message: 'no rows' } })],
    expect: [/^failed: no rows \(code 9\)$/],
    exitCode: 1,
  },
  {
    file: 'fetch-adapter.mjs',
    args: async () => [await emulator.create({ donePolls: 2, response: report })],
    expect: [/^fetch: \{"@type":"type\.googleapis\.com\/example\.Report","text":"report ready"\}$/],
  },
  { file: 'from-operation.ts', expect: [/^took over \w+: OperationStatus<running>$/, /^Name a colour$/] },
  {
    file: 'queue.ts',
    needs: 'REDIS_URL',
    args: async () => [await emulator.create({ donePolls: 3, metadata: progress, response: report })],
    expect: [/^running: \d+%$/, /^done: report ready$/],
  },
];

let failed = 0;
let passed = 0;
let skipped = 0;
try {
  for (const c of cases) {
    const name = `${c.name ?? c.file} (${runtime})`;
    if (c.needs && !process.env[c.needs]) {
      console.log(`skip ${name}: no ${c.needs}`);
      skipped++;
      continue;
    }
    const result = await run(c.file, c.args ? await c.args() : [], env);
    const lines = result.stdout.split('\n');
    let at = 0;
    const missing = c.expect.find((pattern) => {
      const found = lines.findIndex((line, i) => i >= at && pattern.test(line));
      if (found < 0) return true;
      at = found + 1;
      return false;
    });
    if (result.code === (c.exitCode ?? 0) && missing === undefined) {
      console.log(`ok ${name}`);
      passed++;
    } else {
      failed++;
      console.log(`FAIL ${name}: exit ${result.code ?? result.signal}${missing ? `, no line matching ${missing}` : ''}`);
      console.log(`--- stdout\n${result.stdout}--- stderr\n${result.stderr}---`);
    }
  }
} finally {
  await emulator.close();
}
// The closing line CI reads: one word with a colon, then the counts.
console.log(`${runtime}: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exitCode = failed === 0 ? 0 : 1;
