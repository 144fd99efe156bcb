/**
 * The `yc-operation` CLI against the test kit's emulator, for every command and every exit code:
 * in this process (test/helpers/cli.ts) for what it prints and returns, and as a child process
 * (`node dist/cli/main.js`) where a process of its own is the point: signals, pipes, a terminal,
 * the emulator command. Every run talks to 127.0.0.1 only: the credential variables are blanked,
 * the metadata-service probe of the environment chain goes to a closed loopback port
 * (vitest.config.ts), and the one run that reaches the chain's last step finds a `yc` this test
 * wrote. Time bounds are generous: the machine is noisy.
 */
import { type ChildProcessByStdio, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { SHORT_ENDPOINTS } from 'yc-operation';
import { type Emulator, GrpcCode, type OperationScript, startEmulator } from 'yc-operation/testing';
import { ENDPOINT_NAMES } from '../src/cli/program';
import { ROOT, runNode } from './helpers/child';
import { CLEAN_ENV, type CliRun, runCli } from './helpers/cli';

const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const API_KEY = 'cli-test-api-key-0123456789';
// Nor the CLI's own variables: an empty YC_OPERATION_ENDPOINT would be an empty --endpoint.
delete process.env.YC_OPERATION_ENDPOINT;
delete process.env.YC_OPERATION_LOG;
const PROGRESS_TYPE = 'type.googleapis.com/test.Progress';
const RESPONSE = { '@type': 'type.googleapis.com/test.Result', answer: 42 };

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ apiKey: API_KEY });
});
afterAll(() => emulator.close());

/** Runs the CLI in this process (its output and exit code are the point). */
const cli = runCli;

/** The global flags that point the CLI at the emulator with the right key. */
const at = () => ['--endpoint', emulator.url, '--api-key', API_KEY];

const create = (script: OperationScript) => emulator.create(script);

/** A CLI child to interact with: wait for its output, send it signals. */
interface LiveChild {
  child: ChildProcessByStdio<null, Readable, Readable>;
  stdout(): string;
  stderr(): string;
  /** Resolves once `stream`'s output so far matches `pattern`. */
  waitFor(pattern: RegExp, stream?: 'stdout' | 'stderr'): Promise<void>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startCli(args: string[]): LiveChild {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...CLEAN_ENV },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const output = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk: Buffer) => (output.stdout += chunk));
  child.stderr.on('data', (chunk: Buffer) => (output.stderr += chunk));
  const exit = once(child, 'close').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
  const waitFor = async (pattern: RegExp, stream: 'stdout' | 'stderr' = 'stderr') => {
    while (!pattern.test(output[stream])) {
      const ended = await Promise.race([once(child[stream], 'data').then(() => false), exit.then(() => true)]);
      if (ended && !pattern.test(output[stream]))
        throw new Error(`the CLI ended before printing ${pattern}:\n${output.stdout}\n${output.stderr}`);
    }
  };
  return { child, stdout: () => output.stdout, stderr: () => output.stderr, waitFor, exit };
}

/** The one line of a usage or API error. */
function expectOneLineError(result: Pick<CliRun, 'stdout' | 'stderr'>): void {
  expect(result.stdout).toBe('');
  expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(result.stderr).toMatch(/^yc-operation: /);
}

