/**
 * Rows "detection lag" and "peer": how late `wait()` sees that an operation is done, and how many
 * polls it makes, for operations of the emulator (off-thread) that finish 2.75 to 3.25 s after
 * they are created (spread, so that no policy profits from one lucky alignment with the finish).
 * Lag = the moment `wait()` returns - the moment the operation became done. Each policy waits on
 * BENCH_LAG_OPS operations at once; the peer, `@smithy/util-waiter`'s `createWaiter`, wraps the
 * same `AsyncOperation.getStatus()`.
 */
import { createWaiter, WaiterState } from '@smithy/util-waiter';
import { AsyncOperationsClient, backoff } from 'yc-operation';
import { startEmulator } from 'yc-operation/testing';
import { report } from '../lib.mjs';

const OPS = Number(process.env.BENCH_LAG_OPS ?? 16);
const [LO, HI] = [2.75, 3.25];

/**
 * Our best: from bench/choose-policy.mjs, the policy with jitter (it spreads the polls of
 * operations started together) that makes the fewest polls for a 3 s operation while its lag stays
 * about 10 % of the operation's time from 1 to 64 s, so it is not tuned to 3 s alone.
 */
export const BEST = { initial: 0.3, multiplier: 1.15, jitter: 0.1 };
/** Ours with the peer's default first delay (2 s) and the same poll budget (3 polls). */
export const PEER_BUDGET = { initial: 2, multiplier: 1.3, jitter: 0.2 };

const emulator = await startEmulator();
const client = new AsyncOperationsClient({ endpoint: emulator.url, auth: null });

const ours = (pollInterval) => async (op) => {
  let polls = 0;
  await op.wait({ pollInterval, onProgress: () => polls++ });
  return polls;
};
const peer = (minDelay, maxDelay) => async (op) => {
  let polls = 0;
  const result = await createWaiter({ client: null, maxWaitTime: 60, minDelay, maxDelay }, undefined, async () => {
    polls++;
    const status = await op.getStatus();
    return status.isRunning ? { state: WaiterState.RETRY } : { state: WaiterState.SUCCESS, reason: status };
  });
  if (result.state !== WaiterState.SUCCESS) throw new Error(`peer waiter ended in ${result.state}`);
  return polls;
};

const variants = {
  'ours: default (every 10 s, as the reference)': ours(undefined),
  'ours: backoff() defaults': ours(backoff()),
  [`ours: best, backoff(${JSON.stringify(BEST)})`]: ours(backoff(BEST)),
  [`ours: peer's budget, backoff(${JSON.stringify(PEER_BUDGET)})`]: ours(backoff(PEER_BUDGET)),
  'peer: createWaiter defaults (minDelay 2 s, maxDelay 120 s)': peer(2, 120),
  "peer: createWaiter at our best's budget (minDelay 0.05 s)": peer(0.05, 120),
};

const runs = [];
for (const [name, wait] of Object.entries(variants)) {
  for (let i = 0; i < OPS; i++) {
    const doneAfterS = LO + ((HI - LO) * (i + 0.5)) / OPS;
    const before = Date.now();
    const id = await emulator.create({ doneAfter: doneAfterS });
    const doneAtMs = (before + Date.now()) / 2 + doneAfterS * 1000;
    runs.push({ name, op: client.operation(id), doneAfterS, doneAtMs, wait });
  }
}
const outcomes = await Promise.all(
  runs.map(async (run) => {
    const polls = await run.wait(run.op);
    return { name: run.name, polls, lagS: (Date.now() - run.doneAtMs) / 1000, opS: run.doneAfterS };
  }),
);
client.close();
await emulator.close();

report(
  Object.fromEntries(
    Object.keys(variants).map((name) => {
      const mine = outcomes.filter((o) => o.name === name);
      const mean = (f) => mine.reduce((a, o) => a + f(o), 0) / mine.length;
      return [
        name,
        {
          lagS: mean((o) => o.lagS),
          lagShare: mean((o) => o.lagS / o.opS),
          polls: mean((o) => o.polls),
          maxPolls: Math.max(...mine.map((o) => o.polls)),
          ops: mine.length,
        },
      ];
    }),
  ),
);
