/**
 * Ctrl-C during a blocking call (issue 22, item 7), with a real SIGINT sent to a child process:
 * the blocking call throws KeyboardInterrupt, so `finally` runs; uncaught, in a script with no
 * SIGINT listener of its own, the process exits with code 130; a script with a listener gets the
 * error and then its listener runs. Outside a blocking call SIGINT ends the process as Node's
 * default does. Bounds are generous: a blocked script without the watch would block 60 s.
 */
import { spawn } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { ROOT } from './helpers/child';

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** From the SIGINT to the exit. */
  afterSignalMs: number;
}

/**
 * Runs `body` in a module script where `client` is a blocking client of an emulator and `emulator`
 * the emulator; sends SIGINT 300 ms after the script prints `BLOCKING`; kills it after 40 s. The
 * client makes one call first, so that its worker has booted and watches SIGINT before `body`
 * runs (on a loaded machine a boot can take longer than 300 ms; until then SIGINT goes as Node
 * sends it, see docs/guide-blocking.md).
 */
function interrupt(body: string): Promise<Outcome> {
  const script = `
    import { OperationsClient, KeyboardInterrupt } from 'yc-operation';
    import { startEmulator } from 'yc-operation/testing';
    const emulator = await startEmulator();
    const client = new OperationsClient({ endpoint: emulator.url, auth: null });
    client.operation(await emulator.create({ never: true })).getStatus();
    ${body}
  `;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let signalledAt = Number.NaN;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk;
      if (Number.isNaN(signalledAt) && /^BLOCKING/m.test(stdout)) {
        signalledAt = 0;
        setTimeout(() => {
          signalledAt = performance.now();
          child.kill('SIGINT');
        }, 300);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 40_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, afterSignalMs: performance.now() - signalledAt });
    });
  });
}

/** A wait that would block 60 s: an operation that never finishes, polled every 20 s. */
const SLEEPING_WAIT = `
  const op = client.operation(await emulator.create({ never: true }));
  console.log('BLOCKING');
  op.wait({ pollInterval: 20, pollTimeout: 60 });
`;

/** A wait blocked in a request the server never answers (within its 60 s timeout). */
const REQUESTING_WAIT = `
  const op = client.operation(await emulator.create({ never: true, faults: [{ hang: true }] }));
  console.log('BLOCKING');
  op.wait({ pollInterval: 20, pollTimeout: 60, timeout: 60 });
`;

/** waitAll of two operations that never finish. */
const WAITING_ALL = `
  const ops = [client.operation(await emulator.create({ never: true })), client.operation(await emulator.create({ never: true }))];
  console.log('BLOCKING');
  client.waitAll(ops, { pollInterval: 20, pollTimeout: 60 });
`;

describe('SIGINT during a blocking call', () => {
  test.each([
    ['a sleep between polls', SLEEPING_WAIT],
    ['a request', REQUESTING_WAIT],
    ['waitAll', WAITING_ALL],
  ])(
    'in %s, with no listener of the script: finally runs, and the uncaught KeyboardInterrupt exits with 130',
    async (_, wait) => {
      const outcome = await interrupt(`try { ${wait} } finally { console.log('FINALLY'); }`);
      expect(outcome.stdout).toMatch(/^FINALLY$/m);
      expect(outcome.stderr).toMatch(/KeyboardInterrupt: interrupted by SIGINT/);
      expect(outcome.stderr).not.toMatch(/DeprecationWarning/); // the worker's signal handle says nothing
      expect({ code: outcome.code, signal: outcome.signal }).toEqual({ code: 130, signal: null });
      expect(outcome.afterSignalMs).toBeLessThan(15_000);
    },
    60_000,
  );

  test('with a listener of the script: the wait throws KeyboardInterrupt, the script goes on, then its listener runs', async () => {
    const outcome = await interrupt(`
      process.on('SIGINT', () => { console.log('LISTENER'); client.close(); void emulator.close(); });
      try { ${SLEEPING_WAIT} } catch (error) {
        console.log('CAUGHT', error instanceof KeyboardInterrupt, error.name);
      } finally { console.log('FINALLY'); }
    `);
    expect(outcome.stdout.split('\n').filter((l) => l !== 'BLOCKING' && l !== '')).toEqual([
      'CAUGHT true KeyboardInterrupt',
      'FINALLY',
      'LISTENER',
    ]);
    expect({ code: outcome.code, signal: outcome.signal }).toEqual({ code: 0, signal: null });
    expect(outcome.afterSignalMs).toBeLessThan(15_000);
  }, 60_000);

  test('caught by a script with no listener: the script goes on and exits as it would have (0)', async () => {
    const outcome = await interrupt(`
      try { ${SLEEPING_WAIT} } catch (error) { console.log('CAUGHT', error.name); }
      client.close();
      await emulator.close();
    `);
    expect(outcome.stdout).toMatch(/^CAUGHT KeyboardInterrupt$/m);
    expect({ code: outcome.code, signal: outcome.signal }).toEqual({ code: 0, signal: null });
  }, 60_000);

  test('a call after an interrupted request works: only the abandoned request was aborted', async () => {
    const outcome = await interrupt(`
      try { ${REQUESTING_WAIT} } catch (error) { console.log('CAUGHT', error.name); }
      const next = client.operation(await emulator.create({ never: true }));
      console.log('NEXT', next.getStatus().isRunning);
      client.close();
      await emulator.close();
    `);
    expect(outcome.stdout).toMatch(/^CAUGHT KeyboardInterrupt$/m);
    expect(outcome.stdout).toMatch(/^NEXT true$/m);
    expect({ code: outcome.code, signal: outcome.signal }).toEqual({ code: 0, signal: null });
  }, 60_000);

  test('outside a blocking call, SIGINT ends a script with no listener as Node does', async () => {
    const outcome = await interrupt(`
      client.operation(await emulator.create({ donePolls: 1, response: {} })).wait();
      console.log('BLOCKING'); // not blocking: the event loop turns, the call is over
      setTimeout(() => console.log('NOT ENDED'), 20_000);
    `);
    expect(outcome.stdout).not.toMatch(/NOT ENDED/);
    expect({ code: outcome.code, signal: outcome.signal }).toEqual({ code: null, signal: 'SIGINT' });
  }, 60_000);
});