describe('help and version', () => {
  it('--help lists the commands, the credential sources and every exit code', async () => {
    const result = await cli(['--help']);
    expect(result.code).toBe(0);
    for (const text of [
      'get [options] <id>',
      'wait [options] <id>',
      'cancel [options] <id>',
      'emulator [options]',
      'completion <shell>',
      "'yc-operation <command> --help'",
    ]) {
      expect(result.stdout).toContain(text);
    }
    for (const variable of ['YC_API_KEY', 'YC_OPERATION_ENDPOINT', 'YC_OPERATION_LOG']) expect(result.stdout).toContain(variable);
    for (const code of [0, 1, 2, 3, 4, 70, 130, 141]) expect(result.stdout).toMatch(new RegExp(`^  ${code} +\\S`, 'm'));
  });

  /** The flags a help text lists (its option lines). */
  const flagsIn = (help: string) =>
    new Set([...help.matchAll(/^ {2}(?:(-\w), )?(--[\w-]+)/gm)].flatMap((match) => [match[1], match[2]]).filter(Boolean));
  const SESSION_FLAGS = [
    '--endpoint',
    '--allow-insecure-http',
    '--api-key',
    '--iam-token',
    '--no-auth',
    '--folder-id',
    '--protocol',
    '--verbose',
    '--debug',
    '--quiet',
  ];
  const CALL_FLAGS = ['-o', '--output', '--json', '--timeout', '-h', '--help'];

  it.each([
    ['get', [...CALL_FLAGS, ...SESSION_FLAGS]],
    ['cancel', [...CALL_FLAGS, ...SESSION_FLAGS]],
    ['wait', ['--poll-interval', '--poll-timeout', ...CALL_FLAGS, ...SESSION_FLAGS]],
    ['emulator', ['--port', '--api-key', '--iam-token', '-h', '--help']],
    ['completion', ['-h', '--help']],
  ])('%s --help lists exactly the flags it uses', async (command, flags) => {
    const result = await cli([command, '--help']);
    expect(result.code).toBe(0);
    expect([...flagsIn(result.stdout)].sort()).toEqual([...flags].sort());
  });

  it('the --endpoint help lists every short name the SDK accepts', async () => {
    const help = (await cli(['get', '--help'])).stdout.replace(/\s+/g, ' ');
    // The CLI's own copy of the names (so that --help loads none of the SDK) is the SDK's list.
    expect(Object.keys(SHORT_ENDPOINTS)).toEqual([...ENDPOINT_NAMES]);
    expect(help).toContain(`a short name: ${Object.keys(SHORT_ENDPOINTS).join(', ')}`);
    // Each is accepted: a short name resolves (the request then fails before the network: no credentials anywhere).
    for (const name of Object.keys(SHORT_ENDPOINTS)) {
      const result = await cli(['get', 'some-id', '--endpoint', name], { PATH: '' });
      expect(result.stderr).toMatch(/^yc-operation: no credentials found/);
    }
  });

  it('--version prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    const result = await cli(['--version']);
    expect([result.code, result.stdout.trim()]).toEqual([0, version]);
  });
});

