/**
 * Issue 10, "Must show" 8: no process warning (`MaxListenersExceededWarning: Possible EventTarget
 * memory leak detected`) with 10 000 concurrent calls on one client, nor with 20 calls sharing one
 * AbortSignal of the caller's.
 *
 * The blocking flavour takes no signal; its calls run in the SDK's worker thread, which is checked
 * for warnings from a child process (many calls and a waitAll, nothing on stderr).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { AsyncOperationsClient, waitAll } from 'yc-operation';
import { type Emulator, startEmulator } from 'yc-operation/testing';
import { runNode } from '../helpers/child';
import { DIST_INDEX } from '../resilience/harness';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.close());

let warnings: Error[] = [];
const onWarning = (w: Error) => warnings.push(w);
beforeEach(() => {
  warnings = [];
  process.on('warning', onWarning);
});
afterEach(() => {
  process.off('warning', onWarning);
});

/** The warnings seen, once those emitted on the way (on a later tick) are in. */
async function warningsSeen(): Promise<string[]> {
  await new Promise((r) => setTimeout(r, 20));
  return warnings.map((w) => `${w.name}: ${w.message}`);
}

describe('promise flavour', () => {
  test('10 000 concurrent calls on one client: no warning', async () => {
    const ids = await Promise.all(Array.from({ length: 100 }, () => emu.create({ donePolls: 2, response: { '@type': 'x' } })));
    const client = new AsyncOperationsClient({ endpoint: emu.url, auth: null });
    const calls = Array.from({ length: 10_000 }, (_, i) => {
      const op = client.operation(ids[i % ids.length]!);
      return i % 2 === 0 ? op.getStatus() : op.wait({ pollInterval: 0.05 });
    });
    const outcomes = await Promise.allSettled(calls);
    client.close();
    expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);
    expect(await warningsSeen()).toEqual([]);
  }, 20_000);

  test('20 calls, a watch and a waitAll sharing one AbortSignal: no warning, and the abort reaches them all', async () => {
    const ids = await Promise.all(Array.from({ length: 20 }, () => emu.create({ never: true })));
    const client = new AsyncOperationsClient({ endpoint: emu.url, auth: null });
    const controller = new AbortController();
    const signal = controller.signal;
    const reason = new Error('stop them all');
    const ops = ids.map((id) => client.operation(id));
    const calls: Array<Promise<unknown>> = [
      ...ops.map((op, i) => (i % 2 === 0 ? op.wait({ pollInterval: 30, signal }) : op.getStatus({ signal }))),
      (async () => {
        for await (const _ of ops[0]!.watch({ pollInterval: 30, signal }));
      })(),
      waitAll(ops, { pollInterval: 30, signal }),
    ];
    // Let every call reach its request or its sleep, then stop them with the one signal.
    await new Promise((r) => setTimeout(r, 300));
    controller.abort(reason);
    const outcomes = await Promise.allSettled(calls);
    client.close();
    const rejected = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    // getStatus calls may have been answered before the abort; every wait was still polling.
    expect(rejected.length).toBeGreaterThanOrEqual(12);
    for (const r of rejected) expect(r.reason).toBe(reason);
    expect(await warningsSeen()).toEqual([]);
  });

  test('20 calls sharing one signal that is never aborted: no warning, and nothing kept on it', async () => {
    const ids = await Promise.all(Array.from({ length: 20 }, () => emu.create({ donePolls: 2, response: { '@type': 'x' } })));
    const client = new AsyncOperationsClient({ endpoint: emu.url, auth: null });
    const signal = new AbortController().signal;
    const ops = ids.map((id) => client.operation(id));
    for (let round = 0; round < 3; round++) {
      await Promise.all([...ops.map((op) => op.getStatus({ signal })), ...ops.map((op) => op.wait({ pollInterval: 0.05, signal }))]);
    }
    client.close();
    expect(await warningsSeen()).toEqual([]);
  });
});

describe('blocking flavour', () => {
  // The blocking calls run in the SDK's worker thread, whose warnings this thread's 'warning'
  // event never sees: the client runs in a child process, whose stderr gets every thread's warnings.
  test('many calls and a waitAll of 20 on one client: no warning from either thread, and every operation done', async () => {
    const ids = await Promise.all(Array.from({ length: 20 }, () => emu.create({ donePolls: 2, response: { '@type': 'x' } })));
    const child = await runNode(
      [
        '--input-type=module',
        '-e',
        `
      import { OperationsClient, waitAll } from ${JSON.stringify(DIST_INDEX)};
      const client = new OperationsClient({ endpoint: process.env.EMU, auth: null });
      const ops = process.env.IDS.split(',').map((id) => client.operation(id));
      for (const op of ops) op.getStatus();
      const results = waitAll(ops, { pollInterval: 0.05 });
      client.close();
      console.log(ops.filter((op) => op.lastKnownStatus.isSucceeded).length + ' of ' + results.length);
    `,
      ],
      { EMU: emu.url, IDS: ids.join(',') },
    );
    expect(child).toMatchObject({ code: 0, stderr: '', stdout: '20 of 20\n' });
  });
});