describe('get', () => {
  it('prints a running operation with its progress metadata, and exits 0', async () => {
    const id = await create({ never: true, metadata: [{ '@type': PROGRESS_TYPE, stage: 'training', percent: 40 }] });
    const result = await cli([...at(), 'get', id]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`Operation ${id}: running\n  metadata: stage=training percent=40\n`);
  });

  it('starts no worker thread: one request, through the promise client (a process of its own, every Worker made reported)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'yc-operation-worker-probe-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const probe = join(dir, 'probe.cjs');
    writeFileSync(
      probe,
      "const threads = require('node:worker_threads'); const Original = threads.Worker;\n" +
        "threads.Worker = class extends Original { constructor(...args) { process.stderr.write('WORKER STARTED\\n'); super(...args); } };\n" +
        "require('node:module').syncBuiltinESMExports();\n",
    );
    const id = await create({ response: RESPONSE });
    const result = await runNode(['--require', probe, CLI, 'get', id, ...at()], CLEAN_ENV);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain(`Operation ${id}: success`);
    // The probe does see a worker: the blocking client starts one.
    const blocking = await runNode(
      [
        '--require',
        probe,
        '--input-type=module',
        '-e',
        `import { OperationsClient } from 'yc-operation'; const c = new OperationsClient({ endpoint: '${emulator.url}', auth: '${API_KEY}' }); c.operation('${id}').getStatus(); c.close();`,
      ],
      CLEAN_ENV,
    );
    expect(blocking.stderr).toContain('WORKER STARTED');
  });

  it('--json prints the status in the wire form', async () => {
    const id = await create({ response: RESPONSE });
    const result = await cli([...at(), 'get', id, '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ id, done: true, metadata: null, response: RESPONSE });
  });

  it('shows the error of a failed operation and exits 1', async () => {
    const detail = { '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: [] };
    const id = await create({ error: { code: GrpcCode.FAILED_PRECONDITION, message: 'No rows', details: [detail] } });
    const result = await cli([...at(), 'get', id]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      `Operation ${id}: failed\n  error: FAILED_PRECONDITION (code 9): No rows\n  detail: ${JSON.stringify(detail)}`,
    );
    const json = await cli([...at(), 'get', id, '--json']);
    expect(JSON.parse(json.stdout).error).toEqual({ code: 9, message: 'No rows', details: [detail] });
  });

  it('exits 4 for an operation done with neither a response nor an error (a broken server)', async () => {
    const result = await cli([...at(), 'get', await create({ neither: true })]);
    expect(result.code).toBe(4);
    expect(result.stdout).toContain('done, with neither a response nor an error');
  });
});

describe('wait', () => {
  const metadata = [1, 2, 3].map((step) => ({ '@type': PROGRESS_TYPE, step }));

  it('off a terminal, reports progress in plain lines on stderr, prints the result, and exits 0', async () => {
    const id = await create({ donePolls: 3, metadata, response: RESPONSE });
    const result = await cli([...at(), 'wait', id, '--poll-interval', '0.1']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(
      /^\[\d+\.\d s\] poll 1: running, step=1\n\[\d+\.\d s\] poll 2: running, step=2\n\[\d+\.\d s\] poll 3: success, step=3\n$/,
    );
    expect(result.stdout).toMatch(
      new RegExp(`^Operation ${id}: success \\(after \\d+\\.\\d s, 3 polls\\)\\n  metadata: step=3\\n  response: \\{`),
    );
    expect(result.stdout).toContain('"answer": 42');
  });

  it('--json prints the final status as JSON, and nothing else on stdout', async () => {
    const id = await create({ donePolls: 2, response: RESPONSE });
    const result = await cli([...at(), 'wait', id, '--json', '--poll-interval', '0.1']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ id, done: true, metadata: null, response: RESPONSE });
  });

  it('exits 1 when the operation fails, explaining its error on stderr', async () => {
    const id = await create({ donePolls: 2, error: { code: GrpcCode.RESOURCE_EXHAUSTED, message: 'Quota exceeded' } });
    const result = await cli([...at(), 'wait', id, '--poll-interval', '0.1']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`yc-operation: Operation ${id} failed\n  error: RESOURCE_EXHAUSTED (code 8): Quota exceeded\n`);
  });

  it('exits 3 when --poll-timeout runs out, saying the operation goes on and how to stop it', async () => {
    const id = await create({ never: true });
    const result = await cli([...at(), 'wait', id, '--poll-timeout', '1', '--poll-interval', '0.2', '--json']);
    expect(result.code).toBe(3);
    expect(JSON.parse(result.stdout)).toMatchObject({ id, done: false });
    expect(result.stderr.split('\n').filter((line) => line.startsWith('yc-operation:'))).toEqual([
      expect.stringMatching(
        new RegExp(
          `^yc-operation: operation ${id} still running after the poll timeout of 1 s; it goes on: wait again later, or 'yc-operation cancel ${id}'`,
        ),
      ),
    ]);
  });

  it('exits 4 for an operation done with neither a response nor an error', async () => {
    const result = await cli([...at(), 'wait', await create({ neither: true })]);
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('neither');
  });

  it.skipIf(spawnSync('script', ['--version']).status !== 0)('on a terminal, rewrites one live progress line, then clears it', async () => {
    const id = await create({ donePolls: 3, metadata, response: RESPONSE });
    const command = [process.execPath, CLI, ...at(), 'wait', id, '--poll-interval', '0.1'].join(' ');
    // `script` runs the CLI on a pseudo-terminal: stdout and stderr are TTYs, and both come out here.
    const result = spawnSync('script', ['-qec', command, '/dev/null'], {
      env: { ...process.env, ...CLEAN_ENV },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(0);
    const clear = '\r\x1b[2K';
    expect(result.stdout).toMatch(/\r\x1b\[2Krunning · \d+\.\d s · poll 1 · step=1/);
    expect(result.stdout).toMatch(/\r\x1b\[2Krunning · \d+\.\d s · poll 2 · step=2/);
    expect(result.stdout).toContain(`${clear}Operation ${id}: success`);
    expect(result.stdout).not.toMatch(/\[\d+\.\d s\] poll/);
  });
});

describe('Ctrl-C', () => {
  // No SIGINT handler: Node's default action ends the process by SIGINT, between polls or in the
  // middle of a request. A shell shows such an end as exit status 130.
  it('ends a wait promptly, between polls, by SIGINT (130 in a shell)', async () => {
    const live = startCli([...at(), 'wait', await create({ never: true }), '--poll-interval', '60']);
    await live.waitFor(/poll 1: running/);
    const sentAt = performance.now();
    live.child.kill('SIGINT');
    expect(await live.exit).toEqual({ code: null, signal: 'SIGINT' });
    expect(performance.now() - sentAt).toBeLessThan(10_000);
  });

  it('ends a wait promptly in the middle of a request, by SIGINT', async () => {
    const id = await create({ never: true, faults: [{ latency: 60 }] });
    const live = startCli([...at(), '--verbose', 'wait', id]);
    await live.waitFor(/Polling operation/);
    const sentAt = performance.now();
    live.child.kill('SIGINT');
    expect(await live.exit).toEqual({ code: null, signal: 'SIGINT' });
    expect(performance.now() - sentAt).toBeLessThan(10_000);
  });
});

describe('cancel', () => {
  it('cancels a running operation: prints it cancelled and exits 0; get then exits 1', async () => {
    const id = await create({ never: true });
    const result = await cli([...at(), 'cancel', id]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`Operation ${id}: cancelled\n  error: CANCELLED (code 1): Operation cancelled\n`);
    const after = await cli([...at(), 'get', id, '--json']);
    expect(after.code).toBe(1);
    expect(JSON.parse(after.stdout)).toMatchObject({ id, done: true, error: { code: 1 } });
  });

  it('says so when the operation had already finished', async () => {
    const id = await create({ response: RESPONSE });
    await cli([...at(), 'get', id]);
    const result = await cli([...at(), 'cancel', id]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Operation ${id}: success (it had finished before the cancel)`);
  });
});

describe('emulator', () => {
  /** Starts `yc-operation emulator` and reads its URL and sample operation ids. */
  async function cliEmulator(args: string[] = []) {
    const live = startCli(['emulator', '--port', '0', ...args]);
    await live.waitFor(/Press Ctrl-C to stop/, 'stdout');
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(live.stdout())![1]!;
    const ids = [...live.stdout().matchAll(/^ {2}([a-v0-9]{20}) {2}/gm)].map((match) => match[1]!);
    return { live, url, ids };
  }

  it('runs in the foreground with sample operations the other commands can use, until Ctrl-C', async () => {
    const { live, url, ids } = await cliEmulator();
    expect(ids).toHaveLength(3);
    const progress = await cli(['--endpoint', url, '--no-auth', 'get', ids[0]!]);
    expect(progress.code).toBe(0);
    expect(progress.stdout).toContain('metadata: stage=queued percent=0');
    const cancelled = await cli(['--endpoint', url, '--no-auth', 'cancel', ids[2]!]);
    expect(cancelled.stdout).toContain('cancelled');
    live.child.kill('SIGINT');
    expect(await live.exit).toEqual({ code: null, signal: 'SIGINT' });
  });

  it('on a port in use, says so in one line and exits 2', async () => {
    const port = new URL(emulator.url).port;
    const result = await runNode([CLI, 'emulator', '--port', port], CLEAN_ENV);
    expect(result.code).toBe(2);
    expectOneLineError(result);
    expect(result.stderr).toContain(`port ${port} is in use`);
  });

  it('with --api-key, requires that key and never prints it', async () => {
    const key = 'emulator-key-abcdefgh';
    const { live, url, ids } = await cliEmulator(['--api-key', key]);
    expect(live.stdout()).not.toContain(key);
    expect((await cli(['--endpoint', url, '--no-auth', 'get', ids[0]!])).code).toBe(4);
    expect((await cli(['--endpoint', url, '--api-key', key, 'get', ids[0]!])).code).toBe(0);
  });
});

describe('usage errors: a one-line message and exit 2', () => {
  it.each([
    ['an unknown flag', ['wait', 'some-id', '--bogus'], /unknown option '--bogus'/],
    ['a mistyped flag, with a suggestion', ['wait', 'some-id', '--jsn'], /unknown option '--jsn' \(Did you mean --json\?\)/],
    ['a missing id', ['get'], /missing required argument 'id'/],
    [
      'a non-numeric interval',
      ['wait', 'some-id', '--poll-interval', 'soon'],
      /'--poll-interval <seconds>' argument 'soon' is invalid\. Expected a positive number of seconds/,
    ],
    ['a zero timeout', ['get', 'some-id', '--timeout', '0'], /'--timeout <seconds>' argument '0' is invalid/],
    ['an unknown command', ['frobnicate'], /unknown command 'frobnicate'/],
    ['two kinds of credentials', ['--api-key', 'some-key-123', '--iam-token', 't1.some-token', 'get', 'some-id'], /cannot be used with/],
    ['credentials with --no-auth', ['--api-key', 'some-key-123', '--no-auth', 'get', 'some-id'], /cannot be used with/],
    ['a port out of range', ['emulator', '--port', '70000'], /'--port <n>' argument '70000' is invalid/],
    ['a malformed id', ['--no-auth', 'get', 'a/b'], /operation id must be/],
    ['an endpoint that is not a URL', ['--no-auth', '--endpoint', 'nowhere', 'get', 'some-id'], /endpoint must be a URL/],
    [
      'plain http to a non-loopback host, naming the flag that allows it',
      ['--no-auth', '--endpoint', 'http://example.com', 'get', 'some-id'],
      /^yc-operation: --endpoint http:\/\/example\.com is plain http to a non-loopback host; use https, or pass --allow-insecure-http\n$/,
    ],
    [
      '--json with another --output',
      ['get', 'some-id', '--json', '--output', 'yaml'],
      /option '--json' cannot be used with option '-o, --output <format>'/,
    ],
    ['an unknown --output', ['get', 'some-id', '--output', 'xml'], /argument 'xml' is invalid\. Allowed choices are text, json, yaml/],
  ])('%s', async (_, args, message) => {
    const result = await cli(args);
    expect(result.code).toBe(2);
    expectOneLineError(result);
    expect(result.stderr).toMatch(message);
  });

  it('never echoes a credential, even in an error about the argument that follows it', async () => {
    const key = 'secret-api-key-987654';
    const result = await cli(['--api-key', key, `${key}-as-command`]);
    expect(result.code).toBe(2);
    expect(result.stderr).not.toContain(key);
  });
});

describe('API errors: exit 4', () => {
  it('a bad API key: the server refuses it; one line names the kind of credential but not the key', async () => {
    const wrongKey = 'wrong-api-key-0123456789';
    const result = await cli(['--endpoint', emulator.url, '--api-key', wrongKey, 'get', await create({})]);
    expect(result.code).toBe(4);
    expectOneLineError(result);
    expect(result.stderr).toMatch(/^yc-operation: credentials refused \(HTTP 401, UNAUTHENTICATED, api-key\): /);
    expect(result.stderr + result.stdout).not.toContain(wrongKey);
    expect(result.stderr + result.stdout).not.toContain(API_KEY);
  });

  it('no credentials at all, from flags or the environment: the chain ends at a `yc` that has none, and the server refuses', async () => {
    // The chain's last step runs `yc iam create-token` from PATH: a `yc` of this test's, that
    // says which arguments it got and has no token, so that no `yc` of the machine ever runs.
    const bin = mkdtempSync(join(tmpdir(), 'yc-operation-fake-yc-'));
    onTestFinished(() => rmSync(bin, { recursive: true, force: true }));
    writeFileSync(join(bin, 'yc'), `#!/bin/sh\necho "$@" >> '${join(bin, 'calls')}'\necho "ERROR: no profile" >&2\nexit 1\n`);
    chmodSync(join(bin, 'yc'), 0o755);
    const result = await cli(['--endpoint', emulator.url, 'get', await create({})], { PATH: bin });
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('missing the Authorization header');
    expect(readFileSync(join(bin, 'calls'), 'utf8')).toMatch(/^iam create-token/);
  });

  it('an unknown operation: one short line that names the cause, without ids', async () => {
    const result = await cli([...at(), 'get', 'nosuchoperation00000']);
    expect(result).toEqual({
      code: 4,
      stdout: '',
      stderr: 'yc-operation: operation nosuchoperation00000 not found (wrong id, or expired)\n',
    });
  });

  it('--debug adds the URL, the request ids and the attempts below the short line', async () => {
    const result = await cli([...at(), 'get', 'nosuchoperation00000', '--debug']);
    expect(result.code).toBe(4);
    const lines = result.stderr.split('\n').filter((line) => !/ yc-operation (debug|info|warn|error): /.test(line));
    expect(lines[0]).toBe('yc-operation: operation nosuchoperation00000 not found (wrong id, or expired)');
    expect(lines[1]).toMatch(
      new RegExp(
        `^  debug: ${emulator.url}/operations/nosuchoperation00000; request id [\\w-]+; server trace id \\w+; client request id [\\w-]+; 1 attempt; auth: api-key$`,
      ),
    );
  });

  it("no server at the endpoint: no answer within --timeout, and the last attempt's cause, in one line", async () => {
    const result = await cli(['--endpoint', 'http://127.0.0.1:9', '--no-auth', 'get', 'some-id', '--timeout', '1']);
    expect(result.code).toBe(4);
    expectOneLineError(result);
    expect(result.stderr).toMatch(
      /^yc-operation: no answer within the call's timeout of 1 s; the last attempt failed: network error: ECONNREFUSED .*\(DEADLINE_EXCEEDED; http:\/\/127\.0\.0\.1:9\)\n$/,
    );
  });
});

describe('no credentials anywhere: said before any request', () => {
  /** A directory for PATH, holding nothing (no `yc`). */
  function emptyBin(): string {
    const bin = mkdtempSync(join(tmpdir(), 'yc-operation-no-yc-'));
    onTestFinished(() => rmSync(bin, { recursive: true, force: true }));
    return bin;
  }

  it.each(['get', 'wait', 'cancel'])(
    '%s: one line naming the ways to set them, exit 4, and the server gets no request',
    async (command) => {
      const id = await create({ never: true });
      await emulator.clearRequests();
      const result = await cli([command, id, '--endpoint', emulator.url], { PATH: emptyBin() });
      expect(result.code).toBe(4);
      expectOneLineError(result);
      for (const way of [
        'YC_API_KEY',
        'YC_IAM_TOKEN',
        'YC_OAUTH_TOKEN',
        '--api-key',
        '--iam-token',
        'yc CLI',
        'VM',
        'YC_METADATA_ADDR',
        '--no-auth',
      ]) {
        expect(result.stderr).toContain(way);
      }
      expect(await emulator.requests()).toEqual([]);
    },
  );

  it('the metadata service at YC_METADATA_ADDR counts as a source when something listens there (the chain then asks it)', async () => {
    const metadata = createServer((_request, response) => response.writeHead(404).end());
    await new Promise<void>((resolve) => metadata.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => void metadata.close());
    const addr = `127.0.0.1:${(metadata.address() as AddressInfo).port}`;
    const result = await cli(['get', await create({}), '--endpoint', emulator.url], { PATH: emptyBin(), YC_METADATA_ADDR: addr });
    // The service has no token: the chain finds nothing, and the server refuses the request.
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/^yc-operation: credentials refused/);
  });

  it('a credential variable is enough, and --no-auth skips the check', async () => {
    expect((await cli(['get', await create({}), '--endpoint', emulator.url], { PATH: emptyBin(), YC_API_KEY: API_KEY })).code).toBe(0);
    const open = await startEmulator();
    onTestFinished(() => open.close());
    expect((await cli(['get', await open.create({}), '--endpoint', open.url, '--no-auth'], { PATH: emptyBin() })).code).toBe(0);
  });
});

describe('credentials and --verbose', () => {
  it('takes the API key from YC_API_KEY when no flag gives credentials', async () => {
    const result = await cli(['--endpoint', emulator.url, 'get', await create({})], { YC_API_KEY: API_KEY });
    expect(result.code).toBe(0);
  });

  it('--verbose logs the endpoint, the kind of credentials and each request, never the key', async () => {
    const id = await create({ donePolls: 2 });
    const result = await cli([...at(), '--verbose', 'wait', id, '--poll-interval', '0.1']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`[debug] endpoint ${emulator.url}; credentials: API key from --api-key`);
    expect(result.stderr).toContain(`[debug] polling GET ${emulator.url}/operations/${id}`);
    expect(result.stderr).toContain(`[info] Polling operation ${id}`);
    expect(result.stderr).toContain(`[info] Operation ${id} succeeded`);
    expect(result.stderr + result.stdout).not.toContain(API_KEY);
  });

  it('--verbose with the key from the environment does not print it either', async () => {
    const result = await cli(['--endpoint', emulator.url, '--verbose', 'get', await create({})], { YC_API_KEY: API_KEY });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('credentials: from the environment: YC_API_KEY');
    expect(result.stderr + result.stdout).not.toContain(API_KEY);
  });
});

describe('output formats and --quiet', () => {
  it('--output yaml prints the wire form as YAML; -o is --output; --output json is --json; --output text is the default', async () => {
    const id = await create({ metadata: [{ '@type': PROGRESS_TYPE, stage: 'done' }], response: RESPONSE });
    const wire = { id, done: true, metadata: { '@type': PROGRESS_TYPE, stage: 'done' }, response: RESPONSE };
    const yaml = await cli([...at(), 'get', id, '--output', 'yaml']);
    expect(yaml.code).toBe(0);
    expect(yaml.stdout).toContain(`id: ${id}\ndone: true\nmetadata:\n  "@type": ${PROGRESS_TYPE}\n`);
    expect(parseYaml(yaml.stdout)).toEqual(wire);
    expect(JSON.parse((await cli([...at(), 'get', id, '--output', 'json'])).stdout)).toEqual(wire);
    expect((await cli([...at(), 'get', id, '-o', 'yaml'])).stdout).toBe(yaml.stdout);
    expect((await cli([...at(), 'get', id, '-o', 'json'])).stdout).toBe((await cli([...at(), 'get', id, '--json'])).stdout);
    expect((await cli([...at(), 'get', id, '--output', 'text'])).stdout).toBe((await cli([...at(), 'get', id])).stdout);
  });

  it('wait --output yaml prints the last status whatever the outcome', async () => {
    const id = await create({ donePolls: 2, error: { code: GrpcCode.FAILED_PRECONDITION, message: 'No rows' } });
    const result = await cli([...at(), 'wait', id, '--output', 'yaml', '--poll-interval', '0.1']);
    expect(result.code).toBe(1);
    expect(parseYaml(result.stdout)).toEqual({ id, done: true, metadata: null, error: { code: 9, message: 'No rows', details: [] } });
  });

  it('--quiet prints no progress and no status; the exit code tells the outcome', async () => {
    const metadata = [1, 2].map((step) => ({ '@type': PROGRESS_TYPE, step }));
    const ok = await cli([
      '--quiet',
      ...at(),
      'wait',
      await create({ donePolls: 2, metadata, response: RESPONSE }),
      '--poll-interval',
      '0.1',
    ]);
    expect(ok).toMatchObject({ code: 0, stdout: '', stderr: '' });
    const running = await cli([...at(), 'get', await create({ never: true }), '--quiet', '--output', 'json']);
    expect(running).toMatchObject({ code: 0, stdout: '', stderr: '' });
  });

  it('--quiet still explains an error on stderr', async () => {
    const id = await create({ donePolls: 2, error: { code: GrpcCode.RESOURCE_EXHAUSTED, message: 'Quota exceeded' } });
    const result = await cli([...at(), '--quiet', 'wait', id, '--poll-interval', '0.1']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`yc-operation: Operation ${id} failed\n  error: RESOURCE_EXHAUSTED (code 8): Quota exceeded\n`);
  });
});

describe('the environment, --debug and --allow-insecure-http', () => {
  it('takes the endpoint from YC_OPERATION_ENDPOINT; --endpoint overrides it', async () => {
    const id = await create({ response: RESPONSE });
    const fromEnv = await cli(['--api-key', API_KEY, 'get', id], { YC_OPERATION_ENDPOINT: emulator.url });
    expect(fromEnv.code).toBe(0);
    expect(fromEnv.stdout).toContain(`Operation ${id}: success`);
    const overridden = await cli([...at(), 'get', id], { YC_OPERATION_ENDPOINT: 'http://127.0.0.1:9' });
    expect(overridden.code).toBe(0);
  });

  it('--debug logs the SDK lines of every level on stderr, as YC_OPERATION_LOG=debug does, never the key', async () => {
    const id = await create({ donePolls: 2 });
    const result = await cli([...at(), '--debug', 'wait', id, '--poll-interval', '0.1']);
    expect(result.code).toBe(0);
    const stamp = '\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z';
    expect(result.stderr).toMatch(new RegExp(`^${stamp} yc-operation info: Polling operation ${id}`, 'm'));
    expect(result.stderr).toMatch(new RegExp(`^${stamp} yc-operation debug: GET ${emulator.url}/operations/${id} \\(attempt 1\\)$`, 'm'));
    expect(result.stderr).toMatch(new RegExp(`^${stamp} yc-operation debug: Operation ${id} is still running`, 'm'));
    expect(result.stderr).toMatch(new RegExp(`^${stamp} yc-operation info: Operation ${id} succeeded$`, 'm'));
    expect(result.stderr + result.stdout).not.toContain(API_KEY);
    const fromEnv = await cli([...at(), 'wait', await create({ donePolls: 2 }), '--poll-interval', '0.1'], { YC_OPERATION_LOG: 'debug' });
    expect(fromEnv.stderr).toMatch(/ yc-operation debug: GET /);
  });

  it('YC_OPERATION_LOG=info logs from info up; an invalid value is ignored with one warning', async () => {
    const id = await create({ donePolls: 2 });
    const info = await cli([...at(), 'wait', id, '--poll-interval', '0.1'], { YC_OPERATION_LOG: 'info' });
    expect(info.code).toBe(0);
    expect(info.stderr).toContain(` yc-operation info: Operation ${id} succeeded`);
    expect(info.stderr).not.toContain('debug');
    const invalid = await cli([...at(), 'get', id], { YC_OPERATION_LOG: 'loud' });
    expect(invalid.code).toBe(0);
    expect(invalid.stderr).toBe('yc-operation: ignoring YC_OPERATION_LOG="loud": expected one of debug, info, warn, error\n');
  });

  it('--allow-insecure-http accepts plain http to a host the loopback check does not know (an IPv4-mapped 127.0.0.1)', async () => {
    const id = await create({ response: RESPONSE });
    const mapped = `http://[::ffff:127.0.0.1]:${new URL(emulator.url).port}`;
    const refused = await cli(['--endpoint', mapped, '--api-key', API_KEY, 'get', id]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('or pass --allow-insecure-http');
    expect(refused.stderr).not.toContain('allowInsecureHttp');
    const allowed = await cli(['--endpoint', mapped, '--allow-insecure-http', '--api-key', API_KEY, 'get', id]);
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toContain(`Operation ${id}: success`);
  });
});

describe('a reader of stdout that goes away', () => {
  /** Runs the CLI with stdout piped to a reader that closes its end after `bytes` bytes (0: at once). */
  async function closedEarly(args: string[], bytes: number) {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...CLEAN_ENV },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    onTestFinished(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    let read = 0;
    if (bytes === 0) child.stdout.destroy();
    else {
      child.stdout.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read >= bytes) child.stdout.destroy();
      });
    }
    const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
    return { code, signal, stderr };
  }

  // A 2 MB answer: far more than a pipe holds, so the CLI is still writing when the reader leaves.
  const big = () => create({ response: { ...RESPONSE, text: 'x'.repeat(2_000_000) } });

  it('like `| head -1` on a big answer: ends quietly with exit 141, no stack', async () => {
    const result = await closedEarly([...at(), 'get', await big(), '--json'], 1);
    expect(result).toEqual({ code: 141, signal: null, stderr: '' });
  });

  it('like `| true`, closed before the first byte: ends quietly with exit 141', async () => {
    const result = await closedEarly([...at(), 'get', await big(), '--output', 'yaml'], 0);
    expect(result).toEqual({ code: 141, signal: null, stderr: '' });
  });
});
